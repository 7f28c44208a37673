"""The free/busy URL to give Outlook ("Internet free/busy"): busy times, never details (G5, S1)."""

import datetime

from werkzeug.wrappers import Response

from davshare.api.base import Call, Handler
from davshare.facts import freebusy
from davshare.model.accounts import normalize_login
from davshare.model.errors import InvalidInput, NotAllowed, NotFound

DEFAULT_PAST = datetime.timedelta(days=7)
DEFAULT_FUTURE = datetime.timedelta(days=60)


def _moment(call: Call, name: str, default: datetime.datetime) -> datetime.datetime:
    raw = call.request.args.get(name)
    if not raw:
        return default
    try:
        moment = datetime.datetime.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(
            f"{name} must be a date or date-time like 2026-12-01 or 2026-12-01T09:00Z"
        ) from None
    return moment.astimezone(datetime.UTC) if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def free_busy(call: Call, target: str) -> Response:
    """Busy times of an account (``.vfb`` or ``.ifb`` allowed), by default from a week ago on."""
    login = normalize_login(target.removesuffix(".vfb").removesuffix(".ifb"))
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    start, end = (
        _moment(call, "start", now - DEFAULT_PAST),
        _moment(call, "end", now + DEFAULT_FUTURE),
    )
    if end <= start:
        raise InvalidInput("end must come after start")
    if call.storage.collection(login) is None:
        raise NotFound(f"no account {login}")
    calendars = freebusy.visible_calendars(call.storage, call.login, login)
    if calendars is None:
        raise NotAllowed(
            f"{login} has not let you see their busy times (share a calendar or a group)"
        )
    text = freebusy.vfreebusy(
        freebusy.busy_periods(calendars, start, end), start, end, attendee=login
    )
    return Response(
        text,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'inline; filename="{login}.vfb"'},
    )


ROUTES: list[tuple[str, str, Handler]] = [("GET", "/freebusy/<target>", free_busy)]
