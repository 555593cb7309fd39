"""Ctrl-C, remembered.

Python turns SIGINT into a KeyboardInterrupt wherever the main thread happens to be. Under load a
signal can land inside code that swallows it (a finaliser run by the garbage collector, a library
that checks for signals and clears the error), and the run then goes on to the end. The command line
installs `on_sigint` instead: it raises as before and also sets a flag that the long stages check
between units of work (`raise_if_interrupted`), so that a swallowed Ctrl-C still stops the run.
"""
from __future__ import annotations

import threading

_interrupted = threading.Event()


def on_sigint(signum, frame) -> None:
    _interrupted.set()
    raise KeyboardInterrupt


def raise_if_interrupted() -> None:
    """Raise KeyboardInterrupt if Ctrl-C arrived since `reset()`, even if it was swallowed."""
    if _interrupted.is_set():
        raise KeyboardInterrupt


def reset() -> None:
    _interrupted.clear()


def interrupt() -> None:
    """Ask the running stages to stop at their next check, as Ctrl-C does: how a server cancels the
    request its client abandoned, or every request when it is stopped."""
    _interrupted.set()
