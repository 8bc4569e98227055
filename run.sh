#!/usr/bin/env bash
# Builds Alerts and runs the whole local stack: Azurite, a maildev inbox and one silo, which serves the HTTP API.
# ./run.sh --demo also fills an organization "demo" with a month of traffic for the dashboard; --no-build starts what
# is built already (ALERTS_CONFIGURATION: Release, or Debug as ./test.sh builds it); --silos N starts N silos that
# join one cluster through the membership table, each serving the HTTP API on its own port (5080, 5081, ...).
# Alerts__* environment variables set by the caller reach the silo. Ctrl-C (or SIGTERM) stops
# everything in the reverse order of start: the silo (once it has recorded what it sent), maildev, Azurite.
set -euo pipefail
cd "$(dirname "$0")"
DEMO=false
BUILD=true
SILOS=1
usage() { echo "usage: ./run.sh [--demo] [--no-build] [--silos N]   (--demo fills an organization 'demo' with a month of traffic; N: 1 to 9 silos)" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --demo) DEMO=true ;;
    --no-build) BUILD=false ;;
    --silos) [ $# -ge 2 ] || usage; SILOS=$2; shift ;;
    --silos=*) SILOS=${1#--silos=} ;;
    *) usage ;;
  esac
  shift
done
[[ "$SILOS" =~ ^[1-9]$ ]] || usage
source tools/services.sh

API_PORT=${ALERTS_API_PORT:-5080}
SMTP_PORT=${ALERTS_SMTP_PORT:-1025}
INBOX_PORT=${ALERTS_INBOX_PORT:-1080}
DATA=${ALERTS_DATA:-.data}
STORAGE_PORT=${ALERTS_STORAGE_PORT:-10000}   # Azurite's blob port; queue and table are the next two
SILO_PORT=${ALERTS_SILO_PORT:-11111}         # silo i (from 0) uses SILO_PORT+i, GATEWAY_PORT+i and API_PORT+i
GATEWAY_PORT=${ALERTS_GATEWAY_PORT:-30000}
CONFIGURATION=${ALERTS_CONFIGURATION:-Release}
export Alerts__Storage__ConnectionString=${Alerts__Storage__ConnectionString:-$(azurite_connection_string "$STORAGE_PORT")}
# The development key is printed; a key the caller set is not (it may be a real one, and terminals are logged).
if [ -n "${Alerts__OperatorKey:-}" ]; then KEY_SHOWN="(the one you set in Alerts__OperatorKey; not printed)"
else export Alerts__OperatorKey=dev-operator-key; KEY_SHOWN=$Alerts__OperatorKey; fi
export Alerts__Email__SmtpHost=${Alerts__Email__SmtpHost:-127.0.0.1}
export Alerts__Email__SmtpPort=${Alerts__Email__SmtpPort:-$SMTP_PORT}
export Alerts__Digest__PublicApiUrl=${Alerts__Digest__PublicApiUrl:-http://127.0.0.1:$API_PORT}
# Development: webhooks may go to receivers on this machine (never to private or metadata addresses).
export Alerts__Delivery__AllowLoopback=${Alerts__Delivery__AllowLoopback:-true}
export Alerts__Delivery__AdminUiUrl=${Alerts__Delivery__AdminUiUrl:-http://127.0.0.1:$API_PORT/ui}
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

# While stopping, further signals are ignored: the silo is given its bound to record what it sent (see stop_all).
trap 'trap "" INT TERM; echo; echo "Stopping..."; stop_all; echo "Stopped."' EXIT
# Ctrl-C (or a TERM) is the normal way to stop: everything is stopped by the EXIT trap, and the script exits 0.
trap 'exit 0' INT TERM

install_tools
if [ "$BUILD" = true ]; then
  echo "Building..."
  dotnet build Alerts.sln -c "$CONFIGURATION" -nologo -v quiet -clp:ErrorsOnly
fi

mkdir -p "$DATA/logs"
echo "Starting services..."
start_azurite "$DATA/azurite" "$STORAGE_PORT" $((STORAGE_PORT + 1)) $((STORAGE_PORT + 2)) "$DATA/logs/azurite.log"
start_maildev "$SMTP_PORT" "$INBOX_PORT" "$DATA/logs/maildev.log"
# Each silo serves the HTTP API itself; with --silos N they find each other in the membership table.
API_URLS=()
for ((i = 0; i < SILOS; i++)); do
  name=silo; [ "$i" -gt 0 ] && name="silo-$((i + 1))"
  start "$name" "$DATA/logs/$name.log" env ASPNETCORE_URLS="http://127.0.0.1:$((API_PORT + i))" \
    Alerts__Silo__SiloPort=$((SILO_PORT + i)) Alerts__Silo__GatewayPort=$((GATEWAY_PORT + i)) \
    dotnet "src/Silo/bin/$CONFIGURATION/net10.0/Alerts.Silo.dll"
  API_URLS+=("http://127.0.0.1:$((API_PORT + i))")
done
for url in "${API_URLS[@]}"; do wait_for_url "$url/health/ready" 90 "the silo's API at $url"; done
if [ "$DEMO" = true ]; then
  echo "Seeding the demo organization..."
  node tools/seed-demo.mjs "http://127.0.0.1:$API_PORT" "$Alerts__OperatorKey"
fi

cat <<INFO

Alerts is running.
  Admin UI       http://127.0.0.1:$API_PORT/ui/
  API            http://127.0.0.1:$API_PORT/api/v1   (reference: http://127.0.0.1:$API_PORT/reference)
  Health         http://127.0.0.1:$API_PORT/health/ready
  Metrics        http://127.0.0.1:$API_PORT/metrics
  Inbox          http://127.0.0.1:$INBOX_PORT   (SMTP on 127.0.0.1:$SMTP_PORT)
  Silos          $SILOS, HTTP on ${API_URLS[*]}
  Operator key   $KEY_SHOWN
  Logs           $DATA/logs/
Press Ctrl-C to stop.
INFO

# Exit (and stop everything) when Azurite, maildev or the last silo ends. While other silos run, a silo that ends (a
# crash, or one killed to watch the cluster fail over) is reported and the others carry on.
watching=("${ALERTS_PIDS[@]}")
silos_left=$SILOS
while true; do
  ended=""
  wait -n -p ended "${watching[@]}" || true
  [ -n "$ended" ] || continue
  for ((i = 0; i < ${#ALERTS_PIDS[@]}; i++)); do [ "${ALERTS_PIDS[i]}" = "$ended" ] && name=${ALERTS_NAMES[i]}; done
  remaining=(); for pid in "${watching[@]}"; do [ "$pid" != "$ended" ] && remaining+=("$pid"); done; watching=("${remaining[@]}")
  if [[ "$name" == silo* ]] && ((--silos_left > 0)); then
    echo "$name (pid $ended) ended; $silos_left silo(s) carry on. See $DATA/logs/$name.log." >&2
    continue
  fi
  echo "$name ended unexpectedly; see $DATA/logs/." >&2
  exit 1
done
