#!/usr/bin/env bash
# Alternating A/B of the HTTP ingest path between two builds of Alerts, without Alertmanager beside them:
#   bench/ab.sh OLD_CHECKOUT NEW_CHECKOUT   (each built with `dotnet build Alerts.sln -c Release`)
# For each shape (100 events × 16 connections, 1 event × 64), three rounds of old then new, each on a fresh in-memory
# Azurite and the build's own HTTP process(es): 5 s warm-up, 15 s measured. Prints wrk's figures and the CPU each
# process spent per acknowledged event. A build whose silo serves HTTP is measured as one process; an older build
# (src/Api is a program of its own) as its silo and gateway. Events without flow and trace key (BENCH_PLAIN_EVENTS=1),
# so both builds get the same requests. Ports: BENCH_PORT_BASE (25000) and up.
set -uo pipefail
[ $# -eq 2 ] || { echo "usage: bench/ab.sh OLD_CHECKOUT NEW_CHECKOUT" >&2; exit 2; }
OLD=$(cd "$1" && pwd); NEW=$(cd "$2" && pwd)
cd "$(dirname "$0")/.."
source tools/services.sh
trap stop_all EXIT
if ! command -v wrk >/dev/null; then
  echo "Installing wrk (Debian package)..."
  (apt-get update -qq && apt-get install -y -qq wrk) >/tmp/ab-apt.log 2>&1 || { cat /tmp/ab-apt.log; exit 1; }
fi
install_tools
BASE=${BENCH_PORT_BASE:-25000}
BLOB=$BASE; QUEUE=$((BASE + 1)); TABLE=$((BASE + 2)); SILO=$((BASE + 11)); GATEWAY=$((BASE + 30)); API=$((BASE + 80))
KEY=bench-operator-key-0123
DURATION=15
source bench/measure.sh
export Alerts__Storage__ConnectionString=$(azurite_connection_string "$BLOB")
export Alerts__OperatorKey=$KEY Alerts__Silo__SiloPort=$SILO Alerts__Silo__GatewayPort=$GATEWAY Alerts__Email__SmtpPort=9 BENCH_PLAIN_EVENTS=1
mkdir -p .data/logs
SCRIPT=$(mktemp); cat bench/wrk/alerts-events.lua bench/wrk/report.lua > "$SCRIPT"

run_one() { # CHECKOUT EVENTS CONNECTIONS: prints wrk's RESULT line with CPU per process
  # Runs in a command substitution, a subshell the script's EXIT trap does not reach: a round that fails stops its own.
  trap 'stop_all >/dev/null 2>&1' EXIT
  local procs=()
  ALERTS_PIDS=(); ALERTS_NAMES=()
  start_azurite memory "$BLOB" "$QUEUE" "$TABLE" .data/logs/ab-azurite.log >/dev/null
  procs+=("azurite:${ALERTS_PIDS[-1]}")
  if [ -f "$1/src/Gateway/Alerts.Gateway.csproj" ]; then
    start silo .data/logs/ab-silo.log env ASPNETCORE_URLS="http://127.0.0.1:$API" dotnet "$1/src/Silo/bin/Release/net10.0/Alerts.Silo.dll" >/dev/null
    procs+=("silo:${ALERTS_PIDS[-1]}")
  else
    start silo .data/logs/ab-silo.log dotnet "$1/src/Silo/bin/Release/net10.0/Alerts.Silo.dll" >/dev/null
    procs+=("silo:${ALERTS_PIDS[-1]}")
    wait_for_port 127.0.0.1 "$GATEWAY" 60 "the silo" >/dev/null
    start gateway .data/logs/ab-api.log env ASPNETCORE_URLS="http://127.0.0.1:$API" dotnet "$1/src/Api/bin/Release/net10.0/Alerts.Api.dll" >/dev/null
    procs+=("gateway:${ALERTS_PIDS[-1]}")
  fi
  wait_for_url "http://127.0.0.1:$API/health/ready" 90 "the API" >/dev/null
  setup_org
  measure "$2" "$3" "http://127.0.0.1:$API" "$SCRIPT" "${procs[@]}"
  stop_all >/dev/null 2>&1
  sleep 2
}

for shape in "100 16" "1 64"; do
  read -r events connections <<<"$shape"
  for round in 1 2 3; do
    echo "$events ev × $connections conn, round $round, old: $(run_one "$OLD" "$events" "$connections")"
    echo "$events ev × $connections conn, round $round, new: $(run_one "$NEW" "$events" "$connections")"
  done
done
