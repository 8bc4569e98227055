#!/usr/bin/env bash
# Builds and runs every test. The tests start the servers they need (Azurite, maildev, silos, the gateway)
# from tools/ and stop them by PID; anything left over is killed with the test run's process session.
# Ends with one line "N passed, N failed[, N skipped]" and exits non-zero if any test failed.
set -uo pipefail
cd "$(dirname "$0")"
source tools/services.sh
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

install_tools || exit 1
install_chromium || exit 1
install_prometheus || exit 1
dotnet build Alerts.sln -nologo -v quiet -clp:ErrorsOnly || { echo "0 passed, 1 failed"; exit 1; }

rm -rf TestResults
session_file=$(mktemp)
# setsid gives the run its own session, so every process it starts can be found and stopped afterwards.
setsid --wait bash -c 'echo $$ > "$1"; shift; exec "$@"' _ "$session_file" \
  dotnet test Alerts.sln --no-build --logger "trx" --results-directory TestResults
status=$?
session=$(cat "$session_file"); rm -f "$session_file"
if [ -n "$session" ]; then pkill -KILL -s "$session" 2>/dev/null || true; fi

node tools/summarize-tests.mjs TestResults
summary=$?
[ $status -eq 0 ] && [ $summary -eq 0 ]
