"""The on-disk cache: a second run re-embeds and re-parses nothing; an edit re-processes only what
changed; findings are the same with and without it; a corrupt cache is rebuilt, never trusted."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np

from checker.align.cached import CachedEmbedder
from checker.cache import Cache
from checker.ingest import read_corpus
from checker.pipeline import check_folder, prepare
from tests.conftest import SEEDS


class Counting:
    """The real model, counting the sentences it is asked to encode."""

    def __init__(self, inner) -> None:
        self.inner, self.name, self.encoded = inner, inner.name, 0

    def encode(self, texts, busy=None):
        self.encoded += len(texts)
        return self.inner.encode(texts, busy=busy)


def _signature(report) -> list:
    return [(f.rule, f.severity.value, f.message, tuple((e.doc, e.start, e.end, e.value) for e in f.evidence))
            for f in report.findings]


def test_second_run_encodes_nothing_and_an_edit_only_what_changed(embedder, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    cache = Cache(tmp_path / "cache")
    model = Counting(embedder)
    first = prepare(read_corpus(str(corpus)), CachedEmbedder(model, cache), cache)
    assert model.encoded == len(first.flat_sentences()) > 100
    model.encoded = 0
    prepare(read_corpus(str(corpus)), CachedEmbedder(model, cache), cache)
    assert model.encoded == 0
    article = corpus / "002_3bf4201df3802dec.txt"
    article.write_text(article.read_text(encoding="utf-8") + "\nA new sentence about the visit was added.\n",
                       encoding="utf-8")
    prepare(read_corpus(str(corpus)), CachedEmbedder(model, cache), cache)
    assert model.encoded == 1


def test_findings_are_the_same_with_and_without_the_cache(embedder, seeds_report, tmp_path):
    cache = Cache(tmp_path / "cache")
    cold = check_folder(str(SEEDS), embedder=embedder, cache=cache)
    warm = check_folder(str(SEEDS), embedder=embedder, cache=cache)
    assert _signature(cold) == _signature(warm) == _signature(seeds_report)


def test_a_corrupt_cache_is_rebuilt_with_a_note(embedder, tmp_path, capsys):
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / "cache.sqlite3").write_bytes(b"this is not a database" * 100)
    cache = Cache(folder)
    assert "rebuilt" in cache.note and "rebuilt" in capsys.readouterr().err
    report = check_folder(str(SEEDS), embedder=embedder, cache=cache)
    assert report.findings


def test_index_command_reports_what_it_processed(embedder, tmp_path, capsys):
    from checker.cli import main

    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    assert main(["index", str(corpus), "--output", str(tmp_path / "ix")]) == 0
    first = capsys.readouterr().out
    assert main(["index", str(corpus), "--output", str(tmp_path / "ix")]) == 0
    second = capsys.readouterr().out
    assert "(5 processed, 0 from the cache)" in first
    assert "(0 processed, 5 from the cache)" in second and "(0 embedded now)" in second
    assert not any(p.suffix == ".sqlite3" for p in Path(corpus).rglob("*"))


def test_vectors_from_the_cache_and_the_model_fill_the_rows_of_repeated_sentences(embedder, tmp_path, monkeypatch):
    texts = ["Talks began on Monday.", "Twelve people attended.", "Talks began on Monday.",
             "The visit lasted two days.", "Twelve people attended.", "A sentence of its own."]
    cache = Cache(tmp_path / "cache")
    monkeypatch.setattr(CachedEmbedder, "STORE_EVERY", 2)  # stored part by part
    first = CachedEmbedder(Counting(embedder), cache).encode(texts[:4])
    model = Counting(embedder)
    both = CachedEmbedder(model, cache).encode(texts)
    assert model.encoded == 1  # only the one sentence not seen before
    assert both.shape == (6, 384) and np.allclose(both[:4], first)
    assert np.allclose(both, embedder.encode(texts), atol=1e-5)
    assert np.allclose(both[0], both[2]) and np.allclose(both[1], both[4])


def test_the_default_cache_folder_is_the_platforms_and_follows_xdg(monkeypatch, tmp_path):
    import platformdirs

    from checker.cache import default_cache_dir

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == Path(platformdirs.user_cache_dir("claimcheck", appauthor=False))
    if sys.platform.startswith("linux"):
        assert default_cache_dir() == tmp_path / "xdg" / "claimcheck"
