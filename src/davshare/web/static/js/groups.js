// Groups: the list, invitations to accept, creating one, and a group's own page.

import { act, api, check, dialog, enc, field, h, kindLabel, personName, say, select, state, t } from "./core.js";
import { urlBox } from "./app.js";
import { viewsSection } from "./views.js";
import { activitySection } from "./trash.js";

// The read-only address book of a group's members, kept by the server (SPEC G4).
const MEMBERS_BOOK = "members";

export async function groupsPage(root, token) {
  const [{ groups }, { invitations }] = await Promise.all([api("GET", "/groups"), api("GET", "/invitations")]);
  root.append(h("h1", {}, t("groups.title")));

  root.append(h("h2", {}, t("invitations.title")));
  if (token && !invitations.some((i) => i.token === token)) {
    root.append(h("p", { class: "note" }, t("invitations.link_unknown", { login: state.login })));
  }
  if (!invitations.length) root.append(h("p", { class: "muted" }, t("invitations.none")));
  invitations.sort((a, b) => (b.token === token) - (a.token === token));
  for (const invitation of invitations) {
    const accept = h("button", { type: "button" }, t("invitations.accept"));
    const decline = h("button", { type: "button", class: "secondary" }, t("invitations.decline"));
    accept.addEventListener("click", () =>
      act(accept, async () => {
        await api("POST", `/invitations/${enc(invitation.token)}/accept`);
        location.hash = `#/groups/${enc(invitation.group)}`;
        setTimeout(() => say(t("invitations.accepted", { group: invitation.group })), 50);
      }),
    );
    decline.addEventListener("click", () =>
      act(decline, async () => {
        await api("POST", `/invitations/${enc(invitation.token)}/decline`);
        say(t("invitations.declined", { group: invitation.group }));
        card.remove();
      }),
    );
    const card = h(
      "section",
      { class: "card", "aria-label": t("invitations.to", { group: invitation.group }) },
      h("h3", {}, t("invitations.to", { group: invitation.group })),
      h("p", {}, t("invitations.from", { who: invitation.invited_by })),
      h("div", { class: "actions" }, accept, decline),
    );
    root.append(card);
  }

  root.append(h("h2", {}, t("groups.mine")));
  if (!groups.length) root.append(h("p", { class: "muted" }, t("groups.none")));
  else
    root.append(
      h("ul", {}, groups.map((g) => h("li", {}, h("a", { href: `#/groups/${enc(g.name)}` }, g.name), g.my_role ? h("span", { class: "badge" }, t(`role.${g.my_role}`)) : null))),
    );

  const name = h("input", { type: "text", name: "name", required: true, pattern: "[a-z0-9][a-z0-9-]{1,62}", autocomplete: "off" });
  const description = h("input", { type: "text", name: "description" });
  const create = h("button", { type: "submit" }, t("groups.create"));
  const form = h("form", { class: "card" }, h("h2", {}, t("groups.create_title")), field(t("groups.name"), name, t("groups.name_hint")), field(t("groups.description"), description), create);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    act(create, async () => {
      const group = await api("POST", "/groups", { name: name.value.trim(), description: description.value });
      location.hash = `#/groups/${enc(group.name)}`;
      setTimeout(() => say(t("groups.created", { name: group.name })), 50);
    });
  });
  root.append(form);

  // The directory: published groups (SPEC G12).
  const query = h("input", { type: "search", name: "q" });
  const activity = select([["", t("any")], ["professional", t("directory.professional")], ["personal", t("directory.personal")]], "");
  const language = select([["", t("any")], ["en", "English"], ["fr", "Français"]], "");
  const results = h("div", { "aria-live": "polite" });
  const search = h("button", { type: "submit", class: "secondary" }, t("directory.search"));
  const dir = h("form", { class: "card", role: "search" }, h("h2", {}, t("directory.title")), h("p", { class: "muted" }, t("directory.intro")), h("div", { class: "row" }, field(t("directory.name"), query), field(t("directory.activity"), activity), field(t("directory.language"), language), search), results);
  dir.addEventListener("submit", (event) => {
    event.preventDefault();
    act(search, async () => {
      const params = new URLSearchParams({ name: query.value, activity: activity.value, language: language.value });
      const found = await api("GET", `/directory?${params}`);
      results.replaceChildren(
        found.groups.length
          ? h("ul", {}, found.groups.map((g) => {
              const join = h("button", { type: "button", class: "secondary" }, t("directory.join"));
              join.addEventListener("click", () =>
                act(join, async () => {
                  const answer = await api("POST", `/directory/${enc(g.name)}/join`, { message: "" });
                  say(answer.status === "joined" ? t("directory.joined", { name: g.name }) : t("directory.requested", { name: g.name }));
                }),
              );
              return h("li", {}, g.name, " — ", g.description || "", " ", join);
            }))
          : h("p", {}, t("directory.nothing")),
      );
    });
  });
  root.append(dir);
}

// -- one group --------------------------------------------------------------------------

export async function groupPage(root, name) {
  const group = await api("GET", `/groups/${enc(name)}`);
  const role = group.my_role;
  const admin = role === "admin" || (state.me && state.me.server_admin);
  const manager = admin || role === "coadmin";
  const reload = () => {
    root.replaceChildren();
    return groupPage(root, name).then(() => root.querySelector("h1")?.focus());
  };
  root.append(h("h1", {}, t("group.title", { name: group.name }), role ? h("span", { class: "badge" }, t(`role.${role}`)) : null));
  if (group.description) root.append(h("p", {}, group.description));

  // Collections with their URLs and rights.
  const onThisPage = h("nav", { class: "toc", "aria-label": t("group.on_this_page") });
  root.append(onThisPage);
  root.append(h("h2", { id: "col-h" }, t("group.collections")));
  const cards = h("div", { class: "cards" });
  for (const collection of group.collections) {
    const card = h("section", { class: "card", "aria-label": collection.display_name || collection.name }, h("h3", {}, collection.display_name || collection.name, h("span", { class: "badge" }, kindLabel(collection.kind))));
    if (collection.url) {
      card.append(urlBox(collection.url, t("subscription_url_of", { name: collection.display_name || collection.name })));
      const mountName = `${collection.name}@${group.name}`;
      card.append(h("a", { class: "button secondary", href: `#/collections/${enc(mountName)}` }, t("open")));
    }
    if (manager && collection.name !== MEMBERS_BOOK) card.append(await rightsEditor(group, collection));
    if (collection.name === MEMBERS_BOOK) card.append(h("p", { class: "muted" }, t("group.members_book")));
    cards.append(card);
  }
  root.append(cards);
  if (manager) root.append(addCollectionForm(group, reload));

  root.append(await membersSection(group, admin, manager, reload));
  root.append(await activitySection(group.name));
  if (manager) root.append(await invitationsSection(group));
  if (manager) {
    for (const collection of group.collections.filter((c) => c.kind === "addressbook" && c.name !== MEMBERS_BOOK)) {
      root.append(await viewsSection(group, collection));
    }
  }
  if (admin) root.append(await settingsSection(group));
  if (manager) root.append(await joinRequestsSection(group));
  if (admin) root.append(deleteSection(group));
  if (role && role !== "admin") root.append(leaveSection(group));
  // Quick links to the page's sections (buttons: the address bar's # is the app's route).
  for (const heading of root.querySelectorAll("h2[id]")) {
    const go = h("button", { type: "button", class: "link" }, heading.textContent);
    go.addEventListener("click", () => {
      const target = document.getElementById(heading.id); // sections may re-render
      if (!target) return;
      target.tabIndex = -1;
      target.scrollIntoView();
      target.focus();
    });
    onThisPage.append(go);
  }
}

async function rightsEditor(group, collection) {
  const box = h("div", {});
  const path = `/groups/${enc(group.name)}/collections/${enc(collection.name)}/grants`;
  let grants;
  try {
    ({ grants } = await api("GET", path));
  } catch {
    return box;
  }
  const list = h("ul", {});
  const members = group.members.filter((m) => m.role === "member");
  const render = () => {
    list.replaceChildren(
      ...(grants.length
        ? grants.map((g) => {
            const revoke = h("button", { type: "button", class: "link" }, t("rights.revoke"));
            revoke.addEventListener("click", () =>
              act(revoke, async () => {
                await api("DELETE", `${path}/${enc(g.grantee)}`);
                grants = grants.filter((x) => x.grantee !== g.grantee);
                render();
                say(t("rights.revoked", { who: personName(g.grantee, group.members) }));
              }),
            );
            return h("li", {}, personName(g.grantee, group.members), " — ", t(`rights.${g.rights}`), " ", revoke);
          })
        : [h("li", { class: "muted" }, t("rights.only_admins"))]),
    );
  };
  render();
  const who = select([["*", t("all_members")], ...members.map((m) => [m.login, personName(m.login, group.members)])], "*", { name: "grantee" });
  const rights = select([["add", t("rights.add")], ["add_delete", t("rights.add_delete")]], "add", { name: "rights" });
  const give = h("button", { type: "submit", class: "secondary" }, t("rights.give"));
  const form = h("form", { class: "row", "aria-label": t("rights.form", { name: collection.display_name || collection.name }) }, field(t("rights.who"), who), field(t("rights.what"), rights), give);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    act(give, async () => {
      ({ grants } = await api("PUT", `${path}/${enc(who.value)}`, { rights: rights.value }));
      render();
      say(t("rights.given", { who: personName(who.value, group.members), what: t(`rights.${rights.value}`) }));
    });
  });
  box.append(h("h4", {}, t("rights.title")), h("p", { class: "muted" }, t("rights.intro")), list, form);
  return box;
}

function addCollectionForm(group, reload) {
  const name = h("input", { type: "text", required: true, pattern: "[a-z0-9-]+" });
  const kind = select([["addressbook", t("kind.addressbook")], ["calendar", t("kind.calendar")], ["tasks", t("kind.tasks")]], "addressbook");
  const display = h("input", { type: "text" });
  const add = h("button", { type: "submit", class: "secondary" }, t("group.add_collection"));
  const form = h("form", { class: "card" }, h("h3", {}, t("group.add_collection")), h("div", { class: "row" }, field(t("group.collection_name"), name, t("group.collection_name_hint")), field(t("group.collection_kind"), kind), field(t("group.collection_display"), display), add));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    act(add, async () => {
      await api("POST", `/groups/${enc(group.name)}/collections`, { name: name.value.trim(), kind: kind.value, display_name: display.value });
      await reload();
      say(t("group.collection_added"));
    });
  });
  return form;
}

async function membersSection(group, admin, manager, reload) {
  const section = h("section", { "aria-labelledby": "members-h" }, h("h2", { id: "members-h" }, t("members.title")));
  const table = h("table", { class: "stack" }, h("thead", {}, h("tr", {}, h("th", {}, t("members.person")), h("th", {}, t("members.role")), h("th", {}, t("actions")))));
  const body = h("tbody");
  table.append(body);
  for (const member of group.members) {
    const actions = h("div", { class: "actions" });
    const base = `/groups/${enc(group.name)}/members/${enc(member.login)}`;
    const button = (label, onClick, kind = "secondary") => {
      const b = h("button", { type: "button", class: kind, "aria-label": `${label}: ${member.login}` }, label);
      b.addEventListener("click", () => act(b, onClick));
      actions.append(b);
    };
    if (admin && member.role === "member")
      button(t("members.appoint"), async () => {
        await api("PUT", `${base}/role`, { role: "coadmin" });
        await reload();
        say(t("members.appointed", { who: member.login }));
      });
    if (admin && member.role === "coadmin")
      button(t("members.revoke"), async () => {
        await api("PUT", `${base}/role`, { role: "member" });
        await reload();
        say(t("members.revoked", { who: member.login }));
      });
    if (admin && member.role !== "admin")
      button(t("members.hand_over"), async () => {
        if (!confirm(t("members.hand_over_confirm", { who: member.login }))) return;
        await api("POST", `/groups/${enc(group.name)}/transfer`, { login: member.login });
        await reload();
        say(t("members.handed_over", { who: member.login }));
      });
    if (member.role !== "admin" && member.login !== state.login && (admin || (manager && member.role === "member")))
      button(
        t("members.remove"),
        async () => {
          if (!confirm(t("members.remove_confirm", { who: member.login }))) return;
          await api("DELETE", base);
          await reload();
          say(t("members.removed", { who: member.login }));
        },
        "danger",
      );
    body.append(h("tr", {}, h("td", { "data-label": t("members.person") }, member.display_name ? `${member.display_name} — ${member.login}` : member.login), h("td", { "data-label": t("members.role") }, t(`role.${member.role}`)), h("td", {}, actions)));
  }
  section.append(table);
  if (admin && group.members.length > 1) {
    const all = h("button", { type: "button", class: "danger" }, t("members.remove_all"));
    all.addEventListener("click", () =>
      act(all, async () => {
        if (!confirm(t("members.remove_all_confirm"))) return;
        const answer = await api("DELETE", `/groups/${enc(group.name)}/members`);
        await reload();
        say(t("members.removed_all", { n: answer.removed }));
      }),
    );
    section.append(h("p", {}, all));
  }
  return section;
}

async function invitationsSection(group) {
  const path = `/groups/${enc(group.name)}/invitations`;
  const section = h("section", { "aria-labelledby": "inv-h" }, h("h2", { id: "inv-h" }, t("invite.title")));
  const address = h("input", { type: "email", name: "address", required: true, autocomplete: "off" });
  const send = h("button", { type: "submit" }, t("invite.send"));
  const list = h("ul", { class: "items" });
  const render = (invitations) => {
    list.replaceChildren(
      ...(invitations.length
        ? invitations.map((i) => {
            const resend = h("button", { type: "button", class: "secondary", "aria-label": `${t("invite.resend")}: ${i.address}` }, t("invite.resend"));
            const withdraw = h("button", { type: "button", class: "secondary", "aria-label": `${t("invite.withdraw")}: ${i.address}` }, t("invite.withdraw"));
            resend.addEventListener("click", () =>
              act(resend, async () => {
                await api("POST", `${path}/${enc(i.address)}/resend`);
                say(t("invite.resent", { who: i.address }));
              }),
            );
            withdraw.addEventListener("click", () =>
              act(withdraw, async () => {
                await api("DELETE", `${path}/${enc(i.address)}`);
                render((await api("GET", path)).invitations);
                say(t("invite.withdrawn", { who: i.address }));
              }),
            );
            return h("li", {}, h("strong", {}, i.address), " ", h("span", { class: "muted" }, i.expired ? t("invite.expired") : t("invite.pending")), " ", h("span", { class: "actions" }, resend, withdraw));
          })
        : [h("li", { class: "muted" }, t("invite.none"))]),
    );
  };
  render((await api("GET", path)).invitations);
  const form = h("form", { class: "row" }, field(t("invite.address"), address, t("invite.hint")), send);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    act(send, async () => {
      await api("POST", path, { address: address.value.trim() });
      say(t("invite.sent", { who: address.value.trim() }));
      address.value = "";
      render((await api("GET", path)).invitations);
      address.focus();
    });
  });
  section.append(form, h("h3", {}, t("invite.pending_title")), list);
  return section;
}

async function settingsSection(group) {
  const section = h("section", { "aria-labelledby": "set-h" }, h("h2", { id: "set-h" }, t("settings.title")));
  const settings = await api("GET", `/groups/${enc(group.name)}/directory`);
  const description = h("input", { type: "text", value: group.description || "" });
  const published = h("input", { type: "checkbox", checked: !!settings.published });
  const membersPublished = h("input", { type: "checkbox", checked: !!settings.members_published });
  const open = h("input", { type: "checkbox", checked: !!settings.open });
  const activity = select([["professional", t("directory.professional")], ["personal", t("directory.personal")]], settings.activity || "professional");
  const sector = h("input", { type: "text", value: settings.sector || "" });
  const language = select([["en", "English"], ["fr", "Français"]], settings.language || "en");
  const save = h("button", { type: "submit" }, t("save"));
  const form = h(
    "form",
    { class: "card" },
    field(t("groups.description"), description),
    h("p", { class: "muted" }, t("settings.name_fixed", { name: group.name })),
    h("fieldset", {}, h("legend", {}, t("settings.directory")), check(t("settings.published"), published), check(t("settings.members_published"), membersPublished), check(t("settings.open"), open), field(t("directory.activity"), activity), field(t("settings.sector"), sector), field(t("directory.language"), language)),
    save,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    act(save, async () => {
      await api("PATCH", `/groups/${enc(group.name)}`, { description: description.value });
      await api("PATCH", `/groups/${enc(group.name)}/directory`, {
        published: published.checked,
        members_published: membersPublished.checked,
        open: open.checked && published.checked,
        activity: activity.value,
        sector: sector.value,
        language: language.value,
      });
      say(t("settings.saved"));
    });
  });
  section.append(form);
  return section;
}

async function joinRequestsSection(group) {
  const section = h("section", {});
  let requests = [];
  try {
    ({ requests } = await api("GET", `/groups/${enc(group.name)}/join-requests`));
  } catch {
    return section;
  }
  if (!requests.length) return section;
  section.append(h("h2", {}, t("join.title")));
  for (const request of requests) {
    const accept = h("button", { type: "button" }, t("invitations.accept"));
    const decline = h("button", { type: "button", class: "secondary" }, t("invitations.decline"));
    const item = h("p", {}, request.login, request.message ? ` — “${request.message}” ` : " ", accept, " ", decline);
    for (const [button, verb] of [[accept, "accept"], [decline, "decline"]]) {
      button.addEventListener("click", () =>
        act(button, async () => {
          await api("POST", `/groups/${enc(group.name)}/join-requests/${enc(request.login)}/${verb}`);
          item.remove();
          say(t(`join.${verb}ed`, { who: request.login }));
        }),
      );
    }
    section.append(item);
  }
  return section;
}

function deleteSection(group) {
  const open = h("button", { type: "button", class: "danger" }, t("delete_group.button"));
  open.addEventListener("click", () =>
    dialog(t("delete_group.title", { name: group.name }), (close) => {
      const confirmName = h("input", { type: "text", autocomplete: "off" });
      const remove = h("button", { type: "submit", class: "danger" }, t("delete_group.confirm"));
      const form = h("form", {}, h("p", {}, t("delete_group.warning")), field(t("delete_group.type_name", { name: group.name }), confirmName), h("div", { class: "actions" }, remove, h("button", { type: "button", class: "secondary", onclick: close }, t("cancel"))));
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        act(remove, async () => {
          await api("DELETE", `/groups/${enc(group.name)}?confirm=${enc(confirmName.value.trim())}`);
          close();
          location.hash = "#/groups";
          setTimeout(() => say(t("delete_group.done", { name: group.name })), 50);
        });
      });
      return form;
    }),
  );
  return h("section", {}, h("h2", { id: "del-h" }, t("delete_group.section")), h("p", { class: "muted" }, t("delete_group.intro")), open);
}

function leaveSection(group) {
  const leave = h("button", { type: "button", class: "danger" }, t("leave.button"));
  leave.addEventListener("click", () =>
    act(leave, async () => {
      const { shares } = await api("GET", `/groups/${enc(group.name)}/my-shares`);
      dialog(t("leave.title", { name: group.name }), (close) => {
        const withdraw = h("input", { type: "checkbox", checked: true });
        const go = h("button", { type: "submit", class: "danger" }, t("leave.confirm"));
        const form = h(
          "form",
          {},
          shares.length ? [h("p", {}, t("leave.shares")), h("ul", {}, shares.map((s) => h("li", {}, s.collection, " → ", s.group || s.sharee, " (", t(`rights.${s.rights}`), ")"))), check(t("leave.withdraw"), withdraw)] : h("p", {}, t("leave.no_shares")),
          h("div", { class: "actions" }, go, h("button", { type: "button", class: "secondary", onclick: close }, t("cancel"))),
        );
        form.addEventListener("submit", (event) => {
          event.preventDefault();
          act(go, async () => {
            await api("DELETE", `/groups/${enc(group.name)}/members/${enc(state.login)}?withdraw_shares=${shares.length && withdraw.checked ? "true" : "false"}`);
            close();
            location.hash = "#/groups";
            setTimeout(() => say(t("leave.done", { name: group.name })), 50);
          });
        });
        return form;
      });
    }),
  );
  return h("section", {}, h("h2", { id: "leave-h" }, t("leave.section")), leave);
}
