"""The second step of a web sign-in with two factors on: the code (``two_factors``)."""

from http import HTTPStatus
from typing import Any

from sqlalchemy import Engine
from werkzeug.wrappers import Response

from davshare.api.responses import error_response
from davshare.core import events
from davshare.model import sign_ins, two_factors


def second_factor(
    engine: Engine, login: str, code: Any, address: str, agent: str
) -> tuple[Response | None, str]:
    """(None, how the second factor was given) when ``login`` may sign in with ``code``;
    else (the refusal, ""): 401 asking for a code or saying it is wrong, 429 after many."""
    if not two_factors.is_on(engine, login):
        return None, ""
    if not isinstance(code, str) or not code.strip():
        return error_response(
            HTTPStatus.UNAUTHORIZED,
            "two_factor_code_required",
            "two-factor sign-in is on: type the 6-digit code your authenticator app shows "
            "(or one of your recovery codes)",
        ), ""
    checked = two_factors.verify(engine, login, code)
    if checked.ok:
        return None, checked.detail
    sign_ins.record(engine, login, "web", address, agent, False, "wrong second factor")
    events.sign_in_failed("web", login, address)
    if checked.wait:
        return error_response(
            HTTPStatus.TOO_MANY_REQUESTS,
            "too_many_failures",
            f"too many wrong codes: try again in {checked.wait} seconds",
            {"Retry-After": str(checked.wait)},
        ), ""
    return error_response(
        HTTPStatus.UNAUTHORIZED,
        "two_factor_code_wrong",
        "this code is not right (or was used already): type the code your authenticator app "
        "shows now, or an unused recovery code",
    ), ""
