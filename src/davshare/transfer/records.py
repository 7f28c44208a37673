"""What the readers hand to the importer: one record of a file, or why it cannot be read."""

import hashlib
import uuid
from dataclasses import dataclass

# Records larger than this are refused rather than held in memory (photos included).
MAX_RECORD_CHARS = 20_000_000
_NAMESPACE = uuid.UUID("6f1c3f0e-4a52-4f53-9d4b-646176736861")


@dataclass(frozen=True)
class Record:
    """One contact, or one event or task with its exceptions, read from a file.

    ``number`` counts the records of the file from 1 (0 for text between
    records); ``line`` is the line it starts on. ``text`` is the vCard or
    VCALENDAR object to store (CRLF line ends), "" when ``problem`` says why
    the record cannot be imported. ``uid`` is set by the readers that know it
    without parsing the record (calendars).
    """

    number: int
    line: int
    text: str = ""
    problem: str = ""
    uid: str = ""

    @property
    def position(self) -> str:
        """Where the record is, for a person: "record 3 (line 27)"."""
        return f"record {self.number} (line {self.line})" if self.number else f"line {self.line}"


def stable_uid(content: str) -> str:
    """A UID made from ``content``: the same record always gets the same UID.

    Used for records that have none (CSV rows, Google's vCards), so that
    importing one file twice updates the same items instead of adding copies.
    """
    digest = hashlib.sha256(content.encode("utf-8", "surrogatepass")).digest()
    return str(uuid.uuid5(_NAMESPACE, digest.hex()))


def crlf(lines: list[str]) -> str:
    """Physical lines joined as stored: CRLF after each."""
    return "".join(line + "\r\n" for line in lines)
