"""The API application: its routes and its OpenAPI document."""

from collections.abc import Callable

from werkzeug.wrappers import Request, Response

from davshare.api import (
    PREFIX,
    activity,
    calendar_events,
    event_answers,
    freebusy,
    groups,
    history,
    invitations,
    item_list,
    linked,
    meeting_invitations,
    openapi,
    pages,
    quotas,
    security,
    sharing,
    sign_in,
    tasks,
    time_zones,
    transfer,
    trash,
    views,
)
from davshare.api.base import Api
from davshare.api.responses import json_response
from davshare.model import imip
from davshare.storage.backend import Storage

ROUTES = groups.ROUTES + sharing.ROUTES + freebusy.ROUTES + transfer.ROUTES
ROUTES += invitations.ROUTES + quotas.ROUTES  # SPEC G3, G12, A4
ROUTES += views.ROUTES + linked.ROUTES  # SPEC Q1-Q3, R6
ROUTES += pages.ROUTES  # what the web pages need besides (issue 9)
ROUTES += calendar_events.ROUTES + time_zones.ROUTES  # the calendar view (issue 17)
ROUTES += tasks.ROUTES + item_list.ROUTES  # task lists, paged item lists (issue 17)
ROUTES += security.ROUTES  # app passwords, two factors, recent sign-ins (issue 15)
ROUTES += meeting_invitations.ROUTES  # meetings others invited one to (issue 16)
ROUTES += trash.ROUTES + history.ROUTES + activity.ROUTES  # nothing deleted is lost (issue 20)


def create_api(storage: Storage, auth_delay: float, realm: str) -> Api:
    """The WSGI application of ``/.davshare/api/v1/``."""
    document = openapi.document(PREFIX, ROUTES)
    document["paths"]["/session"] = sign_in.OPENAPI_PATH  # cookie sessions (web pages)
    document["paths"][imip.ANSWER_PATH] = event_answers.OPENAPI_PATH  # e-mail invitations

    def openapi_json() -> Response:
        return json_response(document)

    public = {"/openapi.json": openapi_json}
    unauthenticated: dict[str, Callable[[Api, Request], Response]] = {
        "/session": sign_in.endpoint,
        imip.ANSWER_PATH: event_answers.endpoint,
    }
    return Api(storage, PREFIX, auth_delay, realm, ROUTES, public, unauthenticated)
