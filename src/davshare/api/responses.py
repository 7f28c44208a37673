"""The API's answers: JSON bodies and the one error shape."""

import json
from http import HTTPStatus
from typing import Any

from werkzeug.wrappers import Response


def json_response(value: Any, status: int = HTTPStatus.OK) -> Response:
    """``value`` as a JSON response."""
    return Response(
        json.dumps(value, indent=1, ensure_ascii=False), status, mimetype="application/json"
    )


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> Response:
    """The API's error shape: ``{"error": {"code": ..., "message": ...}}``."""
    response = json_response({"error": {"code": code, "message": message}}, status)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response
