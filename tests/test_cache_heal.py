"""A cache that heals and holds only data: damaged, doctored, foreign, read-only and shared caches.

Whatever state the cache is in, a run ends with the findings of a clean run, and at worst a note on
standard error naming the cache; nothing stored in it can run code."""
from __future__ import annotations

import json
import os
import pickle
import random
import shutil
import sqlite3
import subprocess
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from checker import records
from checker.cache import SCHEMA, Cache
from checker.cli import main
from checker.progress import SUMMARY
from tests.conftest import ROOT, SEEDS
from tests.schemas import validate

A = ("The Harbour Bridge in Port Ellery reopened to traffic on Monday evening after a three-day closure, "
     "the transport department said.\n\nChief engineer Tomas Brevik said 14 inspectors had checked every "
     "anchor point on the span.\n")
B = ("The Harbour Bridge in Port Ellery reopened on Tuesday evening after a three-day closure, the transport "
     "department said.\n\nChief engineer Tomas Brevik said 12 inspectors had checked every anchor point on "
     "the span.\n")
MANIFEST = {"documents": [{"file": "a.txt", "published": "2024-03-05"}, {"file": "b.txt", "published": "2024-03-05"}]}


def _corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(A, encoding="utf-8")
    (folder / "b.txt").write_text(B, encoding="utf-8")
    (folder / "MANIFEST.json").write_text(json.dumps(MANIFEST), encoding="utf-8")
    return folder


def _findings(report: dict) -> list:
    return [(f["rule"], f["message"], [(e["doc"], e["start"], e["end"], e["value"]) for e in f["evidence"]])
            for f in validate(report, "report")["findings"]]


def _check(capsys, corpus: Path, cache: Path) -> tuple[int, list, str]:
    code = main(["check", str(corpus), "--format", "json", "--cache-dir", str(cache), "--fail-on", "never"])
    out, err = capsys.readouterr()
    # the one summary line every run ends with (checker.progress) is not a note about the cache
    notes = "".join(line for line in err.splitlines(keepends=True) if not SUMMARY.match(line.rstrip("\n")))
    assert len(notes) < len(err), err  # the summary line is there
    return code, _findings(json.loads(out)), notes


def _cli(*argv: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "checker", *argv], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "HF_HUB_OFFLINE": "1"}, timeout=600, **kwargs)


# -- the format: data, and only the record types claimcheck defines -------------------------------

def test_every_record_of_the_seeds_round_trips(embedder):
    from checker.pipeline import run_prepared
    from tests.seeds_prepared import seeds_prepared

    run = run_prepared(seeds_prepared(embedder))
    ctx = run.context
    sentences = list(ctx.sentences.values())
    mentions = [m for ms in ctx.mentions.values() for m in ms]
    # agreements are stored as plain tuples, as the pipeline stores them (checker.pipeline.compare)
    payload = [sentences, mentions, list(run.report.findings), [tuple(a) for a in ctx.agreements],
               list(run.report.documents)]
    back = records.loads(records.dumps(payload))
    assert back == payload and len(mentions) > 500 and ctx.agreements
    assert {type(m.value) for m in back[1]} == {type(m.value) for m in mentions}
    assert records.dumps(back) == records.dumps(payload)  # deterministic: sets are written sorted


def test_values_of_every_shape_round_trip():
    from datetime import date, datetime

    from checker.values import Quantity
    from checker.models import Severity

    value = {"q": Quantity(3.0, float("inf"), "day", "more"), "s": Severity.WARNING, "d": date(2024, 3, 5),
             "t": datetime(2024, 3, 5, 8, 12), "f": frozenset({"a", "b"}), "u": (1, [2, (3,)]),
             ("k", 1): {1.5, -2}, "n": None, "b": True, "name": "caf\udce9.txt", "nan-free": -0.0}
    assert records.loads(records.dumps(value)) == value


@pytest.mark.parametrize("payload", [
    b'{"__type__": "system", "command": "touch x"}',                       # not a record type
    b'{"__type__": "Popen", "args": ["touch", "x"]}',
    b'{"__type__": "Sentence", "doc": "a", "index": 0, "start": 0, "end": 1, "text": "x"}',  # a field missing
    b'{"__type__": "Sentence", "doc": "a", "index": "0", "start": 0, "end": 1, "text": "x", "line": 1}',  # a type
    b'{"__enum__": "Severity", "value": "fatal"}',
    b'{"__module__": "os", "__call__": "system"}',
    b'{"__tuple__": 5}',
    pickle.dumps(os.getcwd),
    b"\x80\x04\x95" + b"\x00" * 20,
    b"[" * 100_000,                                                         # deeper than the parser goes
])
def test_anything_else_is_a_decode_error(payload):
    with pytest.raises(records.DecodeError):
        records.loads(payload)


def test_a_type_outside_the_allowlist_is_not_written():
    @dataclass(frozen=True)
    class Stranger:
        x: int

    with pytest.raises(TypeError, match="RECORD_MODULES"):
        records.dumps([Stranger(1)])


def test_record_names_are_unique_across_the_allowlisted_modules():
    types = records.record_types()
    assert {"Document", "Sentence", "Mention", "Finding", "Evidence", "Severity", "DateValue", "Quantity",
            "Place", "Title", "Superlative", "Period"} <= set(types)


# -- healing ----------------------------------------------------------------------------------------

def test_a_cache_damaged_at_random_offsets_heals_and_gives_the_findings_of_a_clean_run(embedder, capsys, tmp_path):
    corpus = _corpus(tmp_path)
    clean_code, clean, _ = _check(capsys, corpus, tmp_path / "clean")
    assert clean, "the mini corpus has two conflicts"
    healthy = (tmp_path / "clean" / "cache.sqlite3").read_bytes()
    cache = tmp_path / "cache"
    notes = 0
    for seed in range(8):
        rng = random.Random(seed)
        shutil.rmtree(cache, ignore_errors=True)
        cache.mkdir()
        damaged = bytearray(healthy)
        offsets = sorted(rng.randrange(0, len(damaged) - 64) for _ in range(3))
        for offset in offsets:
            damaged[offset:offset + 64] = bytes(rng.randrange(256) for _ in range(64))
        (cache / "cache.sqlite3").write_bytes(bytes(damaged))
        code, found, err = _check(capsys, corpus, cache)
        assert (code, found) == (clean_code, clean), f"seed {seed}, offsets {offsets}"
        assert "Traceback" not in err and "internal error" not in err
        if err:
            notes += 1
            assert str(cache / "cache.sqlite3") in err and err.count("\n") <= 3, err
        # healed: the next run reads everything back and has nothing to say
        again_code, again, again_err = _check(capsys, corpus, cache)
        assert (again_code, again, again_err) == (clean_code, clean, ""), f"seed {seed}"
    assert notes >= 4  # most land in stored values or SQLite's own pages, some in free space


def test_a_damaged_file_is_set_aside_not_deleted(embedder, capsys, tmp_path):
    corpus = _corpus(tmp_path)
    cache = tmp_path / "cache"
    _, clean, _ = _check(capsys, corpus, cache)
    path = cache / "cache.sqlite3"
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema page itself
    path.write_bytes(bytes(data))
    _, found, err = _check(capsys, corpus, cache)
    assert found == clean
    aside = [p for p in cache.iterdir() if p.name.startswith("cache.sqlite3.set-aside-")]
    assert len(aside) == 1 and aside[0].read_bytes() == bytes(data)
    assert str(path) in err and str(aside[0]) in err and err.count("\n") == 1


def test_a_cache_of_another_schema_is_set_aside_with_a_note(tmp_path, capsys):
    folder = tmp_path / "cache"
    folder.mkdir()
    db = sqlite3.connect(folder / "cache.sqlite3")
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    db.execute("INSERT INTO meta VALUES ('schema', '1')")
    db.execute("CREATE TABLE documents (key TEXT PRIMARY KEY, payload BLOB)")
    db.commit()
    db.close()
    cache = Cache(folder)
    err = capsys.readouterr().err
    assert "schema 1" in err and f"this is {SCHEMA}" in err and "set aside" in err and cache.writable


def test_an_embedding_of_the_wrong_length_or_checksum_is_a_miss(embedder, tmp_path, capsys):
    from checker.align.cached import CachedEmbedder

    cache = Cache(tmp_path / "cache")
    texts = ["The bridge reopened on Monday.", "Fourteen inspectors checked it."]
    first = CachedEmbedder(embedder, cache).encode(texts)
    db = sqlite3.connect(cache.path)
    bad = b"\x00\x00\x80\x3f" * 383 + b"\x01\x02\x03"  # 1,535 bytes: not a whole number of floats
    db.execute("UPDATE embeddings SET vec=?, crc=? WHERE rowid=1", (bad, zlib.crc32(bad)))
    db.execute("UPDATE embeddings SET vec=? WHERE rowid=2", (b"\x00" * 1536,))  # checksum left as it was
    db.commit()
    db.close()
    again = CachedEmbedder(embedder, Cache(tmp_path / "cache"))
    import numpy as np

    assert np.allclose(again.encode(texts), first, atol=1e-5) and again.encoded == 2
    assert "cannot be read" in capsys.readouterr().err


def test_a_doctored_cache_cannot_create_a_file(embedder, capsys, tmp_path):
    """The attack of the issue: a pickle in a shared cache that runs a command on the next run."""
    corpus = _corpus(tmp_path)
    cache = tmp_path / "cache"
    _, clean, _ = _check(capsys, corpus, cache)
    victim = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self):
            return (os.system, (f"touch {victim}",))

    evil = pickle.dumps(Exploit())
    as_json = json.dumps({"__type__": "system", "command": f"touch {victim}"}).encode()
    db = sqlite3.connect(cache / "cache.sqlite3")
    for table in ("documents", "stories"):
        keys = [k for (k,) in db.execute(f"SELECT key FROM {table}")]
        assert keys
        for i, k in enumerate(keys):
            payload = evil if i % 2 == 0 else as_json
            db.execute(f"UPDATE {table} SET payload=?, crc=? WHERE key=?", (payload, zlib.crc32(payload), k))
    db.commit()
    db.close()
    code, found, err = _check(capsys, corpus, cache)
    assert not victim.exists()
    assert found == clean and "cannot be read" in err and str(cache / "cache.sqlite3") in err


@pytest.mark.slow  # two processes importing spaCy at once: some 50 s on 2 busy cores
def test_two_runs_on_one_cache_at_once_agree(embedder, capsys, tmp_path):
    """Two processes fill one cache at the same time: both finish with the same findings, and a
    third run reads everything back from it."""
    corpus = _corpus(tmp_path)
    cache = tmp_path / "shared"
    _, clean, _ = _check(capsys, corpus, cache)
    # the embeddings kept, so that neither run loads the model: both parse, compare and store at once
    db = sqlite3.connect(cache / "cache.sqlite3")
    db.execute("DELETE FROM documents")
    db.execute("DELETE FROM stories")
    db.commit()
    db.close()
    argv = [sys.executable, "-m", "checker", "check", str(corpus), "--format", "json", "--cache-dir", str(cache),
            "--fail-on", "never"]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    runs = [subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
            for _ in range(2)]
    outs = [r.communicate(timeout=600) for r in runs]
    for r, (out, err) in zip(runs, outs):
        assert r.returncode == 0 and "Traceback" not in err, err
        assert _findings(json.loads(out)) == clean
    _, found, err = _check(capsys, corpus, cache)
    assert found == clean and err == ""


# -- read-only and unusable folders, through the command line ---------------------------------------

def _as_nobody() -> list[str] | None:
    """A prefix that runs a command without root's right to write anywhere (a user namespace), so a
    read-only folder is read-only for it; None where that is not available."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return None
    probe = subprocess.run([unshare, "--user", "--map-user=65534", "--map-group=65534", "true"], capture_output=True)
    return [unshare, "--user", "--map-user=65534", "--map-group=65534"] if probe.returncode == 0 else None


@pytest.mark.parametrize("state", ["warm", pytest.param("empty", marks=pytest.mark.slow)])
def test_a_read_only_cache_is_read_or_bypassed_with_one_note(embedder, capsys, tmp_path, state):
    """Warm: read from, nothing stored. Empty: the run goes on without a cache (it loads the model
    cold, some 20 s, hence slow)."""
    prefix = _as_nobody()
    if prefix is None:
        pytest.skip("no user namespaces here: root writes into any folder")
    corpus = _corpus(tmp_path)
    warm, empty = tmp_path / "warm", tmp_path / "empty"
    _, clean, _ = _check(capsys, corpus, warm)
    empty.mkdir()
    folder = warm if state == "warm" else empty
    if state == "warm":
        (folder / "cache.sqlite3").chmod(0o444)
    folder.chmod(0o555)
    try:
        argv = [sys.executable, "-m", "checker", "check", str(corpus), "--format", "json",
                "--cache-dir", str(folder), "--fail-on", "never"]
        run = subprocess.run(prefix + argv, capture_output=True, text=True, cwd=ROOT, timeout=600,
                             env={**os.environ, "HF_HUB_OFFLINE": "1"})
        assert run.returncode == 0, run.stderr
        assert _findings(json.loads(run.stdout)) == clean
        lines = [line for line in run.stderr.strip().splitlines() if not SUMMARY.match(line)]
        assert len(lines) == 1 and str(folder / "cache.sqlite3") in lines[0], run.stderr
        assert ("read from, nothing stored" if state == "warm" else "running without a cache") in lines[0]
    finally:
        folder.chmod(0o755)


def test_a_value_the_cache_cannot_store_is_noted_and_the_run_goes_on(tmp_path, capsys):
    @dataclass(frozen=True)
    class Stranger:
        x: int

    cache = Cache(tmp_path / "cache")
    cache.store_story("k", [], [("measure", Stranger(1))])
    assert cache.story("k") is None
    err = capsys.readouterr().err
    assert "stories not stored" in err and "RECORD_MODULES" in err
    cache.store_story("k2", [], [])
    assert cache.story("k2") == ([], [])
