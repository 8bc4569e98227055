// The admin UI's mute windows: what is muted now or later, a form to mute a scope for a while, and "End now". Loaded
// before app.js, whose helpers (el, api, orgPath, when, page, failure, session) it uses when called.
"use strict";

function muteWindow(m) {
  if (m.weekly) return `weekly ${m.weekly.days.join(", ")} ${m.weekly.start}–${m.weekly.end} (${m.weekly.time_zone})` + (m.ends_at ? ` until ${when(m.ends_at)}` : "");
  return `${when(m.starts_at)} – ${when(m.ends_at)}`;
}

function muteState(m) {
  if (m.active) return `muted until ${when(m.active_until)}`;
  if (m.next_start) return `starts ${when(m.next_start)}`;
  return m.ended_at ? `ended early by ${m.ended_by}` : "over";
}

async function mutes() {
  try {
    const result = await api(`${orgPath()}/mutes`);
    const scope = el("input", { id: "mute-scope", size: 24, value: "organization", "aria-label": "Scope" });
    const hours = el("input", { id: "mute-hours", type: "number", min: "0.25", step: "0.25", value: "2", size: 5, "aria-label": "Hours" });
    const reason = el("input", { id: "mute-reason", size: 36, placeholder: "e.g. CRM migration", "aria-label": "Reason" });
    const by = el("input", { id: "mute-by", size: 16, value: session.user || "", placeholder: "your user id", "aria-label": "Created by" });
    const outcome = el("p", { id: "mute-outcome", class: "muted", role: "status" });
    const create = async () => {
      try {
        const ends = new Date(Date.now() + Number(hours.value) * 3600e3).toISOString();
        await api(`${orgPath()}/mutes`, { method: "POST", body: JSON.stringify({ scope: scope.value.trim(), ends_at: ends, reason: reason.value, created_by: by.value.trim() || undefined }) });
        await mutes();
      } catch (error) { outcome.textContent = error.message; }
    };
    // A new end (local time in this browser) for a mute that is not over; the audit trail records who changed it.
    const moveEnd = async (m, input) => {
      try {
        await api(`${orgPath()}/mutes/${encodeURIComponent(m.id)}`, { method: "PATCH", body: JSON.stringify({ ends_at: new Date(input.value).toISOString(), changed_by: by.value.trim() || undefined }) });
        await mutes();
      } catch (error) { outcome.textContent = error.message; }
    };
    const editEnd = (m) => {
      if (!(m.active || m.next_start) || !m.ends_at) return null;
      const input = el("input", { type: "datetime-local", class: "mute-ends", value: localInput(Date.parse(m.ends_at)), "aria-label": `New end of ${m.id}` });
      return el("span", {}, input, " ", el("button", { class: "move-end", onclick: () => moveEnd(m, input), text: "Change end" }), " ");
    };
    const end = async (m) => {
      try {
        await api(`${orgPath()}/mutes/${encodeURIComponent(m.id)}/end`, { method: "POST", body: JSON.stringify({ ended_by: by.value.trim() || undefined }) });
        await mutes();
      } catch (error) { outcome.textContent = error.message; }
    };
    page("Mute windows",
      el("section", { class: "card" },
        el("p", { class: "muted", text: "While muted, threshold alerts of the scope are not sent (errors are still counted) and connection notices are held; when the window ends, what still matters is told once. Scope: organization, outgoing, incoming, integration:{id} or connection:{id}." }),
        el("p", {}, "Mute ", scope, " for ", hours, " hours because ", reason, " — by ", by, " ", el("button", { id: "mute-create", class: "primary", onclick: create, text: "Mute" })),
        outcome),
      el("section", { class: "card" }, result.items.length === 0 ? el("p", { class: "muted", text: "Nothing is muted." }) :
        el("table", { id: "mutes-table" },
          el("tr", {}, ...["Scope", "Window", "Reason", "By", "State", ""].map((h) => el("th", { text: h }))),
          ...result.items.map((m) => el("tr", { "data-id": m.id },
            el("td", { text: m.scope }), el("td", { text: muteWindow(m) }), el("td", { text: m.reason }),
            el("td", { text: m.created_by }), el("td", { class: m.active ? "mute-state status-disabled" : "mute-state", text: muteState(m) }),
            el("td", {}, editEnd(m), m.active || m.next_start ? el("button", { class: "end-mute", onclick: () => end(m), text: "End now" }) : null))))));
  } catch (error) { page("Mute windows"); failure(error); }
}
