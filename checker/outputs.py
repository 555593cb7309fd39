"""Where a run may write: never onto what it reads, never into a corpus, never through a link.

Every output (a report, a baseline, batch results, the cache folder) is checked before the run
starts, so a refused output costs nothing and a run is never wasted on a path it cannot write.
"""
from __future__ import annotations

import os
import stat
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from checker.errors import OutputError
from checker.ingest.reader import escaped_name as _display


@dataclass(frozen=True)
class Reads:
    """What a run reads: files (an article, the manifest, a draft, a baseline, a config) and corpus
    folders, whose every file it may read."""

    files: tuple[str, ...] = ()
    folders: tuple[str, ...] = field(default_factory=tuple)


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _read_files(reads: Reads) -> set[str]:
    from checker.ingest.reader import list_articles

    real = {os.path.realpath(f) for f in reads.files if f and f != "-"}
    for folder in reads.folders:
        if os.path.isdir(folder):
            real.update(os.path.realpath(p) for p in list_articles(Path(folder)))
    return real


def check_output_file(flag: str, path: str | None, reads: Reads) -> None:
    """Refuses (OutputError, exit 2) a file output that would touch an input, lie in a corpus, replace
    a symbolic link or a file claimcheck did not write, or go to a folder that cannot take it."""
    if not path or path == "-" or is_stream(path):
        return
    shown = _display(path)
    if os.path.islink(path):
        raise OutputError(f"{flag} {shown}: is a symbolic link (to {_display(os.readlink(path))}); "
                          "name the file itself to write there")
    real = _not_an_input(flag, path, reads, "write it outside the corpus")
    if os.path.isdir(real):
        raise OutputError(f"{flag} {shown}: is a folder; give a file name")
    _check_folder(flag, os.path.dirname(real))
    if os.path.isfile(real) and os.path.getsize(real) > 0 and not _ours(real):
        raise OutputError(f"{flag} {shown}: exists and was not written by claimcheck; remove it or "
                          "choose another name")


def check_output_folder(flag: str, path: str | None, reads: Reads) -> None:
    """Refuses a folder output (--cache-dir, index --output) inside or equal to a corpus folder."""
    if path:
        _not_an_input(flag, path, reads, "keep the cache outside the corpus")


def _not_an_input(flag: str, path: str, reads: Reads, advice: str) -> str:
    """The real path of an output, refused if it lies in a corpus folder or is a file the run reads."""
    real = os.path.realpath(path)
    for folder in reads.folders:
        if _inside(real, os.path.realpath(folder)):
            raise OutputError(f"{flag} {_display(path)}: lies inside the corpus folder {_display(folder)}; {advice}")
    if real in _read_files(reads):
        raise OutputError(f"{flag} {_display(path)}: is a file this run reads; choose another name")
    return real


def _check_folder(flag: str, folder: str) -> None:
    if not os.path.isdir(folder):
        raise OutputError(f"{flag}: folder {_display(folder)} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{flag}: folder {_display(folder)} is not writable")


def _ours(path: str) -> bool:
    from checker.ingest.own import written_by_claimcheck

    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return written_by_claimcheck(fh.read())
    except OSError:
        return False


def is_stream(path: str) -> bool:
    """An output that is written to, never replaced: a character device (/dev/null, a terminal), a
    FIFO or a socket, through a link or not (/dev/stdout is a link to the process's own descriptor)."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or _own_descriptor(path)


def _own_descriptor(path: str) -> bool:
    """/dev/stdout, /dev/stderr, /dev/fd/N: the process's own open file, whatever it is."""
    return path in ("/dev/stdout", "/dev/stderr") or path.startswith(("/dev/fd/", "/proc/self/fd/"))


def write_output(text: str, path: str | None) -> None:
    """Standard output; a stream (a device, a FIFO) written to as it is; or a file written atomically
    (a temp file in its folder, then a rename), so an interrupted run leaves no half report."""
    if not path or path == "-":
        sys.stdout.write(text)
        return
    if is_stream(path):
        _write_stream(text, path)
        return
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".claimcheck-", dir=folder)
    except OSError as exc:
        raise OutputError(f"cannot write {_display(path)}: folder {_display(folder)}: "
                          f"{exc.strerror or exc}") from None
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # a report is an ordinary file, not a private temp file
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _write_stream(text: str, path: str) -> None:
    """Writes to an existing device or FIFO: opened without creating or truncating anything, so
    /dev/null stays /dev/null even for root."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise OutputError(f"cannot write {_display(path)}: {exc.strerror or exc}") from None
    with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as fh:
        fh.write(text)


COLOR_CHOICES = ("auto", "always", "never")


def wants_color(choice: str, output: str | None, stream=None, environ=None) -> bool:
    """Whether the text output is coloured: `always` and `never` say so; `auto` colours a terminal
    on standard output unless NO_COLOR is set to anything but "" (no-color.org). A file named
    with --output is never coloured by `auto`. An explicit `always` wins over NO_COLOR, as the
    convention allows a command-line flag to."""
    if choice != "auto":
        return choice == "always"
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR", ""):
        return False
    if output and output != "-":
        return False
    stream = sys.stdout if stream is None else stream
    return bool(getattr(stream, "isatty", lambda: False)())
