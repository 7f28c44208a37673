"""The settings of what deletions and overwrites keep: ``[trash]`` (docs/trash-and-history.md)."""

from typing import Any

from davshare.model import history
from davshare.model.errors import InvalidInput
from davshare.server.setting_values import number

SECTIONS: dict[str, dict[str, tuple[str, str]]] = {
    "trash": {
        "retention_days": (
            "30",
            "days deleted items and collections stay in the trash (0: deletions are final)",
        ),
        "history_versions": ("10", "earlier versions kept per item (0: no history)"),
        "history_days": ("30", "days an earlier version of an item is kept"),
        "burst_seconds": (
            "120",
            "at most this many seconds between changes of one person's client make one burst",
        ),
        "activity_days": ("365", "days the groups' activity log is kept"),
        "guard_share": (
            "0",
            "refuse (403) a client deleting this share (0-1) of a group's or shared book; 0: never",
        ),
        "change_log_days": (
            "90",
            "days of changes incremental sync can answer (older tokens: a full sync); 0: for ever",
        ),
        "purge_seconds": ("3600", "how often the server empties what is past its retention"),
    },
}


def _number(values: dict[str, dict[str, str]], option: str, kind: type) -> Any:
    return number("trash", option, values["trash"][option], kind)


def read(values: dict[str, dict[str, str]]) -> history.Settings:
    """``[trash]``: what deletions and overwrites keep, checked."""
    kept = history.Settings(
        trash_days=_number(values, "retention_days", float),
        versions=_number(values, "history_versions", int),
        history_days=_number(values, "history_days", float),
        burst_seconds=_number(values, "burst_seconds", int),
        activity_days=_number(values, "activity_days", float),
        guard_share=_number(values, "guard_share", float),
        change_log_days=_number(values, "change_log_days", float),
    )
    for option, value in (
        ("retention_days", kept.trash_days),
        ("history_versions", kept.versions),
        ("history_days", kept.history_days),
        ("burst_seconds", kept.burst_seconds),
        ("activity_days", kept.activity_days),
        ("change_log_days", kept.change_log_days),
        ("purge_seconds", _number(values, "purge_seconds", float)),
    ):
        if value < 0:
            raise InvalidInput(f"[trash] {option} must be 0 or more, not {value}")
    if kept.guard_share > 1:
        raise InvalidInput(f"[trash] guard_share is between 0 and 1, not {kept.guard_share}")
    return kept
