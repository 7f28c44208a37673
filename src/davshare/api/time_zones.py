"""Time zones for the calendar view: the viewer's choice, and VTIMEZONE definitions.

A recurring event created on the pages is stored with ``DTSTART;TZID=<zone>`` so that it
stays at the same local hour across daylight-saving changes; RFC 5545 wants the
object to carry that zone's VTIMEZONE, which ``GET /time-zones/<zone>`` gives (from the
server's tz database, through ``icalendar``).
"""

import datetime

import icalendar
from werkzeug.wrappers import Response

from davshare.api.base import Call, Handler
from davshare.api.responses import json_response
from davshare.model import preferences

# The years a VTIMEZONE written by the pages covers.
_FIRST, _LAST = datetime.date(1970, 1, 1), datetime.date(2100, 1, 1)


def get_time_zone(call: Call) -> Response:
    """The caller's time zone for the pages ("": the browser's)."""
    return json_response({"time_zone": preferences.time_zone(call.engine, call.login)})


def put_time_zone(call: Call) -> Response:
    """Choose the time zone the pages show times in ({"time_zone": "Europe/Paris"}, "")."""
    chosen = preferences.set_time_zone(call.engine, call.login, call.field("time_zone"))
    return json_response({"time_zone": chosen})


def vtimezone(call: Call, tzid: str) -> Response:
    """The VTIMEZONE of an IANA time zone, for events the pages write in it."""
    name = preferences.valid_time_zone(tzid)
    text = icalendar.Timezone.from_tzid(name, first_date=_FIRST, last_date=_LAST).to_ical()
    return Response(
        text, mimetype="text/calendar", headers={"Cache-Control": "private, max-age=86400"}
    )


ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/me/time-zone", get_time_zone),
    ("PUT", "/me/time-zone", put_time_zone),
    ("GET", "/time-zones/<path:tzid>", vtimezone),
]
