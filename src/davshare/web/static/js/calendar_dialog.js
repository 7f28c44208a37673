// The calendar's event dialog: a new event from a clicked slot, or one event opened — read
// only unless the rules let the viewer modify it; a refusal of the server in plain words.

import { act, api, ApiError, check, dav, dialog, enc, field, h, say, select, state, t } from "./core.js";
import { escapeValue, newUid } from "./cards.js";
import * as ical from "./ical.js";
import { authorsText } from "./items.js";
import { changeItem, itemPath, utcStamp } from "./calendar.js";
import { attendeeList, attendeesOf, invitationLines, inviteField, readAddresses } from "./meetings.js";

const REPEATS = ["", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"];
const MIN_YEAR = 1900;
const MAX_YEAR = 2200;

// A refused field: marked, focused, and named in the message.
function invalid(control, message) {
  control.setAttribute("aria-invalid", "true");
  control.focus();
  return new ApiError(400, "invalid_input", message);
}

function DateTime() {
  return luxon.DateTime;
}

// Inputs for a start and an end in the viewer's zone (dates for an all-day event, whose
// end is shown as its last day).
function timeInputs(zone, startIso, endIso, allDay) {
  const start = h("input", { type: "datetime-local", name: "start", required: true });
  const end = h("input", { type: "datetime-local", name: "end", required: true });
  const whole = h("input", { type: "checkbox", name: "all_day", checked: allDay });
  const show = (startDt, endDt) => {
    const day = whole.checked;
    start.type = end.type = day ? "date" : "datetime-local";
    const format = day ? "yyyy-MM-dd" : "yyyy-MM-dd'T'HH:mm";
    start.value = startDt.toFormat(format);
    end.value = (day ? endDt.minus({ days: 1 }) : endDt).toFormat(format);
  };
  const parse = (control, isEnd) => {
    const found = DateTime().fromISO(control.value, { zone });
    return isEnd && whole.checked ? found.plus({ days: 1 }) : found;
  };
  const startDt = DateTime().fromISO(startIso, { zone });
  let endDt = endIso ? DateTime().fromISO(endIso, { zone }) : startDt.plus(allDay ? { days: 1 } : { hours: 1 });
  if (allDay) endDt = endDt.startOf("day");
  show(startDt, endDt);
  whole.addEventListener("change", () => {
    const from = DateTime().fromISO(start.value, { zone });
    const day = whole.checked;
    show(day ? from.startOf("day") : from.set({ hour: 9 }), day ? from.startOf("day").plus({ days: 1 }) : from.set({ hour: 10 }));
  });
  // The times as the item stores them, once checked: the end after the start, sane years.
  const read = () => {
    for (const c of [start, end]) c.removeAttribute("aria-invalid");
    const from = parse(start, false);
    const to = parse(end, true);
    if (!from.isValid) throw invalid(start, t("form.need_start"));
    if (!to.isValid) throw invalid(end, t("form.need_end"));
    for (const [control, moment] of [[start, from], [end, to]]) {
      if (moment.year < MIN_YEAR || moment.year > MAX_YEAR) throw invalid(control, t("form.year_out_of_range", { min: MIN_YEAR, max: MAX_YEAR }));
    }
    if (to <= from) throw invalid(end, t("form.end_before_start"));
    return { allDay: whole.checked, from, to };
  };
  return { start, end, whole, read };
}

function stored(times, zone) {
  if (times.allDay) return { allDay: true, start: times.from.toFormat("yyyyMMdd"), end: times.to.toFormat("yyyyMMdd") };
  return { allDay: false, start: utcStamp(times.from.toISO()), end: utcStamp(times.to.toISO()), zone };
}

// A new event's text: in the viewer's zone with its VTIMEZONE, so a series keeps its hour.
async function newEventText(values, times, zone) {
  const lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//davshare//web pages//EN"];
  const timed = !times.allDay && zone !== "UTC";
  if (timed) {
    const vtimezone = await api("GET", `/time-zones/${zone.split("/").map(enc).join("/")}`);
    lines.push(...String(vtimezone).split(/\r?\n/).filter(Boolean));
  }
  const when = (name, moment) =>
    times.allDay ? `${name};VALUE=DATE:${moment.toFormat("yyyyMMdd")}` : timed ? `${name};TZID=${zone}:${moment.setZone(zone).toFormat("yyyyMMdd'T'HHmmss")}` : `${name}:${utcStamp(moment.toISO())}`;
  lines.push("BEGIN:VEVENT", `UID:${values.uid}`, `DTSTAMP:${utcStamp(new Date().toISOString())}`, when("DTSTART", times.from), when("DTEND", times.to));
  if (values.repeat) lines.push(`RRULE:FREQ=${values.repeat}`);
  lines.push(`SUMMARY:${escapeValue(values.title)}`);
  if (values.location) lines.push(`LOCATION:${escapeValue(values.location)}`);
  if (values.description) lines.push(`DESCRIPTION:${escapeValue(values.description)}`);
  lines.push(...invitationLines(values.attendees || []));
  lines.push("END:VEVENT", "END:VCALENDAR");
  return lines.join("\r\n") + "\r\n";
}

function busyDialog(fcEvent) {
  dialog(t("calendar.busy"), (close) =>
    h("div", {}, h("p", {}, `${fcEvent.start.toLocaleString(state.lang)} – ${fcEvent.end ? fcEvent.end.toLocaleString(state.lang) : ""}`), h("p", { class: "muted" }, t("calendar.busy_hint")), h("button", { type: "button", onclick: close }, t("close"))),
  );
}

export async function eventDialog({ zone, calendars, slot, event: fcEvent, reload }) {
  const source = fcEvent ? fcEvent.extendedProps.source : null;
  if (source && source.busy) return busyDialog(fcEvent);
  let text = "";
  let authors = "";
  if (source) {
    text = await (await dav("GET", itemPath(source.collection, source.href))).text().catch(() => "");
    authors = authorsText(await api("GET", `/collections/${enc(source.collection)}/items/${enc(source.href)}`));
  }
  const lines = text ? ical.read(text) : [];
  const block = source ? ical.findBlock(lines, source.override ? source.recurrence_id : null) : null;
  const description = block ? ical.value(lines, block, "DESCRIPTION").replace(/\\n/gi, "\n").replace(/\\([,;\\])/g, "$1") : "";
  const mayModify = !source || source.may_modify;
  const title = h("input", { type: "text", name: "title", required: true, value: source ? source.title : "", readOnly: !mayModify, autocomplete: "off" });
  const location = h("input", { type: "text", name: "location", value: source ? source.location || "" : "", readOnly: !mayModify });
  const notes = h("textarea", { rows: 3, name: "description", readOnly: !mayModify });
  notes.value = description;
  const { input: invite, list: suggestions } = inviteField();
  const attendees = attendeesOf(lines, block);
  const span = timeInputs(zone, fcEvent ? fcEvent.startStr : slot.startStr, fcEvent ? fcEvent.endStr : slot.endStr, fcEvent ? fcEvent.allDay : slot.allDay);
  for (const c of [span.start, span.end]) c.readOnly = !mayModify;
  span.whole.disabled = !mayModify;
  const which = select(calendars.map((c) => [c.name, c.display_name]), calendars[0] ? calendars[0].name : "");
  const repeat = select(REPEATS.map((r) => [r, t(`calendar.repeat.${r || "none"}`)]), "");
  const scope = select([["one", t("calendar.scope.one")], ["all", t("calendar.scope.all")]], "one");
  const toggleScope = () => {
    const series = scope.value === "all";
    for (const c of [span.start, span.end]) c.disabled = series;
    span.whole.disabled = series || !mayModify;
  };
  scope.addEventListener("change", toggleScope);
  const heading = source ? (mayModify ? t("calendar.edit") : source.title || t("items.untitled")) : t("calendar.new");
  dialog(heading, (close) => {
    const save = h("button", { type: "submit" }, source ? t("save") : t("add"));
    const form = h("form", { novalidate: true });
    if (source) {
      form.append(h("p", { class: "muted" }, fcEvent.extendedProps.calendarName), h("p", { class: "muted", id: "item-authors" }, authors));
      if (!mayModify) form.append(h("p", { class: "note", role: "note" }, t("calendar.read_only_note")));
    }
    form.append(field(t("calendar.field.title"), title));
    if (!source) form.append(field(t("calendar.field.calendar"), which));
    if (source && source.recurring && mayModify) form.append(field(t("calendar.field.scope"), scope));
    form.append(check(t("calendar.field.all_day"), span.whole), h("div", { class: "row" }, field(t("calendar.field.start"), span.start), field(t("calendar.field.end"), span.end)));
    if (!source) form.append(field(t("calendar.field.repeat"), repeat));
    form.append(field(t("calendar.field.location"), location), field(t("calendar.field.description"), notes));
    if (!source) form.append(field(t("calendar.field.attendees"), invite, t("calendar.attendees_hint")), suggestions);
    if (attendees.length) form.append(h("h3", {}, t("calendar.attendees")), attendeeList(attendees));
    const buttons = h("div", { class: "actions" });
    if (mayModify) buttons.append(save);
    if (source && source.may_delete) buttons.append(deleteButton(source, scope, close, reload));
    buttons.append(h("button", { type: "button", class: "secondary", onclick: close }, mayModify ? t("cancel") : t("close")));
    form.append(buttons);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!mayModify) return;
      act(save, async () => {
        title.removeAttribute("aria-invalid");
        if (!title.value.trim()) throw invalid(title, t("form.need_title"));
        invite.removeAttribute("aria-invalid");
        const guests = readAddresses(invite);
        if (guests.wrong) throw invalid(invite, t("form.bad_address", { address: guests.wrong }));
        const series = source && source.recurring && scope.value === "all";
        const times = series ? null : span.read();
        const values = { title: title.value.trim(), location: location.value.trim(), description: notes.value.trim() };
        if (!source) {
          const uid = newUid();
          const body = await newEventText({ ...values, uid, repeat: repeat.value, attendees: guests.typed }, times, zone);
          await dav("PUT", itemPath(which.value, `${uid}.ics`), body, { "Content-Type": "text/calendar; charset=utf-8", "If-None-Match": "*" });
        } else {
          await changeItem(source, (all) => {
            let target = ical.targetBlock(all, source, !series, utcStamp(new Date().toISOString()));
            target = ical.setText(all, target, "SUMMARY", values.title);
            target = ical.setText(all, target, "LOCATION", values.location);
            target = ical.setText(all, target, "DESCRIPTION", values.description);
            if (times) ical.setTimes(all, target, stored(times, zone));
          });
        }
        close();
        say(source ? t("item.saved") : t("calendar.added", { title: values.title }));
        reload();
      });
    });
    return form;
  });
  toggleScope();
  if (!source || !source.recurring) span.whole.disabled = !mayModify;
}

function deleteButton(source, scope, close, reload) {
  const remove = h("button", { type: "button", class: "danger" }, t("item.delete"));
  remove.addEventListener("click", () =>
    act(remove, async () => {
      if (!confirm(t("item.delete_confirm", { name: source.title }))) return;
      if (source.recurring && scope.value === "one") await changeItem(source, (lines) => ical.removeOccurrence(lines, source));
      else await dav("DELETE", itemPath(source.collection, source.href));
      close();
      say(t("item.deleted"));
      reload();
    }),
  );
  return remove;
}
