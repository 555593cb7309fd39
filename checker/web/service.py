"""The corpus a server was started on: read at once, prepared on a thread of its own, then asked.

All pipeline work (preparing the corpus, every claim and draft) runs on one worker thread, in
order. Two reasons: the cache's SQLite connection may only be used by the thread that opened it,
and the pipeline keeps per-run state that two requests at once must not share. A claim takes a
fraction of a second, so a queue of one is no bottleneck for a newsroom's handful of users, and the
server's event loop stays free to answer status polls while the corpus is prepared.

Nothing here compares values: claims go through `checker.claim.check_claim`, drafts through
`checker.draft.check_draft`, the corpus report through `pipeline.run_prepared`, as the CLI does.
"""
from __future__ import annotations

import os
import queue
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable, TypeVar

from checker.errors import CheckerError, InputError
from checker.models import Document, Report, Sentence

T = TypeVar("T")

DRAFT_DOC = "<draft>"  # like the claim's "<claim>": a one-off, never stored in the cache


@dataclass(frozen=True)
class ServeSettings:
    """What `claimcheck serve` was started with."""

    corpus: str
    baseline: str | None = None  # where "accept" writes; None: accepting is switched off
    config: str | None = None
    cache_dir: str | None = None
    use_cache: bool = True
    device: str = "cpu"  # where the sentence model runs (checker.align.embed.DEVICES); the CLI's default is auto
    backend: str = "auto"  # what runs it (checker.align.embed.BACKENDS)


@dataclass(frozen=True)
class Status:
    state: str  # "preparing", "ready" or "failed"
    stage: str  # what is being done now, for the progress page
    seconds: float  # since the server started preparing (or what preparing took, once ready)
    documents: int
    error: str = ""


class CorpusService:
    """Reads the corpus and its settings at once (a bad folder fails before any server starts),
    then prepares it on the worker thread; `status()` says how far it got."""

    def __init__(self, settings: ServeSettings, embedder=None, prepared=None) -> None:
        """`embedder` and `prepared` (a `PreparedCorpus` of these same documents) let a caller that
        holds them already, such as a test session, skip loading the model and preparing again."""
        from checker.config import load_config
        from checker.ingest import read_corpus

        self.settings = settings
        self.config = load_config(settings.corpus, settings.config)
        self.documents: list[Document] = self.config.select(read_corpus(settings.corpus))
        if not self.documents:
            raise InputError(f"{settings.corpus}: no articles left after include / exclude")
        self.options = self.config.options()
        self.baseline = _checked_baseline_path(settings.baseline, settings.corpus)
        if embedder is None:
            from checker.align.embed import DeviceEmbedder

            embedder = DeviceEmbedder(settings.device, settings.backend)  # loaded only if a sentence is not in the cache
        self._embedder = embedder
        if prepared is not None and [d.name for d in prepared.documents] != [d.name for d in self.documents]:
            raise ValueError("the prepared corpus holds other documents than the corpus folder")
        self._given = prepared
        self._jobs: "queue.SimpleQueue[tuple[Callable[[], object], Future] | None]" = queue.SimpleQueue()
        # a daemon thread: Ctrl-C while the corpus is still being prepared stops the server at once,
        # where a ThreadPoolExecutor's thread would be waited for at exit
        self._worker = threading.Thread(target=self._work, name="claimcheck-pipeline", daemon=True)
        self._cache = None
        self._lock = threading.Lock()
        self._stage = "waiting to start"
        self._state = "preparing"
        self._error = ""
        self._t0 = time.monotonic()
        self._took = 0.0
        self.prepared = None
        self.report: Report | None = None
        self.report_json = ""  # the text `check --format json` prints
        self.report_data: dict = {}
        self._ready = threading.Event()
        self._on_done: Callable[[Status], None] | None = None

    # -- life cycle ---------------------------------------------------------------------------
    def start(self, on_done: Callable[[Status], None] | None = None) -> "CorpusService":
        """Start preparing; `on_done(status)` is called on the worker thread when it is done."""
        self._t0 = time.monotonic()
        self._on_done = on_done
        self._worker.start()
        self._jobs.put((self._prepare, Future()))
        return self

    def wait_ready(self, timeout: float | None = None) -> Status:
        self._ready.wait(timeout)
        return self.status()

    def close(self) -> None:
        """Stop the worker after the job it is doing (without waiting for it)."""
        self._jobs.put(None)

    def _work(self) -> None:
        while True:
            item = self._jobs.get()
            if item is None:
                return
            fn, future = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(fn())
            except BaseException as exc:  # handed to whoever waits on the future
                future.set_exception(exc)

    def status(self) -> Status:
        with self._lock:
            seconds = self._took if self._state != "preparing" else time.monotonic() - self._t0
            return Status(self._state, self._stage, round(seconds, 1), len(self.documents), self._error)

    @property
    def ready(self) -> bool:
        return self._state == "ready"

    def _set_stage(self, stage: str) -> None:
        with self._lock:
            self._stage = stage

    def _open_cache(self) -> None:
        """The cache is opened here, on the worker thread: its SQLite connection belongs to the
        thread that opened it. The prepared corpus keeps it for the claims and drafts added later."""
        from checker.cache import Cache

        if self._cache is None and self.settings.use_cache:
            self._cache = Cache(self.settings.cache_dir)

    def _prepare(self) -> None:
        from checker.pipeline import prepare, run_prepared
        from checker.report.json_format import render, report_dict
        from checker.shell import warm_up

        try:
            self._open_cache()
            self._set_stage(f"reading, segmenting, extracting and embedding {len(self.documents)} documents"
                            " (the model loads first when the cache lacks them)")
            prepared = self._given or prepare(self.documents, self._embedder, cache=self._cache)
            self._set_stage("comparing the sources")
            report = run_prepared(prepared, (), self.options, keep_pairs=False).report
            self._set_stage("loading the models for claims")
            warm_up(prepared)
            data = report_dict(report)
            text = render(report)
        except CheckerError as exc:
            self._fail(str(exc))
            return
        except Exception as exc:  # shown on the page and the status API in one line, never a traceback
            self._fail(f"{type(exc).__name__}: {exc}")
            return
        with self._lock:
            self.prepared, self.report, self.report_data, self.report_json = prepared, report, data, text
            self._state, self._stage = "ready", "ready"
            self._took = time.monotonic() - self._t0
        self._done()

    def _done(self) -> None:
        self._ready.set()
        if self._on_done is not None:
            self._on_done(self.status())

    def _fail(self, message: str) -> None:
        with self._lock:
            self._state, self._stage, self._error = "failed", "failed", message
            self._took = time.monotonic() - self._t0
        self._done()

    # -- questions ----------------------------------------------------------------------------
    def submit(self, fn: Callable[[], T]) -> "Future[T]":
        """Run `fn` on the worker thread, after whatever is queued before it."""
        if not self._worker.is_alive():
            raise RuntimeError("the pipeline's worker is not running")
        future: "Future[T]" = Future()
        self._jobs.put((fn, future))
        return future

    def check_claim(self, text: str, claim_date: date | None = None, top: int = 5) -> tuple[dict, float]:
        """The claim's JSON answer (schema claim/1.0, as `claim --format json`) and the seconds it took."""
        from checker.claim import check_claim
        from checker.report.claim_format import claim_dict
        from checker.shell import one_thread

        t0 = time.perf_counter()
        with one_thread():  # one short sentence: see checker.shell.one_thread
            result = check_claim(text, self.prepared, claim_date=claim_date, top=top, options=self.options)
        return claim_dict(result), time.perf_counter() - t0

    def check_draft(self, text: str, published: date | None = None) -> tuple[dict, float]:
        """The draft's report (the JSON report schema, as `draft --format json`) and the seconds it took."""
        from checker.draft import check_draft, draft_document
        from checker.report.json_format import report_dict
        from checker.shell import one_thread

        if not text.strip():
            raise InputError("the draft is empty")
        t0 = time.perf_counter()
        doc = draft_document(text, DRAFT_DOC, published)
        with one_thread():
            report = check_draft(doc, self.prepared, options=self.options)
        data = report_dict(report)
        data["draft"] = report.stats.get("draft", DRAFT_DOC)
        return data, time.perf_counter() - t0

    # -- what the pages read ------------------------------------------------------------------
    def document(self, name: str) -> Document | None:
        """A document of the corpus by its name in the report; never a path on disk."""
        return next((d for d in self.documents if d.name == name), None)

    def sentences(self, name: str) -> list[Sentence]:
        return list(self.prepared.sentences.get(name, [])) if self.prepared is not None else []

    def finding(self, finding_id: str) -> dict | None:
        return next((f for f in self.report_data.get("findings", []) if f.get("id") == finding_id), None)

    def accepted(self) -> set[str]:
        """Ids recorded in the baseline file (none when there is no file yet)."""
        from checker.baseline import load_baseline

        if not self.baseline or not os.path.exists(self.baseline):
            return set()
        try:
            return load_baseline(self.baseline)
        except CheckerError:
            return set()

    def accept(self, finding_id: str) -> None:
        """Record a finding in the baseline file: only on this explicit request, never in the corpus."""
        from checker.baseline import add_to_baseline

        if not self.baseline:
            raise InputError("no baseline file: start the server with --baseline FILE to accept findings")
        found = self.finding(finding_id)
        if found is None:
            raise LookupError(finding_id)
        with self._lock:
            add_to_baseline(self.baseline, [(found["id"], found["rule"], found["message"])])


def _checked_baseline_path(path: str | None, corpus: str) -> str | None:
    """The baseline file's absolute path; one inside the corpus folder is refused (the corpus is
    never written)."""
    if not path:
        return None
    real = os.path.realpath(path)
    root = os.path.realpath(corpus)
    if real == root or real.startswith(root + os.sep):
        raise InputError(f"--baseline {path}: inside the corpus folder, which is never written")
    if os.path.isdir(real):
        raise InputError(f"--baseline {path}: is a folder, not a file")
    if not Path(real).parent.is_dir():
        raise InputError(f"--baseline {path}: no such folder {Path(real).parent}")
    if os.path.exists(real):
        from checker.baseline import load_baseline

        load_baseline(real)  # an unreadable baseline is an error now, not when someone clicks
    return real
