"""Calling the JSON management API in tests."""

from typing import Any

import requests

PREFIX = "/.davshare/api/v1"


class ApiClient:
    """The API as one account sees it."""

    def __init__(self, base_url: str, session: requests.Session) -> None:
        self.base = base_url + PREFIX
        self.session = session

    def call(self, method: str, path: str, json: Any = None, **params: str) -> requests.Response:
        """One request; the response as is."""
        return self.session.request(method, self.base + path, json=json, params=params or None)

    def ok(self, method: str, path: str, json: Any = None, **params: str) -> Any:
        """One request that must succeed; its JSON (None for 204)."""
        response = self.call(method, path, json, **params)
        assert response.status_code < 300, response.text
        return response.json() if response.content else None
