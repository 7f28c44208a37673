"""davshare: shared address books, calendars and task lists on Radicale."""

__version__ = "0.1.0"
