// The admin UI's delivery targets: Slack, Teams and signed-JSON URLs that notifications go to beside e-mail — a user's own
// and the organization's shared ones — with a test button, and "Enable" for one its breaker disabled. Loaded before
// app.js, whose helpers (el, api, orgPath, when, page, failure, session) it uses when called.
"use strict";

const TARGET_EVENTS = [["outgoing_integration__error", "outgoing errors"], ["incoming_webhook__error", "incoming errors"], ["connections", "connections"]];

// Where a target's actions go: under its user, or the organization's shared targets.
const targetPath = (t) => t.user_id ? `${orgPath()}/users/${encodeURIComponent(t.user_id)}/targets/${encodeURIComponent(t.id)}` : `${orgPath()}/targets/${encodeURIComponent(t.id)}`;

function targetState(t) {
  if (!t.enabled) return `disabled: ${t.disabled_reason} (${when(t.disabled_at)})`;
  if (t.last_error) return `failing (${t.consecutive_failures} in a row): ${t.last_error}`;
  return t.last_delivered_at ? `delivered ${when(t.last_delivered_at)}` : "enabled";
}

async function targets() {
  try {
    const result = await api(`${orgPath()}/targets`);
    const type = el("select", { id: "target-type", "aria-label": "Type" }, ...["slack", "teams", "webhook"].map((t) => el("option", { value: t, text: t })));
    const url = el("input", { id: "target-url", size: 48, placeholder: "https://hooks.slack.com/services/…", "aria-label": "Incoming-webhook URL" });
    const name = el("input", { id: "target-name", size: 18, placeholder: "e.g. #ops", "aria-label": "Name" });
    const owner = el("input", { id: "target-user", size: 14, value: session.user || "", placeholder: "user id", "aria-label": "User" });
    const shared = el("input", { id: "target-shared", type: "checkbox", "aria-label": "Shared by the organization" });
    const events = TARGET_EVENTS.map(([value, label]) => el("label", { class: "inline" }, el("input", { type: "checkbox", class: "target-event", value }), ` ${label}`));
    const outcome = el("p", { id: "target-outcome", class: "muted", role: "status" });
    const act = async (path, options, said) => {
      try {
        const answer = await api(path, options);
        await targets();
        document.getElementById("target-outcome").textContent = said(answer);
      } catch (error) { document.getElementById("target-outcome").textContent = error.message; }
    };
    const create = () => {
      const body = { type: type.value, url: url.value.trim(), name: name.value.trim() || undefined };
      const chosen = [...document.querySelectorAll("input.target-event:checked")].map((box) => box.value);
      const path = shared.checked ? `${orgPath()}/targets` : `${orgPath()}/users/${encodeURIComponent(owner.value.trim())}/targets`;
      return act(path, { method: "POST", body: JSON.stringify(shared.checked ? { ...body, events: chosen } : body) },
        (r) => r.secret ? `Added. Its signing secret, shown only now: ${r.secret}` : "Added.");
    };
    page("Delivery targets",
      el("section", { class: "card" },
        el("p", { class: "muted", text: "Slack and Teams incoming webhooks, or any URL for signed JSON. A user's target gets what the user is subscribed to; a shared one gets the events ticked. Six failures in a row disable a target and tell its owner." }),
        el("p", {}, type, " ", url, " ", name, " for user ", owner),
        el("p", {}, el("label", { class: "inline" }, shared, " or shared by the organization, following:"), ...events),
        el("p", {}, el("button", { id: "target-create", class: "primary", onclick: create, text: "Add target" })),
        outcome),
      el("section", { class: "card" }, result.items.length === 0 ? el("p", { class: "muted", text: "No delivery targets: notifications go by e-mail only." }) :
        el("table", { id: "targets-table" },
          el("tr", {}, ...["Name", "Type", "For", "URL", "State", ""].map((h) => el("th", { text: h }))),
          ...result.items.map((t) => el("tr", { "data-id": t.id },
            el("td", { text: t.name }), el("td", { text: t.type }),
            el("td", { text: t.user_id ?? `shared: ${t.events.join(", ")}` }), el("td", { text: t.url }),
            el("td", { class: t.enabled ? "target-state status-enabled" : "target-state status-disabled", text: targetState(t) }),
            el("td", {},
              t.enabled
                ? el("button", { class: "test-target", onclick: () => act(`${targetPath(t)}/test`, { method: "POST" }, (r) => `Test ${r.notification_id} is on its way to ${t.name}.`), text: "Send test" })
                : el("button", { class: "primary enable-target", onclick: () => act(`${targetPath(t)}/enable`, { method: "POST" }, () => `${t.name} is enabled again.`), text: "Enable" }),
              " ",
              el("button", { class: "delete-target", onclick: () => act(targetPath(t), { method: "DELETE" }, () => `${t.name} was deleted.`), text: "Delete" })))))));
  } catch (error) { page("Delivery targets"); failure(error); }
}
