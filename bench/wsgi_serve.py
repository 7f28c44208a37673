"""Serve stock Radicale or a trivial "ok" app behind waitress, set up exactly as ``davshare serve``.

``python -m bench.wsgi_serve radicale --config FILE --port P --threads N``
``python -m bench.wsgi_serve floor --port P --threads N``
``python -m bench.wsgi_serve xandikos --directory DIR --principal /login/ --collections a,b:c
--port P --threads N`` (``name`` an address book, ``name:c`` a calendar)
"""

import argparse
from collections.abc import Callable, Iterable
from typing import Any

import waitress

MAX_BODY = 100_000_000


def floor_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """The cheapest possible answer: what waitress and HTTP cost alone."""
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]


def radicale_app(config_path: str) -> Callable[..., Iterable[bytes]]:
    """Stock Radicale's WSGI application for ``config_path``."""
    from radicale import config, log
    from radicale.app import Application

    log.setup()
    configuration = config.load([(config_path, False)])
    log.set_level(configuration.get("logging", "level"), False, "")
    return Application(configuration)


def xandikos_app(
    directory: str, principal: str, collections: str
) -> Callable[..., Iterable[bytes]]:
    """Xandikos's own WSGI application over ``directory``, as its ``wsgi`` module makes it,
    with the principal and its collections created first (Xandikos has no sign-in of its own:
    it leaves that to a front end, so it answers without one here)."""
    from xandikos.store import STORE_TYPE_ADDRESSBOOK, STORE_TYPE_CALENDAR
    from xandikos.web import SingleUserFilesystemBackend, XandikosApp

    backend = SingleUserFilesystemBackend(path=directory)
    if not backend.get_resource(principal):
        backend.create_principal(principal)
    backend._mark_as_principal(principal)
    for entry in filter(None, collections.split(",")):
        name, _, kind = entry.partition(":")
        path = principal + name
        if not backend.get_resource(path):
            store = backend.create_collection(path).store
            store.set_type(STORE_TYPE_CALENDAR if kind == "c" else STORE_TYPE_ADDRESSBOOK)
    return XandikosApp(backend, principal)  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("app", choices=("radicale", "floor", "xandikos"))
    parser.add_argument("--config", default="")
    parser.add_argument("--directory", default="")
    parser.add_argument("--principal", default="/user/")
    parser.add_argument("--collections", default="")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    if args.app == "radicale":
        app = radicale_app(args.config)
    elif args.app == "xandikos":
        app = xandikos_app(args.directory, args.principal, args.collections)
    else:
        app = floor_app
    # The same waitress options as davshare.serve.serve.
    waitress.serve(
        app,
        host="127.0.0.1",
        port=args.port,
        threads=args.threads,
        max_request_body_size=2 * MAX_BODY + 1_000_000,
        ident=args.app,
        clear_untrusted_proxy_headers=True,
        channel_timeout=120,
    )


if __name__ == "__main__":
    main()
