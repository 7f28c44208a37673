"""An import: a file read record by record into a collection, and the report of what happened.

Every record is its own transaction: an import that stops halfway (a crash,
Ctrl-C, a lost connection) leaves the records before it imported and nothing
half-written; importing the file again finishes the work, leaving what is
there unchanged. A calendar is read twice (a body is first spooled to a
temporary file), so that each UID is written once even when the file lists
an event's exceptions far from it; contacts piped in are imported as they arrive.
"""

import codecs
import collections
import contextlib
import functools
import io
import itertools
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, cast

from davshare.model.errors import InvalidInput
from davshare.transfer import TAGS, Format
from davshare.transfer.csv_contacts import read_csv_contacts
from davshare.transfer.duplicates import DuplicateIndex
from davshare.transfer.icalendar import merge, read_calendars
from davshare.transfer.lines import CHUNK, LineReader, Readable
from davshare.transfer.records import Record
from davshare.transfer.target import Target
from davshare.transfer.vcard import read_vcards
from davshare.transfer.writer import ItemWriter, Outcome, Result

READERS: dict[Format, Callable[[Iterable[str]], Iterator[Record]]] = {
    Format.VCARD: read_vcards,
    Format.CSV: read_csv_contacts,
    Format.ICALENDAR: read_calendars,
}
SPOOL_MEMORY = 1 << 20  # a request body larger than this is spooled to disk
# Called after each record with (records read, bytes read).
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Problem:
    """A record that was not imported: where it is and why."""

    record: int
    line: int
    uid: str
    reason: str

    def as_json(self) -> dict[str, Any]:
        """The problem as the API reports it."""
        return {"record": self.record, "line": self.line, "uid": self.uid, "reason": self.reason}

    def __str__(self) -> str:
        where = f"line {self.line}" + (f" (record {self.record})" if self.record else "")
        return f"{where}: {self.reason}"


@dataclass
class Report:
    """What an import did, record by record."""

    collection: str
    format: str = ""
    records: int = 0
    counts: dict[Outcome, int] = field(default_factory=lambda: dict.fromkeys(Outcome, 0))
    problems: list[Problem] = field(default_factory=list)
    duplicates: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, record: Record, result: Result) -> None:
        """Count one record's outcome (text between records is reported, not counted)."""
        if record.number:
            self.records += 1
            self.counts[result.outcome] += 1
        problem = Problem(record.number, record.line, result.uid, result.reason)
        if result.outcome == Outcome.SKIPPED:
            self.problems.append(problem)
        elif result.outcome == Outcome.DUPLICATE:
            self.duplicates.append(problem)

    def summary(self) -> str:
        """One line: how many were imported, updated, unchanged, skipped."""
        counts = ", ".join(f"{n} {outcome}" for outcome, n in self.counts.items())
        return f"{self.records} record(s) read: {counts}"

    def as_json(self) -> dict[str, Any]:
        """The report as the API answers it."""
        return {
            "collection": self.collection,
            "format": self.format,
            "records": self.records,
            **{str(outcome): n for outcome, n in self.counts.items()},
            "problems": [p.as_json() for p in self.problems],
            "likely_duplicates": [p.as_json() for p in self.duplicates],
            "notes": self.notes,
        }


def _detect(lines: Iterator[str], target: Target) -> tuple[Format, Iterator[str]]:
    """The format the first non-blank line says; the lines again, none lost."""
    peeked: list[str] = []
    for line in lines:
        peeked.append(line)
        if line.strip():
            break
    first = peeked[-1].strip().upper() if peeked else ""
    if first.startswith("BEGIN:VCARD"):
        found = Format.VCARD
    elif first.startswith("BEGIN:VCALENDAR"):
        found = Format.ICALENDAR
    elif first:
        found = Format.CSV
    else:  # an empty file: nothing to import, whatever the collection
        found = Format.VCARD if target.collection.tag == "VADDRESSBOOK" else Format.ICALENDAR
    return found, itertools.chain(peeked, lines)


def _check_kind(found: Format, target: Target) -> None:
    if TAGS[found] != target.collection.tag:
        holds = "contacts" if TAGS[found] == "VADDRESSBOOK" else "events or tasks"
        raise InvalidInput(
            f"a {found.value} file holds {holds}, and {target.name} is {target.kind()}: "
            "import it into another collection"
        )


def _parts(records: Iterator[Record]) -> dict[str, int]:
    """UID -> in how many records a calendar file has it, for the UIDs it has more than once."""
    counts = collections.Counter(r.uid for r in records if r.uid and not r.problem)
    return {uid: n for uid, n in counts.items() if n > 1}


def _joined(records: Iterator[Record], parts: dict[str, int]) -> Iterator[Record]:
    """The records, those of a UID listed apart merged into one (held until its last part)."""
    held: dict[str, list[Record]] = {}
    for record in records:
        if record.problem or record.uid not in parts:
            yield record
            continue
        gathered = held.setdefault(record.uid, [])
        gathered.append(record)
        if len(gathered) == parts[record.uid]:
            del held[record.uid]
            text = functools.reduce(merge, (r.text for r in gathered))
            yield Record(gathered[0].number, gathered[0].line, text, uid=record.uid)


class _Streamed:
    """``head`` then the rest of ``stream``, read as it arrives: contacts need one pass only."""

    def __init__(self, head: bytes, stream: Readable) -> None:
        self._head = head
        self._stream = stream
        self._read_some = getattr(stream, "read1", stream.read)

    def seekable(self) -> bool:
        return False

    def read(self, size: int = -1, /) -> bytes:
        if self._head:
            head, self._head = self._head, b""
            return head
        return bytes(self._read_some(size))


def _one_pass_enough(head: bytes, forced: Format | None) -> bool:
    """Whether a file starting with ``head`` can be imported in one pass (not a calendar)."""
    if forced is not None:
        return forced != Format.ICALENDAR
    wide = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))  # UTF-32 BOMs too
    return not wide and b"BEGIN:VCALENDAR" not in head.upper()


@contextlib.contextmanager
def spooled(stream: Readable, forced: Format | None = None) -> Iterator[IO[bytes]]:
    """``stream`` if it can be read twice or needs not be, else a copy in a temporary file."""
    if isinstance(stream, io.IOBase) and stream.seekable():
        yield cast(IO[bytes], stream)
        return
    head = stream.read(CHUNK)
    if _one_pass_enough(head, forced):  # a pipe of contacts is imported as it comes
        yield cast(IO[bytes], _Streamed(head, stream))
        return
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY) as spool:
        chunk = head
        while chunk:
            spool.write(chunk)
            chunk = stream.read(CHUNK)
        spool.seek(0)
        yield cast(IO[bytes], spool)


class Importer:
    """One import into ``target``; ``report`` tells what was done so far, even if interrupted."""

    def __init__(
        self, target: Target, file_format: Format | None = None, report_duplicates: bool = False
    ) -> None:
        self.target = target
        self.format = file_format
        self.report_duplicates = report_duplicates
        self.report = Report(target.name)

    def _writer(self, found: Format) -> ItemWriter:
        if not self.report_duplicates or found == Format.ICALENDAR:
            return ItemWriter(self.target)
        return ItemWriter(self.target, DuplicateIndex(self.target.engine, self.target.collection))

    def run(self, stream: Readable, charset: str = "", progress: Progress | None = None) -> Report:
        """Read ``stream`` and write its records; InvalidInput before any write if it cannot."""
        with spooled(stream, self.format) as source:
            return self._run(source, charset, progress)

    def _run(self, stream: IO[bytes], charset: str, progress: Progress | None) -> Report:
        start = stream.tell() if stream.seekable() else 0
        reader = LineReader(stream, charset)
        found, lines = _detect(iter(reader), self.target)
        found = self.format or found
        _check_kind(found, self.target)
        self.report.format = found.value
        parts: dict[str, int] = {}
        if found == Format.ICALENDAR and stream.seekable():  # a first pass finds the UIDs
            # listed in several places (a stream is one only when it held no calendar's start)
            parts = _parts(read_calendars(lines))
            stream.seek(start)
            reader = LineReader(stream, charset)
            lines = iter(reader)
        writer = self._writer(found)
        for record in _joined(READERS[found](lines), parts):
            self.report.add(record, writer.write(record))
            if progress is not None:
                progress(self.report.records, reader.bytes_read)
        self.report.notes += [n for n in (reader.encoding_note(),) if n]
        return self.report
