// Meeting invitations (issue 16): the meetings others invited you to, answered here as in
// any calendar program — your copy is written back over DAV with your answer, and the
// server sends it on to the organizer. Also the attendees of an event, with their answers.

import { act, api, dav, enc, h, say, state, t } from "./core.js";
import * as ical from "./ical.js";
import { itemPath } from "./calendar.js";

export const ANSWERS = ["ACCEPTED", "TENTATIVE", "DECLINED"];
const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

function mailto(line) {
  return line.value.toLowerCase().replace(/^mailto:/, "");
}

function paramOf(params, name) {
  const found = params.split(";").find((p) => p.toUpperCase().startsWith(`${name}=`));
  return found ? found.slice(name.length + 1).replace(/"/g, "") : "";
}

function withParam(params, name, value) {
  const kept = params.split(";").filter((p) => p && !p.toUpperCase().startsWith(`${name}=`) && !p.toUpperCase().startsWith("RSVP="));
  return [...kept, `${name}=${value}`].join(";");
}

// The item's text with `login`'s answer on every instance they attend.
export function answered(text, login, partstat) {
  const lines = ical.read(text);
  for (const line of lines) {
    if (line.name === "ATTENDEE" && mailto(line) === login) line.params = withParam(line.params, "PARTSTAT", partstat);
  }
  return ical.write(lines);
}

// The attendees of one component: [{address, answer}], the organizer's own line left out.
export function attendeesOf(lines, block) {
  if (!block) return [];
  const organizer = lines.slice(block[0], block[1]).find((l) => l.name === "ORGANIZER");
  const own = organizer ? mailto(organizer) : "";
  return lines
    .slice(block[0], block[1])
    .filter((l) => l.name === "ATTENDEE" && mailto(l) !== own)
    .map((l) => ({ address: mailto(l), answer: paramOf(l.params, "PARTSTAT") || "NEEDS-ACTION" }));
}

// Addresses typed in the event form (commas, semicolons or spaces between them).
export function readAddresses(control) {
  const typed = control.value.split(/[\s,;]+/).map((a) => a.trim().toLowerCase()).filter(Boolean);
  const wrong = typed.find((a) => !EMAIL.test(a));
  return { typed: [...new Set(typed)], wrong };
}

// The invite field with suggestions: the people one may share with whose login or name
// starts with the address being typed (the others typed before it kept).
export function inviteField() {
  const input = h("input", { type: "text", name: "attendees", autocomplete: "off", inputmode: "email", list: "attendee-list" });
  const list = h("datalist", { id: "attendee-list" });
  let timer;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const typed = input.value.match(/^(.*[\s,;])?([^\s,;]*)$/);
      const [before, last] = [typed[1] || "", typed[2] || ""];
      if (last.length < 3) return;
      try {
        const found = await api("GET", `/people?q=${enc(last)}`);
        list.replaceChildren(...found.people.map((p) => h("option", { value: `${before}${p.login}` }, p.display_name || p.login)));
      } catch {
        /* suggestions only */
      }
    }, 200);
  });
  return { input, list };
}

// The lines a new event needs to invite `addresses` (you as the organizer).
export function invitationLines(addresses) {
  if (!addresses.length) return [];
  const me = state.login;
  return [`ORGANIZER:mailto:${me}`, `ATTENDEE;PARTSTAT=ACCEPTED;ROLE=CHAIR:mailto:${me}`, ...addresses.filter((a) => a !== me).map((a) => `ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:${a}`)];
}

export function attendeeList(attendees) {
  return h("ul", { class: "attendees" }, attendees.map((a) => h("li", {}, `${a.address} — ${t(`meetings.answer.${a.answer}`)}`)));
}

async function answer(invitation, partstat) {
  const path = itemPath(invitation.collection, invitation.href);
  const response = await dav("GET", path);
  const etag = response.headers.get("ETag") || "";
  const body = answered(await response.text(), state.login, partstat);
  await dav("PUT", path, body, { "Content-Type": "text/calendar; charset=utf-8", ...(etag ? { "If-Match": etag } : {}) });
}

function row(invitation, redraw) {
  const when = invitation.start ? new Date(invitation.start).toLocaleString(state.lang) : "";
  const buttons = ANSWERS.map((partstat) => {
    const chosen = invitation.answer === partstat;
    const button = h("button", { type: "button", class: chosen ? "" : "secondary", "aria-pressed": chosen ? "true" : "false" }, t(`meetings.do.${partstat}`));
    button.addEventListener("click", () =>
      act(button, async () => {
        await answer(invitation, partstat);
        say(t("meetings.sent", { title: invitation.title, organizer: invitation.organizer }));
        redraw();
      }),
    );
    return button;
  });
  return h(
    "li",
    { class: "card" },
    h("h3", {}, invitation.title || t("items.untitled")),
    h("p", { class: "muted" }, `${when} — ${t("meetings.from", { organizer: invitation.organizer })}`),
    h("p", {}, t(`meetings.answer.${invitation.answer}`)),
    h("div", { class: "actions", role: "group", "aria-label": t("meetings.your_answer") }, ...buttons),
  );
}

export async function meetingsPage(root) {
  const { invitations } = await api("GET", "/meeting-invitations");
  const redraw = async () => {
    const fresh = h("div");
    await meetingsPage(fresh);
    root.replaceChildren(...fresh.childNodes);
  };
  root.append(h("h1", {}, t("meetings.title")), h("p", { class: "muted" }, t("meetings.intro")));
  if (!invitations.length) root.append(h("p", {}, t("meetings.none")));
  else root.append(h("ul", { class: "cards" }, invitations.map((i) => row(i, redraw))));
}
