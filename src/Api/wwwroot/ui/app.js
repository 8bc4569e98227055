// The Alerts admin UI: one page, hash routes, the HTTP API with the key kept in this browser session only.
// Everything shown from the API goes through textContent (never innerHTML), so names and messages cannot inject markup.
"use strict";

const TYPES = ["inbound_webhook", "outbound_webhook", "prebuilt", "custom_node", "custom_event"];
const TYPE_NAMES = {
  inbound_webhook: "Inbound webhooks", outbound_webhook: "Outbound webhooks", prebuilt: "Pre-built integrations",
  custom_node: "Custom nodes", custom_event: "Custom events",
};
const COLORS = ["#2563eb", "#e53935", "#f59e0b", "#10b981", "#8b5cf6"];
const INTERVALS = ["5m", "15m", "30m", "1h", "3h", "6h", "12h", "24h", "7d"];

const session = {
  get key() { return sessionStorage.getItem("alerts.key"); },
  get org() { return sessionStorage.getItem("alerts.org"); },
  get user() { return sessionStorage.getItem("alerts.user"); },
  set(key, org, user) {
    sessionStorage.setItem("alerts.key", key);
    sessionStorage.setItem("alerts.org", org);
    if (user) sessionStorage.setItem("alerts.user", user); else sessionStorage.removeItem("alerts.user");
  },
  clear() { sessionStorage.clear(); },
};

// window.alerts exposes the charts so tests (and curious operators) can read what is drawn.
window.alerts = { charts: {} };

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "text") node.textContent = value;
    // Through the CSSOM, not a style attribute: the page's Content-Security-Policy allows no inline style.
    else if (name === "style") node.style.cssText = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

async function api(path, options = {}) {
  const response = await fetch(`/api/v1${path}`, {
    ...options,
    headers: { Authorization: `Bearer ${session.key}`, ...(options.body ? { "Content-Type": "application/json" } : {}) },
  });
  const text = await response.text();
  const body = text ? JSON.parse(text) : null;
  if (response.status === 401) { logout(); throw new Error("The key was not accepted."); }
  if (!response.ok) throw new Error(body?.detail || body?.title || `HTTP ${response.status}`);
  return body;
}

const orgPath = () => `/orgs/${encodeURIComponent(session.org)}`;
// Lists come a page at a time (100 by id); "Next page" follows the page's cursor.
const paged = (path, cursor) => cursor ? `${path}?cursor=${encodeURIComponent(cursor)}` : path;
const pager = (next, show) => next ? el("p", {}, el("button", { class: "next-page", onclick: () => show(next), text: "Next page" })) : null;
const when = (value) => value ? new Date(value).toISOString().replace("T", " ").slice(0, 19) + " UTC" : "—";
const main = () => document.getElementById("main");
// A datetime-local input's value (local time, to the minute) for a moment given in milliseconds.
const localInput = (ms) => { const d = new Date(ms); d.setMinutes(d.getMinutes() - d.getTimezoneOffset()); return d.toISOString().slice(0, 16); };

function page(title, ...content) {
  main().replaceChildren(el("h1", { text: title }), ...content);
}

function failure(error) {
  main().append(el("p", { class: "error", role: "alert", text: error.message }));
}

// ---- login -----------------------------------------------------------------------------------------------------

function showLogin(message) {
  document.getElementById("nav").hidden = true;
  document.getElementById("logout").hidden = true;
  document.getElementById("who").textContent = "";
  const key = el("input", { id: "login-key", type: "password", size: 48, autocomplete: "off", required: true });
  const org = el("input", { id: "login-org", size: 30, placeholder: "only with the operator key", value: sessionStorage.getItem("alerts.linkedOrg") || "" });
  const user = el("input", { id: "login-user", size: 30, placeholder: "for your in-app notifications" });
  const status = el("p", { class: "error", role: "alert", text: message || "" });
  const form = el("form", {
    onsubmit: async (event) => {
      event.preventDefault();
      session.set(key.value.trim(), "", user.value.trim());
      try {
        const me = await api("/whoami");
        const orgId = me.org_id || org.value.trim();
        if (!orgId) throw new Error("The operator key works for every organization: name one.");
        session.set(key.value.trim(), orgId, user.value.trim());
        if (!location.hash || location.hash === "#/") location.hash = "#/dashboard";
        route();
      } catch (error) {
        session.clear();
        status.textContent = error.message;
      }
    },
  },
    el("label", { for: "login-key", text: "Key (operator or organization key)" }), key,
    el("label", { for: "login-org", text: "Organization" }), org,
    el("label", { for: "login-user", text: "Your user id (optional)" }), user,
    el("p", {}, el("button", { class: "primary", type: "submit", id: "login-submit", text: "Log in" })),
    status,
    el("p", { class: "muted", text: "The key is kept in this browser tab's session only." }));
  page("Log in", el("section", { class: "card" }, form));
  document.body.dataset.ready = "login";
}

function logout() {
  session.clear();
  location.hash = "";
  showLogin();
}

// ---- dashboard -------------------------------------------------------------------------------------------------

function chart(id, config) {
  window.alerts.charts[id]?.destroy();
  const created = new Chart(document.getElementById(id), config);
  window.alerts.charts[id] = created;
  return created;
}

async function dashboard(period = sessionStorage.getItem("alerts.period") || "30d") {
  sessionStorage.setItem("alerts.period", period);
  const select = el("select", { id: "period", onchange: (e) => dashboard(e.target.value) },
    ...["1d", "7d", "30d"].map((p) => el("option", { value: p, selected: p === period, text: p })));
  const trendType = el("select", { id: "trend-type", onchange: () => trends(trendType.value) },
    el("option", { value: "", text: "All types" }), ...TYPES.map((t) => el("option", { value: t, text: TYPE_NAMES[t] })));
  page("Dashboard",
    el("p", {}, el("label", { for: "period", text: "Period" }), select),
    el("section", { class: "card" }, el("h2", { text: "Change against the previous period" }), el("div", { class: "cards", id: "change" })),
    el("div", { class: "grid" },
      el("section", { class: "card" }, el("h2", { text: "Failures by type" }),
        el("canvas", { id: "donut", height: 220 }), el("ul", { class: "legend", id: "donut-legend" })),
      el("section", { class: "card" }, el("h2", { text: "Errors by code" }), el("canvas", { id: "codes", height: 220 }))),
    el("section", { class: "card" }, el("h2", { text: "Trends, last 30 days" }), trendType, el("div", { class: "chart-wide" }, el("canvas", { id: "trends" }))),
    el("section", { class: "card" }, el("h2", { text: "Latest failures" }), el("div", { id: "latest" })));
  try {
    const [overview, change, codes] = await Promise.all([
      api(`${orgPath()}/dashboard/overview?period=${period}`),
      api(`${orgPath()}/dashboard/change?period=${period}`),
      api(`${orgPath()}/dashboard/errors-by-code?period=${period}`),
    ]);
    donut(overview);
    changeCards(change);
    chart("codes", {
      type: "bar",
      data: { labels: codes.codes.map((c) => c.code ? `${c.code} ${c.name}` : c.name), datasets: [{ label: "Failures", data: codes.codes.map((c) => c.failures), backgroundColor: "#2563eb" }] },
      options: { indexAxis: "y", plugins: { legend: { display: false } }, animation: false },
    });
    await trends("");
    const failures = await api(`${orgPath()}/dashboard/failures?period=${period}&limit=10`);
    document.getElementById("latest").replaceChildren(failureTable(failures.items));
  } catch (error) { failure(error); }
}

function donut(overview) {
  const created = chart("donut", {
    type: "doughnut",
    data: {
      labels: overview.types.map((t) => TYPE_NAMES[t.type]),
      datasets: [{ data: overview.types.map((t) => t.failures), backgroundColor: COLORS }],
    },
    options: { plugins: { legend: { display: false } }, animation: false },
  });
  // An HTML legend: clicking a type hides or shows its slice.
  document.getElementById("donut-legend").replaceChildren(...overview.types.map((t, i) => {
    const item = el("li", { "data-type": t.type, role: "button", tabindex: 0 },
      el("span", { class: "swatch", style: `background:${COLORS[i]}` }), `${TYPE_NAMES[t.type]}: `, el("b", { class: "count", text: t.failures }));
    item.addEventListener("click", () => {
      created.toggleDataVisibility(i);
      created.update();
      item.classList.toggle("hidden", !created.getDataVisibility(i));
    });
    return item;
  }));
}

function changeCards(change) {
  document.getElementById("change").replaceChildren(...change.types.map((t) => {
    const pct = t.failed_change_pct;
    const trend = t.failed_is_new ? el("span", { class: "new", text: "new" })
      : pct === null ? el("span", { class: "muted", text: "no data before" })
      : el("span", { class: pct > 0 ? "up" : pct < 0 ? "down" : "muted", text: `${pct > 0 ? "▲" : pct < 0 ? "▼" : "="} ${Math.abs(pct)}%` });
    return el("div", { class: "change", "data-type": t.type },
      el("div", { class: "muted", text: TYPE_NAMES[t.type] }),
      el("div", { class: "value" }, el("span", { class: "failed", text: t.failed }), " failed"),
      el("div", {}, trend),
      el("div", { class: "muted" }, el("span", { class: "succeeded", text: t.succeeded }), " succeeded"));
  }));
}

async function trends(type) {
  const data = await api(`${orgPath()}/dashboard/trends${type ? `?type=${type}` : ""}`);
  chart("trends", {
    type: "line",
    data: {
      labels: data.days,
      datasets: data.series.map((s) => ({ label: TYPE_NAMES[s.type], data: s.failures, borderColor: COLORS[TYPES.indexOf(s.type)], tension: 0.2 })),
    },
    options: { animation: false, maintainAspectRatio: false },
  });
}

// ---- failures --------------------------------------------------------------------------------------------------

function failureTable(items) {
  if (items.length === 0) return el("p", { class: "muted", text: "No failures in this period." });
  return el("table", { id: "failures-table" },
    el("thead", {}, el("tr", {}, ...["Type", "Integration", "Failure", "Service", "Flow", "Total", "Last seen"].map((h) => el("th", { text: h })))),
    el("tbody", {}, ...items.map((f) => el("tr", { class: "clickable", "data-id": f.id, onclick: () => { location.hash = `#/failures/${encodeURIComponent(f.id)}`; } },
      el("td", { text: TYPE_NAMES[f.type] }), el("td", { text: f.integration_name }), el("td", { text: f.description }),
      el("td", { text: f.service || "—" }), el("td", { text: f.flow || "—" }), el("td", { text: f.total }), el("td", { text: when(f.last_seen) })))));
}

async function failures() {
  const sort = el("select", { id: "sort", onchange: () => load(0) },
    ...[["last_seen", "Last seen"], ["total", "Total"], ["integration", "Integration"], ["type", "Type"]].map(([v, t]) => el("option", { value: v, text: t })));
  const holder = el("div");
  page("Failures", el("p", {}, el("label", { for: "sort", text: "Sort by" }), sort), el("section", { class: "card" }, holder));
  async function load(offset) {
    try {
      const result = await api(`${orgPath()}/dashboard/failures?period=30d&sort=${sort.value}&limit=25&offset=${offset}`);
      holder.replaceChildren(failureTable(result.items),
        el("p", { class: "muted" }, `${result.total} failures `,
          offset > 0 ? el("button", { onclick: () => load(Math.max(0, offset - 25)), text: "Previous" }) : null,
          result.next_offset !== null ? el("button", { onclick: () => load(result.next_offset), text: "Next" }) : null));
    } catch (error) { failure(error); }
  }
  await load(0);
}

async function failureDetail(id) {
  try {
    const detail = await api(`${orgPath()}/dashboard/failures/${encodeURIComponent(id)}`);
    const f = detail.failure;
    page(`Failure ${f.id}`,
      el("section", { class: "card", id: "failure-detail" },
        el("p", {}, el("b", { text: f.description })),
        el("table", {}, ...[["Type", TYPE_NAMES[f.type]], ["Integration", `${f.integration_name} (${f.integration_id})`], ["Service", f.service || "—"],
          ["Flow", f.flow || "—"], ["Code", f.status_code ? `${f.status_code} ${detail.code_name || ""}` : "—"], ["Status", f.status, "failure-status"],
          ["Total", f.total], ["Last seen", when(f.last_seen)]].map(([k, v, id]) => el("tr", {}, el("th", { text: k }), el("td", { id, text: v })))),
        f.status === "resolved" ? null : el("p", {},
          el("button", { class: "primary", id: "resolve", onclick: async () => {
            const status = document.getElementById("resolve-status");
            if (!session.user) { status.className = "error"; status.textContent = "Log in with your user id (an admin) to resolve errors."; return; }
            try {
              await api(`${orgPath()}/errors/${encodeURIComponent(f.id)}/resolve`, { method: "POST", body: JSON.stringify({ resolved_by: session.user }) });
              await failureDetail(id);
            } catch (error) { status.className = "error"; status.textContent = error.message; }
          }, text: "Resolve" }),
          el("span", { id: "resolve-status", role: "status" })),
        el("h2", { text: "What to do" }),
        el("p", { id: "guidance", text: detail.guidance || "The error catalog has no guidance for this code and type." }),
        el("h2", { text: "Recent occurrences" }),
        detail.recent_occurrences.length === 0 ? el("p", { class: "muted", text: "None kept." }) :
          el("table", {}, ...detail.recent_occurrences.map((o) => el("tr", {}, el("td", { text: when(o.occurred_at) }), el("td", { text: o.message || "" }), el("td", { text: o.trace_key || "" }))))),
      el("p", {}, el("a", { href: "#/failures", text: "← All failures" })));
  } catch (error) { page("Failure"); failure(error); }
}

// ---- thresholds --------------------------------------------------------------------------------------------------

async function thresholds() {
  try {
    const org = await api(orgPath());
    const blocks = [["outgoing_integrations", "Outgoing integrations"], ["incoming_webhooks", "Incoming webhooks"]];
    const inputs = {};
    const status = el("p", { id: "threshold-status", role: "status" });
    const form = el("form", {
      onsubmit: async (event) => {
        event.preventDefault();
        const settings = { integration_notifications: {} };
        for (const [name] of blocks) {
          const limit = inputs[name].limit.value;
          settings.integration_notifications[name] = {
            failure_limit: limit === "" ? null : Number(limit),
            failure_interval: inputs[name].interval.value || null,
          };
        }
        try {
          await api(orgPath(), { method: "PUT", body: JSON.stringify({ name: org.name, environment: org.environment, production: org.production, primary_contact: org.primary_contact, account_id: org.account_id, settings }) });
          status.className = "ok";
          status.textContent = "Saved.";
        } catch (error) { status.className = "error"; status.textContent = error.message; }
      },
    }, ...blocks.map(([name, title]) => {
      const current = org.settings.integration_notifications[name] || {};
      inputs[name] = {
        limit: el("input", { id: `${name}-limit`, type: "number", min: 0, value: current.failure_limit ?? "" }),
        interval: el("select", { id: `${name}-interval` }, el("option", { value: "", text: "—" }),
          ...INTERVALS.map((i) => el("option", { value: i, selected: i === current.failure_interval, text: i }))),
      };
      return el("fieldset", {}, el("legend", { text: title }),
        el("label", { for: `${name}-limit`, text: "E-mail after this many errors (0: off)" }), inputs[name].limit,
        el("label", { for: `${name}-interval`, text: "within" }), inputs[name].interval);
    }), el("p", {}, el("button", { class: "primary", type: "submit", id: "save-thresholds", text: "Save" })), status);
    page("Thresholds", el("section", { class: "card" }, el("p", { class: "muted", text: `${org.name} (${org.environment})` }), form));
  } catch (error) { page("Thresholds"); failure(error); }
}

// ---- users, webhooks, connections, notifications ---------------------------------------------------------------------

async function users(cursor) {
  try {
    const result = await api(paged(`${orgPath()}/users`, cursor));
    page("Users and subscriptions", el("section", { class: "card" }, el("table", {},
      el("tr", {}, ...["User", "E-mail", "Role", "Events", "Follows"].map((h) => el("th", { text: h }))),
      ...result.users.map((u) => el("tr", {}, el("td", { text: `${u.name} (${u.user_id})` }), el("td", { text: u.email }), el("td", { text: u.role }),
        el("td", { text: u.notification_events.join(", ") || "—" }),
        el("td", { text: [...(u.subscriptions?.integrations || []).map((i) => `all flows of ${i}`), ...(u.subscriptions?.flows || []).map((f) => `${f.integration_id}/${f.flow}`), ...(u.subscriptions?.connections || []).map((c) => `connection ${c}`)].join(", ") || "—" })))),
      pager(result.next, users)));
  } catch (error) { page("Users and subscriptions"); failure(error); }
}

async function connections(cursor) {
  try {
    const result = await api(paged(`${orgPath()}/connections`, cursor));
    page("Connections", el("section", { class: "card" }, el("table", {},
      el("tr", {}, ...["Connection", "State", "Since", "Integrations"].map((h) => el("th", { text: h }))),
      ...result.connections.map((c) => el("tr", {}, el("td", { text: `${c.name} (${c.connection_id})` }),
        el("td", { class: c.online ? "status-enabled" : "status-disabled", text: c.online ? "online" : "offline" }),
        el("td", { text: when(c.changed_at) }), el("td", { text: c.integration_ids.join(", ") || "—" })))),
      pager(result.next, connections)));
  } catch (error) { page("Connections"); failure(error); }
}

async function notifications() {
  try {
    const result = await api(`${orgPath()}/notifications?limit=50`);
    page("Notifications sent", el("section", { class: "card" }, el("table", {},
      el("tr", {}, ...["Created", "Kind", "Subject", "Status", "Recipients", "Attempts"].map((h) => el("th", { text: h }))),
      ...result.notifications.map((n) => el("tr", {}, el("td", { text: when(n.created_at) }), el("td", { text: n.kind }), el("td", { text: n.subject }),
        el("td", { text: n.status }), el("td", { text: n.recipient_count }), el("td", { text: n.attempts }))))));
  } catch (error) { page("Notifications sent"); failure(error); }
}

async function inbox() {
  if (!session.user) { page("Inbox", el("p", { class: "muted", text: "Log in with your user id to see your in-app notifications." })); return; }
  try {
    const result = await api(`${orgPath()}/users/${encodeURIComponent(session.user)}/notifications`);
    page("Inbox", el("p", {}, el("button", { id: "read-all", onclick: async () => { await api(`${orgPath()}/users/${encodeURIComponent(session.user)}/notifications/read`, { method: "POST" }); await badge(); await inbox(); }, text: "Mark all read" })),
      el("section", { class: "card" }, result.items.length === 0 ? el("p", { class: "muted", text: "Nothing here." }) :
        el("ul", {}, ...result.items.map((i) => el("li", { class: i.read_at ? "muted" : "" }, el("b", { text: i.title }), " ", i.body, " ",
          i.link ? el("a", { href: i.link, text: "details" }) : null)))));
  } catch (error) { page("Inbox"); failure(error); }
}

async function badge() {
  const badgeElement = document.getElementById("badge");
  if (!session.user) { badgeElement.hidden = true; return; }
  try {
    const result = await api(`${orgPath()}/users/${encodeURIComponent(session.user)}/notifications?unread=true`);
    badgeElement.textContent = result.unread_count;
    badgeElement.hidden = result.unread_count === 0;
  } catch { badgeElement.hidden = true; }
}

// ---- routing -----------------------------------------------------------------------------------------------------

const ROUTES = { dashboard, failures, thresholds, users, webhooks, connections, notifications, mutes, targets, decisions, inbox };

async function route() {
  document.body.dataset.ready = "";
  if (!session.key || !session.org) { showLogin(); return; }
  document.getElementById("nav").hidden = false;
  document.getElementById("logout").hidden = false;
  document.getElementById("who").textContent = session.org + (session.user ? ` · ${session.user}` : "");
  const [name, arg] = (location.hash.replace(/^#\//, "") || "dashboard").split("/");
  for (const link of document.querySelectorAll("nav a")) link.classList.toggle("active", link.dataset.page === name);
  badge();
  if (name === "failures" && arg) await failureDetail(decodeURIComponent(arg));
  else await (ROUTES[name] || dashboard)();
  document.body.dataset.ready = name;
}

// Links from e-mails: /ui/orgs/{org}/{page}[/{id}] opens that page (after logging in, with the organization filled in).
const deepLink = location.pathname.match(/^\/ui\/orgs\/([^/]+)\/([a-z]+)/);
if (deepLink) {
  const [, linkedOrg, linkedPage] = deepLink;
  sessionStorage.setItem("alerts.linkedOrg", decodeURIComponent(linkedOrg));
  history.replaceState(null, "", `/ui/#/${ROUTES[linkedPage] ? linkedPage : "dashboard"}`);
}

document.getElementById("logout").addEventListener("click", logout);
window.addEventListener("hashchange", route);
route();
