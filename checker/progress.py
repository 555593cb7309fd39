"""Progress of a long run on standard error: documents read, sentences embedded, stories compared.

A command wraps its work in `showing(quiet)`. On a terminal (and without --quiet) each stage that
counts something draws a tqdm bar; otherwise (piped, redirected to a log, --quiet) nothing is drawn
while the run goes and one summary line is written at its end, so a log holds one line per run
rather than a bar's redraws.

The stages report through this module, not through arguments: the pipeline's functions and the
embedders keep their signatures (a stand-in embedder in a test needs to know nothing of progress),
and outside `showing` (the Python API, tests) every call here does nothing.
"""
from __future__ import annotations

import re
import sys
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import IO, Iterable, Iterator, TypeVar


T = TypeVar("T")

PROG = "claimcheck"  # the summary line's prefix, as the command line's other messages

# (what is counted, one and many; the bar's unit) of each stage, in the order a run goes through them
STAGES = {"read": ("document read", "documents read", "doc"),
          "embed": ("sentence embedded", "sentences embedded", "sentence"),
          "compare": ("story compared", "stories compared", "story"),
          "corpora": ("corpus checked", "corpora checked", "corpus")}
# the summary line, for a reader of logs (and tests) to tell it from a warning or an error
SUMMARY = re.compile(r"^claimcheck: (?:[\d,]+ [a-z ]+, )*(?:[\d,]+ [a-z ]+|done) in \d+\.\d s$")
MIN_BAR_TOTAL = 2  # a stage of one item draws no bar: it would appear and finish at once


@dataclass
class Display:
    """One run's progress: its open bars, and what each stage counted for the summary."""

    bars: bool
    stream: IO[str]
    bar_stages: frozenset[str] = frozenset(STAGES)  # the stages that draw a bar (all count)
    counts: dict[str, int] = field(default_factory=dict)
    open: dict[str, "Stage"] = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter)

    def summary(self) -> str:
        parts = [f"{n:,} {STAGES[k][0 if n == 1 else 1]}" for k, n in self.counts.items()]
        return f"{PROG}: {', '.join(parts) or 'done'} in {time.perf_counter() - self.started:.1f} s"


_CURRENT: ContextVar[Display | None] = ContextVar("claimcheck_progress", default=None)


@contextmanager
def showing(quiet: bool = False, stream: IO[str] | None = None,
            bars_for: Iterable[str] = tuple(STAGES)) -> Iterator[Display]:
    """Progress for the run inside: bars (of the stages `bars_for`) on a terminal, else one summary
    line when it ends (not when it fails: the error's line is then the last word)."""
    stream = stream or sys.stderr
    display = Display(bars=not quiet and _is_terminal(stream), stream=stream, bar_stages=frozenset(bars_for))
    token = _CURRENT.set(display)
    try:
        yield display
    finally:
        _CURRENT.reset(token)
        for st in list(display.open.values()):
            st.close()
    if not display.bars:
        print(display.summary(), file=stream, flush=True)


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False


class Stage:
    """One stage's count, and its bar when the display draws bars."""

    def __init__(self, display: Display | None, key: str, total: int | None) -> None:
        self.display, self.key = display, key
        self.done = 0
        self._bar = None
        if display is None:
            return
        display.open[key] = self
        display.counts.setdefault(key, 0)
        if display.bars and key in display.bar_stages and (total is None or total >= MIN_BAR_TOTAL):
            from tqdm import tqdm

            _, label, unit = STAGES[key]
            self._bar = tqdm(total=total, desc=label.split()[0], unit=unit, file=display.stream, leave=False,
                             dynamic_ncols=True, mininterval=0.2)

    def update(self, n: int = 1) -> None:
        if self.display is None or n <= 0:
            return
        self.done += n
        self.display.counts[self.key] += n
        if self._bar is not None:
            self._bar.update(n)

    def reach(self, done: int) -> None:
        """Count up to `done` in all: what a nested reporter (the model's own loop) has not counted."""
        self.update(done - self.done)

    def close(self) -> None:
        if self.display is not None and self.display.open.get(self.key) is self:
            del self.display.open[self.key]
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> "Stage":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _Joined(Stage):
    """A stage already open (the cache's embedder opened it; the model's own loop reports into it)."""

    def __init__(self, inner: Stage) -> None:
        self.inner = inner

    @property
    def done(self) -> int:  # type: ignore[override]
        return self.inner.done

    def update(self, n: int = 1) -> None:
        self.inner.update(n)

    def close(self) -> None:
        pass


def stage(key: str, total: int | None = None) -> Stage:
    """A stage of the current run (`key` one of STAGES), counting up to `total`; the stage already
    open under that key when there is one, so nested callers report into one bar."""
    if key not in STAGES:
        raise ValueError(f"unknown progress stage {key!r}")
    display = _CURRENT.get()
    if display is not None and key in display.open:
        return _Joined(display.open[key])
    return Stage(display, key, total)


def track(items: Iterable[T], key: str, total: int | None = None) -> Iterator[T]:
    """The items, each counted in stage `key` as it is taken."""
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    with stage(key, total) as st:
        for item in items:
            yield item
            st.update(1)
