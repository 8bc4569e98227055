#!/usr/bin/env bash
# Alerts side by side with Prometheus Alertmanager, in one run on this machine:
#   1. HTTP, the same two request shapes against both (wrk -t2, one organization / 10 integrations, all errors):
#      1 event per request × 64 connections, 100 events per request × 16 connections. Alerts in two configurations:
#        run.sh  — exactly as ./run.sh starts it: Azurite persisting to disk and one silo serving HTTP itself;
#        memory  — the same with Azurite keeping its tables in memory.
#      Alertmanager 0.25 keeps its alerts in memory. Each line: req/s, events/s, p50/p99, non-2xx, and the CPU each
#      process spent per acknowledged event (utime + stime from /proc/<pid>/stat over the measured window), per process
#      and in total — the figure that stays put when this shared machine's throughput swings.
#   2. The Orleans-client path (bench/Alerts.Bench), on the memory configuration's fresh silo (before its HTTP load):
#      batches of 1,000 over 1,000 integrations, and the silo's RSS after 1,000,000 reports.
#   3. A digest sweep: BENCH_DIGEST_ORGS (10,000) organizations, each with a follower and open errors, one digest
#      round each, 64 at a time, on a memory-storage silo and (BENCH_DIGEST_DURABLE_ORGS, 1,000) on the Azurite silo.
# Installs wrk and prometheus-alertmanager from Debian when missing. Ports: BENCH_PORT_BASE (24000) and up.
# BENCH_DURATION seconds per measurement (20), after BENCH_WARMUP seconds of the same load (30: .NET's tiered JIT is
# still recompiling hot code for the first ~20 s, a third of a core that a service running for days never pays);
# BENCH_HTTP_ONLY=1 measures part 1 alone.
# docs/benchmarks.md keeps the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/services.sh

DURATION=${BENCH_DURATION:-20}
WARMUP=${BENCH_WARMUP:-30}
BASE=${BENCH_PORT_BASE:-24000}
BLOB=$BASE; QUEUE=$((BASE + 1)); TABLE=$((BASE + 2)); SILO=$((BASE + 11)); GATEWAY=$((BASE + 30)); API=$((BASE + 80)); AM=$((BASE + 93))
WORK=$(mktemp -d); trap 'stop_all; rm -rf "$WORK"' EXIT
KEY=bench-operator-key-0123

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v prometheus-alertmanager >/dev/null || missing+=(prometheus-alertmanager)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} (Debian packages)..."
  (apt-get update -qq && apt-get install -y -qq "${missing[@]}") >"$WORK/apt.log" 2>&1 || { cat "$WORK/apt.log"; exit 1; }
fi

install_tools
echo "Building (Release)..."
dotnet build Alerts.sln -c Release -nologo -v quiet -clp:ErrorsOnly
mkdir -p .data/logs

export Alerts__Storage__ConnectionString=$(azurite_connection_string "$BLOB")
export Alerts__OperatorKey=$KEY Alerts__Silo__SiloPort=$SILO Alerts__Silo__GatewayPort=$GATEWAY
export Alerts__Email__SmtpPort=9   # nothing listens: no threshold fires in the benchmark

cat bench/wrk/alerts-events.lua bench/wrk/report.lua > "$WORK/alerts.lua"
cat bench/wrk/alertmanager-alerts.lua bench/wrk/report.lua > "$WORK/alertmanager.lua"
source bench/measure.sh

# start_alerts memory|disk: Azurite and one silo serving HTTP, as ./run.sh starts them (logs in .data/logs/bench-*).
start_alerts() {
  local location=memory
  [ "$1" = disk ] && location="$WORK/azurite-disk"
  start_azurite "$location" "$BLOB" "$QUEUE" "$TABLE" ".data/logs/bench-azurite-$1.log"
  AZURITE_PID=${ALERTS_PIDS[-1]}
  start silo ".data/logs/bench-silo-$1.log" env ASPNETCORE_URLS="http://127.0.0.1:$API" dotnet src/Silo/bin/Release/net10.0/Alerts.Silo.dll
  SILO_PID=${ALERTS_PIDS[-1]}
  wait_for_url "http://127.0.0.1:$API/health/ready" 90 "the silo's API"
  setup_org
}

rows=()
# Every measurement starts from a fresh data folder and fresh processes (as the issue's figures did): Azurite on disk
# slows as its files grow, and Alertmanager as the alerts it holds grow, so the order of the runs must not matter.
for config in disk memory; do
  label=run.sh; [ $config = memory ] && label=memory
  echo; echo "== Alerts ($label configuration: Azurite $( [ $config = disk ] && echo on disk || echo in memory ), one silo serving HTTP) =="
  for shape in "1 64" "100 16"; do
    read -r events connections <<<"$shape"
    rm -rf "$WORK/azurite-disk"
    start_alerts "$config"
    line=$(measure "$events" "$connections" "http://127.0.0.1:$API" "$WORK/alerts.lua" "silo:$SILO_PID" "azurite:$AZURITE_PID")
    echo "$events ev × $connections conn: $line"
    rows+=("$events ev × $connections conn|Alerts ($label)|$events|$line")
    stop_all
  done
done

if [ "${BENCH_HTTP_ONLY:-0}" != 1 ]; then
  echo; echo "== Orleans client: batches of 1,000 over 1,000 integrations, 1,000,000 reports (memory configuration, fresh) =="
  start_alerts memory
  client=$(dotnet bench/Alerts.Bench/bin/Release/net10.0/Alerts.Bench.dll --gateway-port "$GATEWAY" --silo-pid "$SILO_PID" \
    --mode batch --batch 1000 --concurrency 8 --integrations 1000 --reports 1000000 --warmup 50000 | tee -a /dev/stderr | grep '^RESULT')
fi

echo; echo "== Prometheus Alertmanager 0.25 (in memory) =="
cat > "$WORK/alertmanager.yml" <<'YAML'
route:
  receiver: "null"
receivers:
  - name: "null"
YAML
declare -A am
for shape in "1 64" "100 16"; do
  read -r events connections <<<"$shape"
  rm -rf "$WORK/alertmanager"
  start alertmanager .data/logs/bench-alertmanager.log prometheus-alertmanager --config.file="$WORK/alertmanager.yml" \
    --storage.path="$WORK/alertmanager" --web.listen-address="127.0.0.1:$AM" --cluster.listen-address=
  AM_PID=${ALERTS_PIDS[-1]}
  wait_for_url "http://127.0.0.1:$AM/-/ready" 30 "Alertmanager"
  line=$(measure "$events" "$connections" "http://127.0.0.1:$AM" "$WORK/alertmanager.lua" "alertmanager:$AM_PID")
  stop_one "$AM_PID" alertmanager 15; unset 'ALERTS_PIDS[-1]' 'ALERTS_NAMES[-1]'
  echo "$events ev × $connections conn: $line"
  am["$events"]=$line
  rows+=("$events ev × $connections conn|Alertmanager|$events|$line")
done

echo; echo "== Summary ($(date -u +%Y-%m-%d), $(nproc) cores; CPU = µs per acknowledged event; ratio = Alerts ÷ Alertmanager) =="
printf '%-18s %-16s %9s %10s %7s %8s %7s %9s %9s %9s %8s %8s\n' shape system "req/s" "events/s" "p50 ms" "p99 ms" non-2xx \
  "CPU silo" "CPU stor." "CPU total" "req/s ×" "CPU ×"
for row in "${rows[@]}"; do
  IFS='|' read -r shape system events line <<<"$row"
  m=${am[$events]}
  rps=$(field rps "$line")
  silo=$(field cpu_silo "$line"); storage=$(field cpu_azurite "$line")
  [ "$system" = Alertmanager ] && { silo=$(field cpu_alertmanager "$line"); storage=-; }
  printf '%-18s %-16s %9.0f %10.0f %7s %8s %7s %9s %9s %9s %8s %8s\n' "$shape" "$system" "$rps" \
    "$(awk -v r="$rps" -v e="$events" 'BEGIN { print r * e }')" "$(field p50_ms "$line")" "$(field p99_ms "$line")" \
    "$(( $(field non2xx "$line") + $(field socket_errors "$line") ))" "$silo" "$storage" "$(field cpu_total "$line")" \
    "$(awk -v x="$rps" -v y="$(field rps "$m")" 'BEGIN { printf "%.2f", x / y }')" \
    "$(awk -v x="$(field cpu_total "$line")" -v y="$(field cpu_total "$m")" 'BEGIN { printf "%.2f", (y > 0 ? x / y : 0) }')"
done
echo "(run.sh: Azurite on disk, as ./run.sh starts it; memory: Azurite in memory; CPU silo is the one Alerts process, HTTP included)"
[ "${BENCH_HTTP_ONLY:-0}" = 1 ] && exit 0
printf '%-18s %-16s %9s %10.0f %7s %8s %7s   silo RSS after 1,000,000 reports: %s MB\n' "Orleans client" "Alerts (memory)" "" \
  "$(field rps "$client")" "$(field p50_ms "$client")" "$(field p99_ms "$client")" "$(field failures "$client")" "$(field silo_rss_mb "$client")"

# The digest sweep on a silo of its own with memory storage: what deciding costs the silo, without Azurite (whose
# in-memory tables, holding the million reports above, scan on every query). A durable sweep runs after it.
sweep() { # sweep LABEL GATEWAY-PORT ORGS CONCURRENCY
  local line
  line=$(dotnet bench/Alerts.Bench/bin/Release/net10.0/Alerts.Bench.dll --gateway-port "$2" --mode digest --orgs "$3" --concurrency "$4" \
    | tee -a /dev/stderr | grep '^DIGEST')
  printf 'Digest sweep (%s): %s organizations in %s s = %s organizations/s; %s digests decided = %s digests/s; failures %s\n' "$1" \
    "$(field organizations "$line")" "$(field seconds "$line")" "$(field orgs_per_s "$line")" "$(field digests "$line")" \
    "$(field digests_per_s "$line")" "$(field failures "$line")"
}
echo; echo "== Digest sweep: ${BENCH_DIGEST_ORGS:-10000} organizations (memory storage), ${BENCH_DIGEST_DURABLE_ORGS:-1000} (Azurite), one round each =="
MEMSILO=$((BASE + 12)); MEMGATEWAY=$((BASE + 31))
start memory-silo .data/logs/bench-memory-silo.log env Alerts__Storage__Provider=Memory Alerts__Silo__Clustering=Localhost \
  ASPNETCORE_URLS="http://127.0.0.1:$((BASE + 81))" Alerts__Silo__SiloPort=$MEMSILO Alerts__Silo__GatewayPort=$MEMGATEWAY \
  dotnet src/Silo/bin/Release/net10.0/Alerts.Silo.dll
wait_for_port 127.0.0.1 "$MEMGATEWAY" 60 "the memory silo"
sweep memory "$MEMGATEWAY" "${BENCH_DIGEST_ORGS:-10000}" 64
sweep Azurite "$GATEWAY" "${BENCH_DIGEST_DURABLE_ORGS:-1000}" 64
