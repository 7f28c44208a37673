"""``davshare import`` and ``davshare export``: whole collections from and to files (SPEC I1, I2).

Each command acts as the user named in ``USER:COLLECTION``, with that user's
rights — exactly what their DAV client or the API may do.
"""

import argparse
import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO, TextIO

from sqlalchemy import Engine

from davshare.model.errors import InvalidInput
from davshare.transfer import Format, parse_format
from davshare.transfer.exporter import export
from davshare.transfer.importer import Importer, Report
from davshare.transfer.target import open_collection, parse_address, storage_for

EngineOf = Callable[[argparse.Namespace], Engine]
BAR_WIDTH = 30
# Exit status of an import that skipped records or reported duplicates (1: refused outright).
EXIT_PARTIAL = 2


class ProgressBar:
    """Progress on standard error: one bar redrawn on a terminal, a line per tenth otherwise."""

    def __init__(self, label: str, total: int, stream: TextIO = sys.stderr) -> None:
        self.label, self.total, self.stream = label, total, stream
        self.tty = stream.isatty()
        self._tenth = -1
        self._drawn = 0.0

    def __call__(self, records: int, bytes_read: int) -> None:
        fraction = min(bytes_read / self.total, 1.0) if self.total else 0.0
        if self.tty and time.monotonic() - self._drawn >= 0.1:
            self._drawn = time.monotonic()
            bar = "#" * int(fraction * BAR_WIDTH)
            self.stream.write(f"\r{self.label} [{bar:<{BAR_WIDTH}}] {fraction:4.0%} {records:,}")
        elif not self.tty and int(fraction * 10) > self._tenth:
            self._tenth = int(fraction * 10)
            self.stream.write(f"{self.label}: {fraction:.0%} of the file, {records:,} records\n")
        self.stream.flush()

    def done(self, records: int) -> None:
        """The last state: the bar's line ended on a terminal, a closing line otherwise."""
        self.stream.write("\n" if self.tty else f"{self.label}: done, {records:,} records\n")
        self.stream.flush()


@contextlib.contextmanager
def _input(path: Path) -> Iterator[tuple[BinaryIO, int]]:
    """The file (standard input for "-") and its size (0 when unknown)."""
    if str(path) == "-":
        yield sys.stdin.buffer, 0
        return
    try:
        stream = path.open("rb")
    except OSError as e:
        raise InvalidInput(f"cannot read {path}: {e.strerror}") from None
    with stream:
        yield stream, os.fstat(stream.fileno()).st_size


def _print_report(report: Report, seconds: float) -> None:
    print(f"{report.summary()} in {seconds:.1f} s ({report.format} into {report.collection})")
    for problem in report.problems:
        print(f"skipped {problem}")
    for duplicate in report.duplicates:
        print(f"not imported, {duplicate}")
    for note in report.notes:
        print(f"note: {note}")


def cmd_import(engine: Engine, args: argparse.Namespace) -> None:
    """Import a file; exit status 2 when records were skipped or held back as duplicates."""
    login, name = parse_address(args.into)
    target = open_collection(storage_for(engine), login, name, adding=True)
    importer = Importer(target, parse_format(args.format), args.report_duplicates)
    started = time.monotonic()
    with _input(args.file) as (stream, size):
        bar = ProgressBar(f"importing {args.file.name or 'standard input'}", size)
        try:
            report = importer.run(stream, args.charset, bar)
        except KeyboardInterrupt:
            bar.done(importer.report.records)
            _print_report(importer.report, time.monotonic() - started)
            print(
                "interrupted: the records above are imported, none is half-written; "
                "import the file again to finish",
                file=sys.stderr,
            )
            raise
    bar.done(report.records)
    _print_report(report, time.monotonic() - started)
    if report.problems or report.duplicates:
        sys.exit(EXIT_PARTIAL)


def _write(pieces: Iterator[str], output: Path | None) -> None:
    """Write the export; to a file through a ".part" file, so an interruption leaves no stub."""
    if output is None or str(output) == "-":
        try:
            for piece in pieces:
                sys.stdout.buffer.write(piece.encode("utf-8"))
            sys.stdout.buffer.flush()
        except BrokenPipeError:  # e.g. "| head": the reader has what it wanted
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return
    partial = output.with_name(output.name + ".part")
    try:
        with partial.open("wb") as stream:
            for piece in pieces:
                stream.write(piece.encode("utf-8"))
        partial.replace(output)
    except OSError as e:
        raise InvalidInput(f"cannot write {output}: {e.strerror}") from None


def cmd_export(engine: Engine, args: argparse.Namespace) -> None:
    """Export a collection to a file or standard output."""
    login, name = parse_address(args.collection)
    target = open_collection(storage_for(engine), login, name, adding=False)
    _write(export(target, parse_format(args.format or "")), args.output)
    if args.output is not None and str(args.output) != "-":
        print(f"{args.collection} written to {args.output}", file=sys.stderr)


def register(sub: argparse._SubParsersAction, engine_of: EngineOf) -> None:
    """Add the ``import`` and ``export`` commands to the ``davshare`` parser."""
    formats = [f.value for f in Format]
    help_ = "import contacts, events or tasks from a file into a collection, as its user"
    imp: argparse.ArgumentParser = sub.add_parser("import", help=help_, description=help_)
    imp.add_argument("file", type=Path, help="a .vcf, .csv or .ics file ('-': standard input)")
    imp.add_argument(
        "--into", required=True, metavar="USER:COLLECTION", help="e.g. gilles@example.com:contacts"
    )
    imp.add_argument("--format", choices=["auto", *formats], default="auto")
    imp.add_argument("--charset", default="", help="the file's encoding (default: detected)")
    imp.add_argument(
        "--report-duplicates",
        action="store_true",
        help="list new contacts with the e-mail or phone of another instead of importing them",
    )
    imp.set_defaults(func=lambda args: cmd_import(engine_of(args), args))
    help_ = "export a collection the user may read as one vCard, CSV or iCalendar file"
    exp: argparse.ArgumentParser = sub.add_parser("export", help=help_, description=help_)
    exp.add_argument("collection", metavar="USER:COLLECTION")
    exp.add_argument("--format", choices=formats, help="default: vcf or ics")
    exp.add_argument(
        "--output", "-o", type=Path, help="the file to write (default: standard output)"
    )
    exp.set_defaults(func=lambda args: cmd_export(engine_of(args), args))
