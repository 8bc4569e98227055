// The admin UI's webhooks page: subscriptions, their delivery log and health, recovery, and keeping events while disabled.
// Loaded before app.js, whose helpers (el, api, orgPath, when, page, pager, failure) it uses when called.
"use strict";

async function webhooks(cursor) {
  try {
    const result = await api(paged(`${orgPath()}/webhooks`, cursor));
    const log = el("div", { id: "delivery-log" });
    page("Webhooks", el("section", { class: "card" }, result.items.length === 0 ? el("p", { class: "muted", text: "No webhook subscriptions." }) :
      el("table", { id: "webhooks-table" },
        el("tr", {}, ...["Webhook", "URL", "Events", "Status", "Failures in a row", "Disabled because", "Keep events while disabled", ""].map((h) => el("th", { text: h }))),
        ...result.items.map((w) => el("tr", { "data-id": w.id },
          el("td", { text: w.id }), el("td", { text: w.url }), el("td", { text: w.events.join(", ") }),
          el("td", { class: w.enabled ? "status-enabled" : "status-disabled", text: statusText(w) }),
          el("td", { class: "streak", text: w.consecutive_failures }),
          el("td", { text: w.disabled_reason ? `${w.disabled_reason} (${when(w.disabled_at)})` : "—" }),
          el("td", {}, keepToggle(w)),
          el("td", {},
            w.enabled ? null : el("button", { class: "primary enable", onclick: async () => { await api(`${orgPath()}/webhooks/${encodeURIComponent(w.id)}/enable`, { method: "POST" }); await webhooks(); }, text: "Enable" }),
            el("button", { class: "delivery-log", onclick: () => deliveries(w.id, log), text: "Delivery log" }))))), pager(result.next, webhooks)), log);
  } catch (error) { page("Webhooks"); failure(error); }
}


// Sends again what failed, ran out of retries or was dropped since a moment (a day ago unless changed).
function recoverForm(id) {
  const since = el("input", { type: "datetime-local", id: "recover-since", value: localInput(Date.now() - 864e5) });
  const outcome = el("p", { id: "recover-outcome", class: "muted", role: "status" });
  const recover = async () => {
    try {
      const r = await api(`${orgPath()}/webhooks/${encodeURIComponent(id)}/recover`, { method: "POST", body: JSON.stringify({ since: new Date(since.value).toISOString() }) });
      outcome.textContent = `${r.queued} message(s) queued again` + (r.left ? `; ${r.left} left for another recovery (the queue is full).` : ".");
    } catch (error) { outcome.textContent = error.message; }
  };
  return el("div", {}, el("p", {}, el("label", { for: "recover-since", text: "Send again what did not arrive since " }), since, " ",
    el("button", { id: "recover", onclick: recover, text: "Recover" })), outcome);
}

// The last 24 hours in one line: attempts, share delivered, latency, the last delivery.
function healthLine(h) {
  if (h.attempts === 0) return `Last ${h.window_hours} h: no attempts. Last delivery: ${when(h.last_success_at)}.`;
  return `Last ${h.window_hours} h: ${h.attempts} attempts, ${Math.round(h.success_rate * 1000) / 10}% delivered, ` +
    `p50 ${h.p50_ms} ms, p99 ${h.p99_ms} ms. Last delivery: ${when(h.last_success_at)}.` + (h.partial ? " (from the latest part of the log)" : "");
}

async function deliveries(id, holder) {
  const result = await api(`${orgPath()}/webhooks/${encodeURIComponent(id)}/deliveries?limit=50`);
  const health = await api(`${orgPath()}/webhooks/${encodeURIComponent(id)}/health`);
  holder.replaceChildren(el("section", { class: "card" }, el("h2", { text: `Delivery log of ${id}` }),
    el("p", { id: "webhook-health", text: healthLine(health) }), recoverForm(id),
    el("table", {}, el("tr", {}, ...["When", "Message", "Event", "Attempt", "Outcome", "Status", "Took", "Error", "Reply"].map((h) => el("th", { text: h }))),
      ...result.items.map((a) => el("tr", {}, el("td", { text: when(a.at) }), el("td", { text: a.message_id }), el("td", { text: a.event_type }),
        el("td", { text: a.attempt }), el("td", { text: a.outcome }), el("td", { text: a.status_code ?? "—" }), el("td", { text: `${a.duration_ms} ms` }),
        el("td", { text: a.error || "" }), el("td", { text: a.response_body || "" }))))));
}

// "enabled", or "disabled" with what it keeps for later: held messages and those dropped because the queue was full.
function statusText(w) {
  if (w.enabled) return "enabled";
  const kept = [w.held_deliveries ? `${w.held_deliveries} held` : null, w.dropped_while_disabled ? `${w.dropped_while_disabled} dropped` : null].filter(Boolean);
  return kept.length ? `disabled · ${kept.join(", ")}` : "disabled";
}

// Whether new events are kept while the subscription is disabled and delivered when it is enabled again.
function keepToggle(w) {
  const box = el("input", { type: "checkbox", class: "keep", "aria-label": `Keep events for ${w.id} while disabled`, checked: w.keep_while_disabled });
  box.addEventListener("change", async () => {
    try {
      await api(`${orgPath()}/webhooks/${encodeURIComponent(w.id)}`, { method: "PATCH", body: JSON.stringify({ keep_while_disabled: box.checked }) });
      await webhooks();
    } catch (error) { box.checked = !box.checked; failure(error); }
  });
  return box;
}
