"""Bad input, as a user meets it on the command line: a report (exit 0 or 1) or one line naming the
file and what is wrong (exit 2), never a traceback; the corpus is never written to."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from checker.cli import main
from tests.conftest import ROOT, SEEDS
from tests.schemas import validate

ARTICLE = ("Secretary of State Antony Blinken arrived in Beijing on Sunday for two days of talks.\n\n"
           "He met Foreign Minister Qin Gang on Sunday and President Xi Jinping on Monday.\n")


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _json(capsys, folder: Path) -> tuple[int, dict, str]:
    code, out, err = _run(capsys, "check", str(folder), "--format", "json")
    return code, (validate(json.loads(out), "report") if out else {}), err


def _one_line_error(code: int, out: str, err: str, *words: str) -> None:
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err
    for w in words:
        assert w in lines[0]


def _corpus(tmp_path: Path, files: dict[str, bytes | str]) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
    return folder


def test_missing_folder(capsys, tmp_path):
    _one_line_error(*_run(capsys, "check", str(tmp_path / "nope")), "nope", "no such folder")


def test_empty_folder(capsys, tmp_path):
    (tmp_path / "empty").mkdir()
    _one_line_error(*_run(capsys, "check", str(tmp_path / "empty")), "no .txt or .md articles")


@pytest.mark.parametrize("content,note", [("", "empty"), ("  \n\t\n   \n", "empty")])
def test_empty_and_whitespace_files_are_noted_and_the_rest_checked(embedder, capsys, tmp_path, content, note):
    folder = _corpus(tmp_path, {"a.txt": ARTICLE, "blank.txt": content})
    code, report, _ = _json(capsys, folder)
    assert code in (0, 1)
    docs = {d["file"]: d for d in report["documents"]}
    assert note in docs["blank.txt"].get("note", "") and "error" not in docs["a.txt"]


def _png() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def _zip(tmp_path: Path) -> bytes:
    path = tmp_path / "x.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("inner.txt", "hello " * 100)
    return path.read_bytes()


def test_binary_files_are_reported_not_read(embedder, capsys, tmp_path):
    folder = _corpus(tmp_path, {"a.txt": ARTICLE, "image.txt": _png(), "archive.md": _zip(tmp_path)})
    code, report, _ = _json(capsys, folder)
    assert code in (0, 1)
    docs = {d["file"]: d for d in report["documents"]}
    assert "binary" in docs["image.txt"]["error"] and "binary" in docs["archive.md"]["error"]
    assert "error" not in docs["a.txt"]


def test_windows_1252_is_read_with_a_note_and_exact_offsets(embedder, capsys, tmp_path):
    text = "Le ministre a parlé à Pékin lundi. Blinken arrived in Beijing on Sunday — “two days” of talks.\n"
    folder = _corpus(tmp_path, {"a.txt": ARTICLE, "latin.txt": text.encode("cp1252")})
    code, report, _ = _json(capsys, folder)
    docs = {d["file"]: d for d in report["documents"]}
    assert "Windows-1252" in docs["latin.txt"]["note"]


def _assert_slices(report: dict, folder: Path) -> None:
    for f in report["findings"]:
        for e in f["evidence"]:
            with open(folder / e["doc"], encoding=report_encoding(folder / e["doc"]), newline="") as fh:
                assert fh.read()[e["start"]:e["end"]] == e["text"]


def report_encoding(path: Path) -> str:
    try:
        path.read_bytes().decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_line_ends_and_bom_keep_offsets_exact(embedder, capsys, tmp_path, newline, bom):
    a = "Blinken spoke by phone with Qin Gang on Tuesday night.\n\nThe talks lasted two days.\n"
    b = "Qin Gang said in a phone call with Blinken on Wednesday that ties were tense.\n"
    folder = _corpus(tmp_path, {"a.txt": bom + a.replace("\n", newline).encode("utf-8"),
                                "b.txt": bom + b.replace("\n", newline).encode("utf-8")})
    code, report, _ = _json(capsys, folder)
    assert code in (0, 1) and report["findings"], "the weekday conflict must be found"
    _assert_slices(report, folder)
    lines = {e["line"] for f in report["findings"] for e in f["evidence"]}
    assert lines == {1}


def test_very_long_line_without_a_sentence_end(embedder, capsys, tmp_path):
    long_line = " ".join(["the committee met again and talked about the budget"] * 2000)
    folder = _corpus(tmp_path, {"a.txt": ARTICLE, "long.txt": long_line})
    code, report, _ = _json(capsys, folder)
    assert code in (0, 1)
    for f in report["findings"]:
        assert all(e["end"] - e["start"] <= 600 for e in f["evidence"])


def test_huge_article_is_checked_in_part_with_a_note(embedder, capsys, tmp_path):
    paragraph = ("Officials said 40 people attended the meeting in Vienna on Tuesday, and the talks "
                 "lasted three hours. ") * 10 + "\n\n"
    big = paragraph * (50 * 1024 * 1024 // len(paragraph) + 1)
    folder = _corpus(tmp_path, {"a.txt": ARTICLE, "big.txt": big})
    code, report, _ = _json(capsys, folder)
    assert code in (0, 1)
    docs = {d["file"]: d for d in report["documents"]}
    assert "only the first" in docs["big.txt"]["note"]


@pytest.mark.parametrize("manifest,words", [
    ("{not json", ("MANIFEST.json", "not valid JSON")),
    ('{"documents": [{"file": "missing.txt", "published": "2023-06-18"}]}', ("missing.txt",)),
    ('{"documents": [{"file": "a.txt", "published": "18 June"}]}', ("a.txt", "bad date")),
    ('{"documents": [{"file": "../outside.txt", "published": "2023-06-18"}]}', ("outside", "outside the corpus")),
])
def test_bad_manifests_are_refused(capsys, tmp_path, manifest, words):
    folder = _corpus(tmp_path, {"a.txt": ARTICLE, "MANIFEST.json": manifest})
    (tmp_path / "outside.txt").write_text(ARTICLE, encoding="utf-8")
    _one_line_error(*_run(capsys, "check", str(folder)), *words)


def test_symlink_loop_is_reported_and_the_rest_checked(embedder, capsys, tmp_path):
    folder = _corpus(tmp_path, {"a.txt": ARTICLE})
    os.symlink("loop.txt", folder / "loop.txt")
    os.symlink(".", folder / "sub")
    code, report, _ = _json(capsys, folder)
    assert code in (0, 1)
    docs = {d["file"]: d for d in report["documents"]}
    assert "cannot read" in docs["loop.txt"]["error"] and "error" not in docs["a.txt"]


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(embedder, capsys, tmp_path):
    folder = _corpus(tmp_path, {"a.txt": ARTICLE, "secret.txt": ARTICLE + "x"})
    (folder / "secret.txt").chmod(0)
    code, report, _ = _json(capsys, folder)
    assert "cannot read" in {d["file"]: d for d in report["documents"]}["secret.txt"]["error"]


def test_duplicate_documents_are_checked_once(embedder, capsys, tmp_path):
    folder = _corpus(tmp_path, {"a.txt": ARTICLE, "copy.txt": ARTICLE})
    code, report, _ = _json(capsys, folder)
    docs = {d["file"]: d for d in report["documents"]}
    assert "duplicate of a.txt" in docs["copy.txt"]["error"]
    assert not any(e["doc"] == "copy.txt" for f in report["findings"] for e in f["evidence"])


def test_no_dates_and_a_single_document(embedder, capsys, tmp_path):
    folder = _corpus(tmp_path, {"a.txt": "The committee talked about the budget and the new roads.\n"})
    code, report, _ = _json(capsys, folder)
    assert code == 0 and report["findings"] == []
    assert report["documents"][0]["published"] is None and "unresolved" in report["documents"][0]


def _snapshot(folder: Path) -> dict:
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


def test_commands_never_write_into_the_corpus(embedder, capsys, tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(SEEDS, folder)
    before = _snapshot(folder)
    out = tmp_path / "out"
    out.mkdir()
    for argv in (["check", str(folder), "--format", "json", "--output", str(out / "r.json")],
                 ["check", str(folder), "--write-baseline", str(out / "b.json"), "--format", "sarif"]):
        assert main(argv) in (0, 1)
        capsys.readouterr()
    batch = out / "in.jsonl"
    batch.write_text(json.dumps({"id": 1, "documents": [{"name": "a.txt", "text": ARTICLE}]}) + "\n")
    assert main(["batch", str(batch), "--output", str(out / "o.jsonl")]) == 0
    assert _snapshot(folder) == before
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in SEEDS.iterdir())


def test_a_failed_render_leaves_no_half_file(tmp_path, monkeypatch):
    from checker import cli

    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")

    def explode(*_a, **_k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(os, "replace", explode)
    with pytest.raises(RuntimeError):
        cli.write_output("new report", str(target))
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_batch_bad_lines_give_error_records(embedder, capsys, tmp_path):
    lines = ["{not json", json.dumps({"id": "x"}), json.dumps({"id": "ok", "documents": [{"name": "a.txt", "text": ARTICLE}]})]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["batch", str(src), "--output", str(tmp_path / "out.jsonl")]) == 0
    results = [validate(json.loads(x), "batch-line") for x in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [("error" in r) for r in results] == [True, True, False]


def test_no_traceback_without_debug_and_one_with_it(tmp_path):
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    cmd = [sys.executable, "-m", "checker", "check", str(tmp_path / "missing")]
    plain = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env)
    assert plain.returncode == 2 and "Traceback" not in plain.stderr and len(plain.stderr.strip().splitlines()) == 1
    debug = subprocess.run([sys.executable, "-m", "checker", "--debug", "check", str(tmp_path / "missing")],
                           capture_output=True, text=True, cwd=ROOT, env=env)
    assert debug.returncode != 0 and "Traceback" in debug.stderr
