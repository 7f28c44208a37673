"""The API application: its routes and its OpenAPI document."""

from sqlalchemy import Engine
from werkzeug.wrappers import Response

from davshare.api import PREFIX, groups, openapi
from davshare.api.base import Api, json_response


def create_api(engine: Engine, auth_delay: float, realm: str) -> Api:
    """The WSGI application of ``/.davshare/api/v1/``."""
    document = openapi.document(PREFIX, groups.ROUTES)

    def openapi_json() -> Response:
        return json_response(document)

    return Api(engine, PREFIX, auth_delay, realm, groups.ROUTES, {"/openapi.json": openapi_json})
