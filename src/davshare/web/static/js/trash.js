// Trash, history and the activity log (issue 20): a collection's deleted items and bursts
// of changes with their one-step undo, an item's earlier versions, a group's activity.

import { act, api, ApiError, enc, h, say, state, t } from "./core.js";

function at(iso) {
  const locale = state.lang === "fr" ? "fr-FR" : "en-GB";
  return iso ? new Date(iso).toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" }) : "";
}

// The collection's trash, and for its owner or a group's admins its bursts with "Undo".
export async function trashSection(collection, reload) {
  const name = collection.name;
  const section = h("section", { class: "card", id: "trash", "aria-labelledby": "trash-h" }, h("h2", { id: "trash-h" }, t("trash.title")));
  const { items } = await api("GET", `/collections/${enc(name)}/trash`);
  if (!items.length) section.append(h("p", { class: "muted" }, t("trash.empty")));
  const list = h("ul", { class: "items", "aria-label": t("trash.title") });
  for (const item of items) {
    const restore = h("button", { type: "button", class: "secondary" }, t("trash.restore"));
    restore.addEventListener("click", () =>
      act(restore, async () => {
        await api("POST", `/collections/${enc(name)}/trash/${item.id}/restore`);
        say(t("trash.restored", { name: item.name || item.href }));
        await reload();
      }),
    );
    const who = t("trash.deleted_by", { who: item.deleted_by, when: at(item.deleted_at) });
    list.append(h("li", {}, item.name || item.href, h("span", { class: "muted" }, ` · ${who}`), " ", item.may_restore ? restore : null));
  }
  if (items.length) section.append(list);
  try {
    const { bursts } = await api("GET", `/collections/${enc(name)}/bursts`);
    if (bursts.length) section.append(h("h3", {}, t("trash.bursts")));
    const rows = h("ul", { class: "items", "aria-label": t("trash.bursts") });
    for (const burst of bursts) {
      const undo = h("button", { type: "button" }, t("trash.undo"));
      undo.addEventListener("click", () =>
        act(undo, async () => {
          if (!confirm(t("trash.undo_confirm", { what: burst.message }))) return;
          const done = await api("POST", `/collections/${enc(name)}/bursts/${burst.id}/undo`);
          say(t("trash.undone", { n: done.restored }));
          await reload();
        }),
      );
      rows.append(h("li", {}, burst.message, " ", undo));
    }
    if (bursts.length) section.append(rows);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 403) throw error;
  }
  return section;
}

// An item's earlier versions: compare one with the current one, restore it.
export async function historySection(collection, href, mayModify, reload) {
  const base = `/collections/${enc(collection.name)}/items/${enc(href)}/history`;
  const { versions } = await api("GET", base);
  const section = h("section", { class: "card", id: "history", "aria-labelledby": "history-h" }, h("h2", { id: "history-h" }, t("history.title")));
  if (!versions.length) section.append(h("p", { class: "muted" }, t("history.none")));
  const shown = h("div", { "aria-live": "polite" });
  const list = h("ol", { class: "items" });
  for (const version of versions) {
    const compare = h("button", { type: "button", class: "secondary" }, t("history.compare"));
    compare.addEventListener("click", () =>
      act(compare, async () => {
        const { fields } = await api("GET", `${base}/${version.id}/diff`);
        const rows = fields.map((f) => h("tr", {}, h("th", { scope: "row" }, f.field), h("td", {}, f.before.join(", ")), h("td", {}, f.after.join(", "))));
        const head = h("tr", {}, h("th", { scope: "col" }, t("history.field")), h("th", { scope: "col" }, t("history.before")), h("th", { scope: "col" }, t("history.now")));
        shown.replaceChildren(h("table", {}, h("caption", {}, t("history.differences")), h("thead", {}, head), h("tbody", {}, rows)));
      }),
    );
    const restore = h("button", { type: "button" }, t("history.restore"));
    restore.addEventListener("click", () =>
      act(restore, async () => {
        await api("POST", `${base}/${version.id}/restore`);
        say(t("history.restored"));
        await reload();
      }),
    );
    const who = t("history.written_by", { who: version.written_by || "?", when: at(version.written_at) });
    list.append(h("li", {}, who, " ", compare, " ", mayModify ? restore : null));
  }
  if (versions.length) section.append(list, shown);
  return section;
}

const ACTIONS = ["added", "modified", "deleted", "restored", "joined", "left", "granted", "revoked"];

// A group's activity log, filtered by action, with its CSV export.
export async function activitySection(groupName) {
  const base = `/groups/${enc(groupName)}/activity`;
  const section = h("section", { id: "activity", "aria-labelledby": "activity-h" }, h("h2", { id: "activity-h" }, t("activity.title")));
  const choice = h("select", { name: "action", "aria-label": t("activity.filter") }, h("option", { value: "" }, t("activity.all")), ACTIONS.map((a) => h("option", { value: a }, t(`activity.${a}`))));
  const csv = h("a", { class: "button secondary", href: `/.davshare/api/v1${base}?format=csv`, download: "" }, t("activity.csv"));
  const body = h("tbody");
  const load = async () => {
    const { entries } = await api("GET", `${base}?limit=200${choice.value ? `&action=${choice.value}` : ""}`);
    body.replaceChildren(
      ...entries.map((e) => h("tr", {}, h("td", {}, at(e.at)), h("td", {}, e.actor), h("td", {}, t(`activity.${e.action}`)), h("td", {}, e.subject || e.href), h("td", {}, e.collection))),
    );
    csv.href = `/.davshare/api/v1${base}?format=csv${choice.value ? `&action=${choice.value}` : ""}`;
  };
  choice.addEventListener("change", () => act(choice, load));
  const head = h("tr", {}, ["activity.when", "activity.who", "activity.what", "activity.subject", "activity.collection"].map((k) => h("th", { scope: "col" }, t(k))));
  section.append(h("div", { class: "actions" }, choice, csv), h("table", {}, h("thead", {}, head), body));
  await load();
  return section;
}
