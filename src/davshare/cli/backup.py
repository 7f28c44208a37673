"""``davshare backup FILE`` and ``davshare restore FILE``."""

import argparse
from collections.abc import Callable
from pathlib import Path

from davshare.server import backup, config

SettingsOf = Callable[[argparse.Namespace], config.Settings]


def register(sub: argparse._SubParsersAction, settings_of: SettingsOf) -> None:
    """Add ``backup`` and ``restore`` to the ``davshare`` parser."""
    help_ = "write a consistent copy of the database to FILE, while the server runs"
    saving = sub.add_parser("backup", help=help_, description=help_)
    saving.add_argument("file", type=Path, help="a new file (never overwritten)")
    saving.set_defaults(func=lambda args: print(backup.backup(settings_of(args), args.file)))
    help_ = "restore a backup FILE into the configured, empty data folder or database"
    restoring = sub.add_parser("restore", help=help_, description=help_)
    restoring.add_argument("file", type=Path, help="a file written by davshare backup")
    restoring.set_defaults(func=lambda args: print(backup.restore(settings_of(args), args.file)))
