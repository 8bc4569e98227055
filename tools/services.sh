# Shared by run.sh and test.sh: install the pinned dev services and start/stop processes by PID.
# shellcheck shell=bash

ALERTS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ALERTS_TOOLS="$ALERTS_ROOT/tools"
ALERTS_PIDS=()
ALERTS_NAMES=()

# npm ci when node_modules is missing or older than the lock file.
install_tools() {
  if [ ! -x "$ALERTS_TOOLS/node_modules/.bin/azurite" ] || [ ! -x "$ALERTS_TOOLS/node_modules/.bin/maildev" ] \
     || [ "$ALERTS_TOOLS/package-lock.json" -nt "$ALERTS_TOOLS/node_modules/.package-lock.json" ]; then
    echo "Installing dev services (npm ci in tools/)..."
    (cd "$ALERTS_TOOLS" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# Debian's Chromium for the browser tests (Playwright drives it; no browser is ever downloaded).
install_chromium() {
  if [ -x /usr/lib/chromium/chromium ] || [ -x /usr/bin/chromium ]; then return 0; fi
  echo "Installing Chromium (apt-get install -y chromium)..."
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get install -y chromium > /dev/null || { $sudo apt-get update > /dev/null && $sudo apt-get install -y chromium > /dev/null; }
}

# Debian's Prometheus (with promtool) for the metrics tests: a real scraper reading /metrics.
install_prometheus() {
  if [ -x /usr/bin/prometheus ] && [ -x /usr/bin/promtool ]; then return 0; fi
  echo "Installing Prometheus (apt-get install -y prometheus)..."
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get install -y --no-install-recommends prometheus > /dev/null || { $sudo apt-get update > /dev/null && $sudo apt-get install -y --no-install-recommends prometheus > /dev/null; }
}

# wait_for_port HOST PORT SECONDS NAME
wait_for_port() {
  local host=$1 port=$2 seconds=$3 name=$4 i
  for ((i = 0; i < seconds * 10; i++)); do
    if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "error: $name did not open $host:$port within ${seconds}s" >&2
  return 1
}

# wait_for_url URL SECONDS NAME
wait_for_url() {
  local url=$1 seconds=$2 name=$3 i
  for ((i = 0; i < seconds * 2; i++)); do
    if curl -fsS -o /dev/null "$url" 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  echo "error: $name did not answer $url within ${seconds}s" >&2
  return 1
}

# start NAME LOGFILE COMMAND... : runs in the background, in a session of its own (so a Ctrl-C in the terminal reaches
# only the script, which then stops every process gracefully, by PID), and remembers the PID.
start() {
  local name=$1 log=$2
  shift 2
  setsid "$@" >"$log" 2>&1 < /dev/null &
  ALERTS_PIDS+=($!)
  ALERTS_NAMES+=("$name")
  echo "  started $name (pid $!, log $log)"
}

# How long a silo may take to stop: its own bound (it lets a delivery pass finish the message in flight and record
# it, 2 x the SMTP timeout + 10 s, Orleans stops within 30 s more, and 5 s after that the silo ends itself), plus a
# little. Storage and the relay are still up meanwhile: they are stopped after it.
silo_stop_seconds() {
  local smtp_timeout=${Alerts__Email__TimeoutSeconds:-30}
  echo $((2 * smtp_timeout + 50))
}

# stop_one PID NAME SECONDS: SIGTERM, then up to SECONDS for it to exit, then SIGKILL.
stop_one() {
  local pid=$1 name=$2 seconds=$3 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < seconds * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  echo "  $name (pid $pid) did not stop within ${seconds}s; killing it" >&2
  kill -KILL "$pid" 2>/dev/null || true
}

# Stops everything started, in the reverse order of start, each process gone before the next is asked: a standalone gateway,
# then the silos (which still reach storage and the relay to record what they sent), then maildev, then Azurite.
stop_all() {
  local i seconds
  for ((i = ${#ALERTS_PIDS[@]} - 1; i >= 0; i--)); do
    case "${ALERTS_NAMES[i]}" in
      silo*) seconds=$(silo_stop_seconds) ;;
      *) seconds=15 ;;
    esac
    stop_one "${ALERTS_PIDS[i]}" "${ALERTS_NAMES[i]}" "$seconds"
  done
  ALERTS_PIDS=()
  ALERTS_NAMES=()
}

# azurite_connection_string BLOB_PORT: Azurite's well-known development account on 127.0.0.1, queue and table on the
# next two ports (as every script here starts it).
azurite_connection_string() {
  local blob=$1
  echo "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$((blob + 1))/devstoreaccount1;TableEndpoint=http://127.0.0.1:$((blob + 2))/devstoreaccount1;"
}

# start_azurite LOCATION|memory BLOB_PORT QUEUE_PORT TABLE_PORT LOG
start_azurite() {
  local location=$1 blob=$2 queue=$3 table=$4 log=$5 storage
  if [ "$location" = memory ]; then storage=(--inMemoryPersistence); else mkdir -p "$location"; storage=(--location "$location"); fi
  start azurite "$log" "$ALERTS_TOOLS/node_modules/.bin/azurite" --silent --skipApiVersionCheck --disableTelemetry --loose \
    --blobHost 127.0.0.1 --blobPort "$blob" --queueHost 127.0.0.1 --queuePort "$queue" \
    --tableHost 127.0.0.1 --tablePort "$table" "${storage[@]}"
  wait_for_port 127.0.0.1 "$table" 30 azurite
  wait_for_port 127.0.0.1 "$blob" 30 azurite
}

# start_maildev SMTP_PORT WEB_PORT LOG
start_maildev() {
  start maildev "$3" "$ALERTS_TOOLS/node_modules/.bin/maildev" --ip 127.0.0.1 --web-ip 127.0.0.1 --smtp "$1" --web "$2"
  wait_for_port 127.0.0.1 "$1" 30 maildev
  wait_for_port 127.0.0.1 "$2" 30 maildev
}
