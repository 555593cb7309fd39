"""`claimcheck serve`: bind the address, start preparing the corpus, and serve until Ctrl-C.

The socket is bound here, before uvicorn starts, so a port in use is one line and exit 2 rather
than a server log; the corpus is read before that (a bad folder fails at once) and prepared while
the server already answers, showing its progress.
"""
from __future__ import annotations

import ipaddress
import os
import socket
import sys

from checker.errors import InputError
from checker.web.service import CorpusService, ServeSettings

# How long a stopped server waits for the request in progress to notice its cancellation.
STOP_SECONDS = 1.5


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, or an input error in one line."""
    if not 0 <= port <= 65535:
        raise InputError(f"--port {port}: not a port number (0-65535)")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise InputError(f"--host {host}: cannot resolve ({exc.strerror})") from None
    family, _, _, _, address = infos[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise InputError(f"{host}:{port}: cannot listen ({exc.strerror})") from None
    sock.set_inheritable(True)
    return sock


def _say_done(status) -> None:
    if status.state == "ready":
        print(f"claimcheck serve: ready in {status.seconds:.1f} s", file=sys.stderr, flush=True)
    else:
        print(f"claimcheck serve: error: the corpus could not be prepared: {status.error}", file=sys.stderr,
              flush=True)


def serve(settings: ServeSettings, host: str = "127.0.0.1", port: int = 8000) -> int:
    """Serve the corpus until interrupted; returns the exit code."""
    import uvicorn

    from checker.web.app import create_app

    service = CorpusService(settings)
    sock = bind(host, port)
    bound_host, bound_port = sock.getsockname()[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    print(f"claimcheck serve: {len(service.documents)} documents from {settings.corpus} at "
          f"http://{shown}:{bound_port}/ (preparing; Ctrl-C to stop)", file=sys.stderr, flush=True)
    if not is_loopback(host):
        print("claimcheck serve: note: listening beyond this machine; anyone who can reach it can read the "
              "corpus" + (" and accept findings" if settings.baseline else ""), file=sys.stderr, flush=True)
    service.start(on_done=_say_done)
    app = create_app(service, loopback_only=is_loopback(host), host=host)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                            timeout_graceful_shutdown=3)
    class Server(uvicorn.Server):
        def handle_exit(self, sig, frame) -> None:
            service.begin_stop()  # the requests in flight are answered 503, not held to a timeout
            super().handle_exit(sig, frame)

    server = Server(config)
    try:
        server.run(sockets=[sock])
    except BaseException as exc:  # SIGTERM (re-raised by uvicorn once it has stopped), Ctrl-C
        sock.close()
        _stop(service, 130 if isinstance(exc, KeyboardInterrupt) else 143)
        raise
    sock.close()
    _stop(service, 0)
    return 0


def _stop(service: CorpusService, code: int) -> None:
    """Cancel the request in progress and let the worker go. A worker still inside the model or lxml
    after STOP_SECONDS cannot be stopped from Python, and an interpreter that exits under it aborts
    (SIGABRT, a traceback): the process then ends at once with the exit code a shell expects."""
    if service.stop(STOP_SECONDS):
        return
    print("claimcheck serve: stopped; the request in progress was cancelled", file=sys.stderr, flush=True)
    sys.stdout.flush()
    os._exit(code)
