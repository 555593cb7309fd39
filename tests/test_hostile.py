"""Hostile input, round two (issue 26): special files, big pages, stray bytes, batch records, a
foreign or doctored cache, and a server that stops cleanly. Each test is one failure a hostile
pass found, run the way a user meets it."""
from __future__ import annotations

import codecs
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path

import pytest

from checker import records
from checker.batch import parse_line, unique_names
from checker.cache import Cache
from checker.cli import main
from checker.errors import InputError, OutputError
from checker.ingest import read_corpus
from checker.ingest.html import MAX_HTML_CHARS, bounded, read_page, without_scripts
from checker.ingest.reader import read_text_document
from checker.outputs import is_stream, write_output
from tests.conftest import ROOT

from tests.test_cache_heal import A, B  # two reports of one story that disagree on a day and a count


def _env() -> dict:
    return {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}


def _corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(A, encoding="utf-8")
    (folder / "b.txt").write_text(B, encoding="utf-8")
    return folder


# -- special files -------------------------------------------------------------------------------

def test_a_fifo_and_a_link_to_dev_zero_are_skipped_with_a_note_not_read(tmp_path):
    corpus = _corpus(tmp_path)
    os.mkfifo(corpus / "pipe.txt")
    (corpus / "zero.txt").symlink_to("/dev/zero")
    # in a child with a deadline: the failure this guards against is a hang or gigabytes read
    code = ("import json, sys; from checker.ingest import read_corpus; "
            "print(json.dumps({d.name: d.error for d in read_corpus(sys.argv[1])}))")
    run = subprocess.run([sys.executable, "-c", code, str(corpus)], capture_output=True, text=True, cwd=ROOT,
                         env=_env(), timeout=60)
    assert run.returncode == 0, run.stderr
    errors = json.loads(run.stdout)
    assert errors["a.txt"] == "" and errors["b.txt"] == ""
    assert "FIFO, not a regular file" in errors["pipe.txt"]
    assert "device, not a regular file" in errors["zero.txt"]


def test_dev_null_as_output_is_written_to_not_replaced(embedder, tmp_path, capsys):
    corpus = _corpus(tmp_path)
    before = os.stat("/dev/null")
    assert is_stream("/dev/null") and is_stream("/dev/stdout")
    code = main(["check", str(corpus), "--output", "/dev/null", "--fail-on", "never", "--cache-dir",
                 str(tmp_path / "cache")])
    assert code == 0, capsys.readouterr().err
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


def test_a_fifo_as_output_gets_the_report_as_a_stream(tmp_path):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    got = {}
    reader = threading.Thread(target=lambda: got.setdefault("text", fifo.read_text(encoding="utf-8")))
    reader.start()
    write_output("a report\n", str(fifo))
    reader.join(10)
    assert got["text"] == "a report\n" and stat.S_ISFIFO(os.stat(fifo).st_mode)


def _private_dev() -> str | None:
    """Why a root test of /dev/null cannot run here, or None when it can (root, and a mount
    namespace in which a private /dev can be mounted)."""
    if os.geteuid() != 0:
        return "not root: /dev/null cannot be replaced by this user anyway"
    unshare = shutil.which("unshare")
    if unshare is None:
        return "no unshare"
    probe = subprocess.run([unshare, "-m", "sh", "-c", "mount -t tmpfs none /dev && mknod /dev/null c 1 3"],
                           capture_output=True)
    return None if probe.returncode == 0 else "cannot mount a private /dev here"


@pytest.mark.skipif(_private_dev() is not None, reason=str(_private_dev()))
def test_root_writing_to_dev_null_keeps_it_a_device(tmp_path):
    """As root, in a mount namespace of its own with a private /dev (the real one is never at
    stake): `--output /dev/null` leaves /dev/null a character device."""
    corpus = _corpus(tmp_path)
    script = (f"mount -t tmpfs none /dev && mknod -m 666 /dev/null c 1 3 && mknod -m 666 /dev/zero c 1 5 && "
              "mknod -m 666 /dev/random c 1 8 && mknod -m 666 /dev/urandom c 1 9 && mkdir /dev/shm && "
              "mount -t tmpfs none /dev/shm && ln -s /proc/self/fd /dev/fd && "
              f"{sys.executable} -m checker check {corpus} --output /dev/null --fail-on never "
              f"--cache-dir {tmp_path / 'cache'}; rc=$?; test -c /dev/null && echo still-a-device; exit $rc")
    run = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, cwd=ROOT,
                         env=_env(), timeout=600)
    assert run.returncode == 0, run.stderr
    assert "still-a-device" in run.stdout


def test_a_cache_file_linked_into_the_corpus_creates_nothing_there(tmp_path, capsys):
    corpus = _corpus(tmp_path)
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / "cache.sqlite3").symlink_to(corpus / "planted.sqlite3")
    before = sorted(p.name for p in corpus.iterdir())
    cache = Cache(folder)
    assert cache.writable and not (folder / "cache.sqlite3").is_symlink()
    assert sorted(p.name for p in corpus.iterdir()) == before
    assert "symbolic link" in capsys.readouterr().err


# -- big pages -----------------------------------------------------------------------------------

def test_scripts_are_cut_and_a_big_page_capped_with_a_note():
    script = "<script>" + "var x = 1;" * 1000 + "</script>"
    assert without_scripts(f"<p>one {script} two<!-- gone --> three</p><style>p{{}}</style>") == \
        "<p>one  two three</p>"
    assert without_scripts("<p>kept</p><script>never closed") == "<p>kept</p>"
    page = "<html><body>" + "<p>The mayor said the harbour bridge reopened on Monday.</p>" * 100_000
    kept, note = bounded(page)
    assert len(kept) == MAX_HTML_CHARS and "large page" in note and f"{MAX_HTML_CHARS:,}" in note
    assert bounded("<html><body><p>small</p></body></html>") == ("<html><body><p>small</p></body></html>", "")


def test_a_page_over_its_time_budget_is_skipped_with_a_note():
    page = "<html><body>" + "<div><p>The mayor said the bridge reopened on Monday evening.</p></div>" * 20_000
    found = read_page(page, seconds=0.01)
    assert found.text == "" and "not parsed within" in found.note
    # the worker killed for it is started again for the next page
    assert "mayor" in read_page("<html><body><article><p>The mayor said the bridge reopened on Monday "
                                "evening after three days.</p></article></body></html>").text


# -- encodings -----------------------------------------------------------------------------------

def test_a_stray_byte_in_utf8_is_replaced_where_it_is(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("Café owner Zoë Brennan said 40 people came.\n".encode() + b"Then \x92 more.\n")
    doc = read_text_document(path)
    assert doc.text.startswith("Café owner Zoë Brennan") and "Then \ufffd more." in doc.text
    assert "1 byte(s) not UTF-8 replaced" in doc.note


def test_a_windows_1252_file_is_still_read_as_one(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("The caf\u00e9 owner said \u201cforty\u201d people came to the na\u00efve show.\n"
                     .encode("cp1252") * 5)
    doc = read_text_document(path)
    assert "caf\u00e9" in doc.text and "\u201cforty\u201d" in doc.text and "not UTF-8" in doc.note


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_with_a_bom_are_read(tmp_path, encoding):
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE,
           "utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE}[encoding]
    path = tmp_path / "a.txt"
    path.write_bytes(bom + A.encode(encoding))
    doc = read_text_document(path)
    assert doc.error == "" and doc.text == A


def test_nul_and_control_bytes_past_the_first_4_kb_never_reach_a_report(embedder, tmp_path, capsys):
    corpus = _corpus(tmp_path)
    (corpus / "c.txt").write_bytes(A.encode() * 30 + b"The mayor said\x00 14\x07 inspectors\x1b[2J came.\n")
    doc = read_text_document(corpus / "c.txt")
    assert "\x00" not in doc.text and "\x1b" not in doc.text and "\x07" not in doc.text
    assert len(doc.text) == len(A) * 30 + len("The mayor said\x00 14\x07 inspectors\x1b[2J came.\n")
    for fmt in ("text", "markdown", "html"):
        out = tmp_path / f"report.{fmt}"
        assert main(["check", str(corpus), "--format", fmt, "--output", str(out), "--fail-on", "never",
                     "--cache-dir", str(tmp_path / "cache")]) == 0
        written = out.read_text(encoding="utf-8")
        assert not any(c in written for c in "\x00\x07\x1b"), fmt


def test_an_empty_page_is_not_a_duplicate_of_an_empty_file(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(A, encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "page.html").write_text("<html><body><nav>Home</nav></body></html>", encoding="utf-8")
    docs = {d.name: d for d in read_corpus(folder)}
    assert "duplicate" not in docs["page.html"].error and "duplicate" not in docs["empty.txt"].error


# -- batch ---------------------------------------------------------------------------------------

def test_batch_lines_are_decoded_one_by_one():
    with pytest.raises(InputError, match="not UTF-8"):
        parse_line(b'{"id": "x\xff", "documents": []}')
    assert parse_line(b'\xef\xbb\xbf{"id": 1}'.decode("utf-8")) == {"id": 1}
    for bad in ('{"id": NaN}', '{"id": Infinity}', '{"id": -Infinity}', '{"id": 1e400}'):
        with pytest.raises(InputError):
            parse_line(bad)
    assert parse_line('{"text": "a \\ud800 b", "\\udfff": 1}') == {"text": "a \ufffd b", "\ufffd": 1}
    assert parse_line('{"text": "\\ud83d\\ude00"}') == {"text": "\U0001f600"}  # a pair is one character


def test_batch_duplicate_names_are_made_unique_and_said():
    docs, notes = unique_names([{"name": "a.txt", "text": "x"}, {"name": "a.txt", "text": "y"},
                                {"name": "a.txt (2)", "text": "z"}, {"text": "w"}])
    assert [d["name"] for d in docs] == ["a.txt", "a.txt (3)", "a.txt (2)", "doc3"]
    assert len(notes) == 1 and "a.txt (3)" in notes[0]


def test_batch_of_hostile_lines_gives_a_record_each(embedder, tmp_path, capsys):
    good = {"id": "ok", "documents": [{"name": "a.txt", "text": A}, {"name": "a.txt", "text": B}]}
    lines = [codecs.BOM_UTF8 + json.dumps(good).encode(),
             b'{"id": "bad", "documents": [{"name": "x", "text": "caf\xe9"}]}',
             b'{"id": NaN, "documents": [{"name": "x", "text": "y"}]}',
             json.dumps({"id": "sur", "documents": [{"name": "s.txt", "text": "\ud800" + A}]}).encode()]
    src = tmp_path / "in.jsonl"
    src.write_bytes(b"\n".join(lines) + b"\n")
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(src), "--output", str(out), "--cache-dir", str(tmp_path / "cache")]) == 0
    results = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]  # every line JSON
    assert len(results) == 4
    first, bad, nan, sur = results
    assert "error" not in first and first["id"] == "ok" and first["findings"]  # the conflicts kept
    assert {d["file"] for d in first["documents"]} == {"a.txt", "a.txt (2)"} and first["notes"]
    assert "not UTF-8" in bad["error"] and bad["id"] is None
    assert "NaN" in nan["error"]
    assert "error" not in sur, sur


def test_a_claim_argument_with_bytes_that_are_not_utf8(tmp_path):
    corpus = _corpus(tmp_path)
    run = subprocess.run([sys.executable.encode(), b"-m", b"checker", b"claim", b"Brevik said 14 inspectors \xff came",
                          b"--against", os.fsencode(corpus), b"--cache-dir", os.fsencode(tmp_path / "cache")],
                         capture_output=True, cwd=ROOT, env=_env(), timeout=600)
    assert run.returncode in (0, 1), run.stderr.decode(errors="replace")
    assert b"Traceback" not in run.stderr


# -- the cache -----------------------------------------------------------------------------------

def test_a_foreign_sqlite_file_is_refused_and_never_written(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    db = sqlite3.connect(folder / "cache.sqlite3")
    db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    db.execute("INSERT INTO notes VALUES (1, 'someone else''s data')")
    db.commit()
    db.close()
    before = (folder / "cache.sqlite3").read_bytes()
    with pytest.raises(OutputError, match="did not write"):
        Cache(folder)
    assert (folder / "cache.sqlite3").read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["cache.sqlite3"]


def test_a_foreign_sqlite_cache_is_one_line_and_exit_2(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    db = sqlite3.connect(folder / "cache.sqlite3")
    db.execute("CREATE TABLE meta (name TEXT, size INTEGER)")
    db.commit()
    db.close()
    run = subprocess.run([sys.executable, "-m", "checker", "check", str(_corpus(tmp_path)), "--cache-dir", str(folder)],
                         capture_output=True, text=True, cwd=ROOT, env=_env(), timeout=600)
    assert run.returncode == 2 and len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr


def test_a_doctored_entry_with_a_nested_wrong_type_is_a_miss(embedder, tmp_path, capsys):
    corpus = _corpus(tmp_path)
    cache_dir = tmp_path / "cache"
    argv = ["check", str(corpus), "--format", "json", "--cache-dir", str(cache_dir), "--fail-on", "never"]
    assert main(argv) == 0
    clean = json.loads(capsys.readouterr().out)["findings"]
    db = sqlite3.connect(cache_dir / "cache.sqlite3")
    doctored = 0
    for table in ("documents", "stories"):
        for key, payload in db.execute(f"SELECT key, payload FROM {table}").fetchall():
            # a string where a record nested in a tuple field should be: the CRC made to match
            text = payload.decode("ascii")
            bad = text.replace('{"__tuple__":[{"__type__"', '{"__tuple__":["x",{"__type__"', 1)
            if bad != text:
                doctored += 1
                db.execute(f"UPDATE {table} SET payload=?, crc=? WHERE key=?",
                           (bad.encode(), zlib.crc32(bad.encode()), key))
    db.commit()
    db.close()
    assert doctored
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["findings"] == clean and "cannot be read" in err


def test_a_nested_wrong_type_is_a_decode_error():
    from checker.models import Evidence

    ev = Evidence(doc="a.txt", start=0, end=1, line=1, text="1 came.", value="1")
    assert records.conforms((ev,), tuple[Evidence, ...])
    assert not records.conforms(("x",), tuple[Evidence, ...])
    assert not records.conforms({"a": "1"}, dict[str, int])
    assert not records.conforms(True, int) and records.conforms(1, float)


def test_a_locked_cache_waits_once_not_twice(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "cache"
    Cache(folder)._db.close()
    holder = sqlite3.connect(folder / "cache.sqlite3", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    monkeypatch.setattr(Cache, "BUSY_TIMEOUT", 1.0)
    try:
        t0 = time.monotonic()
        cache = Cache(folder)
        took = time.monotonic() - t0
    finally:
        holder.rollback()
        holder.close()
    assert took < 1.8, took  # one wait of BUSY_TIMEOUT, not one for the write and one for the read
    assert not cache.writable and "running without a cache" in capsys.readouterr().err


# -- the server ----------------------------------------------------------------------------------

def test_serve_on_another_loopback_host_and_sigterm_during_a_long_draft(tmp_path):
    """`--host 127.0.0.2` answers (its own name is a known host); SIGTERM while a long draft is being
    checked: the client gets an answer (503), the server exits 143 with no traceback."""
    import socket
    import urllib.error
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.2", 0))
        port = s.getsockname()[1]
    corpus = _corpus(tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "checker", "serve", str(corpus), "--host", "127.0.0.2", "--port",
                             str(port), "--cache-dir", str(tmp_path / "cache")], cwd=ROOT, env=_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.2:{port}"
    try:
        deadline = time.monotonic() + 600
        state = ""
        while state != "ready" and time.monotonic() < deadline and proc.poll() is None:
            try:
                state = json.load(urllib.request.urlopen(base + "/api/status", timeout=5))["state"]
            except (OSError, ValueError):
                pass
            time.sleep(0.5)
        assert state == "ready", proc.stderr.read() if proc.poll() is not None else "not ready"
        draft = " ".join(f"Chief engineer Tomas Brevik said {i} inspectors had checked the span on Monday."
                         for i in range(4000))
        answer: dict = {}

        def post() -> None:
            req = urllib.request.Request(base + "/api/draft", data=json.dumps({"text": draft}).encode(),
                                         headers={"Content-Type": "application/json"})
            try:
                answer["status"] = urllib.request.urlopen(req, timeout=300).status
            except urllib.error.HTTPError as exc:
                answer["status"] = exc.code
            except OSError as exc:
                answer["status"] = repr(exc)

        client = threading.Thread(target=post)
        client.start()
        time.sleep(3)
        proc.send_signal(15)
        proc.wait(60)
        client.join(60)
        err = proc.stderr.read()
        assert proc.returncode == 143 and "Traceback" not in err, err
        assert answer["status"] in (200, 503), answer
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
