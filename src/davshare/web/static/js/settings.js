// One collection's settings (the pencil): its name, colour and description for its owner;
// one's own name and colour for a group's or a shared collection; the subscription link
// and client set-up; whom it is shared with, each person's rights changed in place.

import { act, api, ApiError, enc, field, h, say, select, state, t } from "./core.js";
import { setupSteps, urlBox } from "./app.js";
import { shareDialog } from "./share_dialog.js";

function rightsChoices(collection) {
  return [
    ...(collection.kind === "calendar" ? [["freebusy", t("rights.freebusy")]] : []),
    ["read", t("rights.read")],
    ["read_write", t("rights.read_write")],
    ["read_write_delete", t("rights.read_write_delete")],
  ];
}

function invalid(control, message) {
  control.setAttribute("aria-invalid", "true");
  control.focus();
  return new ApiError(400, "invalid_input", message);
}

function detailsForm(collection, reload) {
  const own = collection.source === "own";
  const name = h("input", { type: "text", name: "display_name", value: collection.display_name || collection.name, required: true, autocomplete: "off" });
  const color = h("input", { type: "color", name: "color", value: /^#[0-9a-f]{6}$/i.test(collection.color.slice(0, 7)) ? collection.color.slice(0, 7) : "#1d4ed8" });
  const description = h("textarea", { rows: 2, name: "description" });
  description.value = collection.description || "";
  const save = h("button", { type: "submit" }, t("save"));
  const form = h(
    "form",
    { class: "card", novalidate: true, "aria-labelledby": "settings-details" },
    h("h2", { id: "settings-details" }, t("settings.details")),
    own ? null : h("p", { class: "muted" }, t("settings.own_view")),
    h("div", { class: "row" }, field(t("collections.name"), name), field(t("collections.color"), color)),
    own ? field(t("groups.description"), description) : null,
    h("div", { class: "actions" }, save),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    act(save, async () => {
      name.removeAttribute("aria-invalid");
      if (!name.value.trim()) throw invalid(name, t("settings.need_name"));
      const body = { display_name: name.value.trim(), color: color.value };
      if (own) body.description = description.value.trim();
      await api("PATCH", `/collections/${enc(collection.name)}`, body);
      await reload();
      say(t("settings.saved", { name: body.display_name }));
    });
  });
  return form;
}

async function sharesSection(collection, reload) {
  const path = `/collections/${enc(collection.name)}`;
  const { shares } = await api("GET", `${path}/shares`);
  const section = h("section", { class: "card", "aria-labelledby": "settings-shares" }, h("h2", { id: "settings-shares" }, t("settings.shared_with")));
  if (!shares.length) section.append(h("p", { class: "muted" }, t("sharing.nobody")));
  else {
    const body = h("tbody");
    for (const share of shares) {
      const who = share.group ? t("sharing.group", { name: share.group }) : share.sharee;
      const target = share.group ? `${path}/group-shares/${enc(share.group)}` : `${path}/shares/${enc(share.sharee)}`;
      const rights = select(rightsChoices(collection), share.rights, { "aria-label": t("settings.rights_of", { who }) });
      rights.addEventListener("change", () =>
        act(rights, async () => {
          try {
            await api("PUT", target, { rights: rights.value, confidential: share.confidential });
          } catch (error) {
            rights.value = share.rights;
            throw error;
          }
          share.rights = rights.value;
          say(t("settings.rights_changed", { who, rights: t(`rights.${rights.value}`) }));
        }),
      );
      const stop = h("button", { type: "button", class: "secondary", "aria-label": `${t("share.stop")}: ${who}` }, t("share.stop"));
      stop.addEventListener("click", () =>
        act(stop, async () => {
          await api("DELETE", target);
          say(t("share.stopped", { who }));
          await reload();
        }),
      );
      const secret = share.confidential.length ? h("span", { class: "muted" }, t("share.confidential_list", { fields: share.confidential.join(", ") })) : "";
      body.append(h("tr", {}, h("td", { "data-label": t("share.person") }, who), h("td", { "data-label": t("share.rights") }, rights, " ", secret), h("td", {}, stop)));
    }
    section.append(h("table", { class: "stack" }, h("thead", {}, h("tr", {}, h("th", {}, t("share.person")), h("th", {}, t("share.rights")), h("th", {}, t("actions")))), body));
  }
  section.append(h("p", {}, h("button", { type: "button", class: "secondary", onclick: () => shareDialog(collection, reload) }, t("settings.share_more"))));
  return section;
}

export async function settingsPage(root, name) {
  const render = async () => {
    const { collections } = await api("GET", "/collections");
    const collection = collections.find((c) => c.name === name);
    if (!collection) throw new ApiError(404, "not_found", t("collection.missing", { name }));
    const me = state.me || (await api("GET", "/me"));
    const title = collection.display_name || collection.name;
    const parts = [
      h("p", {}, h("a", { href: `#/collections/${enc(name)}` }, t("item.back", { name: title }))),
      h("h1", {}, t("settings.title", { name: title })),
      detailsForm(collection, rerender),
      h("section", { class: "card", "aria-labelledby": "settings-link" }, h("h2", { id: "settings-link" }, t("settings.link")), urlBox(collection.url, t("subscription_url_of", { name: title })), setupSteps(collection, me.home_url)),
    ];
    if (collection.source === "own") parts.push(await sharesSection(collection, rerender));
    return parts;
  };
  const rerender = async () => root.replaceChildren(...(await render()));
  root.append(...(await render()));
}
