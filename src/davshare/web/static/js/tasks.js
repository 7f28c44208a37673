// Task lists as people use them: done in one click, status, percent, priority, due date,
// sorted by due date and priority, completed ones hidden on demand, sub-tasks under their
// parent (RELATED-TO). Every change is a DAV request through the pages' bridge.

import { act, api, ApiError, check, dav, enc, explain, field, h, say, select, state, t } from "./core.js";
import { escapeValue, newUid } from "./cards.js";
import * as ical from "./ical.js";
import { authorsText } from "./items.js";

const HIDE = "davshare-hide-completed";
const STATUSES = ["NEEDS-ACTION", "IN-PROCESS", "COMPLETED", "CANCELLED"];
const PRIORITIES = [["0", "none"], ["1", "high"], ["5", "medium"], ["9", "low"]];

function stamp(date = new Date()) {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
}

function path(collection, href) {
  return `/${enc(state.login)}/${enc(collection.name)}/${enc(href)}`;
}

function priorityName(priority) {
  if (!priority) return "none";
  return priority <= 4 ? "high" : priority === 5 ? "medium" : "low";
}

function dueText(due) {
  if (!due) return "";
  if (due.length === 10) return new Date(`${due}T12:00:00`).toLocaleDateString(state.lang === "fr" ? "fr-FR" : "en-GB");
  return new Date(due).toLocaleString(state.lang === "fr" ? "fr-FR" : "en-GB", { dateStyle: "medium", timeStyle: "short" });
}

// The VTODO's status, percent and completion time for `done` or not.
function markDone(lines, done) {
  let block = ical.findBlock(lines, null, "VTODO");
  block = ical.setProp(lines, block, "STATUS", "", done ? "COMPLETED" : "NEEDS-ACTION");
  block = ical.setProp(lines, block, "PERCENT-COMPLETE", "", done ? "100" : "0");
  block = ical.setProp(lines, block, "COMPLETED", "", done ? stamp() : "");
  ical.setProp(lines, block, "DTSTAMP", "", stamp());
}

async function change(collection, task, edit) {
  const response = await dav("GET", path(collection, task.href));
  const etag = response.headers.get("ETag") || task.etag;
  const lines = ical.read(await response.text());
  edit(lines);
  await dav("PUT", path(collection, task.href), ical.write(lines), { "Content-Type": "text/calendar; charset=utf-8", "If-Match": etag });
}

function taskRow(collection, task, children, reload) {
  const done = h("input", { type: "checkbox", checked: task.done, disabled: !task.may_modify, "aria-label": t("tasks.done_label", { title: task.title || t("items.untitled") }) });
  done.addEventListener("change", () =>
    act(done, async () => {
      try {
        await change(collection, task, (lines) => markDone(lines, done.checked));
      } catch (error) {
        done.checked = !done.checked;
        throw error;
      }
      say(t(done.checked ? "tasks.marked_done" : "tasks.marked_open", { title: task.title }));
      await reload();
    }),
  );
  const facts = [];
  if (task.due) facts.push(h("span", { class: "due" }, t("tasks.due", { when: dueText(task.due) })));
  if (task.priority) facts.push(h("span", { class: `badge priority-${priorityName(task.priority)}` }, t(`tasks.priority.${priorityName(task.priority)}`)));
  if (!task.done && (task.status === "IN-PROCESS" || task.percent)) facts.push(h("span", { class: "badge" }, t("tasks.progress", { percent: task.percent })));
  if (task.status === "CANCELLED") facts.push(h("span", { class: "badge" }, t("tasks.status.CANCELLED")));
  return h(
    "li",
    { class: task.done ? "task done" : "task" },
    h("div", { class: "task-line" }, done, h("a", { href: `#/collections/${enc(collection.name)}/items/${enc(task.href)}` }, task.title || t("items.untitled")), ...facts),
    children.length ? h("ul", { class: "tasks sub", "aria-label": t("tasks.subtasks_of", { title: task.title }) }, children) : null,
  );
}

// The rows of the list, sub-tasks under their parent (those whose parent is not shown, at top).
function tree(collection, tasks, reload) {
  const uids = new Set(tasks.map((x) => x.uid));
  const childrenOf = new Map();
  for (const task of tasks) {
    const parent = task.parent && uids.has(task.parent) && task.parent !== task.uid ? task.parent : "";
    if (!childrenOf.has(parent)) childrenOf.set(parent, []);
    childrenOf.get(parent).push(task);
  }
  const build = (parent, depth) => (childrenOf.get(parent) || []).map((task) => taskRow(collection, task, depth < 8 ? build(task.uid, depth + 1) : [], reload));
  return build("", 0);
}

export async function taskList(root, collection) {
  const hide = h("input", { type: "checkbox", checked: localStorage.getItem(HIDE) === "1" });
  const count = h("p", { class: "muted", "aria-live": "polite" });
  const list = h("ul", { class: "tasks", "aria-label": t("items.list", { name: collection.display_name || collection.name }) });
  const load = async () => {
    const data = await api("GET", `/collections/${enc(collection.name)}/tasks?completed=${hide.checked ? "hide" : "show"}`);
    const open = data.tasks.filter((x) => !x.done).length;
    count.textContent = t("tasks.count", { open, n: data.tasks.length });
    list.replaceChildren(...tree(collection, data.tasks, load));
  };
  hide.addEventListener("change", () => {
    localStorage.setItem(HIDE, hide.checked ? "1" : "0");
    load().catch((e) => say(explain(e), "error"));
  });
  root.append(h("div", { class: "row" }, check(t("tasks.hide_completed"), hide)), count, list);
  await load();
  return load;
}

// -- one task ------------------------------------------------------------------------------

function invalid(control, message) {
  control.setAttribute("aria-invalid", "true");
  control.focus();
  return new ApiError(400, "invalid_input", message);
}

function dueStored(date, time) {
  if (!date) return null;
  if (!time) return { params: "VALUE=DATE", value: date.replace(/-/g, "") };
  return { params: "", value: stamp(new Date(`${date}T${time}`)) };
}

function splitDue(due) {
  if (!due) return ["", ""];
  if (due.length === 10) return [due, ""];
  const local = new Date(due);
  const pad = (n) => String(n).padStart(2, "0");
  return [`${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}`, `${pad(local.getHours())}:${pad(local.getMinutes())}`];
}

export async function taskPage(root, collection, href) {
  const isNew = href === "new";
  const data = await api("GET", `/collections/${enc(collection.name)}/tasks`);
  const task = isNew ? null : data.tasks.find((x) => x.href === href);
  if (!isNew && !task) throw new ApiError(404, "not_found", t("item.missing"));
  const mayModify = isNew ? data.may_add : task.may_modify;
  let lines = [];
  let description = "";
  if (task) {
    lines = ical.read(await (await dav("GET", path(collection, href))).text());
    description = ical.value(lines, ical.findBlock(lines, null, "VTODO"), "DESCRIPTION").replace(/\\n/gi, "\n").replace(/\\([,;\\])/g, "$1");
  }
  root.append(h("p", {}, h("a", { href: `#/collections/${enc(collection.name)}` }, t("item.back", { name: collection.display_name || collection.name }))));
  root.append(h("h1", {}, isNew ? t("new.tasks") : task.title || t("items.untitled")));
  if (task) root.append(h("p", { class: "muted", id: "item-authors" }, authorsText(await api("GET", `/collections/${enc(collection.name)}/items/${enc(href)}`))));
  if (!mayModify) root.append(h("p", { class: "note", role: "note" }, t("item.read_only")));
  const [dueDate, dueTime] = splitDue(task && task.due);
  const title = h("input", { type: "text", name: "summary", required: true, value: task ? task.title : "", autocomplete: "off" });
  const date = h("input", { type: "date", name: "due", value: dueDate });
  const time = h("input", { type: "time", name: "due_time", value: dueTime });
  const status = select(STATUSES.map((s) => [s, t(`tasks.status.${s}`)]), task ? task.status : "NEEDS-ACTION");
  const percent = h("input", { type: "number", name: "percent", min: 0, max: 100, step: 5, value: String(task ? task.percent : 0) });
  const priority = select(PRIORITIES.map(([v, n]) => [v, t(`tasks.priority.${n}`)]), task ? String(task.priority <= 4 && task.priority ? 1 : task.priority > 5 ? 9 : task.priority) : "0");
  const others = data.tasks.filter((x) => !task || (x.uid !== task.uid && x.parent !== task.uid));
  const parent = select([["", t("tasks.no_parent")], ...others.map((x) => [x.uid, x.title || t("items.untitled")])], task ? task.parent || "" : "");
  const notes = h("textarea", { rows: 3, name: "description" });
  notes.value = description;
  for (const control of [title, date, time, status, percent, priority, parent, notes]) control.disabled = !mayModify;
  const save = h("button", { type: "submit" }, isNew ? t("add") : t("save"));
  const form = h(
    "form",
    { class: "card", novalidate: true },
    field(t("tasks.field.title"), title),
    h("div", { class: "row" }, field(t("tasks.field.due"), date), field(t("tasks.field.due_time"), time, t("tasks.field.due_time_hint"))),
    h("div", { class: "row" }, field(t("tasks.field.status"), status), field(t("tasks.field.percent"), percent), field(t("tasks.field.priority"), priority)),
    field(t("tasks.field.parent"), parent),
    field(t("field.description"), notes),
    mayModify ? h("div", { class: "actions" }, save) : null,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    act(save, async () => {
      for (const c of [title, date, percent]) c.removeAttribute("aria-invalid");
      if (!title.value.trim()) throw invalid(title, t("tasks.need_title"));
      const share = Number(percent.value || 0);
      if (!Number.isInteger(share) || share < 0 || share > 100) throw invalid(percent, t("tasks.percent_range"));
      const year = date.value ? Number(date.value.slice(0, 4)) : 2000;
      if (!(year >= 1900 && year <= 2200)) throw invalid(date, t("tasks.due_range"));
      const due = dueStored(date.value, time.value);
      const doneNow = status.value === "COMPLETED";
      const edit = (all) => {
        let block = ical.findBlock(all, null, "VTODO");
        block = ical.setText(all, block, "SUMMARY", title.value.trim());
        block = ical.setProp(all, block, "DUE", due ? due.params : "", due ? due.value : "");
        block = ical.setProp(all, block, "STATUS", "", status.value);
        block = ical.setProp(all, block, "PERCENT-COMPLETE", "", String(doneNow ? 100 : share));
        block = ical.setProp(all, block, "PRIORITY", "", priority.value === "0" ? "" : priority.value);
        block = ical.setProp(all, block, "RELATED-TO", parent.value ? "RELTYPE=PARENT" : "", parent.value ? escapeValue(parent.value) : "");
        block = ical.setText(all, block, "DESCRIPTION", notes.value.trim());
        const completed = ical.value(all, block, "COMPLETED");
        block = ical.setProp(all, block, "COMPLETED", "", doneNow ? completed || stamp() : "");
        ical.setProp(all, block, "DTSTAMP", "", stamp());
      };
      const headers = { "Content-Type": "text/calendar; charset=utf-8" };
      if (isNew) {
        const uid = newUid();
        const fresh = ical.read(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//davshare//web pages//EN", "BEGIN:VTODO", `UID:${uid}`, "END:VTODO", "END:VCALENDAR", ""].join("\r\n"));
        edit(fresh);
        await dav("PUT", path(collection, `${uid}.ics`), ical.write(fresh), { ...headers, "If-None-Match": "*" });
      } else {
        await change(collection, task, edit);
      }
      location.hash = `#/collections/${enc(collection.name)}`;
      setTimeout(() => say(isNew ? t("item.added") : t("item.saved")), 50);
    });
  });
  root.append(form);
  if (task && task.may_delete) {
    const remove = h("button", { type: "button", class: "danger" }, t("item.delete"));
    remove.addEventListener("click", () =>
      act(remove, async () => {
        if (!confirm(t("item.delete_confirm", { name: task.title }))) return;
        await dav("DELETE", path(collection, href), undefined, { "If-Match": task.etag });
        location.hash = `#/collections/${enc(collection.name)}`;
        setTimeout(() => say(t("item.deleted")), 50);
      }),
    );
    root.append(h("p", {}, remove));
  }
}
