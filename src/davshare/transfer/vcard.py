"""Cutting a vCard file — many contacts, as address books export them — into one vCard each."""

import re
from collections.abc import Iterable, Iterator

from davshare.transfer import vcard21
from davshare.transfer.records import MAX_RECORD_CHARS, Record, crlf, stable_uid

BEGIN, END = "BEGIN:VCARD", "END:VCARD"
_UID = re.compile(r"^(?:[A-Za-z0-9-]+\.)?UID[;:]", re.IGNORECASE)


def complete(lines: list[str]) -> str:
    """The vCard to store: blank lines dropped, 2.1 made 3.0, a UID added when it has none."""
    lines = [line for line in lines if line.strip()]
    if vcard21.is_vcard21(lines):
        lines = vcard21.upgrade(lines)
    if not any(_UID.match(line) for line in lines):
        lines.insert(len(lines) - 1, "UID:" + stable_uid(crlf(lines)))
    return crlf(lines)


class _Splitter:
    """The state of cutting one file: the vCard being read and where it began."""

    def __init__(self) -> None:
        self.count = 0
        self.start = 0
        self.lines: list[str] | None = None
        self.size = 0
        self.quiet = False  # text outside vCards was reported since the last vCard began

    def feed(self, number: int, line: str) -> Iterator[Record]:
        """The records line ``number`` completes: a vCard, or what is wrong around it."""
        marker = line.strip().upper()
        if marker == BEGIN:
            yield from self.unterminated("no END:VCARD before the next BEGIN:VCARD")
            self.count += 1
            self.start, self.lines, self.size, self.quiet = number, [], 0, False
        if self.lines is None:
            if marker and not self.quiet:
                self.quiet = True
                yield Record(0, number, problem=f"text outside any vCard: {line.strip()[:60]!r}")
            return
        self.lines.append(line)
        self.size += len(line)
        if marker == END:
            yield self._record(self.lines)
            self.lines = None
        elif self.size > MAX_RECORD_CHARS:
            yield Record(self.count, self.start, problem="larger than 20 MB: not imported")
            self.lines, self.quiet = None, True

    def _record(self, lines: list[str]) -> Record:
        try:
            return Record(self.count, self.start, complete(lines))
        except ValueError as e:
            return Record(self.count, self.start, problem=str(e))

    def unterminated(self, problem: str) -> Iterator[Record]:
        """The vCard being read, reported as cut short."""
        if self.lines is not None:
            yield Record(self.count, self.start, problem=problem)
            self.lines = None


def read_vcards(lines: Iterable[str]) -> Iterator[Record]:
    """The vCards of a file's ``lines`` (no line endings), one record each."""
    splitter = _Splitter()
    for number, line in enumerate(lines, 1):
        yield from splitter.feed(number, line)
    yield from splitter.unterminated("the file ends inside this vCard (no END:VCARD)")
