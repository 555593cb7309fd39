"""Never lose a file, never hang, never crash on a name: claimcheck as a hostile tester runs it.

Every test drives the command line in a subprocess, as a user or a CI step does. Where a test needs
the model, the same corpus is first checked in this process (the model is loaded once per session),
so that the subprocess finds everything in the cache the tests share and answers in a second or two.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from checker.cli import main
from checker.progress import SUMMARY
from tests.conftest import ROOT
from tests.schemas import validate
from tests.test_cache_heal import A, B, MANIFEST, _as_nobody, _corpus, _findings

ENV = {**os.environ, "HF_HUB_OFFLINE": "1"}


def _cli(*argv: str, prefix: list[str] | None = None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run((prefix or []) + [sys.executable, "-m", "checker", *argv], capture_output=True,
                          cwd=ROOT, env={**os.environ, "HF_HUB_OFFLINE": "1"}, timeout=600, **kwargs)


def _snapshot(*folders: Path) -> dict:
    """Bytes and modification times of every file (links as their targets' names), to compare."""
    out = {}
    for folder in folders:
        for p in sorted(folder.rglob("*")):
            if p.is_symlink():
                out[str(p)] = ("link", os.readlink(p))
            elif p.is_file():
                out[str(p)] = (p.read_bytes(), p.stat().st_mtime_ns)
    return out


@pytest.fixture()
def place(tmp_path):
    """A corpus, a draft beside it, a batch input, a file of the user's, a link to it, an out folder."""
    corpus = _corpus(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "draft.txt").write_text(A.replace("14 inspectors", "15 inspectors"), encoding="utf-8")
    (out / "in.jsonl").write_text(json.dumps({"id": 1, "documents": [{"name": "a", "text": A}]}) + "\n")
    (out / "notes.txt").write_text("my own notes, not a report\n", encoding="utf-8")
    os.symlink(out / "notes.txt", out / "link.txt")
    return corpus, out


REFUSED = [
    (["check", "{c}", "--output", "{c}/a.txt"], "inside the corpus folder"),
    (["check", "{c}", "--output", "{c}/MANIFEST.json"], "inside the corpus folder"),
    (["check", "{c}", "--format", "markdown", "--output", "{c}/report.md"], "inside the corpus folder"),
    (["check", "{c}", "--write-baseline", "{c}/baseline.json"], "inside the corpus folder"),
    (["check", "{c}", "--output", "{o}/link.txt"], "symbolic link"),
    (["check", "{c}", "--output", "{o}/notes.txt"], "not written by claimcheck"),
    (["check", "{c}", "--output", "{o}/missing/report.txt"], "missing does not exist"),
    (["check", "{c}", "--output", "{o}"], "is a folder"),
    (["check", "{c}", "--config", "{o}/notes.txt", "--output", "{o}/notes.txt"], "a file this run reads"),
    (["check", "{c}", "--cache-dir", "{c}"], "inside the corpus folder"),
    (["check", "{c}", "--cache-dir", "{c}/.cache"], "inside the corpus folder"),
    (["draft", "{o}/draft.txt", "--against", "{c}", "--output", "{o}/draft.txt"], "a file this run reads"),
    (["draft", "{o}/draft.txt", "--against", "{c}", "--output", "{c}/r.txt"], "inside the corpus folder"),
    (["batch", "/dev/null", "--output", "{c}/a.txt"], "not written by claimcheck"),
    (["batch", "{o}/in.jsonl", "--output", "{o}/in.jsonl"], "a file this run reads"),
    (["index", "{c}", "--output", "{c}"], "inside the corpus folder"),
]


@pytest.mark.parametrize("argv,words", REFUSED, ids=[" ".join(a) for a, _ in REFUSED])
def test_an_output_onto_an_input_is_refused_and_nothing_changes(place, argv, words):
    corpus, out = place
    before = _snapshot(corpus, out)
    run = _cli(*[a.format(c=corpus, o=out) for a in argv], text=True)
    assert run.returncode == 2 and run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("claimcheck: error") and words in lines[0], run.stderr
    assert _snapshot(corpus, out) == before
    assert os.path.islink(out / "link.txt")


def test_a_read_only_output_folder_is_named_in_one_line(place):
    prefix = _as_nobody()
    if prefix is None:
        pytest.skip("no user namespaces here: root writes into any folder")
    corpus, out = place
    locked = out / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        run = _cli("check", str(corpus), "--output", str(locked / "r.txt"), prefix=prefix, text=True)
    finally:
        locked.chmod(0o755)
    assert run.returncode == 2 and run.stderr.count("\n") == 1
    assert f"folder {locked} is not writable" in run.stderr and ".claimcheck-" not in run.stderr


def test_a_report_replaces_a_report_and_is_never_read_as_an_article(embedder, capsys, place):
    corpus, out = place
    assert main(["check", str(corpus), "--format", "json", "--fail-on", "never"]) == 0
    clean = _findings(json.loads(capsys.readouterr().out))
    for fmt, name in (("text", "r.txt"), ("markdown", "r.md"), ("html", "r.html"), ("github", "g.txt")):
        # the text report written twice: an output may replace a file claimcheck wrote
        for _ in range(2 if fmt == "text" else 1):
            run = _cli("check", str(corpus), "--format", fmt, "--output", str(out / name), "--fail-on", "never",
                       text=True)
            assert run.returncode == 0 and SUMMARY.match(run.stderr) and run.stderr.count("\n") == 1, run.stderr
    # a user who copies the reports into the corpus: the next run lists them, and reads none of them
    for name in ("r.txt", "r.md", "r.html", "g.txt"):
        shutil.copy(out / name, corpus / name)
    run = _cli("check", str(corpus), "--format", "json", "--fail-on", "never", text=True)
    report = validate(json.loads(run.stdout), "report")
    docs = {d["file"]: d for d in report["documents"]}
    for name in ("r.txt", "r.md", "r.html", "g.txt"):
        assert "written by claimcheck" in docs[name]["error"]
    assert _findings(report) == clean


# -- file names that are not UTF-8 ----------------------------------------------------------------

FORMATS = ("text", "json", "sarif", "github", "junit", "markdown", "html")


def test_a_file_name_that_is_not_utf8_is_read_and_shown_escaped(embedder, capsys, tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "wb") as fh:
        fh.write(A.encode("utf-8"))
    (folder / "b.txt").write_text(B, encoding="utf-8")
    assert main(["check", str(folder), "--format", "json", "--fail-on", "never"]) == 0  # fills the cache
    report = validate(json.loads(capsys.readouterr().out), "report")
    assert [d["file"] for d in report["documents"]] == ["b.txt", "caf\\xe9.txt"]
    assert any(e["doc"] == "caf\\xe9.txt" for f in report["findings"] for e in f["evidence"])
    for fmt in FORMATS:
        run = _cli("check", str(folder), "--format", fmt, "--fail-on", "never")
        assert run.returncode == 0 and b"Traceback" not in run.stderr and b"error" not in run.stderr, run.stderr
        text = run.stdout.decode("utf-8")  # valid UTF-8, whatever the name
        # SARIF names the file by its URI (here absolute: the corpus lies outside the repository),
        # its bytes percent-encoded
        assert ("/corpus/caf%E9.txt" if fmt == "sarif" else "caf\\xe9.txt") in text.replace("\\\\", "\\"), fmt
    draft = os.path.join(os.fsencode(tmp_path), b"d\xe9.txt")
    with open(draft, "wb") as fh:
        fh.write(A.replace("14 inspectors", "15 inspectors").encode("utf-8"))
    assert main(["draft", os.fsdecode(draft), "--against", str(folder), "--format", "json"]) in (0, 1)
    names = [d["file"] for d in validate(json.loads(capsys.readouterr().out), "report")["documents"]]
    assert names[-1].endswith("d\\xe9.txt")


# -- errors the user can act on -------------------------------------------------------------------

def test_debug_is_accepted_after_the_subcommand_too(tmp_path):
    for argv in (["--debug", "check", str(tmp_path / "missing")], ["check", str(tmp_path / "missing"), "--debug"]):
        run = _cli(*argv, text=True)
        assert run.returncode != 0 and "Traceback" in run.stderr and "unrecognized" not in run.stderr
    run = _cli("check", str(tmp_path / "missing"), text=True)
    assert run.returncode == 2 and run.stderr.count("\n") == 1 and "Traceback" not in run.stderr


def test_an_internal_error_says_what_to_do(capsys, tmp_path, monkeypatch):
    import checker.pipeline

    def broken(*_a, **_k):
        raise RuntimeError("something of ours broke")

    monkeypatch.setattr(checker.pipeline, "run", broken)
    corpus = _corpus(tmp_path)
    assert main(["check", str(corpus)]) == 3  # a crash, apart from bad usage or input (2)
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "something of ours broke" in err
    assert "claimcheck --debug check" in err and "--no-cache" in err


# -- batch ------------------------------------------------------------------------------------------

def test_batch_error_records_carry_the_line_and_their_own_id(tmp_path):
    lines = ["{not json", json.dumps({"id": 7, "documents": []}), json.dumps({"id": "x"}), json.dumps([1, 2]),
             json.dumps({"documents": "nope"}), json.dumps({"id": 2, "documents": [{"name": "a"}]})]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = _cli("batch", str(src), "--output", str(tmp_path / "out.jsonl"), text=True)
    assert run.returncode == 0, run.stderr
    rows = [validate(json.loads(x), "batch-line") for x in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [(r["id"], r["line"]) for r in rows] == [(None, 1), (7, 2), ("x", 3), (None, 4), (None, 5), (2, 6)]
    assert all(r["error"] and r["findings"] == [] for r in rows)
    assert "empty" in rows[1]["error"]


def test_batch_notes_a_document_checked_in_part(embedder, capsys, tmp_path):
    long = A * (210_000 // len(A) + 1)  # one article repeated: read in part, each line processed once
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "big", "documents": [{"name": "long.txt", "text": long},
                                                          {"name": "b.txt", "text": B}]}) + "\n", encoding="utf-8")
    assert main(["batch", str(src), "--output", str(tmp_path / "out.jsonl")]) == 0
    row = validate(json.loads((tmp_path / "out.jsonl").read_text()), "batch-line")
    docs = {d["file"]: d for d in row["documents"]}
    assert "only the first 200,000" in docs["long.txt"]["note"] and "note" not in docs["b.txt"]


# -- signals -----------------------------------------------------------------------------------------

def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(x) for x in fh.read().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")  # a zombie has ended
    except OSError:
        return False


def _large_corpus(folder: Path) -> Path:
    """Enough text (over 100,000 characters) that an extraction process is started at once, and enough
    sentences (2,560) that the run is still embedding a second after it started, even on an idle machine."""
    folder.mkdir()
    for i in range(64):
        body = "\n\n".join(f"Officials in district {i} said {i * 7 + k} families were moved on day {k} of the "
                           f"flooding, and {k + 3} bridges stayed closed." for k in range(40))
        (folder / f"{i:03}.txt").write_text(body + "\n", encoding="utf-8")
    return folder


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc to see the process tree")
@pytest.mark.parametrize("sig,code", [(signal.SIGTERM, 143), (signal.SIGINT, 130),
                                      (signal.SIGKILL, -9)])
def test_a_signal_stops_the_whole_run_and_closes_the_callers_pipe(tmp_path, sig, code):
    corpus = _large_corpus(tmp_path / "corpus")
    cache = tmp_path / "cache"
    # a run started in the background of a shell inherits Ctrl-C ignored, and rightly keeps ignoring
    # it (as under nohup): the run under test gets the default a terminal would give it
    run = subprocess.Popen([sys.executable, "-m", "checker", "check", str(corpus), "--cache-dir", str(cache)],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=ENV,
                           preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 120
        while not _children(run.pid):
            assert run.poll() is None, run.communicate()
            assert time.monotonic() < deadline, "no worker process started"
            time.sleep(0.1)
        time.sleep(1.0)  # at work, with results on their way through the pipe
        workers = _children(run.pid)
        os.kill(run.pid, sig)
        out, err = run.communicate(timeout=30)  # returns only once every holder of the pipes is gone
    finally:
        if run.poll() is None:
            run.kill()
    assert out == b""  # no partial report (a report here would mean the run ended before the signal)
    assert run.returncode == code, err
    time.sleep(5) if any(_alive(w) for w in workers) else None
    assert not any(_alive(w) for w in workers), "a worker outlived the run"
    if sig != signal.SIGKILL:
        assert err.decode().strip().splitlines()[-1].startswith("claimcheck: ")
    from checker.cache import Cache

    assert Cache(cache).note == ""  # the next run can use the cache as it was left


# -- long sentences --------------------------------------------------------------------------------

def test_a_sentence_longer_than_the_models_window_prints_no_library_warning(embedder, capfd):
    long = " ".join(f"Route {i} carried {i * 37} vehicles on {i % 28 + 1} March;" for i in range(120))
    vectors = embedder.encode([long, "A short sentence."])
    assert vectors.shape == (2, 384)
    err = capfd.readouterr().err
    assert "Token indices" not in err and "longer than" not in err, err


@pytest.mark.slow  # a cold run in a subprocess: the model and spaCy loaded, some 25 s
def test_a_long_sentence_prints_nothing_from_the_command_line(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    line = " ".join(f"Route {i} carried {i * 37} vehicles on {i % 28 + 1} March," for i in range(150))
    (folder / "a.txt").write_text(line + "\n", encoding="utf-8")
    (folder / "b.txt").write_text(B, encoding="utf-8")
    run = _cli("check", str(folder), "--no-cache", "--fail-on", "never", text=True)
    assert run.returncode == 0 and SUMMARY.match(run.stderr) and run.stderr.count("\n") == 1, run.stderr


def test_every_format_is_recognised_as_claimcheck_output_and_articles_are_not():
    from checker.baseline import baseline_text
    from checker.models import Document, Evidence, Finding, Report, Severity
    from checker.report import FORMATS, render
    from checker.ingest.own import written_by_claimcheck

    docs = (Document("a.txt", A), Document("b.txt", B))
    evidence = tuple(Evidence(d.name, 0, 60, 1, d.text[:60], v, 5, 10) for d, v in zip(docs, ("14", "12")))
    finding = Finding("CC-NUM-001", "number-mismatch", Severity.WARNING, 0.9, "Two values for inspector: 14 and 12",
                      "14 against 12", evidence, id="abc")
    report = Report(documents=docs, facts=(), findings=(finding,))
    for fmt in FORMATS:
        assert written_by_claimcheck(render(report, fmt, fail_on="warning")), fmt
    assert written_by_claimcheck(baseline_text(report))
    batch = json.dumps({"id": 1, "documents": [], "findings": []}) + "\n" + json.dumps(
        {"id": None, "line": 2, "error": "x", "findings": []}) + "\n"
    assert written_by_claimcheck(batch)
    from tests.conftest import SEEDS

    for article in [A, B, "", "## Notes\n\nA list of things.\n", '{"id": 1}\n', *(
            p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt"))]:
        assert not written_by_claimcheck(article)


def test_a_page_of_repeated_sentences_embeds_and_parses_each_once(embedder, monkeypatch):
    import checker.pipeline as pipeline
    from checker.ingest import documents_from_records

    lines = [f"The committee met on Tuesday{tail}." for tail in ("", ", officials said", " (updated)")]
    page = "\n\n".join(lines[i % 3] for i in range(900)) + "\n"  # 900 sentences, 3 distinct
    started = []
    monkeypatch.setattr(pipeline, "process_pool", lambda workers: started.append(workers))
    before = embedder.encoded
    prepared = pipeline.prepare(documents_from_records([{"name": "page", "text": page}]), embedder, cache=None)
    assert len(prepared.flat_sentences()) == 900
    assert embedder.encoded - before == 3  # each distinct sentence through the model once
    assert started == []  # three sentences to parse: no extraction process for them


def test_a_ctrl_c_swallowed_by_a_library_still_stops_the_next_stage():
    # a KeyboardInterrupt raised inside an at-fork hook or a finaliser is printed and dropped by
    # Python; the flag the handler sets stops the run at the next unit of work all the same
    from checker.interrupt import on_sigint, raise_if_interrupted, reset

    reset()
    raise_if_interrupted()  # nothing pending: no exception
    try:
        on_sigint(signal.SIGINT, None)
    except KeyboardInterrupt:
        pass  # swallowed, as logging's after-fork hook does
    with pytest.raises(KeyboardInterrupt):
        raise_if_interrupted()
    reset()
    raise_if_interrupted()
