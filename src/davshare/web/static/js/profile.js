// The profile: what group members see of the account, the language of its e-mails, and
// the time zone the calendar shows.

import { act, api, field, h, say, select, state, t } from "./core.js";
import { browserZone } from "./calendar.js";

export async function profilePage(root) {
  const me = await api("GET", "/me");
  state.me = me;
  const inputs = {};
  for (const name of ["display_name", "given_name", "family_name", "organisation"]) {
    inputs[name] = h("input", { type: "text", value: me[name] || "", name, autocomplete: { given_name: "given-name", family_name: "family-name", organisation: "organization", display_name: "name" }[name] });
  }
  let photo = me.photo || "";
  const preview = h("img", { alt: t("profile.photo_alt"), width: 96, height: 96, src: photo || "icon.svg" });
  const file = h("input", { type: "file", accept: "image/png,image/jpeg,image/gif" });
  file.addEventListener("change", () => {
    const chosen = file.files[0];
    if (!chosen) return;
    if (chosen.size > 180000) {
      say(t("profile.photo_too_big"), "error");
      file.value = "";
      return;
    }
    const reader = new FileReader();
    reader.onload = () => {
      photo = reader.result;
      preview.src = photo;
    };
    reader.readAsDataURL(chosen);
  });
  const save = h("button", { type: "submit" }, t("profile.save"));
  const form = h(
    "form",
    { class: "card" },
    field(t("profile.display_name"), inputs.display_name),
    field(t("profile.given_name"), inputs.given_name),
    field(t("profile.family_name"), inputs.family_name),
    field(t("profile.organisation"), inputs.organisation),
    h("div", { class: "row" }, preview, field(t("profile.photo"), file, t("profile.photo_hint"))),
    save,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    act(save, async () => {
      const body = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.value]));
      body.photo = photo;
      state.me = await api("PATCH", "/me", body);
      say(t("profile.saved"));
    });
  });
  const mailLang = select([["en", "English"], ["fr", "Français"]], state.lang);
  const langButton = h("button", { type: "button", class: "secondary" }, t("profile.save_language"));
  langButton.addEventListener("click", () =>
    act(langButton, async () => {
      await api("PUT", "/me/language", { language: mailLang.value });
      say(t("profile.language_saved"));
    }),
  );
  const quota = await api("GET", "/me/quota").catch(() => null);
  const zoneSection = await timeZoneSection();
  root.append(
    h("h1", {}, t("profile.title")),
    h("p", {}, t("profile.intro")),
    h("p", {}, h("a", { href: "#/profile/security" }, t("profile.security_link"))),
    h("p", {}, t("profile.login", { login: me.login }), " · ", t("profile.account_kind", { kind: t(`profile.kind.${me.profile}`) })),
    form,
    h("h2", {}, t("profile.mail_language")),
    h("div", { class: "row card" }, field(t("profile.mail_language_label"), mailLang), langButton),
    zoneSection,
    quota ? h("p", { class: "muted" }, t("profile.quota", { groups: quota.groups, used: Math.round(quota.personal_used / 1024) })) : null,
  );
}

// The time zone the calendar shows times in: the browser's, unless one is chosen.
async function timeZoneSection() {
  const { time_zone: chosen } = await api("GET", "/me/time-zone");
  const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  const options = [["", t("profile.zone_browser", { zone: browserZone() })], ...zones.map((z) => [z, z.replace(/_/g, " ")])];
  if (chosen && !zones.includes(chosen)) options.push([chosen, chosen]);
  const zone = select(options, chosen);
  const saveZone = h("button", { type: "button", class: "secondary" }, t("profile.save_zone"));
  saveZone.addEventListener("click", () =>
    act(saveZone, async () => {
      await api("PUT", "/me/time-zone", { time_zone: zone.value });
      say(t("profile.zone_saved", { zone: zone.value || browserZone() }));
    }),
  );
  return h("section", {}, h("h2", {}, t("profile.zone_title")), h("div", { class: "row card" }, field(t("profile.zone_label"), zone, t("profile.zone_hint")), saveZone));
}

