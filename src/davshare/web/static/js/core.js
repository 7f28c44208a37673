// The plumbing every page uses: the API, DAV for items, messages, translations, DOM helpers.

export const API = "/.davshare/api/v1";
export const DAV = "/.davshare/dav";

export const state = { login: null, csrf: "", me: null, lang: "en", catalog: {}, fallback: {} };

// -- translations ------------------------------------------------------------

export async function loadLanguage(lang) {
  const get = async (code) => (await fetch(`i18n/${code}.json`)).json();
  state.fallback = await get("en");
  state.catalog = lang === "en" ? state.fallback : await get(lang);
  state.lang = lang;
  document.documentElement.lang = lang;
}

export function t(key, vars = {}) {
  const text = state.catalog[key] ?? state.fallback[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
}

// -- DOM ---------------------------------------------------------------------

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else if (key in el && typeof value !== "string") el[key] = value;
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

let fieldIds = 0;

// A labelled form field: <label for=...> + the control (+ an optional hint).
export function field(label, control, hint) {
  control.id ||= `f${++fieldIds}`;
  const parts = [h("label", { for: control.id }, label), control];
  if (hint) {
    const hintId = `${control.id}-hint`;
    control.setAttribute("aria-describedby", hintId);
    parts.push(h("span", { class: "hint", id: hintId }, hint));
  }
  return h("div", { class: "field" }, parts);
}

export function check(label, input) {
  return h("label", { class: "check" }, input, label);
}

export function select(options, value, attrs = {}) {
  const el = h("select", attrs, options.map(([v, label]) => h("option", { value: v }, label)));
  if (value !== undefined) el.value = value;
  return el;
}

// -- messages (an aria-live region) ---------------------------------------------

// Where messages go: the open dialog's own region (the page behind it is inert), or the page's.
function messageBox() {
  return document.querySelector("dialog[open] .messages") || document.getElementById("messages");
}

export function say(text, kind = "ok") {
  const box = messageBox();
  box.replaceChildren();
  const close = h("button", { type: "button", onclick: () => box.replaceChildren() }, t("close"));
  box.append(h("div", { class: `msg ${kind}`, role: kind === "error" ? "alert" : null }, h("span", {}, text), close));
}

export function clearMessages() {
  messageBox().replaceChildren();
}

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// The message of an error as a sentence that says what to do next.
export function explain(error) {
  if (error instanceof ApiError) {
    if (error.status === 401 && error.code !== "sign_in_failed") return t("error.signed_out");
    if (error.status === 0) return t("error.network");
    return error.message || t("error.generic");
  }
  return t("error.network");
}

export function fail(error) {
  say(explain(error), "error");
  if (error instanceof ApiError && error.status === 401 && error.code !== "sign_in_failed" && state.login) {
    state.login = null;
    location.hash = "#/signin";
  }
}

// Run an action from a button: disable it meanwhile, report errors.
export async function act(button, action) {
  if (button) button.disabled = true;
  try {
    return await action();
  } catch (error) {
    fail(error);
    return undefined;
  } finally {
    if (button && button.isConnected) button.disabled = false;
  }
}

// -- the API -----------------------------------------------------------------------

export async function api(method, path, body, extraHeaders = {}) {
  // The server answers (errors included) in the page's language.
  const headers = { "X-Davshare-Web": "1", Accept: "application/json", "Accept-Language": state.lang, ...extraHeaders };
  if (method !== "GET") headers["X-CSRF-Token"] = state.csrf;
  const init = { method, headers, credentials: "same-origin" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(API + path, init);
  } catch {
    throw new ApiError(0, "network", t("error.network"));
  }
  if (response.status === 204) return null;
  const type = response.headers.get("Content-Type") || "";
  const data = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) {
    const error = (data && data.error) || {};
    throw new ApiError(response.status, error.code || "error", error.message || String(data));
  }
  return data;
}

export const enc = encodeURIComponent;

// -- DAV for items (the pages' session, through /.davshare/dav/) --------------------------

export async function dav(method, path, body, headers = {}) {
  const init = {
    method,
    credentials: "same-origin",
    headers: { "X-CSRF-Token": state.csrf, "X-Davshare-Web": "1", "Accept-Language": state.lang, ...headers },
  };
  if (body !== undefined) init.body = body;
  let response;
  try {
    response = await fetch(DAV + path, init);
  } catch {
    throw new ApiError(0, "network", t("error.network"));
  }
  if (response.ok) return response;
  const text = await response.text();
  let message = text.trim();
  const found = /<(?:\w+:)?message[^>]*>([\s\S]*?)<\/(?:\w+:)?message>/.exec(text);
  if (found) message = found[1].replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  else if (text.startsWith("{")) message = JSON.parse(text).error?.message || message;
  if (response.status === 412) message = t("error.changed_meanwhile");
  throw new ApiError(response.status, "dav", message);
}

// Move the focus to a page's heading after navigation (screen readers announce it).
export function focusHeading(root) {
  const heading = root.querySelector("h1");
  if (heading) {
    heading.tabIndex = -1;
    heading.focus();
  }
}

export async function copyText(text, button) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = h("textarea", { value: text });
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  say(t("copied"));
  if (button) button.focus();
}

// A modal dialog; resolves when it closes. `build(close)` returns its content.
export function dialog(title, build) {
  const heading = h("h2", { id: `d${++fieldIds}` }, title);
  const box = h("dialog", { "aria-labelledby": heading.id });
  const close = () => box.close();
  box.append(heading, h("div", { class: "messages", role: "status", "aria-live": "polite" }), build(close));
  document.body.append(box);
  box.addEventListener("close", () => box.remove());
  box.showModal();
  return box;
}

export function kindLabel(kind) {
  return t(`kind.${kind}`);
}

export function personName(login, members = []) {
  if (login === "*") return t("all_members");
  const found = members.find((m) => m.login === login);
  return found && found.display_name ? `${found.display_name} (${login})` : login;
}
