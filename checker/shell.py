"""`claimcheck shell`: load the model and the corpus once, then answer one claim per line.

The corpus side (sentences, mentions, embeddings) is prepared once (`pipeline.prepare`); each claim
is then one small document run with it (`pipeline.run_prepared` through `check_claim`), so an answer
takes a fraction of a second. On a terminal, lines are read with readline (line editing, history
kept in ~/.claimcheck_history); from a pipe, one claim per line and no prompt.

Commands: `:date YYYY-MM-DD` sets the date claims are made on (`:date none` clears it), `:top K`,
`:format text|json`, `:help`, `:quit`.
"""
from __future__ import annotations

import os
import sys
import time
from datetime import date
from typing import IO, TYPE_CHECKING, Iterator

from checker.claim import check_claim, warm_up
from checker.parallel import one_thread
from checker.pipeline import PreparedCorpus, prepare_corpus
from checker.report.claim_format import CLAIM_FORMATS

if TYPE_CHECKING:
    from checker.cache import Cache

HELP = """Type a claim to check it against the corpus, one per line. Commands:
  :date YYYY-MM-DD   claims are made on this date (relative dates resolve against it)
  :date none         no date: relative dates are compared as stated (the default)
  :date              show the current date
  :top K             show the K most similar source sentences (default 5)
  :format text|json  answer format
  :help              this help
  :quit              leave (or end of input)
"""
PROMPT = "claim> "
HISTORY = os.path.join(os.path.expanduser("~"), ".claimcheck_history")


class ClaimShell:
    """The loop's state and its answer to each line; `handle` returns False to stop."""

    def __init__(self, prepared: PreparedCorpus, out: IO[str], claim_date: date | None = None,
                 top: int = 5, fmt: str = "text") -> None:
        self.prepared = prepared
        self.out = out
        self.claim_date = claim_date
        self.top = top
        self.fmt = fmt
        self.times: list[float] = []  # seconds per claim answered

    def say(self, text: str) -> None:
        self.out.write(text if text.endswith("\n") else text + "\n")
        self.out.flush()

    def handle(self, line: str) -> bool:
        line = line.strip()
        if not line or line.startswith("#"):
            return True
        if line.startswith(":"):
            return self.command(line)
        t0 = time.perf_counter()
        with one_thread():
            result = check_claim(line, self.prepared, claim_date=self.claim_date, top=self.top)
        elapsed = time.perf_counter() - t0
        self.times.append(elapsed)
        self.say(CLAIM_FORMATS[self.fmt](result))
        if self.fmt == "text":
            self.say(f"({elapsed:.2f} s)\n")
        return True

    def command(self, line: str) -> bool:
        name, _, arg = line[1:].partition(" ")
        arg = arg.strip()
        if name in ("quit", "q", "exit"):
            return False
        if name in ("help", "h", "?"):
            self.say(HELP)
        elif name == "date":
            self._set_date(arg)
        elif name == "top":
            if arg.isdigit() and int(arg) > 0:
                self.top = int(arg)
                self.say(f"top: {self.top}")
            else:
                self.say("error: :top needs a positive whole number")
        elif name == "format":
            if arg in CLAIM_FORMATS:
                self.fmt = arg
                self.say(f"format: {arg}")
            else:
                self.say(f"error: format is one of {', '.join(sorted(CLAIM_FORMATS))}")
        else:
            self.say(f"error: unknown command :{name} (:help lists them)")
        return True

    def _set_date(self, arg: str) -> None:
        from checker.ingest.reader import parse_date

        if arg.lower() in ("none", "off", "clear"):
            self.claim_date = None
        elif arg:
            try:
                self.claim_date = parse_date(arg)
            except ValueError:
                self.say(f"error: not an ISO date: {arg!r} (YYYY-MM-DD)")
                return
        self.say(f"date: {self.claim_date.isoformat() if self.claim_date else 'none'}")

    def summary(self) -> str:
        if not self.times:
            return "no claims checked"
        ts = sorted(self.times)
        return (f"{len(ts)} claim(s); seconds per claim: median {ts[len(ts) // 2]:.2f},"
                f" max {ts[-1]:.2f}")


def _terminal_lines() -> Iterator[str]:
    try:
        import readline
    except ImportError:  # no readline on this platform: plain input() still works
        readline = None
    if readline is not None:
        try:
            readline.read_history_file(HISTORY)
        except OSError:
            pass
        readline.set_history_length(1000)
    try:
        while True:
            try:
                yield input(PROMPT)
            except EOFError:
                print()
                return
            except KeyboardInterrupt:  # Ctrl-C drops the line being typed, as a shell does
                print()
    finally:
        if readline is not None:
            try:
                readline.write_history_file(HISTORY)
            except OSError:
                pass


def _stream_lines(stream: IO[str]) -> Iterator[str]:
    for line in stream:
        yield line.rstrip("\n")


def run_shell(against: str | PreparedCorpus, embedder=None, stdin: IO[str] | None = None,
              stdout: IO[str] | None = None, claim_date: date | None = None, top: int = 5,
              fmt: str = "text", interactive: bool | None = None, cache: Cache | None = None) -> int:
    """Prepare the corpus once (through `cache` when given) and answer claims from `stdin` until
    :quit or end of input."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    if interactive is None:
        interactive = stdin is sys.stdin and stdin.isatty() and stdout.isatty()
    t0 = time.perf_counter()
    prepared = prepare_corpus(against, embedder, cache)
    warm_up(prepared)
    shell = ClaimShell(prepared, stdout, claim_date=claim_date, top=top, fmt=fmt)
    ready = (f"claimcheck shell: {len(prepared.documents)} documents, "
             f"{sum(len(v) for v in prepared.sentences.values())} sentences ready in "
             f"{time.perf_counter() - t0:.1f} s. :help for commands, :quit to leave.")
    print(ready, file=sys.stderr if not interactive else stdout, flush=True)
    lines = _terminal_lines() if interactive else _stream_lines(stdin)
    for line in lines:
        try:
            if not shell.handle(line):
                break
        except KeyboardInterrupt:
            shell.say("(interrupted)")
        except Exception as exc:  # one bad line must not end the session
            shell.say(f"error: {type(exc).__name__}: {exc}")
    print(shell.summary(), file=sys.stderr, flush=True)
    return 0
