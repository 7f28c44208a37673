// The server admin's page: accounts and their profiles, domains and who may share with
// whom, plans (SPEC A1, A2, A4).

import { act, api, dialog, enc, field, h, say, select, t } from "./core.js";

const PROFILES = ["read_only", "add", "add_delete"];

export async function adminPage(root) {
  root.append(h("h1", {}, t("admin.title")));
  const [accounts, domains, rules, plans] = await Promise.all([
    api("GET", "/accounts"),
    api("GET", "/domains"),
    api("GET", "/domains/rules"),
    api("GET", "/plans"),
  ]);
  const reload = async () => {
    root.replaceChildren();
    await adminPage(root);
  };
  root.append(accountsSection(accounts.accounts, domains.domains, plans.plans, reload));
  root.append(domainsSection(domains.domains, rules.rules, reload));
  root.append(plansSection(plans.plans, reload));
}

function accountsSection(accounts, domains, plans, reload) {
  const section = h("section", {}, h("h2", {}, t("admin.accounts")));
  const login = h("input", { type: "email", required: true, autocomplete: "off" });
  const name = h("input", { type: "text" });
  const password = h("input", { type: "password", autocomplete: "new-password", required: true, minLength: 8 });
  const profile = select(PROFILES.map((p) => [p, t(`profile.kind.${p}`)]), "add_delete");
  const add = h("button", { type: "submit" }, t("admin.add_account"));
  const form = h("form", { class: "card" }, h("h3", {}, t("admin.add_account")), h("div", { class: "row" }, field(t("admin.login"), login, t("admin.login_hint", { domains: domains.map((d) => d.name).join(", ") || "—" })), field(t("profile.display_name"), name), field(t("admin.password"), password), field(t("admin.profile"), profile), add));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    act(add, async () => {
      await api("POST", "/accounts", { login: login.value.trim(), display_name: name.value, password: password.value, profile: profile.value });
      await reload();
      say(t("admin.account_added", { who: login.value.trim() }));
    });
  });
  section.append(form);
  const table = h("table", { class: "stack" }, h("thead", {}, h("tr", {}, h("th", {}, t("admin.login")), h("th", {}, t("admin.profile")), h("th", {}, t("admin.plan")), h("th", {}, t("actions")))));
  const body = h("tbody");
  for (const account of accounts) {
    const path = `/accounts/${enc(account.login)}`;
    const profilePick = select(PROFILES.map((p) => [p, t(`profile.kind.${p}`)]), account.profile, { "aria-label": t("admin.profile_of", { who: account.login }) });
    profilePick.addEventListener("change", () =>
      act(profilePick, async () => {
        await api("PATCH", path, { profile: profilePick.value });
        say(t("admin.saved_for", { who: account.login }));
      }),
    );
    const planPick = select([["", t("admin.no_plan")], ...plans.map((p) => [p.name, p.name])], account.plan || "", { "aria-label": t("admin.plan_of", { who: account.login }) });
    planPick.addEventListener("change", () =>
      act(planPick, async () => {
        await api("PUT", `${path}/plan`, { plan: planPick.value || null });
        say(t("admin.saved_for", { who: account.login }));
      }),
    );
    const toggle = h("button", { type: "button", class: "secondary" }, account.disabled ? t("admin.enable") : t("admin.disable"));
    toggle.addEventListener("click", () =>
      act(toggle, async () => {
        await api("PATCH", path, { disabled: !account.disabled });
        await reload();
        say(t("admin.saved_for", { who: account.login }));
      }),
    );
    const admin = h("button", { type: "button", class: "secondary" }, account.server_admin ? t("admin.demote") : t("admin.promote"));
    admin.addEventListener("click", () =>
      act(admin, async () => {
        await api("PATCH", path, { server_admin: !account.server_admin });
        await reload();
        say(t("admin.saved_for", { who: account.login }));
      }),
    );
    const reset = h("button", { type: "button", class: "secondary" }, t("admin.reset_password"));
    reset.addEventListener("click", () =>
      dialog(t("admin.reset_title", { who: account.login }), (close) => {
        const fresh = h("input", { type: "password", autocomplete: "new-password", minLength: 8, required: true });
        const go = h("button", { type: "submit" }, t("save"));
        const f = h("form", {}, field(t("admin.new_password"), fresh, t("admin.password_hint")), h("div", { class: "actions" }, go, h("button", { type: "button", class: "secondary", onclick: close }, t("cancel"))));
        f.addEventListener("submit", (event) => {
          event.preventDefault();
          act(go, async () => {
            await api("PATCH", path, { password: fresh.value });
            close();
            say(t("admin.password_reset", { who: account.login }));
          });
        });
        return f;
      }),
    );
    const remove = h("button", { type: "button", class: "danger" }, t("admin.delete"));
    remove.addEventListener("click", () =>
      act(remove, async () => {
        if (!confirm(t("admin.delete_confirm", { who: account.login }))) return;
        await api("DELETE", path);
        await reload();
        say(t("admin.deleted", { who: account.login }));
      }),
    );
    body.append(
      h(
        "tr",
        {},
        h("td", { "data-label": t("admin.login") }, account.login, account.display_name ? ` (${account.display_name})` : "", account.disabled ? h("span", { class: "badge" }, t("admin.disabled")) : null, account.server_admin ? h("span", { class: "badge" }, t("admin.server_admin")) : null, account.sign_in_backend && account.sign_in_backend !== "local" ? h("span", { class: "badge" }, t("admin.sign_in_backend", { backend: account.sign_in_backend })) : null),
        h("td", { "data-label": t("admin.profile") }, profilePick),
        h("td", { "data-label": t("admin.plan") }, planPick),
        h("td", {}, h("div", { class: "actions" }, toggle, admin, reset, remove)),
      ),
    );
  }
  table.append(body);
  section.append(table);
  return section;
}

function domainsSection(domains, rules, reload) {
  const section = h("section", {}, h("h2", {}, t("admin.domains")));
  const list = h("table", { class: "stack" }, h("thead", {}, h("tr", {}, h("th", {}, t("admin.domain")), h("th", {}, t("admin.accounts_count")), h("th", {}, t("admin.shares_with")), h("th", {}, t("actions")))));
  const body = h("tbody");
  for (const domain of domains) {
    const allowed = h("input", { type: "text", value: (rules[domain.name] || []).join(", "), "aria-label": t("admin.shares_with_of", { name: domain.name }) });
    const save = h("button", { type: "button", class: "secondary" }, t("save"));
    save.addEventListener("click", () =>
      act(save, async () => {
        const names = allowed.value.split(",").map((s) => s.trim()).filter(Boolean);
        await api("PUT", `/domains/${enc(domain.name)}/rules`, { share_with: names });
        say(t("admin.rule_saved", { name: domain.name }));
      }),
    );
    const remove = h("button", { type: "button", class: "danger", disabled: domain.accounts > 0, title: domain.accounts > 0 ? t("admin.domain_in_use") : null }, t("admin.delete"));
    remove.addEventListener("click", () =>
      act(remove, async () => {
        await api("DELETE", `/domains/${enc(domain.name)}`);
        await reload();
        say(t("admin.domain_removed", { name: domain.name }));
      }),
    );
    body.append(h("tr", {}, h("td", { "data-label": t("admin.domain") }, domain.name), h("td", { "data-label": t("admin.accounts_count") }, String(domain.accounts)), h("td", { "data-label": t("admin.shares_with") }, allowed, h("div", { class: "muted" }, t("admin.shares_with_hint"))), h("td", {}, h("div", { class: "actions" }, save, remove))));
  }
  list.append(body);
  const name = h("input", { type: "text", required: true });
  const add = h("button", { type: "submit" }, t("admin.add_domain"));
  const form = h("form", { class: "row card" }, field(t("admin.domain"), name), add);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    act(add, async () => {
      await api("POST", "/domains", { name: name.value.trim() });
      await reload();
      say(t("admin.domain_added", { name: name.value.trim() }));
    });
  });
  section.append(list, form);
  return section;
}

function plansSection(plans, reload) {
  const section = h("section", {}, h("h2", {}, t("admin.plans")), h("p", { class: "muted" }, t("admin.plans_intro")));
  const limits = ["max_groups", "max_members", "group_storage", "personal_storage"];
  const table = h("table", { class: "stack" }, h("thead", {}, h("tr", {}, h("th", {}, t("admin.plan")), ...limits.map((l) => h("th", {}, t(`admin.${l}`))), h("th", {}, t("actions")))));
  const body = h("tbody");
  for (const plan of plans) {
    const remove = h("button", { type: "button", class: "danger" }, t("admin.delete"));
    remove.addEventListener("click", () =>
      act(remove, async () => {
        await api("DELETE", `/plans/${enc(plan.name)}`);
        await reload();
        say(t("admin.plan_removed", { name: plan.name }));
      }),
    );
    body.append(h("tr", {}, h("td", { "data-label": t("admin.plan") }, plan.name), ...limits.map((l) => h("td", { "data-label": t(`admin.${l}`) }, plan[l] === null ? t("admin.no_cap") : String(plan[l]))), h("td", {}, remove)));
  }
  table.append(body);
  const name = h("input", { type: "text", required: true });
  const inputs = Object.fromEntries(limits.map((l) => [l, h("input", { type: "number", min: 0 })]));
  const save = h("button", { type: "submit" }, t("admin.save_plan"));
  const form = h("form", { class: "card" }, h("h3", {}, t("admin.save_plan")), h("div", { class: "row" }, field(t("admin.plan_name"), name), ...limits.map((l) => field(t(`admin.${l}`), inputs[l], t("admin.empty_no_cap"))), save));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    act(save, async () => {
      const body = Object.fromEntries(limits.map((l) => [l, inputs[l].value === "" ? null : Number(inputs[l].value)]));
      await api("PUT", `/plans/${enc(name.value.trim())}`, body);
      await reload();
      say(t("admin.plan_saved", { name: name.value.trim() }));
    });
  });
  section.append(table, form);
  return section;
}

