// The share dialog of one's own collection: people of any domain (with suggestions) or a
// group, their rights, and for address books the confidential fields they do not receive.

import { act, api, check, dialog, enc, explain, field, h, say, select, t } from "./core.js";

export const CONFIDENTIAL_CHOICES = ["BDAY", "NOTE", "ADR;TYPE=HOME", "TEL;TYPE=HOME", "EMAIL;TYPE=HOME", "PHOTO", "URL"];

export function confidentialChoices(chosen = []) {
  const boxes = CONFIDENTIAL_CHOICES.map((name) => h("input", { type: "checkbox", value: name, checked: chosen.includes(name) }));
  const set = h("fieldset", {}, h("legend", {}, t("confidential.legend")), h("p", { class: "muted" }, t("confidential.intro")), boxes.map((b) => check(t(`confidential.${b.value}`), b)));
  return { set, chosen: () => boxes.filter((b) => b.checked).map((b) => b.value) };
}

export function shareDialog(collection, onChange) {
  const path = `/collections/${enc(collection.name)}`;
  const calendar = collection.kind !== "addressbook";
  const rightsChoices = [
    ...(collection.kind === "calendar" ? [["freebusy", t("rights.freebusy")]] : []),
    ["read", t("rights.read")],
    ["read_write", t("rights.read_write")],
    ["read_write_delete", t("rights.read_write_delete")],
  ];
  dialog(t("share.title", { name: collection.display_name || collection.name }), (close) => {
    const list = h("ul", { class: "items", "aria-live": "polite" });
    const render = (shares) =>
      list.replaceChildren(
        ...(shares.length
          ? shares.map((s) => {
              const stop = h("button", { type: "button", class: "secondary", "aria-label": `${t("share.stop")}: ${s.group || s.sharee}` }, t("share.stop"));
              stop.addEventListener("click", () =>
                act(stop, async () => {
                  await api("DELETE", s.group ? `${path}/group-shares/${enc(s.group)}` : `${path}/shares/${enc(s.sharee)}`);
                  render((await api("GET", `${path}/shares`)).shares);
                  say(t("share.stopped", { who: s.group || s.sharee }));
                  onChange && onChange();
                }),
              );
              const secret = s.confidential && s.confidential.length ? ` · ${t("share.confidential_list", { fields: s.confidential.join(", ") })}` : "";
              return h("li", {}, h("strong", {}, s.group ? t("sharing.group", { name: s.group }) : s.sharee), ` — ${t(`rights.${s.rights}`)}${secret} `, stop);
            })
          : [h("li", { class: "muted" }, t("sharing.nobody"))]),
      );
    api("GET", `${path}/shares`).then((d) => render(d.shares), (e) => say(explain(e), "error"));

    const person = h("input", { type: "text", name: "sharee", list: "people-list", autocomplete: "off", required: true });
    const people = h("datalist", { id: "people-list" });
    let timer;
    person.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        if (person.value.trim().length < 3) return;
        try {
          const found = await api("GET", `/people?q=${enc(person.value.trim())}`);
          people.replaceChildren(...found.people.map((p) => h("option", { value: p.login }, p.display_name || p.login)));
        } catch {
          /* autocomplete only */
        }
      }, 200);
    });
    const rights = select(rightsChoices, "read", { name: "rights" });
    const confidential = calendar ? null : confidentialChoices();
    const add = h("button", { type: "submit" }, t("share.add"));
    const form = h("form", {}, h("div", { class: "row" }, field(t("share.person"), person, t("share.person_hint")), people, field(t("share.rights"), rights)), confidential ? confidential.set : null, add);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      act(add, async () => {
        const body = { rights: rights.value };
        if (confidential && confidential.chosen().length) body.confidential = confidential.chosen();
        const answer = await api("PUT", `${path}/shares/${enc(person.value.trim())}`, body);
        render(answer.shares);
        say(t("share.done", { who: person.value.trim(), rights: t(`rights.${rights.value}`) }));
        person.value = "";
        person.focus();
        onChange && onChange();
      });
    });

    const groupPick = select([], "");
    const groupRights = select(rightsChoices, "read");
    const addGroup = h("button", { type: "submit", class: "secondary" }, t("share.add_group"));
    const groupForm = h("form", {}, h("h3", {}, t("share.with_group")), h("div", { class: "row" }, field(t("share.group"), groupPick), field(t("share.rights"), groupRights), addGroup));
    api("GET", "/groups").then((d) => {
      groupPick.replaceChildren(...d.groups.filter((g) => g.my_role).map((g) => h("option", { value: g.name }, g.name)));
      if (!groupPick.options.length) groupForm.hidden = true;
    });
    groupForm.addEventListener("submit", (event) => {
      event.preventDefault();
      act(addGroup, async () => {
        const answer = await api("PUT", `${path}/group-shares/${enc(groupPick.value)}`, { rights: groupRights.value });
        render(answer.shares);
        say(t("share.done", { who: groupPick.value, rights: t(`rights.${groupRights.value}`) }));
        onChange && onChange();
      });
    });
    return h(
      "div",
      {},
      h("p", { class: "muted" }, t("share.intro")),
      h("h3", {}, t("share.current")),
      list,
      h("h3", {}, t("share.with_person")),
      form,
      groupForm,
      h("p", {}, h("button", { type: "button", class: "secondary", onclick: close }, t("close"))),
    );
  });
}
