// The single-page app: sign-in, navigation (#/...), and the pages everyone sees.

import {
  act, api, ApiError, clearMessages, copyText, dav, enc, fail, field, focusHeading, h, kindLabel,
  loadLanguage, say, select, state, t,
} from "./core.js";
import { groupPage, groupsPage } from "./groups.js";
import { collectionPage, itemPage } from "./items.js";
import { shareDialog } from "./share_dialog.js";
import { adminPage } from "./admin.js";
import { calendarPage } from "./calendar.js";
import { settingsPage } from "./settings.js";
import { profilePage } from "./profile.js";
import { securityPage } from "./security.js";
import { meetingsPage } from "./meetings.js";

const main = () => document.getElementById("main");

function chooseLanguage() {
  const saved = localStorage.getItem("davshare-lang");
  if (saved === "en" || saved === "fr") return saved;
  return (navigator.languages || [navigator.language || "en"]).some((l) => l.toLowerCase().startsWith("fr"))
    ? "fr"
    : "en";
}

function renderChrome() {
  document.getElementById("lang-label").textContent = t("language");
  document.querySelector(".skip").textContent = t("skip");
  const signout = document.getElementById("signout");
  signout.textContent = t("sign_out");
  signout.hidden = !state.login;
  document.getElementById("who").textContent = state.login ? state.login : "";
  const nav = document.getElementById("nav");
  nav.replaceChildren();
  if (!state.login) return;
  const links = [
    ["#/", t("nav.collections")],
    ["#/calendar", t("nav.calendar")],
    ["#/meetings", t("nav.meetings")],
    ["#/groups", t("nav.groups")],
    ["#/sharing", t("nav.sharing")],
    ["#/profile", t("nav.profile")],
  ];
  if (state.me && state.me.server_admin) links.push(["#/admin", t("nav.admin")]);
  const current = location.hash.split("/").slice(0, 2).join("/") || "#/";
  for (const [href, label] of links) {
    const active = href === current || (href === "#/" && (current === "#" || current === "#/collections"));
    nav.append(h("a", { href, "aria-current": active ? "page" : null }, label));
  }
}

async function signInPage(root) {
  const login = h("input", { type: "email", name: "login", autocomplete: "username", required: true });
  const password = h("input", { type: "password", name: "password", autocomplete: "current-password", required: true });
  const submit = h("button", { type: "submit" }, t("sign_in"));
  const form = h(
    "form",
    { class: "signin card", novalidate: true },
    h("h1", {}, t("sign_in.title")),
    h("p", { class: "muted" }, t("sign_in.intro")),
    field(t("sign_in.login"), login, t("sign_in.login_hint")),
    field(t("sign_in.password"), password),
    submit,
  );
  // With two factors on, the server asks for a code: the field appears, then both are sent.
  const code = h("input", { type: "text", name: "code", inputmode: "numeric", autocomplete: "one-time-code" });
  const codeField = field(t("sign_in.code"), code, t("sign_in.code_hint"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!login.value.trim() || !password.value) {
      say(t("sign_in.missing"), "error");
      (login.value.trim() ? password : login).focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = t("sign_in.busy");
    try {
      const body = { login: login.value.trim(), password: password.value };
      if (codeField.isConnected) body.code = code.value.trim();
      const answer = await api("POST", "/session", body);
      state.login = answer.login;
      state.csrf = answer.csrf_token;
      state.me = await api("GET", "/me");
      clearMessages();
      const next = sessionStorage.getItem("davshare-next");
      sessionStorage.removeItem("davshare-next");
      const target = answer.must_enrol ? "#/profile/security" : next || "#/";
      if (location.hash === target) route();
      else location.hash = target;
    } catch (error) {
      if (error instanceof ApiError && error.code.startsWith("two_factor_code")) {
        if (!codeField.isConnected) submit.before(codeField);
        say(error.message, "error");
        code.value = "";
        code.focus();
        return;
      }
      fail(error);
      password.value = "";
      password.focus();
    } finally {
      submit.disabled = false;
      submit.textContent = t("sign_in");
    }
  });
  root.append(form);
}

// -- collections: subscription URLs and set-up steps ------------------------------------

export function setupSteps(collection, homeUrl) {
  const server = location.origin + "/";
  const qr = h("img", {
    class: "qr",
    src: `/.davshare/api/v1/me/qr.svg?url=${enc(homeUrl)}`,
    alt: t("setup.qr_alt", { url: homeUrl }),
    width: 164,
    height: 164,
  });
  return h(
    "details",
    {},
    h("summary", {}, t("setup.title")),
    h("h4", {}, "Thunderbird"),
    h("p", {}, t(collection.kind === "addressbook" ? "setup.thunderbird_book" : "setup.thunderbird_cal", { url: server })),
    h("h4", {}, "DAVx5 (Android)"),
    h("p", {}, t("setup.davx5", { url: homeUrl })),
    qr,
    h("h4", {}, "iOS / macOS"),
    h("p", {}, t("setup.apple", { host: location.host })),
    h("h4", {}, "Outlook"),
    h("p", {}, t("setup.outlook", { url: collection.url })),
  );
}

export function urlBox(url, label) {
  const input = h("input", { type: "text", readOnly: true, value: url, "aria-label": label });
  input.addEventListener("focus", () => input.select());
  const button = h("button", { type: "button", class: "secondary", "aria-label": `${t("copy")}: ${label}` }, t("copy"));
  button.addEventListener("click", () => copyText(url, button));
  return h("div", { class: "url" }, input, button);
}

function collectionCard(collection, homeUrl) {
  const readable = collection.privileges.includes("read");
  const own = collection.source === "own";
  const title = collection.display_name || collection.name;
  const badges = [h("span", { class: "badge" }, kindLabel(collection.kind))];
  if (collection.source === "group") badges.push(h("span", { class: "badge" }, t("source.group", { name: collection.owner })));
  if (collection.source === "shared") badges.push(h("span", { class: "badge" }, t("source.shared", { name: collection.owner })));
  if (collection.shared_with.length) {
    const who = collection.shared_with.map((w) => (w.startsWith("@") ? t("sharing.group", { name: w.slice(1) }) : w)).join(", ");
    badges.push(h("span", { class: "badge shared", title: who }, h("span", { "aria-hidden": "true" }, "⇄ "), t("collections.shared_mark", { n: collection.shared_with.length })));
  }
  const may = [];
  if (collection.privileges.includes("bind")) may.push(t("may.add"));
  if (collection.privileges.includes("unbind")) may.push(t("may.delete"));
  if (!readable) may.push(t("may.freebusy"));
  return h(
    "section",
    { class: "card", "aria-label": title },
    h("h3", {}, readable ? h("a", { href: `#/collections/${enc(collection.name)}` }, title) : title, ...badges),
    h("p", { class: "muted" }, may.length ? may.join(" · ") : t("may.read_only")),
    urlBox(collection.url, t("subscription_url_of", { name: title })),
    h(
      "div",
      { class: "actions" },
      readable ? h("a", { class: "button secondary", href: `#/collections/${enc(collection.name)}` }, t("open")) : null,
      h("a", { class: "button secondary", href: `#/collections/${enc(collection.name)}/settings`, "aria-label": t("settings.title", { name: title }) }, h("span", { "aria-hidden": "true" }, "✎ "), t("settings.button")),
      own ? h("button", { type: "button", class: "secondary", onclick: () => shareDialog(collection) }, t("share")) : null,
    ),
    setupSteps(collection, homeUrl),
  );
}

function xmlText(text) {
  return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

// A new collection of one's own, made with the request every DAV client sends (RFC 5689, 4791).
function newCollectionForm(collections) {
  const kind = select([["addressbook", t("kind.addressbook")], ["calendar", t("kind.calendar")], ["tasks", t("kind.tasks")]], "addressbook");
  const name = h("input", { type: "text", required: true, autocomplete: "off" });
  const color = h("input", { type: "color", value: "#1d4ed8" });
  const description = h("input", { type: "text" });
  const create = h("button", { type: "submit" }, t("collections.create"));
  const form = h("form", { class: "card" }, h("h2", {}, t("collections.new")), h("div", { class: "row" }, field(t("group.collection_kind"), kind), field(t("collections.name"), name), field(t("collections.color"), color), field(t("groups.description"), description), create));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    act(create, async () => {
      const title = name.value.trim();
      if (!title) throw new ApiError(400, "invalid", t("collections.need_name"));
      const ascii = title.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
      let slug = ascii.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40) || kind.value;
      const taken = new Set(collections.map((c) => c.name));
      while (taken.has(slug)) slug = `${slug}-${Math.random().toString(16).slice(2, 6)}`;
      const props = `<D:displayname>${xmlText(title)}</D:displayname>`;
      let body;
      let method = "MKCALENDAR";
      if (kind.value === "addressbook") {
        method = "MKCOL";
        body = `<?xml version="1.0" encoding="utf-8"?><D:mkcol xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav"><D:set><D:prop><D:resourcetype><D:collection/><CR:addressbook/></D:resourcetype>${props}<CR:addressbook-description>${xmlText(description.value)}</CR:addressbook-description></D:prop></D:set></D:mkcol>`;
      } else {
        const component = kind.value === "tasks" ? "VTODO" : "VEVENT";
        body = `<?xml version="1.0" encoding="utf-8"?><C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:I="http://apple.com/ns/ical/"><D:set><D:prop>${props}<I:calendar-color>${xmlText(color.value)}</I:calendar-color><C:calendar-description>${xmlText(description.value)}</C:calendar-description><C:supported-calendar-component-set><C:comp name="${component}"/></C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>`;
      }
      await dav(method, `/${enc(state.login)}/${slug}/`, body, { "Content-Type": "application/xml; charset=utf-8" });
      location.hash = `#/collections/${enc(slug)}`;
      setTimeout(() => say(t("collections.created", { name: title })), 50);
    });
  });
  return form;
}

async function collectionsPage(root) {
  const [{ collections }, me] = await Promise.all([api("GET", "/collections"), api("GET", "/me")]);
  state.me = me;
  root.append(h("h1", {}, t("collections.title")));
  root.append(h("p", {}, t("collections.intro")));
  root.append(h("h2", {}, t("account_url")), urlBox(me.home_url, t("account_url")));
  const sections = [
    ["own", t("collections.own")],
    ["group", t("collections.group")],
    ["shared", t("collections.shared")],
  ];
  for (const [source, heading] of sections) {
    const mine = collections.filter((c) => c.source === source);
    root.append(h("h2", {}, heading));
    if (!mine.length) {
      root.append(h("p", { class: "muted" }, t(`collections.none_${source}`)));
      continue;
    }
    root.append(h("div", { class: "cards" }, mine.map((c) => collectionCard(c, me.home_url))));
  }
  root.append(newCollectionForm(collections));
}

// -- what I share and what is shared with me ---------------------------------------------

async function sharingPage(root) {
  const { collections } = await api("GET", "/collections");
  root.append(h("h1", {}, t("sharing.title")));
  root.append(h("h2", {}, t("sharing.given")));
  const own = collections.filter((c) => c.source === "own");
  const table = h("table", { class: "stack" }, h("thead", {}, h("tr", {}, h("th", {}, t("collection")), h("th", {}, t("sharing.with")), h("th", {}, t("actions")))));
  const body = h("tbody");
  table.append(body);
  const shares = await Promise.all(own.map((c) => api("GET", `/collections/${enc(c.name)}/shares`)));
  own.forEach((collection, index) => {
    const list = shares[index].shares;
    body.append(
      h(
        "tr",
        {},
        h("td", { "data-label": t("collection") }, collection.display_name || collection.name),
        h(
          "td",
          { "data-label": t("sharing.with") },
          list.length
            ? h("ul", {}, list.map((s) => h("li", {}, s.group ? t("sharing.group", { name: s.group }) : s.sharee, " — ", t(`rights.${s.rights}`))))
            : h("span", { class: "muted" }, t("sharing.nobody")),
        ),
        h("td", {}, h("button", { type: "button", class: "secondary", onclick: () => shareDialog(collection, () => route()) }, t("share"))),
      ),
    );
  });
  root.append(table);
  root.append(h("h2", {}, t("sharing.received")));
  const received = collections.filter((c) => c.source === "shared");
  root.append(
    received.length
      ? h("ul", {}, received.map((c) => h("li", {}, h("a", { href: `#/collections/${enc(c.name)}` }, c.display_name || c.name), " — ", t("source.shared", { name: c.owner }))))
      : h("p", { class: "muted" }, t("collections.none_shared")),
  );
}

// -- routing ---------------------------------------------------------------------------

const routes = [
  [/^#?\/?$/, collectionsPage],
  [/^#\/collections$/, collectionsPage],
  [/^#\/collections\/([^/]+)$/, collectionPage],
  [/^#\/collections\/([^/]+)\/settings$/, settingsPage],
  [/^#\/collections\/([^/]+)\/items\/(.+)$/, itemPage],
  [/^#\/groups$/, groupsPage],
  [/^#\/groups\/([^/]+)$/, groupPage],
  [/^#\/calendar$/, calendarPage],
  [/^#\/calendar\/([^/]+)$/, calendarPage],
  [/^#\/meetings$/, meetingsPage],
  [/^#\/sharing$/, sharingPage],
  [/^#\/profile$/, profilePage],
  [/^#\/profile\/security$/, securityPage],
  [/^#\/admin$/, adminPage],
  [/^#\/invitations\/([^/]+)$/, groupsPage],
];

let generation = 0;

export async function route() {
  const mine = ++generation;
  const shown = main();
  const root = h("div", { class: "page" });
  const hash = location.hash || "#/";
  if (!state.login && hash !== "#/signin") {
    if (hash !== "#/") sessionStorage.setItem("davshare-next", hash);
    location.hash = "#/signin";
    return;
  }
  renderChrome();
  shown.setAttribute("aria-busy", "true");
  try {
    if (hash === "#/signin") {
      if (state.login) {
        location.hash = "#/";
        return;
      }
      await signInPage(root);
      if (mine === generation) shown.replaceChildren(root);
      root.querySelector("input")?.focus();
    } else {
      const found = routes.find(([pattern]) => pattern.test(hash));
      if (!found) {
        root.append(h("h1", {}, t("not_found")), h("p", {}, h("a", { href: "#/" }, t("not_found.back"))));
      } else {
        const args = found[0].exec(hash).slice(1).map(decodeURIComponent);
        await found[1](root, ...args);
      }
      if (mine !== generation) return; // a newer navigation won
      shown.replaceChildren(root);
      focusHeading(root);
    }
  } catch (error) {
    if (mine !== generation) return;
    if (error instanceof ApiError && error.code === "two_factors_required") {
      location.hash = "#/profile/security"; // the server requires it of server admins
      return;
    }
    fail(error);
    if (!root.querySelector("h1")) root.append(h("h1", {}, t("error.page")), h("p", {}, h("a", { href: "#/" }, t("not_found.back"))));
    shown.replaceChildren(root);
    focusHeading(root);
  } finally {
    if (mine === generation) shown.removeAttribute("aria-busy");
  }
}

async function start() {
  await loadLanguage(chooseLanguage());
  const picker = document.getElementById("lang");
  picker.value = state.lang;
  picker.addEventListener("change", async () => {
    localStorage.setItem("davshare-lang", picker.value);
    await loadLanguage(picker.value);
    route();
  });
  document.getElementById("signout").addEventListener("click", async () => {
    try {
      await api("DELETE", "/session");
    } catch {
      /* signed out either way */
    }
    state.login = null;
    state.me = null;
    state.csrf = "";
    say(t("signed_out"));
    location.hash = "#/signin";
  });
  try {
    const current = await api("GET", "/session");
    if (current.login) {
      state.login = current.login;
      state.csrf = current.csrf_token;
      state.me = await api("GET", "/me");
    }
  } catch (error) {
    fail(error);
  }
  window.addEventListener("hashchange", () => {
    clearMessages();
    route();
  });
  route();
}

start();
