#!/usr/bin/env bash
# The soak: the stack as ./run.sh starts it (Azurite persisting to disk, maildev, one silo serving HTTP, default
# settings) under a steady report load over HTTP for BENCH_SOAK_MINUTES (30): BENCH_SOAK_RATE reports a second (2,000)
# in batches of 10, open loop, over 20 organizations with 10 integrations each, one report in ten an error. Every
# minute: reports, refusals, p50/p99 latency, the silo's and Azurite's RSS and CPU, Azurite's data size; then the first
# minutes against the last and storage growth per million reports. Flat is the goal. Ports: BENCH_PORT_BASE (25000) up.
# One setting differs from ./run.sh: the de-duplication window (Alerts:Journal:DeduplicationWindow, 1 h by default) is
# BENCH_SOAK_DEDUP (00:05:00), so that the half hour covers several windows. The journal keeps a window of commits and
# the silo a window of event ids; with the default the same steady state comes after an hour, at 12 times the size.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/services.sh
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

BASE=${BENCH_PORT_BASE:-25000}
BLOB=$BASE; QUEUE=$((BASE + 1)); TABLE=$((BASE + 2)); SMTP=$((BASE + 25)); INBOX=$((BASE + 26)); SILO=$((BASE + 11)); GATEWAY=$((BASE + 30)); API=$((BASE + 80))
WORK=$(mktemp -d); trap 'stop_all; rm -rf "$WORK"' EXIT
KEY=soak-operator-key-0123

install_tools
echo "Building (Release)..."
dotnet build Alerts.sln -c Release -nologo -v quiet -clp:ErrorsOnly
mkdir -p .data/logs

export Alerts__Storage__ConnectionString=$(azurite_connection_string "$BLOB")
export Alerts__OperatorKey=$KEY Alerts__Silo__SiloPort=$SILO Alerts__Silo__GatewayPort=$GATEWAY
export Alerts__Email__SmtpHost=127.0.0.1 Alerts__Email__SmtpPort=$SMTP
export Alerts__Journal__DeduplicationWindow=${BENCH_SOAK_DEDUP:-00:05:00}

start_azurite "$WORK/azurite" "$BLOB" "$QUEUE" "$TABLE" .data/logs/soak-azurite.log
AZURITE_PID=${ALERTS_PIDS[-1]}
start_maildev "$SMTP" "$INBOX" .data/logs/soak-maildev.log
start silo .data/logs/soak-silo.log env ASPNETCORE_URLS="http://127.0.0.1:$API" dotnet src/Silo/bin/Release/net10.0/Alerts.Silo.dll
SILO_PID=${ALERTS_PIDS[-1]}
wait_for_url "http://127.0.0.1:$API/health/ready" 90 "the silo's API"

echo "== Soak: ${BENCH_SOAK_RATE:-2000} reports/s for ${BENCH_SOAK_MINUTES:-30} minutes ($(date -u +%Y-%m-%d), $(nproc) cores, Release, Azurite on disk, de-duplication window $Alerts__Journal__DeduplicationWindow) =="
dotnet bench/Alerts.Bench/bin/Release/net10.0/Alerts.Bench.dll --mode steady --url "http://127.0.0.1:$API" --key "$KEY" \
  --rate "${BENCH_SOAK_RATE:-2000}" --batch 10 --minutes "${BENCH_SOAK_MINUTES:-30}" --orgs 20 \
  --silo-pid "$SILO_PID" --azurite-pid "$AZURITE_PID" --azurite-dir "$WORK/azurite"
