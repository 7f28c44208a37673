// Views of a group address book (SPEC Q1-Q3): a filter builder with a live count of the
// matching contacts, and who is given which view.

import { act, api, ApiError, enc, explain, field, h, say, select, t } from "./core.js";

const FIELDS = ["city", "country", "region", "postal_code", "organisation", "email", "email_domain", "phone", "category", "title", "name"];
const OPS = ["equals", "contains", "starts_with", "exists"];

function describe(filter) {
  if (!filter) return "";
  if (filter.all) return filter.all.map(describe).join(` ${t("views.and")} `);
  if (filter.any) return `(${filter.any.map(describe).join(` ${t("views.or")} `)})`;
  if (filter.not) return `${t("views.not")} ${describe(filter.not)}`;
  const label = FIELDS.includes(filter.field) ? t(`views.field.${filter.field}`) : filter.field;
  return filter.op === "exists" ? `${label} ${t("views.op.exists")}` : `${label} ${t(`views.op.${filter.op}`)} “${filter.value}”`;
}

function conditionRow(onChange, remove, initial = {}) {
  const fieldPick = select([...FIELDS.map((f) => [f, t(`views.field.${f}`)]), ["custom", t("views.field.custom")]], FIELDS.includes(initial.field) || !initial.field ? initial.field || "city" : "custom", { class: "cond-field" });
  const custom = h("input", { type: "text", class: "cond-custom", placeholder: "X-SUPPORT-LEVEL", value: FIELDS.includes(initial.field) ? "" : initial.field || "" });
  const op = select(OPS.map((o) => [o, t(`views.op.${o}`)]), initial.op || "equals", { class: "cond-op" });
  const value = h("input", { type: "text", class: "cond-value", value: initial.value || "" });
  const negate = h("input", { type: "checkbox", class: "cond-not", checked: !!initial.negate });
  const customField = field(t("views.custom_name"), custom);
  const valueField = field(t("views.value"), value);
  const sync = () => {
    customField.hidden = fieldPick.value !== "custom";
    valueField.hidden = op.value === "exists";
  };
  sync();
  for (const control of [fieldPick, custom, op, value, negate]) {
    control.addEventListener("input", () => {
      sync();
      onChange();
    });
    control.addEventListener("change", () => {
      sync();
      onChange();
    });
  }
  const removeButton = h("button", { type: "button", class: "secondary" }, t("views.remove_condition"));
  const row = h("div", { class: "condition", role: "group", "aria-label": t("views.condition") }, field(t("views.field"), fieldPick), customField, field(t("views.op"), op), valueField, h("label", { class: "check" }, negate, t("views.negate")), removeButton);
  removeButton.addEventListener("click", () => remove(row));
  row.read = () => {
    const name = fieldPick.value === "custom" ? custom.value.trim() : fieldPick.value;
    if (!name) throw new ApiError(400, "invalid", t("views.need_field"));
    const condition = { field: name, op: op.value };
    if (op.value !== "exists") condition.value = value.value;
    return negate.checked ? { not: condition } : condition;
  };
  return row;
}

// Whether the builder can show a filter: all/any of (possibly negated) conditions.
function editable(filter) {
  const leaf = (f) => f && (f.field !== undefined || (f.not && f.not.field !== undefined));
  if (leaf(filter)) return true;
  const parts = filter && (filter.all || filter.any);
  return Array.isArray(parts) && parts.every(leaf);
}

function flatten(filter) {
  // The builder edits one level: all/any of (possibly negated) conditions.
  const parts = filter?.all || filter?.any || (filter ? [filter] : []);
  return {
    mode: filter?.any ? "any" : "all",
    conditions: parts.map((p) => (p.not ? { ...p.not, negate: true } : p)).filter((p) => p.field),
  };
}

function builder(group, collection, initial, onSaved) {
  const base = `/groups/${enc(group.name)}/collections/${enc(collection.name)}`;
  const name = h("input", { type: "text", name: "view-name", required: true, value: initial?.name || "", pattern: "[A-Za-z0-9 _.-]+" });
  const mode = select([["all", t("views.all")], ["any", t("views.any")]], "all");
  const rows = h("div", {});
  const count = h("p", { class: "count", "aria-live": "polite", role: "status" }, t("views.count_unknown"));
  let timer;
  const read = () => {
    const conditions = [...rows.children].map((r) => r.read());
    if (!conditions.length) throw new ApiError(400, "invalid", t("views.need_condition"));
    return conditions.length === 1 && mode.value === "all" ? conditions[0] : { [mode.value]: conditions };
  };
  const refresh = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      try {
        const { count: n } = await api("POST", `${base}/views-preview`, { filter: read() });
        count.textContent = t("views.count", { n });
      } catch (error) {
        count.textContent = explain(error);
      }
    }, 300);
  };
  const remove = (row) => {
    row.remove();
    refresh();
  };
  const addRow = (initialCondition) => rows.append(conditionRow(refresh, remove, initialCondition));
  const start = flatten(initial?.filter);
  mode.value = start.mode;
  if (start.conditions.length) start.conditions.forEach(addRow);
  else addRow();
  mode.addEventListener("change", refresh);
  const more = h("button", { type: "button", class: "secondary" }, t("views.add_condition"));
  more.addEventListener("click", () => {
    addRow();
    rows.lastElementChild.querySelector("select").focus();
    refresh();
  });
  const save = h("button", { type: "submit" }, t("views.save"));
  const form = h("form", { class: "card", "aria-label": t("views.builder") }, h("h3", {}, initial ? t("views.edit", { name: initial.name }) : t("views.new")), field(t("views.name"), name), field(t("views.combine"), mode), rows, more, count, save);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    act(save, async () => {
      if (!name.value.trim()) throw new ApiError(400, "invalid", t("views.need_name"));
      await api("PUT", `${base}/views/${enc(name.value.trim())}`, { filter: read() });
      say(t("views.saved", { name: name.value.trim() }));
      onSaved();
    });
  });
  refresh();
  return form;
}

export async function viewsSection(group, collection) {
  const section = h("section", { "aria-label": t("views.title_of", { name: collection.display_name || collection.name }) });
  const base = `/groups/${enc(group.name)}/collections/${enc(collection.name)}`;
  const render = async () => {
    section.replaceChildren(h("h2", { id: `views-h-${collection.name}` }, t("views.title_of", { name: collection.display_name || collection.name })), h("p", { class: "muted" }, t("views.intro")));
    let data;
    try {
      data = await api("GET", `${base}/views`);
    } catch (error) {
      section.append(h("p", { class: "note" }, error.status === 404 ? t("views.unavailable") : explain(error)));
      return;
    }
    const list = h("ul", {});
    for (const view of data.views) {
      const edit = h("button", { type: "button", class: "secondary" }, t("views.edit_button"));
      const remove = h("button", { type: "button", class: "secondary" }, t("views.delete"));
      edit.addEventListener("click", () => {
        if (!editable(view.filter)) {
          say(t("views.too_deep"), "error");
          return;
        }
        const form = builder(group, collection, view, render);
        editor.replaceChildren(form);
        form.querySelector("input").focus();
      });
      remove.addEventListener("click", () =>
        act(remove, async () => {
          if (!confirm(t("views.delete_confirm", { name: view.name }))) return;
          await api("DELETE", `${base}/views/${enc(view.name)}`);
          say(t("views.deleted", { name: view.name }));
          render();
        }),
      );
      list.append(h("li", {}, h("strong", {}, view.name), ` — ${describe(view.filter)} `, h("span", { class: "muted" }, view.members?.length ? t("views.given_to", { who: view.members.join(", ") }) : t("views.given_to_nobody")), " ", edit, " ", remove));
    }
    if (!data.views.length) list.append(h("li", { class: "muted" }, t("views.none")));
    const editor = h("div", {});
    const create = h("button", { type: "button" }, t("views.new"));
    create.addEventListener("click", () => {
      const form = builder(group, collection, null, render);
      editor.replaceChildren(form);
      form.querySelector("input").focus();
    });
    section.append(list, create, editor);

    // Who sees which view.
    const table = h("table", { class: "stack" }, h("thead", {}, h("tr", {}, h("th", {}, t("members.person")), h("th", {}, t("views.sees")))));
    const body = h("tbody");
    for (const member of group.members.filter((m) => m.role === "member")) {
      const choice = select([["", t("views.full_access")], ...data.views.map((v) => [v.name, v.name])], data.assignments?.[member.login] || "", { "aria-label": t("views.sees_of", { who: member.login }) });
      choice.addEventListener("change", () =>
        act(choice, async () => {
          const path = `${base}/view-assignments/${enc(member.login)}`;
          if (choice.value) await api("PUT", path, { view: choice.value });
          else await api("DELETE", path);
          say(choice.value ? t("views.assigned", { who: member.login, name: choice.value }) : t("views.unassigned", { who: member.login }));
        }),
      );
      body.append(h("tr", {}, h("td", { "data-label": t("members.person") }, member.display_name ? `${member.display_name} — ${member.login}` : member.login), h("td", { "data-label": t("views.sees") }, choice)));
    }
    table.append(body);
    section.append(h("h3", {}, t("views.who_sees")), body.children.length ? table : h("p", { class: "muted" }, t("views.no_members")));
  };
  await render();
  return section;
}
