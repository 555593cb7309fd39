"""Command line: parse arguments, run, map the outcome to an exit code. No formatting, no logic."""
from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence

from checker.errors import CheckerError, ExitCode
from checker.models import Report, Severity

FAIL_ON = ("error", "warning", "info", "never")


def exit_code_for(report: Report, fail_on: str) -> ExitCode:
    if fail_on == "never":
        return ExitCode.CLEAN
    threshold = Severity(fail_on).rank
    return ExitCode.FINDINGS if any(f.severity.rank >= threshold for f in report.findings) else ExitCode.CLEAN


def write_output(text: str, path: str | None) -> None:
    """Standard output, or a file written atomically (a temp file, then rename)."""
    if not path or path == "-":
        sys.stdout.write(text)
        return
    import tempfile

    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".claimcheck-", dir=folder)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # a report is an ordinary file, not a private temp file
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _formats() -> list[str]:
    from checker.report import FORMATS

    return sorted(FORMATS)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="claimcheck", description="Cross-source claim-consistency checker.")
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = p.add_subparsers(dest="command", required=True)

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

    for command in (c, b, d, cl, sh, sv):
        command.add_argument("--cache-dir", metavar="DIR",
                             help="cache of processed documents and embeddings (default: the user cache "
                                  "folder; never the corpus)")
        command.add_argument("--no-cache", action="store_true", help="process everything afresh")

    r = sub.add_parser("rules", help="list the rules, or show one rule's documentation")
    r.add_argument("code", nargs="?")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(dispatch(args))
    except CheckerError as exc:
        if args.debug:
            raise
        print(str(exc), file=sys.stderr)
        return int(ExitCode.USAGE)
    except KeyboardInterrupt:
        print("claimcheck: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug of ours: one line, the traceback only with --debug
        if args.debug:
            raise
        print(f"claimcheck: internal error: {type(exc).__name__}: {exc} (run with --debug for details)",
              file=sys.stderr)
        return int(ExitCode.USAGE)
    finally:
        from checker.cache import set_default_cache

        set_default_cache(None)  # the cache belongs to this command, not to the process


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


def _use_cache(args: argparse.Namespace) -> None:
    from checker.cache import Cache, set_default_cache

    if getattr(args, "no_cache", False) or not hasattr(args, "cache_dir"):
        set_default_cache(None)
    else:
        set_default_cache(Cache(args.cache_dir))


def dispatch(args: argparse.Namespace) -> int:
    _use_cache(args)
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
        report = run(docs, options=config.options(), workers=args.workers)
        if args.write_baseline:
            write_output(baseline_text(report), args.write_baseline)
        if known is not None:
            report = without_baseline(report, known)
        write_output(render(report, args.format, fail_on=fail_on), args.output)
        return exit_code_for(report, fail_on)
    if args.command == "batch":
        from checker.batch import run_batch

        return run_batch(args.input, args.output, quiet=args.quiet)
    if args.command == "draft":
        from checker.draft import check_draft
        from checker.report import FORMATS, render

        if args.format not in FORMATS:
            raise CheckerError(f"unknown format {args.format!r}; choose from {', '.join(sorted(FORMATS))}")
        report = check_draft(args.draft, args.against, published=_date_option("--published", args.published))
        write_output(render(report, args.format, fail_on=args.fail_on), args.output)
        return exit_code_for(report, args.fail_on)
    if args.command in ("claim", "shell") and args.top < 1:
        raise CheckerError("--top must be 1 or more")
    if args.command == "claim":
        from checker.claim import CLAIM_FORMATS, check_claim

        result = check_claim(args.text, args.against, claim_date=_date_option("--date", args.date), top=args.top)
        write_output(CLAIM_FORMATS[args.format](result), None)
        return ExitCode.CLEAN
    if args.command == "shell":
        from checker.shell import run_shell

        return run_shell(args.against, claim_date=_date_option("--date", args.date), top=args.top)
    if args.command == "serve":
        from checker.web import ServeSettings, serve

        return serve(ServeSettings(args.corpus, args.baseline, args.config, args.cache_dir, not args.no_cache),
                     args.host, args.port)
    if args.command == "rules":
        from checker.rules.docs import describe_rules

        print(describe_rules(args.code), end="")
        return ExitCode.CLEAN
    raise CheckerError(f"unknown command {args.command}")
