"""`claimcheck serve`: a local web app and JSON API over one prepared corpus.

`service.CorpusService` prepares the corpus once and answers claims and drafts through the existing
pipeline; `app.create_app` builds the FastAPI app (pages from `templates/`, assets from `static/`,
both inside this package); `server.serve` binds the address and runs uvicorn.
"""
from __future__ import annotations

from checker.web.service import CorpusService, ServeSettings

__all__ = ["CorpusService", "ServeSettings", "create_app", "serve"]


def create_app(service: CorpusService, loopback_only: bool = True):
    from checker.web.app import create_app as _create

    return _create(service, loopback_only)


def serve(settings: ServeSettings, host: str = "127.0.0.1", port: int = 8000) -> int:
    from checker.web.server import serve as _serve

    return _serve(settings, host, port)
