"""Command line: parse arguments, run, map the outcome to an exit code. No formatting, no logic."""
from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence

from checker.errors import CheckerError, ExitCode, OutputError
from checker.models import Report, Severity
from checker.outputs import Reads, check_output_file, check_output_folder, write_output

# Exit codes of a run stopped by a signal, as a shell reports them: 128 + the signal's number.
INTERRUPTED = 130  # SIGINT
TERMINATED = 143  # SIGTERM

FAIL_ON = ("error", "warning", "info", "never")


def exit_code_for(report: Report, fail_on: str) -> ExitCode:
    if fail_on == "never":
        return ExitCode.CLEAN
    threshold = Severity(fail_on).rank
    return ExitCode.FINDINGS if any(f.severity.rank >= threshold for f in report.findings) else ExitCode.CLEAN


def _formats() -> list[str]:
    from checker.report import FORMATS

    return sorted(FORMATS)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="claimcheck", description="Cross-source claim-consistency checker.")
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = p.add_subparsers(dest="command", required=True)
    # --debug after the subcommand too: SUPPRESS keeps a subcommand's default from hiding the main one
    debug = argparse.ArgumentParser(add_help=False)
    debug.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks")
    sub.add_parser = _with_parents(sub.add_parser, debug)

    c = sub.add_parser("check", help="check a folder of articles against each other")
    c.add_argument("corpus", help="folder of .txt / .md articles, with an optional MANIFEST.json")
    c.add_argument("--format", default="text", help="output format: " + ", ".join(_formats()))
    c.add_argument("--output", help="write the report here instead of standard output")
    c.add_argument("--fail-on", choices=FAIL_ON, default=None,
                   help="exit 1 when a finding is at or above this severity (default: error)")
    c.add_argument("--config", help="settings file (default: claimcheck.toml in the corpus, or "
                                     "[tool.claimcheck] in ./pyproject.toml)")
    c.add_argument("--disable", action="append", default=[], metavar="RULE",
                   help="switch a rule off (code, name or prefix); may be repeated")
    c.add_argument("--baseline", help="report only findings not recorded in this baseline file")
    c.add_argument("--write-baseline", metavar="FILE", help="record the current findings as a baseline")
    c.add_argument("--quiet", action="store_true", help="no progress display")
    c.add_argument("--workers", type=int, default=1, metavar="N",
                   help="segment and extract in N processes (default 1)")

    cf = sub.add_parser("check-files", help="check article files as one corpus (the pre-commit hook)")
    cf.add_argument("files", nargs="*", metavar="FILE",
                    help="files to check; hidden, git-ignored and non-article files are skipped")
    cf.add_argument("--corpus", metavar="DIR", help="also check the articles of this folder")
    cf.add_argument("--format", default="text", choices=_formats(), help="output format")
    cf.add_argument("--output", help="write the report here instead of standard output")
    cf.add_argument("--fail-on", choices=FAIL_ON, default=None,
                    help="exit 1 when a finding is at or above this severity (default: error)")
    cf.add_argument("--config", help="settings file, as for check")

    b = sub.add_parser("batch", help="JSON lines in, JSON lines out: one small corpus a line")
    b.add_argument("input", help="JSONL file, or - for standard input")
    b.add_argument("--output", help="JSONL output file (default: standard output)")
    b.add_argument("--quiet", action="store_true", help="no progress display")

    d = sub.add_parser("draft", help="check a draft against a corpus before publication")
    d.add_argument("draft", help="the draft, a .txt or .md file")
    d.add_argument("--against", required=True, help="folder of published articles")
    d.add_argument("--published", help="the draft's publication date, YYYY-MM-DD (default: a dateline "
                                       "in the draft, else today)")
    d.add_argument("--format", default="text", help="output format: " + ", ".join(_formats()))
    d.add_argument("--output", help="write the report here instead of standard output")
    d.add_argument("--fail-on", choices=FAIL_ON, default="error",
                   help="exit 1 when a finding is at or above this severity (default: error)")

    cl = sub.add_parser("claim", help="check one claim against a corpus")
    cl.add_argument("text", help="the claim, one sentence")
    cl.add_argument("--against", required=True, help="folder of articles")
    cl.add_argument("--date", help="the date the claim is made on, YYYY-MM-DD (default: none; relative "
                                   "dates are compared as stated)")
    cl.add_argument("--format", default="text", choices=("text", "json"))
    cl.add_argument("--top", type=int, default=5, help="how many source sentences to show (default 5)")

    sh = sub.add_parser("shell", help="answer claims one per line, the corpus loaded once")
    sh.add_argument("--against", required=True, help="folder of articles")
    sh.add_argument("--date", help="the date claims are made on, YYYY-MM-DD (:date changes it)")
    sh.add_argument("--top", type=int, default=5)

    ix = sub.add_parser("index", help="process a corpus into the cache that every command reuses")
    ix.add_argument("corpus", help="folder of articles")
    ix.add_argument("--output", metavar="DIR", help="where the index lives (default: the user cache folder)")

    sv = sub.add_parser("serve", help="a local web app and JSON API over a corpus (checker.web)")
    sv.add_argument("corpus", help="folder of articles")
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    sv.add_argument("--port", type=int, default=8000, help="port (default 8000; 0: any free port)")
    sv.add_argument("--baseline", metavar="FILE", help="where 'mark as accepted' records findings (outside the corpus)")
    sv.add_argument("--config", help="settings file, as for check")

    for command in (c, cf, b, d, cl, sh, sv):
        command.add_argument("--cache-dir", metavar="DIR",
                             help="cache of processed documents and embeddings (default: the user cache "
                                  "folder; never the corpus)")
        command.add_argument("--no-cache", action="store_true", help="process everything afresh")

    r = sub.add_parser("rules", help="list the rules, or show one rule's documentation")
    r.add_argument("code", nargs="?")
    return p


def _with_parents(add_parser, parent: argparse.ArgumentParser):
    def add(name: str, **kwargs):
        return add_parser(name, parents=[parent], **kwargs)

    return add


class Terminated(BaseException):
    """SIGTERM, raised where the main thread is, so that `finally` blocks stop worker processes."""


def _on_sigterm(signum, frame) -> None:
    raise Terminated()


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    import signal
    import threading

    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _on_sigterm) if in_main_thread else None
    try:
        return int(dispatch(args))
    except CheckerError as exc:
        if args.debug:
            raise
        print(str(exc), file=sys.stderr)
        return int(ExitCode.USAGE)
    except KeyboardInterrupt:
        print("claimcheck: interrupted; nothing written", file=sys.stderr)
        return INTERRUPTED
    except Terminated:
        print("claimcheck: terminated; nothing written", file=sys.stderr)
        return TERMINATED
    except Exception as exc:  # a bug of ours: one line, the traceback only with --debug
        if args.debug:
            raise
        from checker.ingest.reader import escaped_name

        print(f"claimcheck: internal error: {type(exc).__name__}: {escaped_name(str(exc))}; this is a bug in "
              f"claimcheck: run `claimcheck --debug {args.command} ...` for the traceback and report it; "
              "--no-cache or another --cache-dir may get round it", file=sys.stderr)
        return int(ExitCode.USAGE)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _progress(quiet: bool):
    """Stage messages on standard error, only for a person watching a terminal."""
    show = not quiet and sys.stderr.isatty()

    def say(message: str) -> None:
        if show:
            print(f"claimcheck: {message}…", file=sys.stderr, flush=True)

    return say


def _date_option(flag: str, value: str | None):
    from checker.errors import InputError
    from checker.ingest.reader import parse_date

    if not value:
        return None
    try:
        return parse_date(value)
    except ValueError:
        raise InputError(f"{flag}: not an ISO date: {value!r} (YYYY-MM-DD)") from None


def _use_cache(args: argparse.Namespace):
    from checker.cache import Cache

    if getattr(args, "no_cache", False) or not hasattr(args, "cache_dir"):
        return None
    return Cache(args.cache_dir)


def _reads(args: argparse.Namespace) -> Reads:
    """The files and corpus folders a command reads, which none of its outputs may touch."""
    folders = [x for x in (getattr(args, "corpus", None), getattr(args, "against", None)) if x]
    files = [x for x in (getattr(args, "config", None), getattr(args, "baseline", None),
                         getattr(args, "draft", None), getattr(args, "input", None)) if x]
    if args.command == "check" and getattr(args, "config", None) is None:
        files.append("pyproject.toml")  # read for [tool.claimcheck] when no --config is given
    return Reads(files=tuple(files), folders=tuple(folders))


def check_outputs(args: argparse.Namespace) -> None:
    """Refuses, before any work, every output that would touch what the command reads."""
    from checker.cache import default_cache_dir

    reads = _reads(args)
    check_output_file("--output", getattr(args, "output", None) if args.command != "index" else None, reads)
    check_output_file("--write-baseline", getattr(args, "write_baseline", None), reads)
    default = "the cache folder (XDG_CACHE_HOME)"
    if args.command == "index":
        check_output_folder("--output" if args.output else default, args.output or str(default_cache_dir()), reads)
    elif hasattr(args, "cache_dir") and not args.no_cache:
        check_output_folder("--cache-dir" if args.cache_dir else default, args.cache_dir or str(default_cache_dir()),
                            reads)
    if getattr(args, "output", None) and getattr(args, "write_baseline", None) and \
            os.path.realpath(args.output) == os.path.realpath(args.write_baseline):
        raise OutputError("--output and --write-baseline name the same file")


def dispatch(args: argparse.Namespace) -> int:
    if args.command != "rules":
        check_outputs(args)
    cache = _use_cache(args)
    if args.command == "index":
        from checker.index import build_index

        print(build_index(args.corpus, args.output).text(), end="")
        return ExitCode.CLEAN
    if args.command == "check":
        from checker.report import FORMATS, render

        if args.format not in FORMATS:
            raise CheckerError(f"unknown format {args.format!r}; choose from {', '.join(sorted(FORMATS))}")
        from dataclasses import replace as _replace

        from checker.baseline import baseline_text, load_baseline, without_baseline
        from checker.config import load_config
        from checker.ingest import read_corpus
        from checker.pipeline import run

        config = load_config(args.corpus, args.config)
        if args.disable:
            config = _replace(config, disable=config.disable + tuple(args.disable))
            from checker.config import _validate

            _validate({"disable": list(config.disable)}, "--disable")
        fail_on = args.fail_on or config.fail_on or "error"
        known = load_baseline(args.baseline) if args.baseline else None
        progress = _progress(args.quiet)
        progress("reading " + args.corpus)
        docs = config.select(read_corpus(args.corpus))
        progress(f"checking {len(docs)} documents")
        if args.workers < 1:
            raise CheckerError("--workers must be 1 or more")
        report = run(docs, options=config.options(), workers=args.workers, cache=cache)
        if args.write_baseline:
            write_output(baseline_text(report), args.write_baseline)
        if known is not None:
            report = without_baseline(report, known)
        write_output(render(report, args.format, fail_on=fail_on), args.output)
        return exit_code_for(report, fail_on)
    if args.command == "check-files":
        from checker.check_files import check_files
        from checker.config import load_config
        from checker.report import render

        config = load_config(args.corpus, args.config)
        fail_on = args.fail_on or config.fail_on or "error"
        report = check_files(args.files, args.corpus, config, cache)
        write_output(render(report, args.format, fail_on=fail_on), args.output)
        return exit_code_for(report, fail_on)
    if args.command == "batch":
        from checker.batch import run_batch

        return run_batch(args.input, args.output, quiet=args.quiet, cache=cache)
    if args.command == "draft":
        from checker.draft import check_draft
        from checker.report import FORMATS, render

        if args.format not in FORMATS:
            raise CheckerError(f"unknown format {args.format!r}; choose from {', '.join(sorted(FORMATS))}")
        report = check_draft(args.draft, args.against, published=_date_option("--published", args.published),
                             cache=cache)
        write_output(render(report, args.format, fail_on=args.fail_on), args.output)
        return exit_code_for(report, args.fail_on)
    if args.command in ("claim", "shell") and args.top < 1:
        raise CheckerError("--top must be 1 or more")
    if args.command == "claim":
        from checker.claim import check_claim
        from checker.report.claim_format import CLAIM_FORMATS

        result = check_claim(args.text, args.against, claim_date=_date_option("--date", args.date), top=args.top,
                             cache=cache)
        write_output(CLAIM_FORMATS[args.format](result), None)
        return ExitCode.CLEAN
    if args.command == "shell":
        from checker.shell import run_shell

        return run_shell(args.against, claim_date=_date_option("--date", args.date), top=args.top, cache=cache)
    if args.command == "serve":
        from checker.web import ServeSettings, serve

        return serve(ServeSettings(args.corpus, args.baseline, args.config, args.cache_dir, not args.no_cache),
                     args.host, args.port)
    if args.command == "rules":
        from checker.rules.docs import describe_rules

        print(describe_rules(args.code), end="")
        return ExitCode.CLEAN
    raise CheckerError(f"unknown command {args.command}")
