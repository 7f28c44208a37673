"""``/event-answers``: where someone invited by e-mail answers (iMIP, RFC 6047).

The links of an e-mail invitation carry a token bound to that attendee and that
organizer's event; no account is needed. GET shows the question with the answer
chosen in the link (mail scanners that open links change nothing); the form POSTs it,
and the organizer's copy records it (``model.imip``).
"""

import html
from http import HTTPStatus

from werkzeug.wrappers import Request, Response

from davshare.api.base import Api
from davshare.model import imip
from davshare.model.db import read_transaction
from davshare.model.errors import InvalidInput, NotFound

_LABELS = {"accepted": "Accept", "tentative": "Maybe", "declined": "Decline"}


def _page(title: str, body: str, status: int = HTTPStatus.OK) -> Response:
    text = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width">'
        f"<title>{html.escape(title)}</title></head><body><main>"
        f"<h1>{html.escape(title)}</h1>{body}</main></body></html>"
    )
    return Response(text, status=status, content_type="text/html; charset=utf-8")


def _question(api: Api, token: str, chosen: str) -> Response:
    with read_transaction(api.engine) as conn:
        organizer, _, attendee, summary = imip.token_facts(conn, token)
    buttons = "".join(
        f'<button name="answer" value="{value}"{" autofocus" if value == chosen else ""}>'
        f"{label}</button> "
        for value, label in _LABELS.items()
    )
    body = (
        f"<p>{html.escape(organizer)} invites {html.escape(attendee)}.</p>"
        f'<form method="post"><input type="hidden" name="token" value="{html.escape(token)}">'
        f"{buttons}</form>"
    )
    return _page(summary, body)


def endpoint(api: Api, request: Request) -> Response:
    """GET: the invitation and its answers; POST (form: token, answer): record the answer."""
    try:
        if request.method == "GET":
            return _question(api, request.args.get("token", ""), request.args.get("answer", ""))
        if request.method != "POST":
            return _page("Not allowed", "<p>Use the links of the invitation.</p>", 405)
        form = request.form
        answered = imip.answer(api.engine, form.get("token", ""), form.get("answer", ""))
    except NotFound as e:
        return _page("Invitation not found", f"<p>{html.escape(str(e))}</p>", HTTPStatus.NOT_FOUND)
    except InvalidInput as e:
        return _page("Unknown answer", f"<p>{html.escape(str(e))}</p>", HTTPStatus.BAD_REQUEST)
    said = _LABELS.get(answered.partstat.lower(), answered.partstat).lower()
    return _page(
        answered.summary,
        f"<p>Thank you: {html.escape(answered.organizer)} now sees your answer "
        f"({html.escape(said)}).</p>",
    )


OPENAPI_PATH = {
    "get": {
        "summary": "The page where someone invited by e-mail answers (token from the e-mail)",
        "responses": {"200": {"description": "an HTML page"}},
    },
    "post": {
        "summary": "Record the answer of someone invited by e-mail (form fields token, answer)",
        "responses": {"200": {"description": "an HTML page"}},
    },
}
