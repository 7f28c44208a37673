"""What a migration did (or, in a dry run, would do), and what needs a person."""

import collections
import sys
from dataclasses import dataclass, field
from typing import TextIO

OUTCOMES = ("created", "updated", "unchanged", "skipped")


@dataclass
class Report:
    """Counts per kind of thing and outcome, the lines to show, the problems to act on."""

    dry_run: bool = False
    counts: collections.Counter[tuple[str, str]] = field(default_factory=collections.Counter)
    done: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        """Count ``n`` things of ``kind`` (account, collection, item, share) with ``outcome``."""
        self.counts[(kind, outcome)] += n

    def did(self, line: str) -> None:
        """Record one thing done (an account, a collection, a share)."""
        self.done.append(("would be " if self.dry_run else "") + line)

    def problem(self, line: str) -> None:
        """Record something not carried over, with what to do about it."""
        self.problems.append(line)

    def summary(self) -> str:
        """One line per kind of thing with its outcomes."""
        kinds = sorted(
            {kind for kind, _ in self.counts}, key=("account", "collection", "item", "share").index
        )
        lines = []
        for kind in kinds:
            parts = [f"{self.counts[(kind, o)]} {o}" for o in OUTCOMES if self.counts[(kind, o)]]
            lines.append(f"{kind}s: {', '.join(parts)}")
        return "\n".join(lines)

    def print(self, stream: TextIO = sys.stdout) -> None:
        """The whole report, for a person."""
        if self.dry_run:
            print("dry run: nothing was written", file=stream)
        for line in self.done:
            print(line, file=stream)
        print(self.summary(), file=stream)
        for line in self.problems:
            print(f"not carried over: {line}", file=stream)
        for line in self.notes:
            print(f"note: {line}", file=stream)
