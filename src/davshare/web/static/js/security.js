// Sign-in and devices: app passwords for calendar and contacts apps, two-factor sign-in
// (TOTP) with its recovery codes, and the account's recent sign-ins (issue 15).

import { act, api, copyText, enc, field, h, say, state, t } from "./core.js";

export async function securityPage(root) {
  const [passwords, factors, signIns] = await Promise.all([
    api("GET", "/me/app-passwords"),
    api("GET", "/me/two-factors"),
    api("GET", "/me/sign-ins"),
  ]);
  const reload = async (keep) => {
    root.replaceChildren();
    await securityPage(root);
    if (keep) root.querySelector(keep.where).after(keep.box);
  };
  root.append(
    h("h1", {}, t("security.title")),
    h("p", {}, h("a", { href: "#/profile" }, t("security.back"))),
    appPasswordsSection(passwords.app_passwords, reload),
    twoFactorsSection(factors, reload),
    signInsSection(signIns.sign_ins),
  );
}

const when = (seconds) => (seconds ? new Date(seconds * 1000).toLocaleString(state.lang) : t("security.never"));

// A secret shown once: the text, a copy button, and the warning that it is not shown again.
function shownOnce(title, lines, hint) {
  const text = lines.join("\n");
  const copy = h("button", { type: "button", class: "secondary" }, t("copy"));
  copy.addEventListener("click", () => copyText(text, copy));
  return h("div", { class: "card shown-once", role: "status" }, h("h3", {}, title), h("pre", { class: "secret" }, text), h("p", { class: "hint" }, hint), copy);
}

function appPasswordsSection(passwords, reload) {
  const name = h("input", { type: "text", name: "device", maxLength: 100, required: true, autocomplete: "off" });
  const create = h("button", { type: "submit" }, t("security.create"));
  const form = h("form", { class: "card row" }, field(t("security.device"), name, t("security.device_hint")), create);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    act(create, async () => {
      const made = await api("POST", "/me/app-passwords", { name: name.value.trim() });
      const box = shownOnce(t("security.made", { name: made.name }), [made.password], t("security.made_hint"));
      await reload({ where: "#app-passwords form", box });
      say(t("security.made", { name: made.name }));
    });
  });
  const rows = passwords.map((p) => {
    const revoke = h("button", { type: "button", class: "danger" }, t("security.revoke"));
    revoke.addEventListener("click", () => {
      if (!confirm(t("security.revoke_confirm", { name: p.name }))) return;
      act(revoke, async () => {
        await api("DELETE", `/me/app-passwords/${enc(p.id)}`);
        await reload();
        say(t("security.revoked", { name: p.name }));
      });
    });
    const used = p.last_used_at ? `${when(p.last_used_at)}${p.last_used_from ? ` (${p.last_used_from})` : ""}` : t("security.never");
    return h("tr", {}, h("td", {}, p.name), h("td", {}, when(p.created_at)), h("td", {}, used), h("td", {}, revoke));
  });
  const table = rows.length
    ? h("table", { class: "stack" }, h("thead", {}, h("tr", {}, h("th", {}, t("security.device")), h("th", {}, t("security.created")), h("th", {}, t("security.last_used")), h("th", {}, t("actions")))), h("tbody", {}, rows))
    : h("p", { class: "muted" }, t("security.none"));
  return h("section", { id: "app-passwords" }, h("h2", {}, t("security.app_passwords")), h("p", {}, t("security.app_passwords_intro")), form, table);
}

function codeInput() {
  return h("input", { type: "text", name: "code", inputmode: "numeric", autocomplete: "one-time-code", required: true });
}

function twoFactorsSection(factors, reload) {
  const section = h("section", { id: "two-factors" }, h("h2", {}, t("security.two_factors")), h("p", {}, t("security.two_factors_intro")));
  if (factors.required && !factors.enabled) section.append(h("p", { class: "msg error" }, t("security.required")));
  if (!factors.enabled) {
    const start = h("button", { type: "button" }, t("security.turn_on"));
    start.addEventListener("click", () =>
      act(start, async () => {
        const begun = await api("POST", "/me/two-factors");
        start.replaceWith(enrolForm(begun, reload));
      }),
    );
    section.append(h("p", {}, t("security.off")), start);
    return section;
  }
  const code = codeInput();
  const off = h("button", { type: "button", class: "danger" }, t("security.turn_off"));
  const renew = h("button", { type: "button", class: "secondary" }, t("security.new_codes"));
  off.addEventListener("click", () =>
    act(off, async () => {
      await api("DELETE", "/me/two-factors", { code: code.value.trim() });
      await reload();
      say(t("security.turned_off"));
    }),
  );
  renew.addEventListener("click", () =>
    act(renew, async () => {
      const answer = await api("POST", "/me/two-factors/recovery-codes", { code: code.value.trim() });
      await reload({ where: "#two-factors h2", box: shownOnce(t("security.codes"), answer.recovery_codes, t("security.codes_hint")) });
    }),
  );
  section.append(
    h("p", {}, t("security.on", { left: factors.recovery_codes_left })),
    h("div", { class: "card row" }, field(t("security.code"), code, t("security.code_hint")), renew, off),
  );
  return section;
}

function enrolForm(begun, reload) {
  const code = codeInput();
  const confirmButton = h("button", { type: "submit" }, t("security.confirm"));
  const form = h(
    "form",
    { class: "card" },
    h("p", {}, t("security.scan")),
    h("img", { class: "qr", src: begun.qr_svg, alt: t("security.qr_alt"), width: 200, height: 200 }),
    h("p", {}, t("security.secret"), " ", h("code", { class: "secret" }, begun.secret)),
    field(t("security.code"), code, t("security.first_code_hint")),
    confirmButton,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    act(confirmButton, async () => {
      const answer = await api("POST", "/me/two-factors/confirm", { code: code.value.trim() });
      await reload({ where: "#two-factors h2", box: shownOnce(t("security.codes"), answer.recovery_codes, t("security.codes_hint")) });
      say(t("security.turned_on"));
    });
  });
  return form;
}

// The server's detail of a sign-in ("app password Phone", "recovery code"...) in the page's language.
function detailText(detail) {
  const named = /^app password (.+)$/.exec(detail);
  if (named && detail !== "app password required") return t("security.detail.app_password", { name: named[1] });
  const key = `security.detail.${detail.replace(/ /g, "_")}`;
  const text = t(key);
  return text === key ? detail : text;
}

function signInsSection(signIns) {
  const rows = signIns.map((s) =>
    h(
      "tr",
      { class: s.success ? null : "refused" },
      h("td", {}, when(s.at)),
      h("td", {}, t(`security.door.${s.door}`)),
      h("td", {}, s.address || "—"),
      h("td", {}, s.client || "—"),
      h("td", {}, s.success ? t("security.ok") : t("security.refused"), s.detail ? ` (${detailText(s.detail)})` : ""),
    ),
  );
  const table = rows.length
    ? h("table", { class: "stack" }, h("thead", {}, h("tr", {}, ["time", "door", "address", "client", "outcome"].map((c) => h("th", {}, t(`security.${c}`))))), h("tbody", {}, rows))
    : h("p", { class: "muted" }, t("security.no_sign_ins"));
  return h("section", { id: "sign-ins" }, h("h2", {}, t("security.sign_ins")), h("p", {}, t("security.sign_ins_intro")), table);
}
