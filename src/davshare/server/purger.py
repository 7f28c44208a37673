"""The server empties the trash and history of what is past its retention, by itself:
a daemon thread in the process that also sends the mail (one whatever the workers)."""

import logging
import threading
import time

from sqlalchemy import Engine

from davshare.mail.sender import DATABASE_IN_USE
from davshare.model import trash
from davshare.model.history import Settings

logger = logging.getLogger("davshare.trash")


def start_background(engine: Engine, kept: Settings, every: float) -> threading.Event:
    """Purge every ``every`` seconds (at once first); set the event to stop."""
    stop = threading.Event()

    def run() -> None:
        while not stop.is_set():
            with DATABASE_IN_USE:  # no fork while a connection is open (mail/sender.py)
                try:
                    purged = trash.empty(engine, kept, int(time.time()))
                    if purged.items or purged.versions or purged.collections:
                        logger.info("trash emptied: %s", purged)
                except Exception:  # the purge must outlive any one failure
                    logger.exception("emptying the trash failed; trying again later")
                engine.dispose()
            stop.wait(every)

    if every > 0:
        threading.Thread(target=run, name="davshare-trash", daemon=True).start()
    return stop
