"""The app factory: pages (Jinja2 templates) and the JSON API over one `CorpusService`.

Safe by default. No path in a request reaches the file system: documents and findings are looked
up by name in what the corpus was read into, and the static assets are a fixed set read from the
package at start-up. Templates escape everything (autoescape), and the page's script writes answers
with `textContent`, never as HTML. Request bodies are capped (`MAX_BODY_BYTES`: a larger one gets a
413 before it is read), JSON endpoints want a JSON content type (so a form on another site cannot
post to them), and on a loopback address only loopback host names are answered (no DNS rebinding).
"""
from __future__ import annotations

import asyncio
import base64
import dataclasses
import json
import sys
from datetime import date
from importlib import resources
from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from checker.errors import CheckerError
from checker.ingest.html import looks_like_html
from checker.web.service import CorpusService
from checker.web import desk, views

API_VERSION = "1.0"
MAX_BODY_BYTES = 2 * 1024 * 1024  # a draft is checked up to 200,000 characters: far below this
MAX_CLAIM_CHARS = 2_000
MAX_DRAFT_CHARS = 400_000
LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")
# Claims and drafts waiting for the one pipeline worker, the one running included: past this a
# request gets a 503 at once. Each is at most one draft's time (some seconds to a minute), so a
# longer queue would only hold clients past their own timeouts.
MAX_PENDING = 8
# How often a request waiting for the worker looks whether its client is still there: an abandoned
# request is cancelled (dropped from the queue, or stopped while it runs) within this time.
DISCONNECT_POLL_SECONDS = 0.25

SECURITY_HEADERS = {
    "content-security-policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                               "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


class ClaimRequest(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_CLAIM_CHARS, description="the claim, one sentence")
    date: str | None = Field(None, description="the date the claim is made on, YYYY-MM-DD; none: relative "
                                               "dates are compared as stated")
    top: int = Field(5, ge=1, le=50, description="how many source sentences to return")


class DraftRequest(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_DRAFT_CHARS, description="the draft's text")
    published: str | None = Field(None, description="the draft's publication date, YYYY-MM-DD (default: a "
                                                    "dateline in the text, else today)")


class SourceFields(BaseModel):
    outlet: str = Field("", max_length=200, description="the outlet's name, shown over its column (default: the "
                                                        "page's site name, else the file name)")
    published: str | None = Field(None, description="publication date, YYYY-MM-DD (default: a dateline in "
                                                    "the text, or the page's metadata)")


class PasteRequest(SourceFields):
    title: str = Field(min_length=1, max_length=desk.MAX_TITLE_CHARS, description="the article's headline")
    text: str = Field(min_length=1, max_length=MAX_DRAFT_CHARS, description="the article's text")


class UploadRequest(SourceFields):
    filename: str = Field(min_length=1, max_length=255, description="the file's name: .txt, .md, .html or .htm")
    data: str = Field(min_length=1, max_length=MAX_BODY_BYTES, description="the file's bytes, base64")


class UrlRequest(SourceFields):
    url: str = Field(min_length=1, max_length=2_000, description="an http or https address of an article")


class RemoveRequest(BaseModel):
    name: str = Field(min_length=1, max_length=400, description="the added source's name in the report")


class StatusRequest(BaseModel):
    status: Literal["open", "confirmed", "dismissed"]
    note: str = Field("", max_length=desk.MAX_NOTE_CHARS)


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _load_assets() -> dict[str, tuple[bytes, str]]:
    types = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
    folder = resources.files("checker.web") / "static"
    out = {}
    for item in folder.iterdir():
        suffix = "." + item.name.rsplit(".", 1)[-1]
        if item.is_file() and suffix in types:
            out[item.name] = (item.read_bytes(), types[suffix])
    return out


def _templates():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(loader=PackageLoader("checker.web", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["url"] = _url_quote
    return env


def _url_quote(value: str) -> str:
    from urllib.parse import quote

    return quote(str(value), safe="/")


def _parse_date(value: str | None, field: str) -> date | None:
    from checker.ingest.reader import parse_date

    if not value:
        return None
    try:
        return parse_date(value)
    except ValueError:
        raise ApiError(400, f"{field}: not an ISO date: {value!r} (YYYY-MM-DD)") from None


def create_app(service: CorpusService, loopback_only: bool = True, host: str | None = None) -> FastAPI:
    """The web app over a started `CorpusService`. With `loopback_only`, requests naming another
    host than this machine's loopback names, or the `host` it was started on (`--host 127.0.0.2`),
    are refused."""
    app = FastAPI(title="claimcheck", version=API_VERSION,
                  description="Cross-source claim-consistency checks over one corpus of news articles. "
                              "Bodies follow the CLI's schemas: the report is the JSON of "
                              "`claimcheck check --format json` (schema_version), a claim's answer that of "
                              "`claimcheck claim --format json` (schema).",
                  docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    env = _templates()
    assets = _load_assets()
    app.state.service = service

    def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
        st = service.status()
        if name != "error.html" and st.state != "ready":
            name, status = ("preparing.html", 503) if st.state == "preparing" else ("failed.html", 500)
        body = env.get_template(name).render(status=st, corpus=service.settings.corpus, **context)
        return HTMLResponse(body, status_code=status)

    def desk_view() -> dict[str, Any]:
        """What the overview and finding pages show of the desk's state."""
        return {"statuses": service.desk.statuses(), "added": service.added_sources(),
                "state_dir": str(service.desk.folder), "status_names": desk.STATUSES,
                "baseline": service.baseline or ""}

    def need_ready() -> None:
        st = service.status()
        if st.state == "preparing":
            raise ApiError(503, f"the corpus is still being prepared ({st.stage})")
        if st.state == "failed":
            raise ApiError(500, f"the corpus could not be prepared: {st.error}")

    pending = 0  # read and written on the event loop only

    async def on_worker(request: Request, fn):
        """`fn`'s result from the pipeline worker; a 503 when too many wait, and the job cancelled
        when its client goes away (or the server stops) before the answer."""
        nonlocal pending
        if service.stopping.is_set():
            raise ApiError(503, "the server is stopping")
        if pending >= MAX_PENDING:
            raise ApiError(503, f"busy: {pending} requests are being checked; try again shortly")
        pending += 1
        future = service.submit(fn)
        answer = asyncio.wrap_future(future)
        try:
            while True:
                done, _ = await asyncio.wait({answer}, timeout=DISCONNECT_POLL_SECONDS)
                if done and not isinstance(answer.exception(), KeyboardInterrupt):
                    return answer.result()
                if done or service.stopping.is_set():  # cancelled on the worker, or about to be
                    raise ApiError(503, "the server is stopping: this request was cancelled"
                                   if service.stopping.is_set() else "cancelled: try again")
                if await request.is_disconnected():
                    raise ApiError(499, "the client went away")
        except BaseException:
            service.cancel(future)
            answer.cancel()
            raise
        finally:
            pending -= 1

    # -- errors: one line, never a traceback -------------------------------------------------
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        return _error(request, exc.status, exc.message, env)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if isinstance(exc.__cause__, _TooLarge):  # a body without a length, stopped while it came in
            return _error(request, 413, _too_large(MAX_BODY_BYTES), env)
        message = {404: "not found", 405: "method not allowed"}.get(exc.status_code, str(exc.detail))
        return _error(request, exc.status_code, message, env)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        where = ".".join(str(x) for x in first.get("loc", ()) if x != "body")
        return _error(request, 422, f"{where}: {first.get('msg')}" if where else str(first.get("msg")), env)

    # -- pages ---------------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def overview() -> HTMLResponse:
        if not service.ready:
            return page("overview.html")
        data = service.report_data
        by_severity, by_rule = views.counts(data)
        return page("overview.html", documents=views.documents_table(data), by_severity=by_severity,
                    by_rule=by_rule, facts=views.facts_table(data), findings=data.get("findings", []),
                    accepted=service.accepted(), severities=views.SEVERITIES, **desk_view())

    @app.get("/doc/{name:path}", response_class=HTMLResponse, include_in_schema=False)
    async def article(name: str) -> HTMLResponse:
        if not service.ready:
            return page("article.html")
        doc = service.document(name)
        if doc is None:
            raise StarletteHTTPException(404)
        segments = views.article_segments(doc, service.sentences(name), service.report_data)
        row = next((r for r in views.documents_table(service.report_data) if r.name == name), None)
        return page("article.html", doc=row, segments=segments)

    @app.get("/finding/{finding_id}", response_class=HTMLResponse, include_in_schema=False)
    async def finding(finding_id: str) -> HTMLResponse:
        if not service.ready:
            return page("finding.html")
        found = service.finding(finding_id)
        if found is None:
            raise StarletteHTTPException(404)
        docs = {d.name: d for d in service.documents}
        return page("finding.html", finding=found, evidence=views.evidence_views(found, docs, service.sentences),
                    accepted=finding_id in service.accepted(), can_accept=bool(service.baseline),
                    **desk_view())

    @app.get("/check", response_class=HTMLResponse, include_in_schema=False)
    async def check_page() -> HTMLResponse:
        return page("check.html")

    @app.get("/static/{name}", include_in_schema=False)
    async def static(name: str) -> Response:
        if name not in assets:
            raise StarletteHTTPException(404)
        body, media = assets[name]
        return Response(body, media_type=media, headers={"cache-control": "no-cache"})

    # -- API -------------------------------------------------------------------------------------
    @app.get("/api/status", tags=["corpus"], summary="Whether the corpus is prepared yet")
    async def api_status() -> dict:
        st = service.status()
        out = {"api_version": API_VERSION, "state": st.state, "stage": st.stage, "seconds": st.seconds,
               "documents": st.documents}
        if st.error:
            out["error"] = st.error
        return out

    @app.get("/api/report", tags=["corpus"], summary="The corpus report, as `claimcheck check --format json`")
    async def api_report() -> Response:
        need_ready()
        return Response(service.report_json, media_type="application/json")

    @app.get("/api/facts", tags=["corpus"], summary="The report's facts: who says what, agreeing or not")
    async def api_facts() -> dict:
        need_ready()
        data = service.report_data
        return {"schema_version": data.get("schema_version"), "facts": data.get("facts", [])}

    @app.post("/api/claim", tags=["check"], summary="Check one claim (answer as `claimcheck claim --format json`)")
    async def api_claim(body: ClaimRequest, request: Request) -> Response:
        need_ready()
        when = _parse_date(body.date, "date")
        answer, seconds = await on_worker(request, lambda: _input_errors(service.check_claim, body.text, when, body.top))
        return _timed(answer, seconds)

    @app.post("/api/draft", tags=["check"],
              summary="Check a draft against the corpus (answer as `claimcheck draft --format json`)")
    async def api_draft(body: DraftRequest, request: Request) -> Response:
        need_ready()
        when = _parse_date(body.published, "published")
        answer, seconds = await on_worker(request, lambda: _input_errors(service.check_draft, body.text, when))
        answer["marked"] = views.draft_segments(body.text, answer)  # the draft, its wrong sentences marked
        return _timed(answer, seconds)

    # -- the desk: sources added while the server runs, statuses and notes of findings ----------
    async def added(request: Request, origin: str, content: bytes, suffix: str, fields: SourceFields,
                    title: str = "", default_outlet: str = "") -> dict:
        need_ready()
        when = _parse_date(fields.published, "published")
        return await on_worker(request, lambda: _input_errors(service.add_source, content, suffix, origin, title,
                                                     fields.outlet.strip(), when, default_outlet))

    @app.get("/api/sources", tags=["desk"], summary="The sources added while the server ran")
    async def api_sources() -> dict:
        return {"state_dir": str(service.desk.folder),
                "sources": [dataclasses.asdict(s) | {"name": s.name} for s in service.added_sources()]}

    @app.post("/api/sources/paste", tags=["desk"], summary="Add a source by its title and text; the corpus is checked again")
    async def api_paste(body: PasteRequest, request: Request) -> dict:
        if not body.text.strip():
            raise ApiError(400, "text: empty")
        text = f"{body.title.strip()}\n\n{body.text.strip()}\n"
        return await added(request, "pasted text", text.encode("utf-8"), ".txt", body, body.title)

    @app.post("/api/sources/upload", tags=["desk"], summary="Add a source from a file (base64); the corpus is checked again")
    async def api_upload(body: UploadRequest, request: Request) -> dict:
        suffix = "." + body.filename.rsplit(".", 1)[-1].lower() if "." in body.filename else ""
        if suffix not in (".txt", ".md", ".html", ".htm"):
            raise ApiError(400, f"{body.filename}: not a .txt, .md, .html or .htm file")
        try:
            content = base64.b64decode(body.data, validate=True)
        except ValueError:
            raise ApiError(400, "data: not base64") from None
        title = body.filename.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        return await added(request, body.filename, content, suffix, body, title)

    @app.post("/api/sources/url", tags=["desk"], summary="Add a source fetched from an address; the corpus is checked again")
    async def api_url(body: UrlRequest, request: Request) -> dict:
        need_ready()
        url = body.url.strip()
        host = _http_host(url)
        content = await asyncio.to_thread(_fetch, url, loopback_only)
        suffix = ".html" if looks_like_html(content.decode("utf-8", "replace")) else ".txt"
        return await added(request, url, content, suffix, body, default_outlet=host)

    @app.post("/api/sources/remove", tags=["desk"], summary="Take an added source out; the corpus is checked again")
    async def api_remove(body: RemoveRequest, request: Request) -> dict:
        need_ready()
        try:
            return await on_worker(request, lambda: service.remove_source(body.name))
        except LookupError:
            raise ApiError(404, f"no added source {body.name!r}") from None

    @app.post("/api/findings/{finding_id}/status", tags=["desk"],
              summary="Set a finding's status (open, confirmed, dismissed) and note")
    async def api_status_of(finding_id: str, body: StatusRequest) -> dict:
        need_ready()
        found = service.finding(finding_id)
        if found is None:
            raise ApiError(404, f"no finding {finding_id!r}")
        return dataclasses.asdict(_input_errors(service.desk.set_status, found, body.status, body.note))

    @app.post("/api/findings/baseline", tags=["desk"],
              summary="Add every dismissed finding to the baseline file the server was given")
    async def api_write_baseline() -> dict:
        need_ready()
        try:
            count = service.accept_dismissed()
        except CheckerError as exc:
            raise ApiError(409, exc.message) from None
        return {"baseline": service.baseline, "added": count}

    @app.get("/api/findings/export", tags=["desk"],
             summary="Every finding with its status and note, as a download (json, csv, or a baseline of the "
                     "dismissed ones)")
    async def api_export(format: str = "json") -> Response:
        need_ready()
        rows = desk.export_rows(service.report_data.get("findings", []), service.desk.statuses())
        try:
            body, media = desk.export_text(rows, format)
        except CheckerError as exc:
            raise ApiError(400, exc.message) from None
        name = "claimcheck-baseline.json" if format == "baseline" else f"claimcheck-findings.{format}"
        return Response(body, media_type=media, headers={"content-disposition": f'attachment; filename="{name}"'})

    @app.post("/api/findings/{finding_id}/accept", tags=["corpus"],
              summary="Record a finding as accepted in the baseline file the server was given")
    async def api_accept(finding_id: str) -> dict:
        need_ready()
        try:
            service.accept(finding_id)
        except LookupError:
            raise ApiError(404, f"no finding {finding_id!r}") from None
        except CheckerError as exc:
            raise ApiError(409, exc.message) from None
        return {"id": finding_id, "accepted": True, "baseline": service.baseline}

    own = (host.lower(), f"[{host.lower().strip('[]')}]") if host else ()
    app.add_middleware(_Guard, max_body=MAX_BODY_BYTES,
                       hosts=LOOPBACK + own if loopback_only else None)
    return app


def _http_host(url: str) -> str:
    """The address's host name; anything but an http(s) address with a host is a 400."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        host, parts = None, None
    if parts is None or parts.scheme not in ("http", "https") or not host:
        raise ApiError(400, f"url: not an http or https address: {url!r}")
    return host


# why a fetch failed, from what trafilatura logs (it returns None and logs the cause)
_FETCH_CAUSES = (("SSRF protection", "a local or private address, not fetched while the server listens beyond "
                                     "this machine"),
                 ("Connection refused", "connection refused"), ("Name or service not known", "no such host"),
                 ("timed out", "timed out"), ("Read timed out", "timed out"))


def _fetch(url: str, allow_private: bool) -> bytes:
    """The page's bytes, fetched with trafilatura (its size cap, time-out, user agent and SSRF
    guard). Addresses on this machine or its network are fetched only when the server listens on
    loopback: then whoever asks could fetch them anyway; beyond it, the server must not become a
    way into the newsroom's network."""
    import logging

    from trafilatura.downloads import fetch_response
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "SSRF_PROTECTION", "off" if allow_private else "on")
    seen: list[str] = []
    catch = logging.Handler(logging.ERROR)
    catch.emit = lambda record: seen.append(record.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger("trafilatura.downloads")
    logger.addHandler(catch)
    was = logger.propagate, logger.level
    logger.propagate = False  # ours to say, in one line; read_page quiets the rest of trafilatura
    logger.setLevel(logging.ERROR)
    try:
        response = fetch_response(url, config=config)
    except Exception as exc:  # a malformed address urllib3 will not take: said in one line
        raise ApiError(400, f"{url}: could not fetch ({type(exc).__name__}: {exc})") from None
    finally:
        logger.removeHandler(catch)
        logger.propagate, _ = was
        logger.setLevel(was[1])
    if response is None or response.data is None:
        said = " ".join(seen)
        cause = next((why for key, why in _FETCH_CAUSES if key in said), "no answer, or a page too large")
        raise ApiError(400, f"{url}: could not fetch ({cause})")
    if response.status != 200:
        raise ApiError(400, f"{url}: could not fetch (HTTP {response.status})")
    return bytes(response.data)


def _input_errors(fn, *args):
    """A CheckerError (an empty claim, say) becomes a 400, raised on the event loop's side."""
    try:
        return fn(*args)
    except CheckerError as exc:
        raise ApiError(400, exc.message) from None


def _timed(answer: dict, seconds: float) -> Response:
    body = json.dumps(answer, ensure_ascii=False, sort_keys=True)
    return Response(body, media_type="application/json",
                    headers={"server-timing": f"pipeline;dur={seconds * 1000:.1f}"})


def _error(request: Request, status: int, message: str, env) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=status)
    body = env.get_template("error.html").render(code=status, message=message)
    return HTMLResponse(body, status_code=status)


class _Guard:
    """Plain ASGI middleware, outermost: refuses unknown host names, API posts that are not JSON
    (415) and a body over `max_body` bytes (413, before reading it: by its Content-Length, or
    while it streams in without one), and adds the security headers to every response."""

    def __init__(self, app, max_body: int, hosts: tuple[str, ...] | None) -> None:
        self.app = app
        self.max_body = max_body
        self.hosts = hosts

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        if self.hosts is not None:
            host = headers.get(b"host", b"").decode("latin-1").lower()
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if name not in self.hosts:
                await _plain(send, 400, "unknown host name: this server answers on its loopback address only")
                return
        if scope["method"] == "POST" and scope["path"].startswith("/api/"):
            # a form on another site can post only form or plain-text bodies without asking first
            kind = headers.get(b"content-type", b"").decode("latin-1").split(";")[0].strip().lower()
            if kind != "application/json":
                await _plain(send, 415, "send the body as JSON (Content-Type: application/json)")
                return
        length = headers.get(b"content-length")
        if length is not None:
            try:
                too_big = int(length) > self.max_body
            except ValueError:
                await _plain(send, 400, "bad Content-Length")
                return
            if too_big:
                await _plain(send, 413, _too_large(self.max_body))
                return
        received = 0
        started = False

        async def capped_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise _TooLarge()
            return message

        async def with_headers(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = list(message.get("headers", [])) + [
                    (k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
            await send(message)

        try:
            await self.app(scope, capped_receive, with_headers)
        except _TooLarge:
            if not started:
                await _plain(send, 413, _too_large(self.max_body))
        except Exception as exc:  # a bug of ours: one line to the client and to the log, no traceback
            message = f"internal error: {type(exc).__name__}: {exc}"
            print(f"claimcheck serve: {scope['method']} {scope['path']}: {message}", file=sys.stderr, flush=True)
            if not started:
                await _plain(send, 500, message)


def _too_large(limit: int) -> str:
    return f"request body too large: at most {limit:,} bytes (a draft is checked up to 200,000 characters)"


class _TooLarge(Exception):
    pass


async def _plain(send, status: int, message: str) -> None:
    body = json.dumps({"error": message}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")] + [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]})
    await send({"type": "http.response.body", "body": body})
