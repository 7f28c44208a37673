// iCalendar components of one item as line ranges: find the series or one occurrence,
// change its times and fields, make an occurrence of its own (RECURRENCE-ID), keeping
// every other line of the item as it was.

import { escapeValue, parseLines, serialize } from "./cards.js";

// Lines of the series itself, not copied into an occurrence of its own.
const SERIES_ONLY = new Set(["RRULE", "RDATE", "EXDATE", "EXRULE", "DTSTART", "DTEND", "DURATION", "RECURRENCE-ID", "DTSTAMP", "SEQUENCE"]);

export function read(text) {
  return parseLines(text);
}

export function write(lines) {
  return serialize(lines);
}

// The [begin, end] indexes of each component named `name` (VEVENT, VTODO).
export function blocks(lines, name = "VEVENT") {
  const found = [];
  let begin = -1;
  lines.forEach((line, index) => {
    if (line.name === "BEGIN" && line.value === name) begin = index;
    else if (line.name === "END" && line.value === name && begin >= 0) {
      found.push([begin, index]);
      begin = -1;
    }
  });
  return found;
}

function inside(lines, [begin, end], name) {
  for (let i = begin + 1; i < end; i++) if (lines[i].name === name) return i;
  return -1;
}

export function value(lines, block, name) {
  const index = inside(lines, block, name);
  return index >= 0 ? lines[index].value : "";
}

// Set (or, with an empty value, remove) one property of a component; returns its new range.
export function setProp(lines, block, name, params, text) {
  const index = inside(lines, block, name);
  if (index >= 0 && !text) {
    lines.splice(index, 1);
    return [block[0], block[1] - 1];
  }
  if (!text) return block;
  if (index >= 0) {
    lines[index] = { group: "", name, params, value: text };
    return block;
  }
  lines.splice(block[1], 0, { group: "", name, params, value: text });
  return [block[0], block[1] + 1];
}

export function setText(lines, block, name, text) {
  return setProp(lines, block, name, "", text ? escapeValue(text) : "");
}

// The series (the component without RECURRENCE-ID), or an occurrence of its own.
export function findBlock(lines, recurrenceId, name = "VEVENT") {
  const all = blocks(lines, name);
  if (!recurrenceId) return all.find((b) => inside(lines, b, "RECURRENCE-ID") < 0) || all[0];
  return all.find((b) => value(lines, b, "RECURRENCE-ID") === recurrenceId.value);
}

// A component for one occurrence of the series, with the series' fields; returns its range.
export function addOccurrence(lines, recurrenceId, stamp) {
  const series = findBlock(lines, null);
  const copied = lines.slice(series[0] + 1, series[1]).filter((l) => !SERIES_ONLY.has(l.name));
  const end = lines.findIndex((l) => l.name === "END" && l.value === "VCALENDAR");
  const block = [
    { group: "", name: "BEGIN", params: "", value: "VEVENT" },
    ...copied.map((l) => ({ ...l })),
    { group: "", name: "RECURRENCE-ID", params: recurrenceId.params, value: recurrenceId.value },
    { group: "", name: "DTSTAMP", params: "", value: stamp },
    { group: "", name: "END", params: "", value: "VEVENT" },
  ];
  lines.splice(end, 0, ...block);
  return [end, end + block.length - 1];
}

// The component a change of this event applies to: the item's only one, an occurrence
// already of its own, or (`alone`) a new one for this occurrence of the series.
export function targetBlock(lines, event, alone, stamp) {
  if (!event.recurring) return findBlock(lines, null);
  if (event.override) return findBlock(lines, event.recurrence_id);
  if (alone) return addOccurrence(lines, event.recurrence_id, stamp);
  return findBlock(lines, null);
}

// DTSTART and DTEND: dates for an all-day event, UTC times otherwise.
export function setTimes(lines, block, times) {
  let range = setProp(lines, block, "DURATION", "", "");
  const params = times.allDay ? "VALUE=DATE" : "";
  range = setProp(lines, range, "DTSTART", params, times.start);
  return setProp(lines, range, "DTEND", params, times.end);
}

// Take one occurrence out of the series (EXDATE), and its own component if it had one.
export function removeOccurrence(lines, event) {
  if (event.override) {
    const own = findBlock(lines, event.recurrence_id);
    lines.splice(own[0], own[1] - own[0] + 1);
  }
  const series = findBlock(lines, null);
  if (series) {
    lines.splice(series[1], 0, { group: "", name: "EXDATE", params: event.recurrence_id.params, value: event.recurrence_id.value });
  }
}
