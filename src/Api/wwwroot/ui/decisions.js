// The admin UI's "why was I (not) alerted?" page: the threshold decision logs, each entry explained for a user, and a
// test notification through the real pipeline. Loaded before app.js, whose helpers it uses when called.
"use strict";

async function decisions() {
  const user = el("input", { id: "decisions-user", size: 24, placeholder: "user id", value: session.user || "" });
  const holder = el("div", { id: "decisions" });
  const outcome = el("p", { id: "test-outcome", class: "muted", role: "status" });
  const show = async () => {
    try {
      const who = user.value.trim();
      const result = await api(`${orgPath()}/decisions?limit=100` + (who ? `&user_id=${encodeURIComponent(who)}` : ""));
      holder.replaceChildren(el("section", { class: "card" }, result.items.length === 0
        ? el("p", { class: "muted", text: "No threshold evaluations in the last 7 days." })
        : el("table", { id: "decisions-table" },
          el("tr", {}, ...["When", "Direction", "Outcome", "What it counted", ...(who ? [`For ${who}`] : [])].map((h) => el("th", { text: h }))),
          ...result.items.map((d) => el("tr", { "data-outcome": d.outcome },
            el("td", { text: d.evaluations > 1 ? `${when(d.from)} – ${when(d.at)} (${d.evaluations} evaluations)` : when(d.at) }),
            el("td", { text: d.direction }),
            el("td", { class: "outcome", text: d.outcome.replace("_", " ") }),
            el("td", { class: "summary", text: d.summary }),
            who ? el("td", { class: `for-user ${d.for_user.notified ? "status-enabled" : "status-disabled"}`, text: d.for_user.reason }) : null)))));
    } catch (error) { holder.replaceChildren(el("p", { class: "error", role: "alert", text: error.message })); }
  };
  const test = async () => {
    const who = user.value.trim();
    if (!who) { outcome.textContent = "Name a user first."; return; }
    try {
      const r = await api(`${orgPath()}/users/${encodeURIComponent(who)}/test-notification`, { method: "POST" });
      outcome.textContent = `Test notification ${r.notification_id} is on its way to ${who}; it is listed under Notifications.`;
    } catch (error) { outcome.textContent = error.message; }
  };
  page("Why was I (not) alerted?", el("section", { class: "card" },
    el("p", {}, el("label", { for: "decisions-user", text: "Explain for user " }), user, " ",
      el("button", { id: "explain", onclick: show, text: "Explain" }), " ",
      el("button", { id: "send-test", onclick: test, text: "Send a test notification" })), outcome), holder);
  await show();
}
