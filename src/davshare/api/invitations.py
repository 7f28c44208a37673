"""API handlers for invitations, the directory and join requests (SPEC G3, G12)."""

from http import HTTPStatus
from typing import Any

from werkzeug.wrappers import Response

from davshare.api.base import Call, Handler
from davshare.api.responses import json_response
from davshare.model import directory, invitations
from davshare.model.errors import NotFound

NO_CONTENT = HTTPStatus.NO_CONTENT


def _invitation(invitation: invitations.Invitation, with_token: bool) -> dict[str, Any]:
    value: dict[str, Any] = {
        "group": invitation.group,
        "address": invitation.address,
        "invited_by": invitation.invited_by,
        "expires_at": invitation.expires_at,
        "expired": invitation.expired,
        "sends": invitation.sends,
    }
    if with_token:  # only the invitee learns it: it is what they accept with
        value["token"] = invitation.token
        value["url"] = invitations.link(invitation.token)
    return value


def invite(call: Call, name: str) -> Response:
    """Invite an address into the group (an account, or one of a domain served here)."""
    invitation = invitations.invite(call.engine, call.login, name, call.field("address"))
    return json_response(_invitation(invitation, False), HTTPStatus.CREATED)


def group_invitations(call: Call, name: str) -> Response:
    """The group's pending invitations (admin and co-admins)."""
    found = invitations.of_group(call.engine, call.login, name)
    return json_response({"invitations": [_invitation(i, False) for i in found]})


def resend_invitation(call: Call, name: str, address: str) -> Response:
    """Send an invitation again (a few times a day at most); its validity restarts."""
    invitation = invitations.resend(call.engine, call.login, name, address)
    return json_response(_invitation(invitation, False))


def withdraw_invitation(call: Call, name: str, address: str) -> Response:
    """Withdraw a pending invitation."""
    invitations.withdraw(call.engine, call.login, name, address)
    return Response(status=NO_CONTENT)


def my_invitations(call: Call) -> Response:
    """The invitations the caller may accept or decline."""
    found = invitations.pending_for(call.engine, call.login)
    return json_response({"invitations": [_invitation(i, True) for i in found]})


def show_invitation(call: Call, token: str) -> Response:
    """One of the caller's invitations."""
    for invitation in invitations.pending_for(call.engine, call.login):
        if invitation.token == token:
            return json_response(_invitation(invitation, True))
    raise NotFound("no such invitation, or it has expired")


def accept_invitation(call: Call, token: str) -> Response:
    """Accept an invitation: the caller becomes a member."""
    group = invitations.accept(call.engine, call.login, token)
    return json_response({"group": group, "my_role": "member"})


def decline_invitation(call: Call, token: str) -> Response:
    """Decline an invitation."""
    invitations.decline(call.engine, call.login, token)
    return Response(status=NO_CONTENT)


def set_language(call: Call) -> Response:
    """The language of the messages sent to the caller: ``en`` or ``fr``."""
    invitations.set_language(call.engine, call.login, call.field("language"))
    return json_response({"language": call.field("language")})


def directory_settings(call: Call, name: str) -> Response:
    """The group's directory settings."""
    return json_response(directory.settings_of(call.engine, call.login, name))


def update_directory_settings(call: Call, name: str) -> Response:
    """Publish the group, its member list, open it; activity, sector, language (admin only)."""
    return json_response(directory.update_settings(call.engine, call.login, name, **call.body()))


def search_directory(call: Call) -> Response:
    """Published groups matching two of: name (3 letters), activity, sector, language."""
    args = call.request.args
    found = directory.search(
        call.engine,
        args.get("name", ""),
        **{key: args.get(key, "") for key in ("activity", "sector", "language")},
    )
    return json_response({"groups": [listing.__dict__ for listing in found]})


def join(call: Call, name: str) -> Response:
    """Join a published group: at once if open, else a request the admins answer."""
    outcome = directory.join(call.engine, call.login, name, call.field("message", ""))
    status = HTTPStatus.OK if outcome == "joined" else HTTPStatus.ACCEPTED
    return json_response({"group": name.strip().lower(), "status": outcome}, status)


def join_requests(call: Call, name: str) -> Response:
    """Pending requests to join the group (admin and co-admins)."""
    found = directory.requests_of(call.engine, call.login, name)
    return json_response({"requests": [{"login": lg, "message": m} for lg, m in found]})


def accept_join_request(call: Call, name: str, login: str) -> Response:
    """Accept a join request: the requester becomes a member and is told."""
    directory.answer(call.engine, call.login, name, login, True)
    return Response(status=NO_CONTENT)


def decline_join_request(call: Call, name: str, login: str) -> Response:
    """Decline a join request; the requester is told."""
    directory.answer(call.engine, call.login, name, login, False)
    return Response(status=NO_CONTENT)


GROUP = "/groups/<name>"

ROUTES: list[tuple[str, str, Handler]] = [
    ("POST", GROUP + "/invitations", invite),
    ("GET", GROUP + "/invitations", group_invitations),
    ("POST", GROUP + "/invitations/<address>/resend", resend_invitation),
    ("DELETE", GROUP + "/invitations/<address>", withdraw_invitation),
    ("GET", "/invitations", my_invitations),
    ("GET", "/invitations/<token>", show_invitation),
    ("POST", "/invitations/<token>/accept", accept_invitation),
    ("POST", "/invitations/<token>/decline", decline_invitation),
    ("PUT", "/me/language", set_language),
    ("GET", GROUP + "/directory", directory_settings),
    ("PATCH", GROUP + "/directory", update_directory_settings),
    ("GET", "/directory", search_directory),
    ("POST", "/directory/<name>/join", join),
    ("GET", GROUP + "/join-requests", join_requests),
    ("POST", GROUP + "/join-requests/<login>/accept", accept_join_request),
    ("POST", GROUP + "/join-requests/<login>/decline", decline_join_request),
]
