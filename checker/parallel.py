"""The worker processes of a run: started forked, one core each, and ended with the run.

The pipeline sends segmentation and extraction to them (checker.pipeline.prepare); this module only
knows how to start and stop them.
"""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Iterator, Sequence

from checker.models import Document


def batches(docs: Sequence[Document], n: int) -> list[list[Document]]:
    """`docs` dealt into at most `n` non-empty batches, round robin (long and short ones mixed)."""
    return [b for b in (list(docs[i::n]) for i in range(n)) if b]


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of `workers` forked processes, each on one core and ending with this process."""
    # forked, not spawned: a spawned worker re-imports the caller's main module, which breaks a
    # user's script without a main guard. The children run spaCy only, never the model's threads.
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_worker_start, initargs=(os.getpid(),))


def stop_pool(pool: ProcessPoolExecutor, interrupted: bool) -> None:
    """Lets a pool's workers go: at the end of their work, or at once when the run was interrupted
    (a signal, an error), so that none outlives the run and holds its caller's pipes open."""
    if not interrupted:
        pool.shutdown()
        return
    # the executor has no public way to stop a running task: its worker processes are ended here
    for process in list(getattr(pool, "_processes", {}).values()):
        if process.is_alive():
            process.kill()
    pool.shutdown(wait=False, cancel_futures=True)


def _worker_start(parent: int) -> None:
    """A worker dies with its parent, leaves signals from the terminal to it, and uses one core."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent decides
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent(parent)
    _single_threaded()


def _die_with_parent(parent: int) -> None:
    """On Linux the kernel kills this process when its parent dies, however the parent dies (even
    SIGKILL): an orphan would otherwise block writing its results to a pipe nobody reads."""
    import ctypes
    import signal
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the watch was set
        os._exit(1)


def _single_threaded() -> None:
    """A worker uses one core: the cores are shared with the model in the parent process."""
    import sys

    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except ImportError:  # comes with scikit-learn, which sentence-transformers installs; optional
        pass
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(1)


@contextmanager
def one_thread() -> Iterator[None]:
    """Run torch on one thread: one short sentence gains nothing from more, and on a busy machine
    handing it between threads costs more than the model (measured on 2 loaded cores: 0.50 s to
    embed one sentence with 2 threads, 0.015 s with 1)."""
    try:
        import torch
    except ImportError:
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)
