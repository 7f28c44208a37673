"""What ``serve`` checks before it answers: the listening socket (bound first, so that a
port in use or a wrong address is one clear line), and a short start-up log."""

import errno
import logging
import socket

from radicale import log

from davshare.model.errors import InvalidInput
from davshare.server.config import Settings

BACKLOG = 1024
logger = logging.getLogger("davshare")


LOG_FORMAT = "[%(asctime)s] [%(process)d] [%(levelname)s] %(name)s: %(message)s"


def configure_logging(level: str) -> None:
    """davshare's messages at ``level`` on standard error; Radicale's own (its settings at
    start, a line per request) only from warning up, unless ``level`` is debug."""
    if not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        logging.getLogger().addHandler(handler)
    debug = level.lower() == "debug"
    log.logger.setLevel(logging.DEBUG if debug else logging.WARNING)
    if not debug:
        log.logger.addFilter(log.REMOVE_TRACEBACK_FILTER)
    logger.setLevel(level.upper())


def _address(settings: Settings) -> tuple[socket.AddressFamily, tuple[str, int]]:
    try:
        found = socket.getaddrinfo(
            settings.host, settings.port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except (socket.gaierror, UnicodeError):
        raise InvalidInput(
            f"[server] host {settings.host!r} cannot be resolved: use an address of this "
            "machine (127.0.0.1, 0.0.0.0 for every interface) or a name it resolves"
        ) from None
    family, _, _, _, address = found[0]
    return family, (str(address[0]), int(address[1]))


def _bind_error(settings: Settings, error: OSError) -> InvalidInput:
    where = f"{settings.host}:{settings.port}"
    if error.errno == errno.EADDRINUSE:
        return InvalidInput(
            f"[server] port {settings.port} is in use on {settings.host} by another program: "
            "stop it, or choose another port ([server] port or --port)"
        )
    if error.errno == errno.EADDRNOTAVAIL:
        return InvalidInput(
            f"[server] host {settings.host} is not an address of this machine: use one of "
            "its addresses, 127.0.0.1, or 0.0.0.0 for every interface"
        )
    if error.errno == errno.EACCES:
        return InvalidInput(
            f"[server] port {settings.port}: this account may not listen on ports below 1024; "
            "use a higher port behind a proxy"
        )
    return InvalidInput(f"cannot listen on {where}: {error.strerror}")


def bind(settings: Settings) -> socket.socket:
    """The listening socket of ``[server] host`` and ``port``, or a clear error."""
    family, address = _address(settings)
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(BACKLOG)
    except OSError as e:
        sock.close()
        raise _bind_error(settings, e) from None
    return sock


def url_of(sock: socket.socket) -> str:
    """The address a bound socket answers on, as a URL."""
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"
