# Shared by bench/run.sh and bench/ab.sh: wrk runs with the CPU each process spent per acknowledged event.
# Reads KEY (the operator key), API (the HTTP port), DURATION (seconds measured) and WARMUP (seconds before, 5); wrk scripts take ALERTS_ORG=bench.
# shellcheck shell=bash

TICKS=$(getconf CLK_TCK)

field() { sed -E "s/.*[ ^]$1=([^ ]+).*/\1/" <<<" $2"; }

# cpu_ticks PID: user + system CPU of a process so far, in clock ticks (fields 14 and 15 of /proc/PID/stat, counted
# after the command name, which may hold spaces).
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }

# measure EVENTS CONNECTIONS URL SCRIPT NAME:PID...: warms up for WARMUP s, measures for DURATION s, prints wrk's RESULT line
# followed by each process's CPU µs per acknowledged event (cpu_NAME=) and their total (cpu_total=).
measure() {
  local events=$1 connections=$2 url=$3 script=$4; shift 4
  local procs=("$@") before=() after=() line acknowledged i total=0 cpu=""
  EVENTS=$events ALERTS_ORG=bench ALERTS_KEY=$KEY wrk -t2 -c"$connections" -d"${WARMUP:-5}s" -s "$script" "$url" >/dev/null 2>&1
  for i in "${!procs[@]}"; do before[i]=$(cpu_ticks "${procs[i]#*:}"); done
  line=$(EVENTS=$events ALERTS_ORG=bench ALERTS_KEY=$KEY wrk -t2 -c"$connections" -d"${DURATION}s" --latency -s "$script" "$url" | grep '^RESULT')
  for i in "${!procs[@]}"; do after[i]=$(cpu_ticks "${procs[i]#*:}"); done
  acknowledged=$(( ($(field requests "$line") - $(field non2xx "$line")) * events ))
  for i in "${!procs[@]}"; do
    local us=$(( (after[i] - before[i]) * 1000000 / TICKS ))
    total=$((total + us))
    cpu+=" cpu_${procs[i]%%:*}=$(awk -v u="$us" -v n="$acknowledged" 'BEGIN { printf "%.1f", (n > 0 ? u / n : 0) }')"
  done
  echo "$line acknowledged=$acknowledged$cpu cpu_total=$(awk -v u="$total" -v n="$acknowledged" 'BEGIN { printf "%.1f", (n > 0 ? u / n : 0) }')"
}


# setup_org: the benchmark's organization (a limit no load reaches) and its 10 integrations.
setup_org() {
  local auth=(-H "Authorization: Bearer $KEY" -H "Content-Type: application/json")
  curl -fsS -o /dev/null -X PUT "http://127.0.0.1:$API/api/v1/orgs/bench" "${auth[@]}" -d '{"name":"Bench","environment":"production",
    "settings":{"integration_notifications":{"outgoing_integrations":{"failure_limit":2000000000,"failure_interval":"1h"}}}}'
  for i in $(seq 0 9); do
    curl -fsS -o /dev/null -X PUT "http://127.0.0.1:$API/api/v1/orgs/bench/integrations/int-$i" "${auth[@]}" -d '{"name":"int","type":"outbound_webhook"}'
  done
}
