// Fills an organization "demo" with a month of realistic traffic over all five integration types, so the dashboard
// has something to show on first start: ./run.sh --demo (or: node tools/seed-demo.mjs http://127.0.0.1:5080 <operator key>).
// Idempotent: event ids are fixed, so running it again adds nothing.
const [api = "http://127.0.0.1:5080", key = "dev-operator-key"] = process.argv.slice(2);
const org = `${api}/api/v1/orgs/demo`;
const headers = { Authorization: `Bearer ${key}`, "Content-Type": "application/json" };

async function call(method, url, body) {
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

const integrations = [
  { id: "shop-orders", name: "Shop orders webhook", type: "inbound_webhook", volume: 220, failRate: 0.03, codes: [400, 401, 413, 429] },
  { id: "crm-push", name: "CRM push", type: "outbound_webhook", volume: 160, failRate: 0.06, codes: [500, 502, 503, 504, 521] },
  { id: "erp-sync", name: "ERP sync (pre-built)", type: "prebuilt", volume: 90, failRate: 0.05, codes: [401, 404, 409, 429, 523] },
  { id: "pricing-node", name: "Pricing custom node", type: "custom_node", volume: 70, failRate: 0.04, codes: [500, 804, 852] },
  { id: "loyalty-events", name: "Loyalty custom events", type: "custom_event", volume: 120, failRate: 0.02, codes: [816, 844, 882, 883, 884] },
];
const messages = {
  400: "field 'email' is required", 401: "token expired", 404: "record 8812 not found", 409: "customer already exists",
  413: "payload of 6 MB over the 4 MB limit", 429: "rate limit reached, retry later", 500: "upstream threw NullReferenceException",
  502: "bad gateway from provider edge", 503: "provider in maintenance", 504: "provider did not answer in 30 s",
  521: "origin web server refused the connection", 523: "origin unreachable", 804: "action failed while updating the price list",
  816: "user profile 'u-4411' not found", 844: "user has not verified their e-mail", 852: "parameter {{order.total}} could not be resolved",
  882: "more than 50 transactions per second", 883: "monthly transaction quota used", 884: "contact policy is not enabled for this tenant",
};

// A deterministic pseudo-random sequence, so the demo looks the same on every machine.
let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);

await call("PUT", org, {
  name: "Demo Retail", environment: "staging", production: false, primary_contact: "owner@demo.example", account_id: 1001,
  settings: { integration_notifications: {
    outgoing_integrations: { failure_limit: 25, failure_interval: "1h" },
    incoming_webhooks: { failure_limit: 40, failure_interval: "1h" },
  } },
});
for (const i of integrations) await call("PUT", `${org}/integrations/${i.id}`, { name: i.name, type: i.type });
await call("PUT", `${org}/connections/erp-db`, { name: "ERP database", integration_ids: ["erp-sync"] });
await call("PUT", `${org}/users/ops`, { email: "ops@demo.example", name: "Ops on call", role: "admin",
  notification_events: ["outgoing_integration__error", "incoming_webhook__error", "run_failed"],
  subscriptions: { integrations: ["crm-push", "erp-sync"], connections: ["erp-db"], flows: [] } });
await call("PUT", `${org}/users/viewer`, { email: "viewer@demo.example", name: "Read-only viewer", role: "monitor", notification_events: [] });

const now = Date.now();
const day = 86_400_000;
let batch = [];
let total = 0;
async function flush() {
  if (batch.length === 0) return;
  await call("POST", `${org}/events`, { events: batch });
  total += batch.length;
  batch = [];
}
for (let d = 34; d >= 0; d--) {
  const weekday = new Date(now - d * day).getUTCDay();
  const busy = weekday === 0 || weekday === 6 ? 0.5 : 1;
  for (const i of integrations) {
    // A bad week for the CRM's provider ten days ago; a quieter last few days for the shop.
    const incident = i.id === "crm-push" && d >= 9 && d <= 12 ? 5 : 1;
    const attempts = Math.round(i.volume * busy * (0.8 + random() * 0.4));
    for (let n = 0; n < attempts; n++) {
      const at = new Date(now - d * day - Math.floor(random() * (d === 0 ? (now % day) : day)));
      const failed = random() < i.failRate * incident;
      const code = i.codes[Math.floor(random() * i.codes.length)];
      batch.push(failed
        ? { event_id: `demo-${i.id}-${d}-${n}`, integration_id: i.id, outcome: "error", occurred_at: at.toISOString(), status_code: code,
            message: messages[code], flow: ["orders", "customers", "prices"][n % 3], service: i.type === "inbound_webhook" ? "storefront" : "integrations",
            trace_key: `t-${code}-${n % 7}` }
        : { event_id: `demo-${i.id}-${d}-${n}`, integration_id: i.id, outcome: "success", occurred_at: at.toISOString() });
      if (batch.length === 1000) await flush();
    }
  }
}
await flush();
console.log(`Seeded organization "demo" with ${total} reports over 35 days. Open the admin UI and log in with the operator key and organization "demo".`);
