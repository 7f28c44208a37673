// A collection's contacts, events or tasks: browse, search, open, add, modify, delete;
// who created an item and who may modify it; sharing, importing and exporting.

import { act, api, ApiError, check, dav, dialog, enc, explain, field, h, kindLabel, say, select, state, t } from "./core.js";
import { newUid, readContact, readEntry, writeContact, writeEntry } from "./cards.js";
import { taskList, taskPage } from "./tasks.js";
import { confidentialChoices, shareDialog } from "./share_dialog.js";
import { historySection, trashSection } from "./trash.js";

async function findCollection(name) {
  const { collections } = await api("GET", "/collections");
  const found = collections.find((c) => c.name === name);
  if (!found) throw new ApiError(404, "not_found", t("collection.missing", { name }));
  return found;
}

function groupOf(collection) {
  // A group's collection is mounted as <collection>@<group>.
  if (collection.source !== "group") return null;
  const [inner, group] = collection.name.split("@");
  return { group, collection: inner };
}

export async function collectionPage(root, name) {
  const collection = await findCollection(name);
  const title = collection.display_name || collection.name;
  const mayAdd = collection.privileges.includes("bind");
  root.append(h("h1", {}, title, h("span", { class: "badge" }, kindLabel(collection.kind))));
  const facts = [];
  if (collection.source === "group") facts.push(t("source.group", { name: collection.owner }));
  if (collection.source === "shared") facts.push(t("source.shared", { name: collection.owner }));
  facts.push(mayAdd ? t("may.add") : t("may.no_add"));
  if (collection.privileges.includes("unbind")) facts.push(t("may.delete"));
  root.append(h("p", { class: "muted" }, facts.join(" · ")));

  const tools = h("div", { class: "actions" });
  if (mayAdd) tools.append(h("a", { class: "button", href: `#/collections/${enc(name)}/items/${enc("new")}` }, t(`new.${collection.kind}`)));
  if (collection.source === "own") tools.append(h("button", { type: "button", class: "secondary", onclick: () => shareDialog(collection) }, t("share")));
  tools.append(h("a", { class: "button secondary", href: `#/collections/${enc(name)}/settings` }, h("span", { "aria-hidden": "true" }, "✎ "), t("settings.button")));
  if (collection.kind === "calendar") tools.append(h("a", { class: "button secondary", href: `#/calendar/${enc(name)}` }, t("calendar.open")));
  const format = collection.kind === "addressbook" ? "vcf" : "ics";
  tools.append(h("a", { class: "button secondary", href: `/.davshare/api/v1/collections/${enc(name)}/export?format=${format}`, download: "" }, t("export", { format: format.toUpperCase() })));
  if (collection.kind === "addressbook") tools.append(h("a", { class: "button secondary", href: `/.davshare/api/v1/collections/${enc(name)}/export?format=csv`, download: "" }, t("export", { format: "CSV" })));
  root.append(tools);
  if (collection.kind === "tasks") {
    const reload = await taskList(root, collection);
    if (mayAdd) root.append(importSection(collection, reload));
    if (collection.source === "own") root.append(deleteCollectionSection(collection));
    root.append(await trashSection(collection, again(root, () => collectionPage(root, name))));
    return;
  }

  const contacts = collection.kind === "addressbook";
  const query = h("input", { type: "search", name: "q", placeholder: t(contacts ? "search.placeholder" : "search.placeholder_title") });
  const count = h("p", { class: "muted", "aria-live": "polite" });
  const list = h("ul", { class: "items", "aria-label": t("items.list", { name: title }) });
  const more = h("button", { type: "button", class: "secondary", hidden: true }, t("items.more"));
  let shown = 0;
  const row = (item) =>
    h(
      "li",
      {},
      h("a", { href: `#/collections/${enc(name)}/items/${enc(item.href)}` }, item.title || t("items.untitled")),
      item.organisation ? ` — ${item.organisation}` : "",
      item.emails.length ? h("span", { class: "muted" }, ` · ${item.emails[0]}`) : "",
      item.when ? h("span", { class: "muted" }, ` · ${whenText(item.when)}`) : "",
      item.creator ? h("span", { class: "muted" }, ` · ${t("items.created_by", { who: item.creator })}`) : "",
    );
  // One page at a time, searched and sorted by the server; "Show more" asks for the next.
  const load = async (next = false) => {
    const offset = next ? shown : 0;
    const data = await api("GET", `/collections/${enc(name)}/items?q=${enc(query.value)}&offset=${offset}&limit=100`);
    if (next) list.append(...data.items.map(row));
    else list.replaceChildren(...data.items.map(row));
    shown = offset + data.items.length;
    count.textContent = t("items.count_of", { n: shown, total: data.total });
    more.hidden = !data.truncated;
  };
  more.addEventListener("click", () => act(more, () => load(true)));
  let timer;
  query.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => load().catch((e) => say(explain(e), "error")), 250);
  });
  const searchForm = h("form", { role: "search" }, field(t("search.label"), query));
  searchForm.addEventListener("submit", (event) => {
    event.preventDefault();
    load();
  });
  root.append(searchForm, count, list, h("p", {}, more));
  await load();
  if (mayAdd) root.append(importSection(collection, load));
  root.append(await trashSection(collection, again(root, () => collectionPage(root, name))));
  if (collection.source === "own") root.append(deleteCollectionSection(collection));
}

function deleteCollectionSection(collection) {
  const title = collection.display_name || collection.name;
  const open = h("button", { type: "button", class: "danger" }, t("collection.delete"));
  open.addEventListener("click", () =>
    dialog(t("collection.delete_title", { name: title }), (close) => {
      const typed = h("input", { type: "text", autocomplete: "off" });
      const go = h("button", { type: "submit", class: "danger" }, t("delete_group.confirm"));
      const form = h("form", {}, h("p", {}, t("collection.delete_warning")), field(t("collection.type_name", { name: title }), typed), h("div", { class: "actions" }, go, h("button", { type: "button", class: "secondary", onclick: close }, t("cancel"))));
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        act(go, async () => {
          if (typed.value.trim() !== title) throw new ApiError(400, "invalid", t("collection.type_name", { name: title }));
          await dav("DELETE", `/${enc(state.login)}/${enc(collection.name)}/`);
          close();
          location.hash = "#/";
          setTimeout(() => say(t("collection.deleted", { name: title })), 50);
        });
      });
      return form;
    }),
  );
  return h("section", {}, h("h2", {}, t("collection.delete_section")), h("p", { class: "muted" }, t("collection.delete_intro")), open);
}

// An event's start as the list shows it: in the viewer's time, not raw UTC.
function whenText(value) {
  const date = new Date(value.replace(" ", "T"));
  if (Number.isNaN(date.getTime())) return value;
  const locale = state.lang === "fr" ? "fr-FR" : "en-GB";
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? date.toLocaleDateString(locale) : date.toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" });
}

// -- import, with progress and a report ---------------------------------------------------

function importSection(collection, reload) {
  const file = h("input", { type: "file", name: "file", accept: collection.kind === "addressbook" ? ".vcf,.vcard,.csv,text/vcard,text/csv" : ".ics,text/calendar" });
  const format = select(
    collection.kind === "addressbook" ? [["auto", t("import.auto")], ["vcf", "vCard"], ["csv", "CSV (Google, Outlook)"]] : [["auto", t("import.auto")], ["ics", "iCalendar"]],
    "auto",
  );
  const progress = h("progress", { max: 100, value: 0, hidden: true, "aria-label": t("import.progress") });
  const report = h("div", { "aria-live": "polite" });
  const go = h("button", { type: "submit" }, t("import.button"));
  const form = h("form", { class: "card" }, h("h2", {}, t("import.title")), h("p", { class: "muted" }, t("import.intro")), h("div", { class: "row" }, field(t("import.file"), file), field(t("import.format"), format), go), progress, report);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = file.files[0];
    if (!chosen) {
      say(t("import.choose"), "error");
      file.focus();
      return;
    }
    go.disabled = true;
    progress.hidden = false;
    progress.value = 0;
    report.replaceChildren(h("p", {}, t("import.sending")));
    const request = new XMLHttpRequest();
    request.open("POST", `/.davshare/api/v1/collections/${enc(collection.name)}/import?format=${format.value}`);
    request.setRequestHeader("X-CSRF-Token", state.csrf);
    request.setRequestHeader("X-Davshare-Web", "1");
    request.setRequestHeader("Accept-Language", state.lang);
    request.setRequestHeader("Content-Type", chosen.type || "application/octet-stream");
    request.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) progress.value = Math.round((e.loaded / e.total) * 100);
    });
    request.addEventListener("load", () => {
      go.disabled = false;
      progress.value = 100;
      let data;
      try {
        data = JSON.parse(request.responseText);
      } catch {
        data = { error: { message: t("error.generic") } };
      }
      if (request.status >= 300) {
        report.replaceChildren(h("p", { class: "alert" }, data.error?.message || t("error.generic")));
        say(data.error?.message || t("error.generic"), "error");
        return;
      }
      const problems = data.problems || [];
      report.replaceChildren(
        h("p", { class: "note" }, t("import.report", { records: data.records, imported: data.imported, updated: data.updated, skipped: data.skipped, unchanged: data.unchanged })),
        problems.length
          ? h("div", {}, h("h3", {}, t("import.skipped_title")), h("ul", {}, problems.map((p) => h("li", {}, t("import.problem", { line: p.line, record: p.record || "?", reason: p.reason })))))
          : "",
        (data.notes || []).length ? h("ul", {}, data.notes.map((n) => h("li", {}, n))) : "",
      );
      say(t("import.done", { imported: data.imported, skipped: data.skipped }));
      reload();
    });
    request.addEventListener("error", () => {
      go.disabled = false;
      say(t("error.network"), "error");
    });
    request.send(chosen);
  });
  return form;
}

// -- one item ---------------------------------------------------------------------------------

export async function itemPage(root, name, href) {
  const collection = await findCollection(name);
  if (collection.kind === "tasks") return taskPage(root, collection, href);
  const isNew = href === "new";
  const summary = isNew ? null : await api("GET", `/collections/${enc(name)}/items/${enc(href)}`);
  const path = `/${state.login}/${collection.name}/${isNew ? `${newUid()}.${collection.kind === "addressbook" ? "vcf" : "ics"}` : href}`;
  let text = "";
  let etag = "";
  if (!isNew) {
    const response = await dav("GET", path.split("/").map(enc).join("/"));
    text = await response.text();
    etag = response.headers.get("ETag") || summary.etag;
  }
  const contact = collection.kind === "addressbook";
  const mayModify = isNew || summary.may_modify;
  const back = h("a", { href: `#/collections/${enc(name)}` }, t("item.back", { name: collection.display_name || collection.name }));
  root.append(h("p", {}, back));
  const heading = isNew ? t(`new.${collection.kind}`) : summary.title || t("items.untitled");
  root.append(h("h1", {}, heading));

  if (!isNew) {
    const group = groupOf(collection);
    root.append(h("p", { class: "muted", id: "item-authors" }, authorsText(summary, Boolean(group))));
    if (group) root.append(h("p", { class: "muted", id: "item-who" }, whoMayModify(summary.creator, summary.editors)));
    if (!mayModify) root.append(h("p", { class: "note", role: "note" }, group && summary.creator ? t("item.read_only_group", { who: summary.creator }) : t("item.read_only")));
  }

  const values = contact ? (isNew ? {} : readContact(text)) : isNew ? {} : readEntry(text);
  const inputs = {};
  const fields = contact
    ? [["given", "text", "given-name"], ["family", "text", "family-name"], ["fn", "text", "name"], ["email", "email", "email"], ["tel", "tel", "tel"], ["org", "text", "organization"], ["title", "text", "organization-title"], ["city", "text", "address-level2"], ["country", "text", "country-name"], ["categories", "text", "off"], ["note", "textarea", "off"]]
    : [["summary", "text", "off"], ["start", "datetime-local", "off"], ["end", "datetime-local", "off"], ["description", "textarea", "off"]];
  const form = h("form", { class: "card" });
  for (const [key, type, autocomplete] of fields) {
    const control = type === "textarea" ? h("textarea", { rows: 3, name: key }) : h("input", { type, name: key, autocomplete });
    control.value = values[key] || "";
    control.readOnly = !mayModify;
    inputs[key] = control;
    form.append(field(t(`field.${key}`), control, key === "categories" ? t("field.categories_hint") : null));
  }
  const saveButton = h("button", { type: "submit" }, isNew ? t("add") : t("save"));
  const problem = h("div", { "aria-live": "assertive" });
  if (mayModify) form.append(h("div", { class: "actions" }, saveButton), problem);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!mayModify) return;
    problem.replaceChildren();
    act(saveButton, async () => {
      const entered = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.value.trim()]));
      if (contact && !entered.fn && !entered.given && !entered.family && !entered.org && !entered.email) {
        throw new ApiError(400, "invalid", t("item.need_name"));
      }
      if (!contact && !entered.summary) throw new ApiError(400, "invalid", t("item.need_summary"));
      if (contact && entered.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(entered.email)) {
        inputs.email.setAttribute("aria-invalid", "true");
        inputs.email.focus();
        throw new ApiError(400, "invalid", t("item.email_invalid", { email: entered.email }));
      }
      const body = contact
        ? writeContact(entered, isNew ? null : values.lines, newUid())
        : writeEntry(entered, isNew ? null : values, newUid(), collection.kind === "tasks" ? "VTODO" : "VEVENT");
      const headers = { "Content-Type": contact ? "text/vcard; charset=utf-8" : "text/calendar; charset=utf-8" };
      if (isNew) headers["If-None-Match"] = "*";
      else if (etag) headers["If-Match"] = etag;
      try {
        await dav("PUT", path.split("/").map(enc).join("/"), body, headers);
      } catch (error) {
        const message = explain(error);
        problem.replaceChildren(h("p", { class: "alert" }, message));
        throw error;
      }
      location.hash = `#/collections/${enc(name)}`;
      setTimeout(() => say(isNew ? t("item.added") : t("item.saved")), 50);
    });
  });
  root.append(form);

  if (isNew) return;
  if (summary.may_delete) {
    const remove = h("button", { type: "button", class: "danger" }, t("item.delete"));
    remove.addEventListener("click", () =>
      act(remove, async () => {
        if (!confirm(t("item.delete_confirm", { name: heading }))) return;
        await dav("DELETE", path.split("/").map(enc).join("/"), undefined, etag ? { "If-Match": etag } : {});
        location.hash = `#/collections/${enc(name)}`;
        setTimeout(() => say(t("item.deleted")), 50);
      }),
    );
    root.append(h("p", {}, remove));
  }
  const group = groupOf(collection);
  if (group && summary.may_choose_editors) root.append(await editorsSection(group, summary));
  if (contact && collection.source === "own") root.append(await shareIntoGroupSection(collection, summary));
  root.append(await historySection(collection, href, summary.may_modify, again(root, () => itemPage(root, name, href))));
}

// A reload of the page in place (after a restore), its heading focused again.
function again(root, render) {
  return async () => {
    root.replaceChildren();
    await render();
    root.querySelector("h1")?.focus();
  };
}

// Who created an item and who modified it last, and when (the server records both).
export function authorsText(item, creatorShown = false) {
  const locale = state.lang === "fr" ? "fr-FR" : "en-GB";
  const at = (iso) => (iso ? new Date(iso).toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" }) : "");
  const parts = [];
  if (item.creator && !creatorShown) parts.push(item.created_at ? t("item.created_on", { who: item.creator, when: at(item.created_at) }) : t("item.creator", { who: item.creator }));
  if (item.modified_at) parts.push(item.modified_by ? t("item.modified_on", { who: item.modified_by, when: at(item.modified_at) }) : t("item.modified_when", { when: at(item.modified_at) }));
  return parts.join(" · ");
}

function whoMayModify(creator, editors) {
  const parts = creator ? [t("item.creator", { who: creator })] : [];
  parts.push(editors.length ? t("item.editors", { who: editors.map((e) => (e === "*" ? t("all_members") : e)).join(", ") }) : t("item.only_creator"));
  return parts.join(" · ");
}

async function editorsSection(where, item) {
  const group = await api("GET", `/groups/${enc(where.group)}`);
  const base = `/groups/${enc(where.group)}/collections/${enc(where.collection)}/items/${enc(item.href)}/editors`;
  let editors = item.editors;
  const list = h("ul", {});
  const render = () => {
    const summary = document.getElementById("item-who");
    if (summary) summary.textContent = whoMayModify(item.creator, editors);
    list.replaceChildren(
      ...(editors.length
        ? editors.map((e) => {
            const take = h("button", { type: "button", class: "link" }, t("editors.take_back"));
            take.addEventListener("click", () =>
              act(take, async () => {
                await api("DELETE", `${base}/${enc(e)}`);
                editors = editors.filter((x) => x !== e);
                render();
                say(t("editors.taken_back", { who: e === "*" ? t("all_members") : e }));
              }),
            );
            return h("li", {}, e === "*" ? t("all_members") : e, " ", take);
          })
        : [h("li", { class: "muted" }, t("item.only_creator"))]),
    );
  };
  render();
  const who = select([["*", t("all_members")], ...group.members.filter((m) => m.login !== state.login).map((m) => [m.login, m.display_name ? `${m.display_name} (${m.login})` : m.login])], "*");
  const allow = h("button", { type: "submit", class: "secondary" }, t("editors.allow"));
  const form = h("form", { class: "row" }, field(t("editors.who"), who), allow);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    act(allow, async () => {
      ({ editors } = await api("PUT", `${base}/${enc(who.value)}`));
      render();
      say(t("editors.allowed", { who: who.value === "*" ? t("all_members") : who.value }));
    });
  });
  return h("section", { class: "card" }, h("h2", {}, t("editors.title")), h("p", { class: "muted" }, t("editors.intro")), list, form);
}

async function shareIntoGroupSection(collection, item) {
  const { collections } = await api("GET", "/collections");
  const targets = collections.filter((c) => c.source === "group" && c.kind === "addressbook" && c.privileges.includes("bind"));
  const section = h("section", { class: "card" }, h("h2", {}, t("linked.title")), h("p", { class: "muted" }, t("linked.intro")));
  if (!targets.length) {
    section.append(h("p", {}, t("linked.none")));
    return section;
  }
  const target = select(targets.map((c) => [c.name, c.display_name || c.name]), targets[0].name);
  const confidential = confidentialChoices(["NOTE", "BDAY"]);
  const share = h("button", { type: "submit" }, t("linked.share"));
  const form = h("form", {}, field(t("linked.target"), target), confidential.set, share);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    act(share, async () => {
      const [inner, group] = target.value.split("@");
      const answer = await api("POST", `/groups/${enc(group)}/collections/${enc(inner)}/linked-contacts`, {
        source_collection: collection.name,
        href: item.href,
        confidential: confidential.chosen(),
      });
      say(t("linked.done", { group }));
      const undo = h("button", { type: "button", class: "secondary" }, t("linked.undo"));
      undo.addEventListener("click", () =>
        act(undo, async () => {
          await api("DELETE", `/groups/${enc(group)}/collections/${enc(inner)}/linked-contacts/${enc(answer.href)}`);
          undo.remove();
          say(t("linked.undone", { group }));
        }),
      );
      form.append(undo);
    });
  });
  section.append(form);
  return section;
}
