"""vdirsyncer's server plugin for its DAV storage tests, pointed at a running server.

``test_vdirsyncer_storage`` copies this file into vdirsyncer's unpacked test suite as
``tests/storage/servers/external/__init__.py`` and runs the suite with
``DAV_SERVER=external``; the server, login and password come from the environment
(``VDS_URL``, ``VDS_USER``, ``VDS_PASSWORD``). Each test gets a new collection (made by
vdirsyncer's own ``slow_create_collection``, with MKCOL, and deleted afterwards).
Not collected by our suite: it imports only what vdirsyncer's suite provides.
"""

import os

import pytest


class ServerMixin:
    @pytest.fixture
    def get_storage_args(self, request, tmpdir, slow_create_collection, aio_connector):
        async def inner(collection="test"):
            args = {
                "url": os.environ["VDS_URL"],
                "username": os.environ["VDS_USER"],
                "password": os.environ["VDS_PASSWORD"],
                "connector": aio_connector,
            }
            if collection is not None:
                args = await slow_create_collection(self.storage_class, args, collection)
            return args

        return inner
