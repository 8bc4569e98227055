#!/usr/bin/env bash
# Issue 17's fairness scenario on the stack exactly as ./run.sh starts it, at the default relay limit (30 a minute):
# organization A's threshold alert to BENCH_A_USERS (200) subscribed users, then 3 s later organization B's alert to
# one user. Prints how long B's e-mail took from its decision and how many of A's had gone by then; with
# BENCH_DRAIN=1 it also waits for A's alert to drain (about 7 minutes) and checks that each of A's recipients got one.
# Ports: BENCH_PORT_BASE (26000) and up; data in a temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
BASE=${BENCH_PORT_BASE:-26000}
USERS=${BENCH_A_USERS:-200}
DATA=$(mktemp -d)
API=http://127.0.0.1:$BASE/api/v1
INBOX=http://127.0.0.1:$((BASE + 2))
KEY=fairness-operator-key-0123
export ALERTS_DATA=$DATA ALERTS_API_PORT=$BASE ALERTS_SMTP_PORT=$((BASE + 1)) ALERTS_INBOX_PORT=$((BASE + 2)) ALERTS_STORAGE_PORT=$((BASE + 10))
export Alerts__Silo__SiloPort=$((BASE + 20)) Alerts__Silo__GatewayPort=$((BASE + 21)) Alerts__OperatorKey=$KEY
./run.sh > "$DATA/run.out" 2>&1 &
RUN=$!
trap 'kill -TERM $RUN 2>/dev/null; wait $RUN 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 600); do curl -fsS -o /dev/null "http://127.0.0.1:$BASE/health/ready" 2>/dev/null && break; sleep 0.5; done
curl -fsS -o /dev/null "http://127.0.0.1:$BASE/health/ready" || { cat "$DATA/run.out"; exit 1; }

call() { curl -fsS -o /dev/null -X "$1" "$API$2" -H "Authorization: Bearer $KEY" -H "Content-Type: application/json" -d "$3"; }
count() { curl -fsS "$INBOX/api/email" | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const m=JSON.parse(s);console.log(m.filter(e=>e.to.some(t=>t.address.endsWith('@$1'))).length)})"; }
now_ms() { date +%s%3N; }
for org in a b; do
  call PUT "/orgs/$org" '{"name":"Tenant '"$org"'","environment":"production","account_id":1,"settings":{"integration_notifications":{"outgoing_integrations":{"failure_limit":1,"failure_interval":"1h"}}}}'
  call PUT "/orgs/$org/integrations/crm" '{"name":"CRM","type":"outbound_webhook"}'
done
echo "Adding $USERS users to organization a..."
seq 1 "$USERS" | xargs -P 8 -I{} curl -fsS -o /dev/null -X PUT "$API/orgs/a/users/u{}" -H "Authorization: Bearer $KEY" \
  -H "Content-Type: application/json" -d '{"email":"u{}@a.example","name":"u","role":"monitor","notification_events":["outgoing_integration__error"]}'
call PUT /orgs/b/users/oncall '{"email":"oncall@b.example","name":"On call","role":"monitor","notification_events":["outgoing_integration__error"]}'

call POST /orgs/a/events '{"events":[{"event_id":"a-1","integration_id":"crm","outcome":"error"}]}'
A_AT=$(now_ms)
sleep 3
call POST /orgs/b/events '{"events":[{"event_id":"b-1","integration_id":"crm","outcome":"error"}]}'
B_AT=$(now_ms)
while [ "$(count b.example)" -lt 1 ]; do sleep 0.2; done
B_DONE=$(now_ms)
A_BY_THEN=$(count a.example)
echo "RESULT b_wait_ms=$((B_DONE - B_AT)) a_sent_by_then=$A_BY_THEN a_started_ms_before_b=$((B_AT - A_AT))"
if [ "${BENCH_DRAIN:-0}" = 1 ]; then
  while [ "$(count a.example)" -lt "$USERS" ]; do sleep 2; done
  sleep 10
  distinct=$(curl -fsS "$INBOX/api/email" | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const m=JSON.parse(s).filter(e=>e.to.some(t=>t.address.endsWith('@a.example')));console.log(m.length+' '+new Set(m.flatMap(e=>e.to.map(t=>t.address))).size)})")
  echo "RESULT a_messages_and_distinct_recipients=$distinct drained_in_s=$((($(now_ms) - A_AT) / 1000))"
fi
