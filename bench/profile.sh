#!/usr/bin/env bash
# Where a single-event request's CPU goes, on the stack exactly as ./run.sh starts it (Azurite on disk, one silo serving
# HTTP): drives 1 event per request × 64 connections with wrk and, meanwhile, records the silo's counters
# (dotnet-counters: runtime, ASP.NET Core, Alerts.Storage — journal commits and reports per commit) and a sampled trace
# (dotnet-trace, converted to speedscope and summed per frame by bench/speedscope-summary.py), CPU per thread group
# (/proc) and CPU samples with native frames (perf, with the runtime's perf map).
#   bench/profile.sh [SECONDS]   (15 by default); results in .data/profile/. Installs dotnet-trace and dotnet-counters
# (global .NET tools) when missing. Ports: BENCH_PORT_BASE (27000) and up.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/services.sh
SECONDS_TRACED=${1:-15}
BASE=${BENCH_PORT_BASE:-27000}
BLOB=$BASE; QUEUE=$((BASE + 1)); TABLE=$((BASE + 2)); SILO=$((BASE + 11)); GATEWAY=$((BASE + 30)); API=$((BASE + 80))
KEY=bench-operator-key-0123
OUT=.data/profile; rm -rf "$OUT"; mkdir -p "$OUT" .data/logs
WORK=$(mktemp -d); trap 'stop_all; rm -rf "$WORK"' EXIT
export PATH="$PATH:$HOME/.dotnet/tools"
command -v dotnet-trace >/dev/null || dotnet tool install -g dotnet-trace >/dev/null
command -v dotnet-counters >/dev/null || dotnet tool install -g dotnet-counters >/dev/null
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
install_tools
[ "${BENCH_NO_BUILD:-0}" = 1 ] || dotnet build Alerts.sln -c Release -nologo -v quiet -clp:ErrorsOnly
source bench/measure.sh

export Alerts__Storage__ConnectionString=$(azurite_connection_string "$BLOB")
export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
export Alerts__OperatorKey=$KEY Alerts__Silo__SiloPort=$SILO Alerts__Silo__GatewayPort=$GATEWAY Alerts__Email__SmtpPort=9
start_azurite "$WORK/azurite" "$BLOB" "$QUEUE" "$TABLE" .data/logs/profile-azurite.log
start silo .data/logs/profile-silo.log env ASPNETCORE_URLS="http://127.0.0.1:$API" dotnet src/Silo/bin/Release/net10.0/Alerts.Silo.dll
SILO_PID=${ALERTS_PIDS[-1]}
wait_for_url "http://127.0.0.1:$API/health/ready" 90 "the silo's API"
setup_org
cat bench/wrk/alerts-events.lua bench/wrk/report.lua > "$WORK/alerts.lua"

# 30 s of the same load first, as bench/run.sh does: for its first ~20 s the tiered JIT recompiles hot code on a
# thread of its own (half a core in a 5 s warm-up's profile), which a long-running silo never pays.
EVENTS=1 ALERTS_ORG=bench ALERTS_KEY=$KEY wrk -t2 -c64 -d"${PROFILE_WARMUP:-30}s" -s "$WORK/alerts.lua" "http://127.0.0.1:$API" >/dev/null
EVENTS=1 ALERTS_ORG=bench ALERTS_KEY=$KEY wrk -t2 -c64 -d"$((2 * SECONDS_TRACED + 10))s" --latency -s "$WORK/alerts.lua" "http://127.0.0.1:$API" \
  > "$OUT/wrk.txt" &
LOAD=$!
sleep 3
# CPU per thread group (by thread name) over a 10 s window: the finalizer, the thread pool, the socket engine, the GC.
threads() { for t in /proc/"$SILO_PID"/task/*; do echo "$(tr ' ' _ < "$t/comm") $(sed 's/.*) //' "$t/stat" | awk '{ print $12 + $13 }')"; done; }
threads > "$WORK/threads.before"; sleep 10; threads > "$WORK/threads.after"
awk -v ticks="$(getconf CLK_TCK)" 'NR == FNR { before[$1] += $2; next } { after[$1] += $2 }
  END { for (name in after) printf "%-24s %6.1f%% of a core\n", name, 100 * (after[name] - before[name]) / ticks / 10 }' \
  "$WORK/threads.before" "$WORK/threads.after" | sort -k2 -rn | tee "$OUT/threads.txt"
# CPU samples of every thread, native frames included (perf; .NET writes its JIT symbols to /tmp/perf-PID.map).
# perf may be refused by the machine (perf_event_paranoid, a container): the managed trace below still runs.
if perf record -F 999 -g -p "$SILO_PID" -o "$OUT/perf.data" -- sleep "$SECONDS_TRACED" 2>/dev/null >/dev/null; then
  { perf report -i "$OUT/perf.data" --no-children --sort dso,symbol --stdio 2>/dev/null | grep -v '^#' | grep '%' | head -60 || true; } > "$OUT/perf-self.txt"
  { perf report -i "$OUT/perf.data" --children --sort symbol --stdio -g none 2>/dev/null | grep -v '^#' | grep '%' | head -120 || true; } > "$OUT/perf-children.txt"
else
  echo "perf record failed here: no native profile this time" | tee "$OUT/perf-self.txt"
fi
dotnet-counters collect -p "$SILO_PID" --format csv -o "$OUT/counters.csv" --duration "00:00:$(printf %02d "$SECONDS_TRACED")" \
  --counters System.Runtime,Microsoft.AspNetCore.Hosting,Alerts.Storage >/dev/null
dotnet-trace collect -p "$SILO_PID" --profile dotnet-sampled-thread-time --format Speedscope -o "$OUT/silo.nettrace" \
  --duration "00:00:00:$(printf %02d "$SECONDS_TRACED")" >/dev/null
wait $LOAD
grep '^RESULT' "$OUT/wrk.txt"
python3 bench/speedscope-summary.py "$OUT/silo.speedscope.json" | tee "$OUT/summary.txt"
python3 - "$OUT/counters.csv" <<'PY'
import csv, sys, collections
rates = collections.defaultdict(list)
for row in csv.reader(open(sys.argv[1])):
    if len(row) < 5 or row[0] == "Timestamp": continue
    try: rates[(row[1], row[2])].append(float(row[4]))
    except ValueError: pass
for (provider, name), values in sorted(rates.items()):
    if any(k in name for k in ("journal", "commit", "report", "cpu", "gc-", "threadpool", "request", "gc.", "thread_pool", "lock")):
        print(f"{provider:28} {name:70} mean {sum(values) / len(values):12.1f}")
PY
