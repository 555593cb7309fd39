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
from checker.web.desk import AddedSource, DeskState, checked_state_dir

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
    state_dir: str | None = None  # the desk's statuses, notes and added sources; None: the user state folder
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
        self.desk = DeskState(checked_state_dir(settings.state_dir, settings.corpus))
        self.documents += [d for d in (self._read_added(s) for s in self.desk.sources()) if d is not None]
        if embedder is None:
            from checker.align.embed import DeviceEmbedder

            embedder = DeviceEmbedder(settings.device, settings.backend)  # loaded only if a sentence is not in the cache
        self._embedder = embedder
        given = [d.name for d in prepared.documents] if prepared is not None else []
        if prepared is not None and given != [d.name for d in self.documents][:len(given)]:
            raise ValueError("the prepared corpus holds other documents than the corpus folder")
        self._given = prepared
        self._jobs: "queue.SimpleQueue[tuple[Callable[[], object], Future] | None]" = queue.SimpleQueue()
        # a daemon thread: Ctrl-C while the corpus is still being prepared stops the server at once,
        # where a ThreadPoolExecutor's thread would be waited for at exit
        self._worker = threading.Thread(target=self._work, name="claimcheck-pipeline", daemon=True)
        self._cache = None
        self._running: Future | None = None
        self.stopping = threading.Event()  # set when the server is told to stop
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
        from checker.interrupt import reset

        while True:
            item = self._jobs.get()
            if item is None:
                return
            fn, future = item
            if not future.set_running_or_notify_cancel():
                continue
            reset()  # a cancel meant for the job before is not this one's
            self._running = future
            try:
                future.set_result(fn())
            except BaseException as exc:  # handed to whoever waits on the future
                future.set_exception(exc)
            finally:
                self._running = None

    def cancel(self, future: Future) -> None:
        """Drop a job nobody waits for any more: a queued one is never run, the running one stops at
        its stages' next check (KeyboardInterrupt on the worker thread, handed to its future)."""
        from checker.interrupt import interrupt

        if not future.cancel() and self._running is future:
            interrupt()

    def begin_stop(self) -> None:
        """The server is stopping (SIGTERM, Ctrl-C): cancel what is queued and the job in progress,
        so that every request in flight is answered (a 503) before the server closes."""
        from checker.interrupt import interrupt

        self.stopping.set()
        self._drop_queued()
        if self._running is not None:
            interrupt()

    def stop(self, seconds: float) -> bool:
        """Cancel the job in progress and stop the worker; whether it stopped within `seconds`."""
        from checker.interrupt import interrupt

        if not self._worker.is_alive():
            return True
        self._drop_queued()
        self._jobs.put(None)
        if self._running is not None:
            interrupt()
        self._worker.join(seconds)
        return not self._worker.is_alive()

    def _drop_queued(self) -> None:
        while True:  # what is queued is never started
            try:
                item = self._jobs.get_nowait()
            except queue.Empty:
                break
            if item is not None:
                item[1].cancel()

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
        from checker.claim import warm_up

        try:
            self._open_cache()
            self._set_stage(f"reading, segmenting, extracting and embedding {len(self.documents)} documents"
                            " (the model loads first when the cache lacks them)")
            if self._given is not None:  # plus the sources a desk added before, if any
                prepared = grown(self._given, self.documents[len(self._given.documents):])
            else:
                prepared = prepare(self.documents, self._embedder, cache=self._cache)
            self._set_stage("comparing the sources")
            report, data, text = _compared(prepared, self.options)
            self._set_stage("loading the models for claims")
            warm_up(prepared)
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

    def _read_added(self, source: AddedSource) -> Document | None:
        """An added source as a Document, dated and named as it was added; None when its file is gone
        (removed by hand from the state folder)."""
        from checker.ingest.reader import read_text_document, with_published

        path = self.desk.sources_dir / source.file
        if not path.is_file():
            return None
        doc = read_text_document(path, name=source.name)
        return with_published(doc, {"outlet": source.outlet, "published": source.published})

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
        from checker.parallel import one_thread

        t0 = time.perf_counter()
        with one_thread():  # one short sentence: see checker.parallel.one_thread
            result = check_claim(text, self.prepared, claim_date=claim_date, top=top, options=self.options)
        return claim_dict(result), time.perf_counter() - t0

    def check_draft(self, text: str, published: date | None = None) -> tuple[dict, float]:
        """The draft's report (the JSON report schema, as `draft --format json`) and the seconds it took."""
        from checker.draft import check_draft, draft_document
        from checker.report.json_format import report_dict
        from checker.parallel import one_thread

        if not text.strip():
            raise InputError("the draft is empty")
        t0 = time.perf_counter()
        doc = draft_document(text, DRAFT_DOC, published)
        with one_thread():
            report = check_draft(doc, self.prepared, options=self.options)
        data = report_dict(report)
        data["draft"] = report.stats.get("draft", DRAFT_DOC)
        return data, time.perf_counter() - t0

    # -- sources added while the server runs ---------------------------------------------------
    def add_source(self, content: bytes, suffix: str, origin: str, title: str, outlet: str = "",
                   published: date | None = None, default_outlet: str = "") -> dict:
        """Keep a new source in the state folder, prepare it, and compare the corpus again with it;
        runs on the worker thread (`submit`). Returns what the page says of it. A source that cannot
        be read, has no text or repeats one the corpus has is an InputError, and nothing is kept. The
        outlet: the one given, else a web page's site name, else `default_outlet` (an address's host)."""
        from checker.ingest.reader import read_text_document

        probe = self.desk.sources_dir / f".probe{suffix}"  # read as it will be read, before it is kept
        probe.write_bytes(content)
        try:
            doc = read_text_document(probe, name="probe")
        finally:
            probe.unlink(missing_ok=True)
        if doc.error:
            raise InputError(f"{origin}: {doc.error}")
        if not doc.text.strip():
            raise InputError(f"{origin}: no article text found")
        same = next((d.name for d in self.documents if d.text.strip() == doc.text.strip()), None)
        if same is not None:
            raise InputError(f"{origin}: the same text as {same}, already checked")
        title = title.strip() or doc.text.strip().splitlines()[0]
        source = self.desk.add_source(content, suffix, origin, title, outlet or doc.outlet or default_outlet,
                                      published.isoformat() if published else "")
        try:
            added = self._read_added(source)
            if added is None:
                raise InputError(f"{origin}: the kept copy vanished from {self.desk.sources_dir}")
            self._recheck(self.documents + [added])
        except BaseException:
            self.desk.remove_source(source.file)
            raise
        return {"name": source.name, "title": source.title, "outlet": added.outlet,
                "published": added.published.isoformat() if added.published else None,
                "documents": len(self.documents), "findings": len(self.report_data.get("findings", []))}

    def remove_source(self, name: str) -> dict:
        """Take an added source out and compare the corpus again without it (on the worker thread)."""
        source = next((s for s in self.desk.sources() if s.name == name), None)
        if source is None:
            raise LookupError(name)
        self._recheck([d for d in self.documents if d.name != name])
        self.desk.remove_source(source.file)
        return {"name": name, "documents": len(self.documents), "findings": len(self.report_data.get("findings", []))}

    def added_sources(self) -> list[AddedSource]:
        return self.desk.sources()

    def _recheck(self, documents: list[Document]) -> None:
        """Prepare what is new (only that) and compare everything again; the pages then read the new report."""
        names = {d.name for d in documents}
        kept = [d.name for d in self.prepared.documents if d.name in names]
        base = self.prepared if len(kept) == len(self.prepared.documents) else _subset(self.prepared, kept)
        prepared = grown(base, [d for d in documents if d.name not in set(kept)])
        report, data, text = _compared(prepared, self.options)
        with self._lock:
            self.documents = documents
            self.prepared, self.report, self.report_data, self.report_json = prepared, report, data, text

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
        found = self.finding(finding_id)
        if found is None:
            raise LookupError(finding_id)
        self._add_to_baseline([found])

    def accept_dismissed(self) -> int:
        """Record every finding of the report that the desk dismissed in the baseline file; how many."""
        dismissed = {i for i, st in self.desk.statuses().items() if st.status == "dismissed"}
        found = [f for f in self.report_data.get("findings", []) if f.get("id") in dismissed]
        self._add_to_baseline(found)
        return len(found)

    def _add_to_baseline(self, findings: list[dict]) -> None:
        from checker.baseline import add_to_baseline

        if not self.baseline:
            raise InputError("no baseline file: start the server with --baseline FILE to accept findings")
        with self._lock:
            add_to_baseline(self.baseline, [(f["id"], f["rule"], f["message"]) for f in findings])


def _compared(prepared, options) -> tuple[Report, dict, str]:
    """The corpus report of a prepared corpus: the record, its JSON dict and the JSON text."""
    from checker.pipeline import run_prepared
    from checker.report.json_format import render, report_dict

    report = run_prepared(prepared, (), options, keep_pairs=False).report
    return report, report_dict(report), render(report)


def grown(prepared, extra: list[Document]):
    """The prepared corpus with more documents, only those segmented, extracted and embedded."""
    from dataclasses import replace

    import numpy as np

    from checker.pipeline import prepare

    if not extra:
        return prepared
    new = prepare(extra, prepared.embedder, cache=prepared.cache)
    vectors = np.vstack([prepared.vectors, new.vectors]) if len(new.vectors) else prepared.vectors
    return replace(prepared, documents=prepared.documents + tuple(extra),
                   sentences={**prepared.sentences, **new.sentences},
                   mentions={**prepared.mentions, **new.mentions}, vectors=vectors)


def _subset(prepared, names: list[str]):
    """The prepared corpus with only the named documents (in its order), their embedding rows kept."""
    from dataclasses import replace

    keep = set(names)
    rows, at = [], 0
    for d in prepared.documents:
        n = len(prepared.sentences.get(d.name, []))
        if d.name in keep:
            rows.extend(range(at, at + n))
        at += n
    return replace(prepared, documents=tuple(d for d in prepared.documents if d.name in keep),
                   sentences={k: v for k, v in prepared.sentences.items() if k in keep},
                   mentions={k: v for k, v in prepared.mentions.items() if k in keep},
                   vectors=prepared.vectors[rows])


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
