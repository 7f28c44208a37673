// The calendar view: month, week, day and agenda of one or several calendars at once, each
// in its colour, in the viewer's time zone (FullCalendar, installed by npm ci and served
// from node_modules). The server expands recurrences for the visible range; every change
// goes through DAV (the pages' bridge), so the same rules refuse it as for any client.

import { api, ApiError, check, dav, enc, explain, h, say, state, t } from "./core.js";
import * as ical from "./ical.js";
import { eventDialog } from "./calendar_dialog.js";

const SHOWN = "davshare-calendars";
let loading = null;

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = resolve;
    script.onerror = () => reject(new ApiError(404, "component_missing", t("calendar.component_missing")));
    document.head.append(script);
  });
}

// FullCalendar, Luxon (named time zones) and the French and British English texts, loaded once, in order.
export function loadComponent() {
  loading ||= (async () => {
    await loadScript("vendor/luxon.js");
    await loadScript("vendor/fullcalendar.js");
    await loadScript("vendor/fullcalendar-luxon.js");
    await loadScript("vendor/fullcalendar-fr.js");
    await loadScript("vendor/fullcalendar-en-gb.js");
  })().catch((error) => {
    loading = null;
    throw error;
  });
  return loading;
}

export function browserZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

export async function viewerZone() {
  const { time_zone: chosen } = await api("GET", "/me/time-zone");
  return chosen || browserZone();
}

// Readable text on a calendar's colour.
function textOn(color) {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(color || "");
  if (!m) return "#fff";
  const [r, g, b] = m.slice(1).map((x) => parseInt(x, 16));
  return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? "#111" : "#fff";
}

export const DEFAULT_COLOR = "#1d4ed8";

export function itemPath(collection, href) {
  return `/${enc(state.login)}/${enc(collection)}/${enc(href)}`;
}

export function utcStamp(iso) {
  return luxon.DateTime.fromISO(iso, { setZone: true }).toUTC().toFormat("yyyyMMdd'T'HHmmss'Z'");
}

export function dateStamp(iso) {
  return iso.slice(0, 10).replace(/-/g, "");
}

// Read an item over DAV, change it, write it back if nobody changed it meanwhile.
export async function changeItem(event, change) {
  const path = itemPath(event.collection, event.href);
  const response = await dav("GET", path);
  const etag = response.headers.get("ETag") || "";
  const lines = ical.read(await response.text());
  change(lines);
  await dav("PUT", path, ical.write(lines), { "Content-Type": "text/calendar; charset=utf-8", ...(etag ? { "If-Match": etag } : {}) });
}

function times(fcEvent) {
  const allDay = fcEvent.allDay;
  const start = fcEvent.startStr;
  let end = fcEvent.endStr;
  if (!end) {
    const base = luxon.DateTime.fromISO(start, { setZone: true });
    end = (allDay ? base.plus({ days: 1 }).toISODate() : base.plus({ hours: 1 }).toISO());
  }
  return allDay ? { allDay, start: dateStamp(start), end: dateStamp(end) } : { allDay, start: utcStamp(start), end: utcStamp(end) };
}

// A drag or a resize: this event, or this occurrence only of a series.
async function moved(info) {
  const event = info.event.extendedProps.source;
  try {
    await changeItem(event, (lines) => {
      const block = ical.targetBlock(lines, event, true, utcStamp(new Date().toISOString()));
      ical.setTimes(lines, block, times(info.event));
    });
    say(t("calendar.moved", { title: info.event.title }));
    info.view.calendar.refetchEvents();
  } catch (error) {
    info.revert();
    say(explain(error), "error");
  }
}

function toFullCalendar(event, calendars) {
  const calendar = calendars.get(event.collection) || {};
  const color = calendar.color || DEFAULT_COLOR;
  const title = event.busy ? t("calendar.busy") : event.title || t("items.untitled");
  return {
    id: `${event.collection}|${event.href || ""}|${event.recurrence_id ? event.recurrence_id.value : ""}|${event.start}`,
    title,
    start: event.start,
    end: event.end,
    allDay: event.all_day,
    backgroundColor: color,
    borderColor: color,
    textColor: textOn(color),
    editable: event.may_modify,
    classNames: event.busy ? ["busy"] : event.may_modify ? [] : ["read-only"],
    extendedProps: { source: event, calendarName: calendar.display_name || event.collection },
  };
}

function shownNames(calendars) {
  let saved = null;
  try {
    saved = JSON.parse(localStorage.getItem(SHOWN) || "null");
  } catch {
    saved = null;
  }
  const names = calendars.map((c) => c.name);
  const chosen = Array.isArray(saved) ? saved.filter((n) => names.includes(n)) : [];
  return new Set(chosen.length ? chosen : names);
}

export async function calendarPage(root, only) {
  const [{ collections }, zone] = await Promise.all([api("GET", "/collections"), viewerZone(), loadComponent()]);
  const all = collections.filter((c) => c.kind === "calendar");
  root.append(h("h1", {}, t("calendar.title")));
  if (!all.length) {
    root.append(h("p", {}, t("calendar.none")));
    return;
  }
  const shown = only ? new Set([only]) : shownNames(all);
  const described = new Map(all.map((c) => [c.name, { name: c.name, display_name: c.display_name || c.name, color: c.color }]));
  let mayAdd = [];
  const place = h("div", { class: "calendar-view" });
  let calendar;
  const picker = h(
    "fieldset",
    { class: "calendar-list" },
    h("legend", {}, t("calendar.shown")),
    all.map((c) => {
      const box = h("input", { type: "checkbox", value: c.name, checked: shown.has(c.name) });
      box.addEventListener("change", () => {
        if (box.checked) shown.add(c.name);
        else shown.delete(c.name);
        localStorage.setItem(SHOWN, JSON.stringify([...shown]));
        calendar.refetchEvents();
      });
      const swatch = h("span", { class: "swatch", "aria-hidden": "true" });
      swatch.style.background = c.color || DEFAULT_COLOR;
      return check(h("span", {}, swatch, c.display_name || c.name, c.privileges.includes("read") ? "" : ` (${t("calendar.busy_only")})`), box);
    }),
  );
  root.append(
    h("p", { class: "muted", id: "calendar-zone" }, t("calendar.zone", { zone }), " ", h("a", { href: "#/profile" }, t("calendar.change_zone"))),
    h("div", { class: "calendar-layout" }, picker, place),
  );
  const fetchEvents = async (info, success, failure) => {
    const names = [...shown];
    if (!names.length) return success([]);
    try {
      const query = `start=${enc(info.startStr)}&end=${enc(info.endStr)}&collections=${enc(names.join(","))}`;
      const data = await api("GET", `/calendar-events?${query}`);
      for (const c of data.calendars) described.set(c.name, { ...described.get(c.name), ...c });
      mayAdd = data.calendars.filter((c) => c.may_add);
      if (data.truncated) say(t("calendar.truncated"), "error");
      success(data.events.map((e) => toFullCalendar(e, described)));
    } catch (error) {
      say(explain(error), "error");
      failure(error);
    }
  };
  const reload = () => calendar.refetchEvents();
  const phone = window.matchMedia("(max-width: 600px)").matches;
  calendar = new FullCalendar.Calendar(place, {
    timeZone: zone,
    locale: state.lang === "fr" ? "fr" : "en-gb", // 24-hour times, weeks from Monday
    firstDay: 1,
    initialView: phone ? "listWeek" : "timeGridWeek",
    headerToolbar: phone
      ? { left: "prev,next", center: "title", right: "today" }
      : { left: "prev,next today", center: "title", right: "dayGridMonth,timeGridWeek,timeGridDay,listWeek" },
    footerToolbar: phone ? { center: "dayGridMonth,timeGridDay,listWeek" } : false,
    buttonText: { listWeek: t("calendar.agenda") },
    height: "auto",
    scrollTime: "08:00:00",
    nowIndicator: true,
    selectable: true,
    selectMirror: true,
    editable: true,
    eventDurationEditable: true,
    events: fetchEvents,
    select: (info) => {
      calendar.unselect();
      if (!mayAdd.length) {
        say(t("calendar.may_not_add"), "error");
        return;
      }
      eventDialog({ zone, calendars: mayAdd, slot: info, reload });
    },
    eventDrop: moved,
    eventResize: moved,
    eventClick: (info) => {
      info.jsEvent.preventDefault();
      eventDialog({ zone, calendars: mayAdd, event: info.event, reload });
    },
    eventDidMount: (info) => {
      const source = info.event.extendedProps.source;
      if (!source) return; // the mirror of a selection or a drag
      const name = info.event.extendedProps.calendarName;
      info.el.setAttribute("aria-label", `${info.event.title} — ${name}${source.may_modify ? "" : ` (${t("calendar.read_only")})`}`);
      info.el.title = `${info.event.title} — ${name}`;
    },
  });
  root.calendar = calendar;
  // Rendered once the page is on screen (FullCalendar measures its container).
  requestAnimationFrame(() => calendar.render());
  return reload;
}
