"""An uploaded file as text lines, whatever its encoding, read a chunk at a time.

Exports from Outlook and Excel are often Windows-1252 (Latin-1), those of
Google and Apple UTF-8, some UTF-16 with a byte order mark. A BOM decides;
otherwise each line is read as UTF-8 and, when it is not, as Windows-1252, so
a file mixing both never stops an import.
"""

import codecs
from collections.abc import Iterator
from typing import Protocol, TypeVar

from davshare.model.errors import InvalidInput

CHUNK = 1 << 16
FALLBACK = "cp1252"
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_T = TypeVar("_T", str, bytes)


class Readable(Protocol):
    """A binary stream: a file opened "rb", or a request body."""

    def read(self, size: int = -1, /) -> bytes:
        """Up to ``size`` bytes; b"" at the end."""
        ...


def _split(chunks: Iterator[_T], newline: _T, empty: _T) -> Iterator[_T]:
    """The lines of ``chunks`` without their ``newline`` (a CR before it stays)."""
    pending: list[_T] = []
    for chunk in chunks:
        parts = chunk.split(newline)
        pending.append(parts[0])
        if len(parts) == 1:
            continue
        yield empty.join(pending)
        yield from parts[1:-1]
        pending = [parts[-1]]
    last = empty.join(pending)
    if last:
        yield last


def _codec(charset: str) -> str:
    try:
        return codecs.lookup(charset).name
    except LookupError:
        raise InvalidInput(f"unknown character set {charset!r}") from None


class LineReader:
    """The lines of a byte stream, decoded, without line endings.

    ``bytes_read`` tells how far the reading went (for a progress bar);
    ``fallback_lines`` counts the lines read as Windows-1252.
    """

    def __init__(self, stream: Readable, charset: str = "") -> None:
        self._stream = stream
        self._charset = _codec(charset) if charset else ""
        self.bytes_read = 0
        self.fallback_lines = 0
        self.first_fallback_line = 0

    def _chunks(self) -> Iterator[bytes]:
        # The first chunk whole: the byte order mark and the line ending are read off it.
        # Then what has arrived (``read1``): records piped in are imported as they come.
        read_some = getattr(self._stream, "read1", self._stream.read)
        chunk = self._stream.read(CHUNK)
        while chunk:
            self.bytes_read += len(chunk)
            yield chunk
            chunk = read_some(CHUNK)

    def __iter__(self) -> Iterator[str]:
        chunks = self._chunks()
        head = next(chunks, b"").removeprefix(codecs.BOM_UTF8)
        charset = self._charset or next((c for bom, c in _BOMS if head.startswith(bom)), "")
        newline = b"\r" if b"\r" in head and b"\n" not in head else b"\n"
        rest = _prepend(head, chunks)
        if charset:
            lines: Iterator[str] = _split(_decoded(rest, charset), newline.decode(), "")
        else:
            lines = (self._decode(line, n) for n, line in enumerate(_split(rest, newline, b""), 1))
        for line in lines:
            yield line.removesuffix("\r")

    def _decode(self, line: bytes, number: int) -> str:
        try:
            return line.decode("utf-8")
        except UnicodeDecodeError:
            self.fallback_lines += 1
            self.first_fallback_line = self.first_fallback_line or number
        try:
            return line.decode(FALLBACK)
        except UnicodeDecodeError:  # the five bytes Windows-1252 leaves undefined
            return line.decode("latin-1")

    def encoding_note(self) -> str:
        """A sentence for the report when lines were not UTF-8, else ""."""
        if not self.fallback_lines:
            return ""
        return (
            f"{self.fallback_lines} line(s), the first at line {self.first_fallback_line}, "
            "were not UTF-8 and were read as Windows-1252 (Latin-1)"
        )


def _prepend(head: bytes, chunks: Iterator[bytes]) -> Iterator[bytes]:
    if head:
        yield head
    yield from chunks


def _decoded(chunks: Iterator[bytes], charset: str) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder(charset)(errors="replace")
    for chunk in chunks:
        yield decoder.decode(chunk)
    yield decoder.decode(b"", final=True)
