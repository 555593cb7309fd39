"""`--dask`: batch lines and a corpus's stages run on a Dask cluster (dask.distributed).

`--dask ADDRESS` uses a running scheduler (tcp://host:8786); `--dask local[:N]` starts a LocalCluster
of N worker processes (default: one a core) for this run and ends it with the run. Each worker loads
the sentence model once (`ClaimcheckPlugin`) and keeps its own cache; the tasks are this package's
own stage functions (checker.batch.check_line, checker.pipeline.prepare and compare), so a cluster's
run gives the records and the report of the local run.

Faults: a worker lost mid-run has its tasks run again on another (the scheduler's own retry), and
records are placed by their line, so none is lost or written twice; a task that ends worker after
worker gives its line an error record, as a bug of ours on one line does locally. Ctrl-C and SIGTERM
cancel the run's tasks, and a LocalCluster of ours is closed with its worker processes.
"""
from __future__ import annotations

import logging
import os
import re
import threading
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence

import numpy as np
from distributed import WorkerPlugin

from checker.errors import InputError
from checker.interrupt import raise_if_interrupted

if TYPE_CHECKING:
    from distributed import Client

    from checker.cache import Cache
    from checker.models import Document
    from checker.pipeline import Options, PreparedCorpus
    from checker.rules import CompareContext

LOCAL = re.compile(r"local(?::(\d+))?")
# tasks in flight per worker thread: enough that a worker never waits for the next line, few enough
# that a file of millions of lines is never all on the scheduler (nor all its records here) at once
AHEAD_PER_THREAD = 8
# documents a task of the per-document stages takes: large enough that a task's overhead (some ms
# on the scheduler, the documents' text on the network) is small beside its work, small enough that
# the work spreads over the workers
DOCS_PER_TASK = 16
# how often the scheduler runs a task again after the worker running it died (Dask's own default):
# a line that kills every worker it reaches (ALLOWED_FAILURES + 1 of them) is then its error record,
# not the run's end
ALLOWED_FAILURES = 3
# seconds to wait for the workers of a LocalCluster, or a scheduler's first worker, to start
START_TIMEOUT = 120
# seconds between looks at whether Ctrl-C came while a task's result is awaited
POLL_SECONDS = 0.5
# seconds to wait for a scheduler to answer: one that is there answers in well under a second
CONNECT_TIMEOUT = 20


@dataclass(frozen=True)
class WorkerSettings:
    """What each worker needs to load its model and open its cache: the command's --device,
    --backend, --cache-dir and --no-cache."""

    device: str = "auto"
    backend: str = "auto"
    cache_dir: str | None = None
    no_cache: bool = False


class OneCore:
    """The sentence model on one core: a worker runs one task on each of its threads, and the
    workers of a machine share its cores (the model's own default is all of them)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name = inner.name

    def encode(self, texts: Sequence[str], busy: Callable[[], bool] | None = None) -> np.ndarray:
        return self.inner.encode(texts, busy=lambda: True)


class ClaimcheckPlugin(WorkerPlugin):
    """Loads the model once on each worker, as the worker starts (or joins), and gives each of its
    task threads a cache of its own (an SQLite connection serves the thread that opened it)."""

    name = "claimcheck"

    def __init__(self, settings: WorkerSettings) -> None:
        self.settings = settings
        self.embedder: Any = None
        self._local = threading.local()

    def __getstate__(self) -> dict:  # sent to the workers: the settings, not this process's state
        return {"settings": self.settings}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["settings"])

    def setup(self, worker: Any) -> None:
        from checker.align.embed import DeviceEmbedder

        s = self.settings
        self.embedder = OneCore(DeviceEmbedder(s.device, s.backend))
        self.embedder.encode(["claimcheck"])  # the model is loaded now, not by the first task

    @property
    def cache(self) -> Cache | None:
        """This task thread's cache (None with --no-cache), opened by its first task."""
        from checker.cache import Cache

        if self.settings.no_cache:
            return None
        if getattr(self._local, "cache", None) is None:
            self._local.cache = Cache(self.settings.cache_dir)
        return self._local.cache


@contextmanager
def _workers_deaf_to_ctrl_c() -> Iterator[None]:
    """Ctrl-C ignored by the worker processes a LocalCluster starts now, and held back here until
    they have started.

    A terminal's Ctrl-C reaches the whole process group; it is this process's to act on (it cancels
    the tasks and closes the cluster), and a worker that took it too would print its own traceback
    as it died, or fail its start. A process started while SIGINT is ignored keeps it ignored (Python
    leaves an ignored SIGINT alone); while it is ignored here it is also blocked, and Linux keeps a
    blocked signal pending even when ignored, so a Ctrl-C pressed during the start is taken as soon
    as the handler and the mask are restored."""
    import signal

    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    from multiprocessing import resource_tracker

    # started now, before the mask: it is started by the first worker's spawn otherwise, and that
    # spawn unblocks SIGINT in its thread, where an ignored Ctrl-C would then be lost
    resource_tracker.ensure_running()
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    handler = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, handler)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _plugin() -> ClaimcheckPlugin:
    from distributed import get_worker

    return get_worker().plugins[ClaimcheckPlugin.name]


# -- the tasks (run on the workers) -----------------------------------------------------------------

def _check_line(n: int, line: bytes) -> dict:
    from checker.batch import check_line

    plugin = _plugin()
    return check_line(n, line, plugin.embedder, plugin.cache)


def _prepare_part(docs: list[Document]) -> tuple[dict, dict, np.ndarray, dict]:
    from checker.pipeline import prepare

    plugin = _plugin()
    part = prepare(docs, plugin.embedder, plugin.cache)
    return part.sentences, part.mentions, part.vectors, part.timings


def _compare_story(fields: dict, options: Options) -> tuple[list, list]:
    from checker.pipeline import compare
    from checker.rules import CompareContext

    return compare(CompareContext(**fields), options)


# -- the cluster ------------------------------------------------------------------------------------

def parse_address(value: str) -> tuple[str | None, int | None]:
    """`local[:N]` as (None, N or None), a scheduler's address as (address, None)."""
    match = LOCAL.fullmatch(value)
    if match:
        n = int(match.group(1)) if match.group(1) else None
        if n == 0:
            raise InputError("--dask local:N: N is the number of worker processes, at least 1")
        return None, n
    if not value or any(c.isspace() for c in value):
        raise InputError(f"--dask {value!r}: give a scheduler's address (tcp://host:8786) or local[:N]")
    return value, None


@contextmanager
def connect(address: str, settings: WorkerSettings) -> Iterator[Client]:
    """A client of the cluster `address` (see parse_address) with our plugin on every worker; a
    LocalCluster started here is closed, its worker processes ended, however the run ends."""
    import dask
    from distributed import Client, LocalCluster

    scheduler, n = parse_address(address)
    cluster = None
    client = None
    with dask.config.set({"distributed.scheduler.allowed-failures": ALLOWED_FAILURES,
                          "distributed.worker.daemon": True}):
        try:
            if scheduler is None:
                # one thread a worker: the stages are Python (spaCy, the rules) and hold the GIL
                # (the dashboard on any free port: Dask's own, 8787, may be another cluster's)
                with _workers_deaf_to_ctrl_c():
                    cluster = LocalCluster(n_workers=n or os.cpu_count() or 1, threads_per_worker=1,
                                           processes=True, dashboard_address=":0", silence_logs=logging.ERROR)
                client = Client(cluster, timeout=START_TIMEOUT)
            else:
                try:
                    client = Client(scheduler, timeout=CONNECT_TIMEOUT)
                except (OSError, TimeoutError) as exc:
                    raise InputError(f"--dask {address}: no scheduler answers there ({exc})") from None
            try:
                client.register_plugin(ClaimcheckPlugin(settings))
            except Exception as exc:  # the scheduler hands back the worker's error as a bare Exception
                if "No module named" not in str(exc):
                    raise
                raise InputError(f"--dask {address}: the workers cannot load claimcheck ({exc}): they need the "
                                 "same claimcheck install as this machine (docs/distributed.md)") from None
            client.wait_for_workers(1, timeout=START_TIMEOUT)
            yield client
        finally:
            if client is not None:
                client.close()
            if cluster is not None:
                cluster.close()


def _in_order(client: Client, calls: Iterable[tuple[Callable, tuple]], ahead: int) -> Iterator[Any]:
    """The results of `calls`, in their order, with at most `ahead` in flight; on any way out (Ctrl-C,
    SIGTERM, an error) the tasks still in flight are cancelled."""
    from distributed import KilledWorker

    pending: deque = deque()
    calls = iter(calls)
    try:
        for call in calls:
            pending.append((client.submit(call[0], *call[1], pure=False), call))
            while len(pending) >= ahead or (pending and pending[0][0].done()):
                yield _result(pending.popleft(), KilledWorker)
        while pending:
            yield _result(pending.popleft(), KilledWorker)
    finally:
        if pending:
            client.cancel([f for f, _ in pending], force=True)


def _result(entry: tuple, killed: type) -> Any:
    future, call = entry
    while True:
        # a Ctrl-C that a library swallowed (as one during the cluster's start can be) still stops
        # the run: the flag the command line's handler sets is looked at between waits
        raise_if_interrupted()
        try:
            return future.result(timeout=POLL_SECONDS)
        except TimeoutError:
            continue
        except killed:
            fallback = getattr(call[0], "killed_record", None)
            if fallback is None:
                raise InputError(f"a task ended {ALLOWED_FAILURES + 1} workers in turn: the run stops") from None
            return fallback(*call[1])


def _killed_line(n: int, line: bytes) -> dict:
    """The error record of a line whose task ended worker after worker (a crash in a library, or
    more memory than a worker has): the other lines are checked."""
    from checker.batch import parse_line

    try:
        rec = parse_line(line)
        rec_id = rec.get("id") if isinstance(rec, dict) else None
    except InputError:
        rec_id = None
    return {"id": rec_id, "line": n, "findings": [],
            "error": f"internal error: the line's task ended {ALLOWED_FAILURES + 1} workers in turn (a crash, or "
                     "more memory than a worker has); the other lines are checked"}


_check_line.killed_record = _killed_line  # type: ignore[attr-defined]


def _threads(client: Client) -> int:
    return max(1, sum(client.nthreads().values()))


def batch_checker(address: str, settings: WorkerSettings) -> Callable[..., Iterator[dict]]:
    """A `checker` for checker.batch.run_batch: each line a task on the cluster, the records in the
    lines' order. The embedder and cache it is handed are this process's, which it leaves alone."""
    from checker.batch import numbered_lines

    def check(lines: list[bytes], embedder: Any = None, cache: Any = None) -> Iterator[dict]:
        with connect(address, settings) as client:
            calls = ((_check_line, (n, line)) for n, line in numbered_lines(lines))
            yield from _in_order(client, calls, AHEAD_PER_THREAD * _threads(client))

    return check


# -- one corpus ---------------------------------------------------------------------------------

def prepare_on(client: Client, docs: Sequence[Document], embedder: Any = None,
               cache: Cache | None = None) -> PreparedCorpus:
    """checker.pipeline.prepare with the documents' stages (segment, extract, embed) on the
    cluster, DOCS_PER_TASK documents a task; rows of the vectors in document order, as there."""
    from checker.pipeline import PreparedCorpus

    docs = list(docs)
    parts = [docs[i:i + DOCS_PER_TASK] for i in range(0, len(docs), DOCS_PER_TASK)]
    sentences: dict = {}
    mentions: dict = {}
    vectors: list[np.ndarray] = []
    timings: dict[str, float] = {}
    ahead = AHEAD_PER_THREAD * _threads(client)
    for sents, ments, vecs, times in _in_order(client, ((_prepare_part, (p,)) for p in parts), ahead):
        sentences.update(sents)
        mentions.update(ments)
        vectors.append(vecs)
        for k, v in times.items():  # the workers' time, summed: more than the wall time it took
            timings[k] = timings.get(k, 0.0) + v
    from checker.align.embed import DIMENSION

    stacked = np.vstack(vectors) if vectors else np.zeros((0, DIMENSION), dtype=np.float32)
    return PreparedCorpus(tuple(docs), sentences, mentions, stacked, embedder, timings, cache)


def story_mapper(client: Client) -> Callable:
    """A `mapper` for checker.pipeline.compare_stories: each story's comparison a task, sent with
    only its own sentences' vectors (rows renumbered), not the corpus's."""

    def mapper(subs: Iterable[CompareContext], options: Options) -> Iterator[tuple[list, list]]:
        calls = ((_compare_story, (_own_vectors(sub), options)) for sub in subs)
        yield from _in_order(client, calls, AHEAD_PER_THREAD * _threads(client))

    return mapper


def _own_vectors(sub: CompareContext) -> dict:
    """The story's context as the fields the worker builds it from (its indexes are made there),
    with only the story's rows of the vectors."""
    keys = list(sub.rows)
    rows = np.array([sub.rows[k] for k in keys], dtype=np.int64)
    return {"documents": sub.documents, "sentences": sub.sentences, "mentions": sub.mentions,
            "pairs": sub.pairs, "vectors": sub.vectors[rows], "rows": {k: i for i, k in enumerate(keys)}}


def check_on(address: str, settings: WorkerSettings, docs: Sequence[Document], options: Options,
             embedder: Any = None, cache: Cache | None = None) -> Any:
    """`claimcheck check --dask`: the report of checker.pipeline.run, its documents' stages and its
    stories' comparisons on the cluster; people resolved and stories planned here, over the
    documents' mentions and vectors (what a story is depends on the whole corpus)."""
    from checker.pipeline import run_prepared

    with connect(address, settings) as client:
        prepared = prepare_on(client, docs, embedder, cache)
        return run_prepared(prepared, (), options, keep_pairs=False, mapper=story_mapper(client)).report


__all__ = ["WorkerSettings", "batch_checker", "check_on", "connect", "parse_address", "prepare_on"]

