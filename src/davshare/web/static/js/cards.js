// vCard and iCalendar text: just enough to read and write the fields the pages edit,
// keeping every other line of an item as it was.

export function escapeValue(text) {
  return String(text).replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/,/g, "\\,").replace(/;/g, "\\;");
}

export function unescapeValue(text) {
  return text.replace(/\\([\\,;nN])/g, (_, c) => (c === "n" || c === "N" ? "\n" : c));
}

// Lines as {group, name, params, value} (Apple's "item1." group apart, name upper-cased,
// params as written, value raw).
export function parseLines(text) {
  const unfolded = text.replace(/\r?\n[ \t]/g, "");
  const lines = [];
  for (const raw of unfolded.split(/\r?\n/)) {
    if (!raw) continue;
    const colon = findColon(raw);
    const head = raw.slice(0, colon);
    const [groupAndName, ...params] = head.split(";");
    const dot = groupAndName.lastIndexOf(".");
    lines.push({
      group: dot >= 0 ? groupAndName.slice(0, dot) : "",
      name: groupAndName.slice(dot + 1).toUpperCase(),
      params: params.join(";"),
      value: raw.slice(colon + 1),
    });
  }
  return lines;
}

function findColon(line) {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"') quoted = !quoted;
    else if (line[i] === ":" && !quoted) return i;
  }
  return line.length;
}

// The parts of a structured value (N, ADR, ORG): split on ";" not escaped by "\\".
export function splitParts(value) {
  const parts = [""];
  for (let i = 0; i < value.length; i++) {
    if (value[i] === "\\" && i + 1 < value.length) {
      parts[parts.length - 1] += value[i] + value[i + 1];
      i++;
    } else if (value[i] === ";") parts.push("");
    else parts[parts.length - 1] += value[i];
  }
  return parts;
}

export function serialize(lines) {
  return (
    lines
      .map((l) => `${l.group ? `${l.group}.` : ""}${l.name}${l.params ? `;${l.params}` : ""}:${l.value}`)
      .join("\r\n") + "\r\n"
  );
}

export function first(lines, name) {
  const found = lines.find((l) => l.name === name);
  return found ? found.value : "";
}

// -- contacts ------------------------------------------------------------------------------

export const CONTACT_FIELDS = ["given", "family", "fn", "email", "tel", "org", "title", "city", "country", "categories", "note"];

export function readContact(text) {
  const lines = parseLines(text);
  const n = splitParts(first(lines, "N"));
  const adr = splitParts(first(lines, "ADR"));
  return {
    fn: unescapeValue(first(lines, "FN")),
    family: unescapeValue(n[0] || ""),
    given: unescapeValue(n[1] || ""),
    email: unescapeValue(first(lines, "EMAIL")),
    tel: unescapeValue(first(lines, "TEL")),
    org: unescapeValue(splitParts(first(lines, "ORG"))[0] || ""),
    title: unescapeValue(first(lines, "TITLE")),
    city: unescapeValue(adr[3] || ""),
    country: unescapeValue(adr[6] || ""),
    categories: unescapeValue(first(lines, "CATEGORIES")),
    note: unescapeValue(first(lines, "NOTE")),
    lines,
  };
}

function setLine(lines, name, value, params = "") {
  const index = lines.findIndex((l) => l.name === name);
  if (!value) {
    if (index >= 0) lines.splice(index, 1);
    return;
  }
  if (index >= 0) lines[index].value = value;
  else lines.splice(lines.length - 1, 0, { name, params, value });
}

export function writeContact(values, lines, uid) {
  const out = lines ? lines.map((l) => ({ ...l })) : [
    { name: "BEGIN", params: "", value: "VCARD" },
    { name: "VERSION", params: "", value: "3.0" },
    { name: "UID", params: "", value: uid },
    { name: "END", params: "", value: "VCARD" },
  ];
  const fn = values.fn || [values.given, values.family].filter(Boolean).join(" ") || values.org || values.email;
  setLine(out, "FN", escapeValue(fn));
  setLine(out, "N", [values.family, values.given, "", "", ""].map(escapeValue).join(";"));
  setLine(out, "EMAIL", escapeValue(values.email), "TYPE=INTERNET");
  setLine(out, "TEL", escapeValue(values.tel));
  const orgIndex = out.findIndex((l) => l.name === "ORG");
  const units = orgIndex >= 0 ? splitParts(out[orgIndex].value).slice(1) : []; // departments stay
  setLine(out, "ORG", values.org ? [escapeValue(values.org), ...units].join(";") : "");
  setLine(out, "TITLE", escapeValue(values.title));
  const adrIndex = out.findIndex((l) => l.name === "ADR");
  const adr = adrIndex >= 0 ? splitParts(out[adrIndex].value) : ["", "", "", "", "", "", ""];
  while (adr.length < 7) adr.push("");
  adr[3] = escapeValue(values.city || "");
  adr[6] = escapeValue(values.country || "");
  setLine(out, "ADR", adr.some(Boolean) ? adr.join(";") : "", "TYPE=WORK");
  setLine(out, "CATEGORIES", values.categories ? values.categories.split(",").map((c) => escapeValue(c.trim())).join(",") : "");
  setLine(out, "NOTE", escapeValue(values.note || ""));
  return serialize(out);
}

// -- events and tasks ------------------------------------------------------------------

function stamp(date = new Date()) {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
}

function localToUtc(value) {
  return value ? stamp(new Date(value)) : "";
}

export function utcToLocalInput(value) {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?/.exec(value || "");
  if (!m) return "";
  const date = m[7] ? new Date(Date.UTC(+m[1], m[2] - 1, +m[3], +m[4], +m[5])) : new Date(+m[1], m[2] - 1, +m[3], +(m[4] || 9), +(m[5] || 0));
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function readEntry(text) {
  const lines = parseLines(text);
  const begin = lines.findIndex((l) => l.name === "BEGIN" && (l.value === "VEVENT" || l.value === "VTODO"));
  const end = lines.findIndex((l, i) => i > begin && l.name === "END" && (l.value === "VEVENT" || l.value === "VTODO"));
  const own = lines.slice(begin, end);
  return {
    component: begin >= 0 ? lines[begin].value : "VEVENT",
    summary: unescapeValue(first(own, "SUMMARY")),
    description: unescapeValue(first(own, "DESCRIPTION")),
    start: utcToLocalInput(first(own, "DTSTART")),
    end: utcToLocalInput(first(own, "DTEND") || first(own, "DUE")),
    lines,
    begin,
    endIndex: end,
  };
}

export function writeEntry(values, previous, uid, component) {
  if (!previous) {
    const lines = [
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:-//davshare//web pages//EN",
      `BEGIN:${component}`,
      `UID:${uid}`,
      `DTSTAMP:${stamp()}`,
      `SUMMARY:${escapeValue(values.summary)}`,
    ];
    if (values.start) lines.push(`DTSTART:${localToUtc(values.start)}`);
    if (values.end) lines.push(`${component === "VTODO" ? "DUE" : "DTEND"}:${localToUtc(values.end)}`);
    if (values.description) lines.push(`DESCRIPTION:${escapeValue(values.description)}`);
    lines.push(`END:${component}`, "END:VCALENDAR");
    return lines.join("\r\n") + "\r\n";
  }
  const lines = previous.lines.map((l) => ({ ...l }));
  const endAt = () => lines.findIndex((l, i) => i > previous.begin && l.name === "END" && l.value === previous.component);
  const inside = (name) => lines.findIndex((l, i) => i > previous.begin && i < endAt() && l.name === name);
  const put = (name, value) => {
    const index = inside(name);
    if (index >= 0) {
      if (value) {
        lines[index].value = value;
        lines[index].params = "";
      } else lines.splice(index, 1);
    } else if (value) lines.splice(endAt(), 0, { name, params: "", value });
  };
  put("SUMMARY", escapeValue(values.summary));
  put("DESCRIPTION", escapeValue(values.description || ""));
  if (values.start) put("DTSTART", localToUtc(values.start));
  if (values.end) put(previous.component === "VTODO" ? "DUE" : "DTEND", localToUtc(values.end));
  put("DTSTAMP", stamp());
  return serialize(lines);
}

export function newUid() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}
