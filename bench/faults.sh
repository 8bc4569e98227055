#!/usr/bin/env bash
# The fault bench: a million reports (BENCH_FAULT_REPORTS) over three silos — six reporters over HTTP (batches of 100,
# to whichever silos are up, a refused batch retried with the same event ids) and two over the Orleans client (batches
# of 1,000) — once per fault, each on a fresh stack (Azurite on disk, maildev, three silos with default settings, all
# on 127.0.0.1, started and stopped by PID as ./run.sh does):
#   kill     one silo killed with SIGKILL at 30% and started again;
#   storage  Azurite stopped for BENCH_STORAGE_OUTAGE seconds (30) at 30%;
#   smtp     SMTP down for the whole load, then up.
# Each prints: reports acknowledged vs counted (must be equal), threshold e-mails per recipient (exactly one each), 503
# and other 5xx answers, requests that reached no silo, and how long the load took to get back to speed (or the
# e-mails to arrive once the relay was back). Exits non-zero when a count or an e-mail is off.
# Usage: bench/faults.sh [kill,storage,smtp]. The code is tests/Alerts.IntegrationTests/Support/FaultRun.cs, which
# ./test.sh also runs in small (FaultRunTests). Bounded: BENCH_FAULT_MINUTES (90) for everything.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/services.sh
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

install_tools
echo "Building (Release)..."
dotnet build Alerts.sln -c Release -nologo -v quiet -clp:ErrorsOnly
session_file=$(mktemp)
status=0
# Its own session, so whatever a run leaves behind (it stops its processes itself) is found and stopped afterwards.
setsid --wait bash -c 'echo $$ > "$1"; shift; exec "$@"' _ "$session_file" \
  timeout "$(( ${BENCH_FAULT_MINUTES:-90} * 60 ))" dotnet bench/Alerts.Faults/bin/Release/net10.0/Alerts.Faults.dll \
    --reports "${BENCH_FAULT_REPORTS:-1000000}" --storage-outage "${BENCH_STORAGE_OUTAGE:-30}" --faults "${1:-kill,storage,smtp}" || status=$?
session=$(cat "$session_file"); rm -f "$session_file"
if [ -n "$session" ]; then pkill -KILL -s "$session" 2>/dev/null || true; fi
exit $status
