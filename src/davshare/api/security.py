"""``/me/app-passwords``, ``/me/two-factors`` and ``/me/sign-ins`` (issue 15): a person's
device passwords, their second factor and their recent sign-ins.

Signed in with an app password, a caller sees these but changes none of them
(``policy.may_manage_sign_in``): a lost device cannot mint itself new credentials.
"""

import base64
import io
from http import HTTPStatus
from typing import Any

import segno
from werkzeug.wrappers import Response

from davshare.api.base import Call, Handler
from davshare.api.responses import error_response, json_response
from davshare.core import policy
from davshare.facts import access
from davshare.model import app_passwords, errors, sign_ins, two_factors


def _may_manage(call: Call) -> None:
    if not policy.may_manage_sign_in(access.requester(call.engine, call.login)):
        raise errors.NotAllowed(
            "an app password cannot change app passwords or two factors: use the web pages"
        )


def _listed(found: app_passwords.AppPassword) -> dict[str, Any]:
    return {
        "id": found.id,
        "name": found.name,
        "created_at": found.created_at,
        "last_used_at": found.last_used_at,
        "last_used_from": found.last_used_from,
    }


def list_app_passwords(call: Call) -> Response:
    """The caller's app passwords with their creation and last use (never the passwords)."""
    found = app_passwords.list_for(call.engine, call.login)
    return json_response({"app_passwords": [_listed(p) for p in found]})


def create_app_password(call: Call) -> Response:
    """A new app password for a device; the answer holds it, shown this once."""
    _may_manage(call)
    name = call.body_of("name").get("name")
    if not isinstance(name, str):
        raise errors.InvalidInput("give the device's name, e.g. Phone")
    found, password = app_passwords.create(call.engine, call.login, name)
    return json_response({**_listed(found), "password": password}, HTTPStatus.CREATED)


def revoke_app_password(call: Call, id: str) -> Response:
    """Revoke one app password: the device's next request is refused."""
    _may_manage(call)
    app_passwords.revoke(call.engine, call.login, id)
    return Response(status=HTTPStatus.NO_CONTENT)


def _status(call: Call) -> dict[str, Any]:
    found = two_factors.status(call.engine, call.login)
    return {
        "enabled": found.enabled,
        "pending": found.pending,
        "recovery_codes_left": found.recovery_codes_left,
        "required": app_passwords.options().admins_need_two_factors
        and access.requester(call.engine, call.login).server_admin,
    }


def get_two_factors(call: Call) -> Response:
    """Whether two-factor sign-in is on, waits for its first code, and codes left."""
    return json_response(_status(call))


def begin_two_factors(call: Call) -> Response:
    """Start enrolling: the secret, its otpauth:// URI and a QR code of it (SVG data URI)."""
    _may_manage(call)
    call.body_of()
    issuer = f"davshare {call.request.host.split(':')[0]}"
    secret, uri = two_factors.begin(call.engine, call.login, issuer)
    out = io.BytesIO()
    segno.make(uri, error="m").save(out, kind="svg", scale=4, border=2)
    qr = "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()
    return json_response({"secret": secret, "otpauth_uri": uri, "qr_svg": qr}, HTTPStatus.CREATED)


def _code(call: Call, *fields: str) -> str:
    code = call.body_of("code", *fields).get("code")
    if not isinstance(code, str) or not code.strip():
        raise errors.InvalidInput("give the 6-digit code your authenticator app shows")
    return code


def confirm_two_factors(call: Call) -> Response:
    """Turn two factors on with the app's first code: the recovery codes, shown this once."""
    _may_manage(call)
    codes = two_factors.confirm(call.engine, call.login, _code(call))
    return json_response({**_status(call), "recovery_codes": codes})


def _wrong(checked: two_factors.Verified) -> Response:
    if checked.wait:
        return error_response(
            HTTPStatus.TOO_MANY_REQUESTS,
            "too_many_failures",
            f"too many wrong codes: try again in {checked.wait} seconds",
            {"Retry-After": str(checked.wait)},
        )
    return error_response(
        HTTPStatus.FORBIDDEN,
        "two_factor_code_wrong",
        "this code is not right (or was used already): nothing was changed",
    )


def turn_off_two_factors(call: Call) -> Response:
    """Turn two factors off (a current code or a recovery code), or cancel an enrolment."""
    _may_manage(call)
    code = call.body_of("code").get("code", "")
    checked = two_factors.turn_off(call.engine, call.login, code if isinstance(code, str) else "")
    return _wrong(checked) if not checked.ok else json_response(_status(call))


def new_recovery_codes(call: Call) -> Response:
    """New recovery codes, with a current code; the old ones stop working."""
    _may_manage(call)
    checked, codes = two_factors.new_recovery_codes(call.engine, call.login, _code(call))
    if not checked.ok:
        return _wrong(checked)
    return json_response({**_status(call), "recovery_codes": codes})


def list_sign_ins(call: Call) -> Response:
    """The caller's recent sign-ins, newest first."""
    found = sign_ins.recent(call.engine, call.login)
    return json_response({"sign_ins": [s.__dict__ for s in found]})


ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/me/app-passwords", list_app_passwords),
    ("POST", "/me/app-passwords", create_app_password),
    ("DELETE", "/me/app-passwords/<id>", revoke_app_password),
    ("GET", "/me/two-factors", get_two_factors),
    ("POST", "/me/two-factors", begin_two_factors),
    ("POST", "/me/two-factors/confirm", confirm_two_factors),
    ("DELETE", "/me/two-factors", turn_off_two_factors),
    ("POST", "/me/two-factors/recovery-codes", new_recovery_codes),
    ("GET", "/me/sign-ins", list_sign_ins),
]
