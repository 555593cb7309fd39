"""Command line: parse arguments, run, map the outcome to an exit code. No formatting, no logic.

click parses. `main` runs it with `standalone_mode=False`, so that it, not click, turns every
outcome into an exit code (`ExitCode`) and every error into one line: `claimcheck: error [E…]:
...` for bad usage or input (2), an internal error (3) for a crash, 130 / 143 for a signal.
Options that several commands share are declared once, as groups (`report_options`, ...), and each
group reaches its command as one frozen record, so every command that reports takes the same
options with the same meaning.

Shell completion is click's: `eval "$(_CLAIMCHECK_COMPLETE=bash_source claimcheck)"` (zsh_source,
fish_source for those shells); rule codes and names complete after --select / --ignore /
--disable, formats after --format.
"""
from __future__ import annotations

import functools
import os
import sys
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, Callable, Sequence

import click
from click.shell_completion import CompletionItem

from checker import __version__
from checker.config import FAIL_ON
from checker.errors import CheckerError, ExitCode, OutputError, UsageError
from checker.models import Report, Severity
from checker.outputs import COLOR_CHOICES, Reads, check_output_file, check_output_folder, wants_color, write_output

PROG = "claimcheck"
DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S")  # ISO dates, or datetimes as datelines give


def exit_code_for(report: Report, fail_on: str) -> ExitCode:
    if fail_on == "never":
        return ExitCode.CLEAN
    threshold = Severity(fail_on).rank
    return ExitCode.FINDINGS if any(f.severity.rank >= threshold for f in report.findings) else ExitCode.CLEAN


# -- types and completion --------------------------------------------------------------------------

class Named(click.Choice):
    """A choice among names known only once the registry behind them is imported: reading the report
    formats or the claim formats would import the pipeline, and `--help` must answer at once."""

    def __init__(self, choices: Callable[[], Sequence[str]], noun: str) -> None:
        # click.Choice.__init__ would read the choices now; `choices` below reads them when asked
        self._choices = choices
        self.noun = noun
        self.case_sensitive = True

    @property
    def choices(self) -> tuple[str, ...]:  # type: ignore[override]
        return tuple(self._choices())

    def get_invalid_choice_message(self, value: Any, ctx: click.Context | None) -> str:
        return f"unknown {self.noun} {value!r}; choose from {', '.join(self.choices)}"


class IsoDate(click.DateTime):
    """A date as YYYY-MM-DD (or a dateline's date and time), given to the command as a `date`."""

    name = "date"

    def __init__(self) -> None:
        super().__init__(DATE_FORMATS)

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        try:
            return super().convert(value, param, ctx).date()
        except click.BadParameter:
            self.fail(f"not an ISO date: {value!r} (YYYY-MM-DD)", param, ctx)


class PathName(click.Path):
    """A path named for help and shell completion (folders only where a folder is wanted), not
    checked here: whether it exists, is a folder, holds articles or may be written is said by the
    reader (checker.ingest) and checker.outputs, in the same words for every command and for the
    Python API."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        return os.fsdecode(value)


FOLDER = PathName(file_okay=False)
FILE = PathName(dir_okay=False)
FILE_OR_DASH = PathName(dir_okay=False, allow_dash=True)


def _report_formats() -> list[str]:
    from checker.report import FORMATS

    return sorted(FORMATS)


def _claim_formats() -> list[str]:
    from checker.report.claim_format import CLAIM_FORMATS

    return list(CLAIM_FORMATS)


def _devices() -> tuple[str, ...]:
    from checker.align.embed import DEVICES

    return DEVICES


def _backends() -> tuple[str, ...]:
    from checker.align.embed import BACKENDS

    return BACKENDS


def complete_rules(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """Rule codes and dotted names that start with what is typed ("CC-D", "name.")."""
    from checker.rules import REGISTRY

    typed = incomplete.lower()
    return [CompletionItem(name, help=r.summary) for r in REGISTRY for name in (r.code, r.name)
            if name.lower().startswith(typed)]


def rule_patterns(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    """Every --select / --ignore entry must name a rule (a code, a name or a prefix of one)."""
    from checker.config import check_rule_patterns

    check_rule_patterns("", {"/".join(param.opts): value})
    return value


# -- shared option groups --------------------------------------------------------------------------

@dataclass(frozen=True)
class OutputChoice:
    fmt: str
    output: str | None
    quiet: bool
    color: str = "auto"  # auto | always | never (checker.outputs.wants_color)
    statistics: bool = False  # per-rule counts instead of the findings (ruff --statistics)

    def __post_init__(self) -> None:  # refused before any work, not after the run
        from checker.report.statistics import STATISTICS_FORMATS

        if self.statistics and self.fmt not in STATISTICS_FORMATS:
            raise UsageError(f"--statistics writes {' or '.join(STATISTICS_FORMATS)}, not --format {self.fmt}")


@dataclass(frozen=True)
class RuleChoice:
    config: str | None
    select: tuple[str, ...]
    ignore: tuple[str, ...]


@dataclass(frozen=True)
class Gate:
    fail_on: str | None  # None: the config file's, else "error"
    baseline: str | None


@dataclass(frozen=True)
class ModelChoice:
    device: str
    cache_dir: str | None
    no_cache: bool
    backend: str = "auto"


def option_group(record: type, key: str, *options: Callable) -> Callable:
    """Options that travel together, handed to the command as one `record` under `key`."""
    names = [f.name for f in fields(record)]

    def apply(command: Callable) -> Callable:
        @functools.wraps(command)
        def with_record(*args: Any, **kwargs: Any) -> Any:
            # a field no option of this command sets keeps its default (claim has no --statistics)
            kwargs[key] = record(**{n: kwargs.pop(n) for n in names if n in kwargs})
            return command(*args, **kwargs)

        for option in reversed(options):
            with_record = option(with_record)
        return with_record

    return apply


def _set_debug(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.ensure_object(Invocation).debug = True


# accepted before the subcommand and after it, as users type it
debug_option = click.option("--debug", is_flag=True, expose_value=False, callback=_set_debug,
                            help="Show a traceback instead of a one-line error.")


def output_options(formats: Callable[[], Sequence[str]], what: str, statistics: bool = False) -> Callable:
    counts = [click.option("--statistics", is_flag=True,
                           help="Count the findings per rule instead of listing them (text or json).")]
    return option_group(
        OutputChoice, "out",
        click.option("--format", "fmt", type=Named(formats, "format"), default="text", show_default=True,
                     help=f"Output format of the {what}."),
        click.option("--output", type=FILE_OR_DASH, metavar="FILE",
                     help="Write it here instead of standard output (never over an input or into the corpus)."),
        click.option("--quiet", is_flag=True, help="No progress display."),
        click.option("--color", type=click.Choice(COLOR_CHOICES), default="auto", show_default=True,
                     help="Colour the text output: auto is on a terminal unless NO_COLOR is set."),
        *(counts if statistics else []))


rule_options = option_group(
    RuleChoice, "rules",
    click.option("--config", type=FILE, metavar="FILE",
                 help="Settings file (default: claimcheck.toml in the corpus folder, else [tool.claimcheck] in "
                      "./pyproject.toml)."),
    click.option("--select", multiple=True, metavar="RULE", callback=rule_patterns, shell_complete=complete_rules,
                 help="Run only these rules: a code, dotted name or prefix (CC-DATE, name); may be repeated; "
                      "replaces the config file's select."),
    click.option("--ignore", "--disable", "ignore", multiple=True, metavar="RULE", callback=rule_patterns,
                 shell_complete=complete_rules,
                 help="Switch a rule off: a code, dotted name or prefix; may be repeated; adds to the config "
                      "file's ignore / disable."))

def gate_options(default: str = "the config file's, else error") -> Callable:
    return option_group(
        Gate, "gate",
        click.option("--fail-on", type=click.Choice(FAIL_ON), default=None,
                     help=f"Exit 1 when a finding is at or above this severity (default: {default})."),
        click.option("--baseline", type=FILE, metavar="FILE",
                     help="Report only findings not recorded in this baseline file."))

device_option = click.option("--device", type=Named(_devices, "device"), default="auto", show_default=True,
                             help="Where the sentence model runs: auto is CUDA when torch sees a GPU, else the CPU.")

backend_option = click.option("--backend", type=Named(_backends, "backend"), default="auto", show_default=True,
                              help="What runs the sentence model: torch, onnx (its ONNX export, CPU) or onnx-int8 "
                                   "(quantized); auto is onnx on the CPU, torch on a GPU. See docs/benchmarks.md.")

model_options = option_group(
    ModelChoice, "model",
    device_option,
    backend_option,
    click.option("--cache-dir", type=FOLDER, metavar="DIR",
                 help="Cache of processed documents and embeddings (default: the user cache folder; never the "
                      "corpus)."),
    click.option("--no-cache", is_flag=True, help="Process everything afresh."))


dask_option = click.option(
    "--dask", metavar="ADDRESS", help="Run on a Dask cluster: a scheduler's address (tcp://host:8786), or local[:N] "
                                      "for N worker processes here (docs/distributed.md).")


def _dask_run(address: str, model: ModelChoice, workers: int = 1):
    """The cluster runner's settings for --dask, its address checked before any work."""
    from checker.cluster import WorkerSettings, parse_address

    if workers > 1:
        raise UsageError("--workers and --dask: the cluster's workers do the work; choose one")
    parse_address(address)
    return WorkerSettings(model.device, model.backend, model.cache_dir, model.no_cache)


def report_options(formats: Callable[[], Sequence[str]] = _report_formats,
                   fail_on_default: str = "the config file's, else error") -> Callable:
    """What every command that writes a report takes (check, draft): format, output, rules, gate."""
    def apply(command: Callable) -> Callable:
        return output_options(formats, "report", statistics=True)(rule_options(gate_options(fail_on_default)(command)))

    return apply


# -- the commands ----------------------------------------------------------------------------------

def showing(quiet: bool = False):
    """Progress bars on a terminal, else one summary line (checker.progress)."""
    from checker.progress import showing as progress

    return progress(quiet)


@dataclass
class Invocation:
    """What `main` needs to know of a parse in progress: filled in by click's callbacks."""

    debug: bool = False
    command: str = ""


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name=None, version=__version__, prog_name=PROG, message="%(prog)s %(version)s")
@debug_option
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Cross-source claim-consistency checker."""
    ctx.ensure_object(Invocation).command = ctx.invoked_subcommand or ""


@cli.command()
@click.argument("corpus", type=FOLDER)
@report_options()
@click.option("--write-baseline", type=FILE, metavar="FILE", help="Record the current findings as a baseline.")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True, metavar="N",
              help="Segment and extract in N processes.")
@dask_option
@model_options
@debug_option
def check(corpus: str, out: OutputChoice, rules: RuleChoice, gate: Gate, write_baseline: str | None,
          workers: int, dask: str | None, model: ModelChoice) -> int:
    """Check a folder of articles (CORPUS) against each other."""
    from checker.baseline import baseline_text
    from checker.pipeline import run

    reads = _reads(folders=[corpus], files=[rules.config, gate.baseline], config=rules.config)
    embedder, cache = _start(reads, model, {"--output": out.output, "--write-baseline": write_baseline})
    settings = _dask_run(dask, model, workers) if dask else None
    known = _baseline(gate)
    with showing(out.quiet):
        config, docs, say = _read_selected(corpus, rules, out.quiet)
        say(f"checking {len(docs)} documents")
        if dask:
            from checker.cluster import check_on

            report = check_on(dask, settings, docs, config.options(), embedder, cache)
        else:
            report = run(docs, embedder=embedder, options=config.options(), workers=workers, cache=cache)
    if write_baseline:
        write_output(baseline_text(report), write_baseline)
    return _write_report(report, out, gate, config, known)


@cli.command()
@click.argument("draft", type=FILE_OR_DASH)
@click.option("--against", required=True, type=FOLDER, metavar="DIR", help="Folder of published articles.")
@click.option("--published", type=IsoDate(),
              help="The draft's publication date (default: a dateline in the draft, else today).")
@report_options(fail_on_default="warning: a draft that contradicts its sources fails")
@model_options
@debug_option
def draft(draft: str, against: str, published: date | None, out: OutputChoice, rules: RuleChoice, gate: Gate,
          model: ModelChoice) -> int:
    """Check a DRAFT (.txt or .md, or - for standard input) against a corpus before publication:
    one finding per value of the draft that the sources contradict; exit 1 on a warning or above."""
    from checker.draft import DRAFT_FAIL_ON, check_draft

    gate = Gate(gate.fail_on or DRAFT_FAIL_ON, gate.baseline)

    reads = _reads(folders=[against], files=[draft if draft != "-" else None, rules.config, gate.baseline],
                   config=rules.config)
    embedder, cache = _start(reads, model, {"--output": out.output})
    known = _baseline(gate)
    with showing(out.quiet):
        config, corpus, say = _read_selected(against, rules, out.quiet)
        say(f"checking the draft against {len(corpus)} documents")
        report = check_draft(draft, corpus, published=published, embedder=embedder, options=config.options(),
                             cache=cache)
    return _write_report(report, out, gate, config, known)


@cli.command()
@click.argument("text")
@click.option("--against", required=True, type=FOLDER, metavar="DIR", help="Folder of articles.")
@click.option("--date", "claim_date", type=IsoDate(),
              help="The date the claim is made on (default: none; relative dates are compared as stated).")
@click.option("--top", type=click.IntRange(min=1), default=5, show_default=True, metavar="K",
              help="How many source sentences to show.")
@output_options(_claim_formats, "answer")
@rule_options
@model_options
@debug_option
def claim(text: str, against: str, claim_date: date | None, top: int, out: OutputChoice, rules: RuleChoice,
          model: ModelChoice) -> int:
    """Check one claim (TEXT, a sentence, or - to read it from standard input) against a corpus.

    Exit status: 0 when the claim is supported or not found, 1 when it is contradicted or mixed."""
    from checker.claim import check_claim
    from checker.ingest.reader import without_controls

    # bytes of the argument that are not UTF-8 (held as lone surrogates) become U+FFFD, as in a file
    text = without_controls(text.encode("utf-8", "surrogateescape").decode("utf-8", "replace"))
    from checker.ingest.stdin import DASH, read_stdin
    from checker.report.claim_format import CLAIM_FORMATS

    if text == DASH:
        text = read_stdin("the claim")

    embedder, cache = _start(_reads(folders=[against], files=[rules.config], config=rules.config), model,
                             {"--output": out.output})
    config, corpus, say = _read_selected(against, rules, out.quiet)
    say(f"checking the claim against {len(corpus)} documents")
    result = check_claim(text, corpus, claim_date=claim_date, embedder=embedder, top=top,
                         options=config.options(), cache=cache)
    write_output(CLAIM_FORMATS[out.fmt](result, color=wants_color(out.color, out.output)), out.output)
    # a script reads the verdict from the status: 0 supported or not found, 1 contradicted or mixed
    return ExitCode.FINDINGS if result.exit_code else ExitCode.CLEAN


@cli.command()
@click.option("--against", required=True, type=FOLDER, metavar="DIR", help="Folder of articles.")
@click.option("--date", "claim_date", type=IsoDate(), help="The date claims are made on (:date changes it).")
@click.option("--top", type=click.IntRange(min=1), default=5, show_default=True, metavar="K",
              help="How many source sentences to show.")
@model_options
@debug_option
def shell(against: str, claim_date: date | None, top: int, model: ModelChoice) -> int:
    """Answer claims one per line, the corpus loaded once."""
    from checker.shell import run_shell

    embedder, cache = _start(_reads(folders=[against]), model, {})
    return run_shell(against, embedder=embedder, claim_date=claim_date, top=top, cache=cache)


@cli.command("check-files")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False), metavar="[FILE]...")
@click.option("--corpus", type=FOLDER, metavar="DIR",
              help="A corpus folder to check, with those the config's `corpus` names.")
@output_options(_report_formats, "report", statistics=True)
@click.option("--fail-on", type=click.Choice(FAIL_ON), default=None,
              help="Exit 1 when a finding is at or above this severity (default: the config's, else error).")
@click.option("--config", type=FILE, metavar="FILE", help="Settings file, as for check.")
@model_options
@debug_option
def check_files_command(files: tuple[str, ...], corpus: str | None, out: OutputChoice, fail_on: str | None,
                        config: str | None, model: ModelChoice) -> int:
    """The pre-commit hook: check the corpus folders (config `corpus`, or --corpus) that hold one
    of FILEs, each whole; files outside them (a README, docs) are never read."""
    from checker.check_files import check_files
    from checker.config import load_config

    _, cache = _start(_reads(folders=[corpus], files=[*files, config], config=config), model,
                      {"--output": out.output})
    settings = load_config(corpus or ".", config)  # ./claimcheck.toml, else ./pyproject.toml
    gate = fail_on or settings.fail_on or "error"
    report = check_files(list(files), corpus, settings, cache)
    write_output(_rendered(report, out, gate), out.output)
    return exit_code_for(report, gate)


@cli.command()
@click.argument("input", type=FILE_OR_DASH)
@click.option("--output", type=FILE_OR_DASH, metavar="FILE", help="JSONL output file (default: standard output).")
@click.option("--quiet", is_flag=True, help="No progress display.")
@dask_option
@model_options
@debug_option
def batch(input: str, output: str | None, quiet: bool, dask: str | None, model: ModelChoice) -> int:
    """JSON lines in (INPUT, or - for standard input), JSON lines out: one small corpus a line."""
    from checker.batch import check_batch, run_batch

    settings = _dask_run(dask, model) if dask else None
    embedder, cache = _start(_reads(files=[input]), model, {"--output": output})
    if settings is not None:
        from checker.cluster import batch_checker

        return run_batch(input, output, quiet=quiet, checker=batch_checker(dask, settings))
    return run_batch(input, output, quiet=quiet, embedder=embedder, cache=cache, checker=check_batch)


@cli.command()
@click.argument("corpus", type=FOLDER)
@click.option("--cache-dir", "--output", "cache_dir", type=FOLDER, metavar="DIR",
              help="Where the index lives (default: the user cache folder). --output is its older name.")
@device_option
@backend_option
@debug_option
def index(corpus: str, cache_dir: str | None, device: str, backend: str) -> int:
    """Process a corpus into the cache that every command reuses."""
    from checker.index import build_index

    # the index is the cache, opened by build_index itself: it cannot be switched off, so --no-cache
    # is not offered here
    model = ModelChoice(device, cache_dir, no_cache=False, backend=backend)
    check_outputs(_reads(folders=[corpus]), model, {})
    with showing():
        summary = build_index(corpus, cache_dir, embedder=_embedder(model))
    print(summary.text(), end="")
    return ExitCode.CLEAN


@cli.command()
@click.argument("corpus", type=FOLDER)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (127.0.0.1: this machine only).")
@click.option("--port", type=int, default=8000, show_default=True, help="Port (0: any free port).")
@click.option("--baseline", type=FILE, metavar="FILE",
              help="Where 'mark as accepted' records findings (outside the corpus).")
@click.option("--state-dir", type=click.Path(file_okay=False), metavar="DIR",
              help="Where the desk's added sources and findings' statuses and notes are kept (default: a folder "
                   "per corpus in the user state folder; never the corpus).")
@click.option("--config", type=FILE, metavar="FILE", help="Settings file, as for check.")
@model_options
@debug_option
def serve(corpus: str, host: str, port: int, baseline: str | None, state_dir: str | None, config: str | None,
          model: ModelChoice) -> int:
    """A local web app and JSON API over a corpus (checker.web)."""
    from checker.web import ServeSettings, serve as serve_corpus

    _start(_reads(folders=[corpus], files=[config, baseline], config=config), model, {})  # the service loads
    settings = ServeSettings(corpus, baseline, config, model.cache_dir, not model.no_cache, device=model.device,
                             state_dir=state_dir, backend=model.backend)
    return serve_corpus(settings, host, port)


@cli.command()
@click.argument("code", required=False, metavar="[CODE]", shell_complete=complete_rules)
@debug_option
def rules(code: str | None) -> int:
    """List the rules, or show one rule's documentation (CODE: a code or name)."""
    from checker.rules.docs import describe_rules

    print(describe_rules(code), end="")
    return ExitCode.CLEAN


# -- what the commands share -----------------------------------------------------------------------

def _reads(folders: Sequence[str | None] = (), files: Sequence[str | None] = (), config: str | None = "") -> Reads:
    """The files and corpus folders a command reads, which none of its outputs may touch. `config`
    None: no --config given, so ./pyproject.toml is read for [tool.claimcheck]."""
    extra = ["pyproject.toml"] if config is None else []
    return Reads(files=tuple(f for f in files if f) + tuple(extra), folders=tuple(f for f in folders if f))


def check_outputs(reads: Reads, model: ModelChoice, outputs: dict[str, str | None]) -> None:
    """Refuses, before any work, every output that would touch what the command reads."""
    from checker.cache import default_cache_dir

    for flag, path in outputs.items():
        check_output_file(flag, path, reads)
    if not model.no_cache:
        default = "the cache folder (XDG_CACHE_HOME)"
        check_output_folder("--cache-dir" if model.cache_dir else default,
                            model.cache_dir or str(default_cache_dir()), reads)
    written = [os.path.realpath(p) for p in outputs.values() if p and p != "-"]
    if len(set(written)) < len(written):
        raise OutputError(" and ".join(f for f, p in outputs.items() if p) + " name the same file")


def _start(reads: Reads, model: ModelChoice, outputs: dict[str, str | None]):
    """Before any work: refuse bad outputs; the sentence model for the chosen device (loaded later,
    only if a sentence is not in the cache) and the cache the command's stages use (None: --no-cache)."""
    from checker.cache import Cache

    check_outputs(reads, model, outputs)
    return _embedder(model), (None if model.no_cache else Cache(model.cache_dir))


def _embedder(model: ModelChoice):
    """The sentence model on the chosen device, loaded only when a sentence is not in the cache.
    An explicit CUDA that is not there is refused now, before any work."""
    from checker.align.embed import DeviceEmbedder, resolve_device

    if model.device == "cuda":
        resolve_device("cuda")
    return DeviceEmbedder(model.device, model.backend, say=_progress(False))


def _settings(corpus: str, rules: RuleChoice):
    """The config file's settings with the command line's rule choices over them."""
    from checker.config import load_config

    return load_config(corpus, rules.config).with_rules(rules.select, rules.ignore)


def _read_selected(folder: str, rules: RuleChoice, quiet: bool):
    """The settings, the folder's documents they select, and the progress display that said so."""
    from checker.ingest import read_corpus

    config = _settings(folder, rules)
    say = _progress(quiet)
    say("reading " + folder)
    return config, config.select(read_corpus(folder)), say


def _baseline(gate: Gate):
    from checker.baseline import load_baseline

    return load_baseline(gate.baseline) if gate.baseline else None


def _write_report(report: Report, out: OutputChoice, gate: Gate, config, known) -> int:
    """Render a check or draft report, less the baseline's findings; the exit code for it."""
    from checker.baseline import without_baseline

    fail_on = gate.fail_on or config.fail_on or "error"
    if known is not None:
        report = without_baseline(report, known)
    write_output(_rendered(report, out, fail_on), out.output)
    return exit_code_for(report, fail_on)


def _rendered(report: Report, out: OutputChoice, fail_on: str) -> str:
    """The report in the chosen format, or its per-rule counts (--statistics)."""
    from checker.report import render
    from checker.report.statistics import render_statistics

    color = wants_color(out.color, out.output)
    if out.statistics:
        return render_statistics(report, out.fmt, color=color)
    return render(report, out.fmt, fail_on=fail_on, color=color)


def _progress(quiet: bool) -> Callable[[str], None]:
    """Stage messages on standard error, only for a person watching a terminal."""
    show = not quiet and sys.stderr.isatty()

    def say(message: str) -> None:
        if show:
            print(f"{PROG}: {message}…", file=sys.stderr, flush=True)

    return say


# -- running it ------------------------------------------------------------------------------------

class Terminated(BaseException):
    """SIGTERM, raised where the main thread is, so that `finally` blocks stop worker processes."""


def _on_sigterm(signum, frame) -> None:
    raise Terminated()


def usage_message(exc: click.ClickException) -> str:
    """click's message in one line, naming the option or argument it is about."""
    if isinstance(exc, click.BadParameter) and not isinstance(exc, click.MissingParameter) and exc.param:
        hint = "/".join(exc.param.opts) if isinstance(exc.param, click.Option) else exc.param.human_readable_name
        message = f"{hint}: {exc.message}"
    elif isinstance(exc, click.exceptions.NoArgsIsHelpError):
        message = f"no command given; `{PROG} --help` lists them"
    else:
        message = exc.format_message()
        if exc.ctx is not None:
            message += f" (`{exc.ctx.command_path} --help` lists the options)"
    return " ".join(message.split())


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command line; the exit code is returned, never raised (except by shell completion,
    which click ends itself)."""
    import signal
    import threading

    state = Invocation()
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _on_sigterm) if in_main_thread else None
    previous_int = None
    if in_main_thread and signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        from checker.interrupt import on_sigint, reset

        reset()
        previous_int = signal.signal(signal.SIGINT, on_sigint)
    try:
        code = cli.main(args=list(argv) if argv is not None else None, prog_name=PROG, standalone_mode=False,
                        obj=state)
        return int(code or 0)
    except click.exceptions.Abort:  # click's name for Ctrl-C (and end of input at a prompt)
        print(f"{PROG}: interrupted; nothing written", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except click.exceptions.NoArgsIsHelpError as exc:  # a bare `claimcheck`: the help, as click shows it
        exc.show()
        return exc.exit_code
    except click.ClickException as exc:
        print(str(UsageError(usage_message(exc))), file=sys.stderr)
        return ExitCode.USAGE
    except CheckerError as exc:
        if state.debug:
            raise
        print(str(exc), file=sys.stderr)
        return ExitCode.USAGE
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; nothing written", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except Terminated:
        print(f"{PROG}: terminated; nothing written", file=sys.stderr)
        return ExitCode.TERMINATED
    except Exception as exc:  # a bug of ours: one line, the traceback only with --debug
        if state.debug:
            raise
        from checker.ingest.reader import escaped_name

        print(f"{PROG}: internal error: {type(exc).__name__}: {escaped_name(str(exc))}; this is a bug in "
              f"{PROG}: run `{PROG} --debug {state.command or '...'} ...` for the traceback and report it; "
              "--no-cache or another --cache-dir may get round it", file=sys.stderr)
        return ExitCode.INTERNAL
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        if previous_int is not None:
            signal.signal(signal.SIGINT, previous_int)
