"""The pre-commit hook (.pre-commit-hooks.yaml) run by pre-commit itself on a temporary repository:
only the corpus folders the settings name are read, never the README, the docs or a virtual
environment.

`pre-commit try-repo` would build the hook's own environment (`language: python`: a fresh virtual
environment and `pip install` of claimcheck with torch, several GB from the registry), so the hook
is run here as a local hook with the same entry, arguments and file filter, `language: system`
pointing at this environment's `claimcheck`: pre-commit chooses the files and calls the entry
exactly as it would the installed hook.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT
from tests.schemas import validate
from tests.schemas import validate

pytest.importorskip("pre_commit")
if shutil.which("git") is None:
    pytest.skip("git is not installed", allow_module_level=True)

ARTICLES = {
    "articles/a.txt": "2023-06-20 07:00:00\nThe two ministers met in Vienna on Monday for a three-hour meeting.\n",
    "articles/b.md": "2023-06-20 09:00:00\nThe two ministers met in Vienna on Monday for a five-hour meeting.\n",
}
# a README and docs that contradict each other and the articles, as a README's example output does
PROSE = {"README.md": "The two ministers met in Vienna on Monday for a seven-hour meeting.\n",
         "docs/guide.md": "The two ministers met in Vienna on Monday for a nine-hour meeting.\n"}
NOISE = {f".venv/lib/python3.11/site-packages/pkg{i}/LICENSE.txt": "Permission is granted on Monday.\n"
         for i in range(30)} | {".venv/README.md": "x\n", "venv/notes.txt": "Ignored on Tuesday.\n",
                                 ".github/PULL_REQUEST_TEMPLATE.md": "Describe on Friday.\n"}
SETTINGS = '[tool.claimcheck]\ncorpus = ["articles"]\nfail-on = "warning"\n'


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=root, check=True,
                   capture_output=True)


def _repository(tmp_path: Path, settings: str | None) -> Path:
    root = tmp_path / "repo"
    for name, text in {**ARTICLES, **PROSE, **NOISE}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    (root / ".gitignore").write_text(".venv/\nvenv/\n", encoding="utf-8")
    if settings is not None:
        (root / "pyproject.toml").write_text(settings, encoding="utf-8")
    hook = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))[0]
    claimcheck = Path(sys.executable).with_name("claimcheck")
    local = dict(hook, language="system", entry=f"{claimcheck} {hook['entry'].split(' ', 1)[1]}",
                 args=hook.get("args", []) + ["--no-cache", "--format", "json", "--output",
                                              str(tmp_path / "report.json")])
    (root / ".pre-commit-config.yaml").write_text(yaml.safe_dump({"repos": [{"repo": "local", "hooks": [local]}]}),
                                                  encoding="utf-8")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    return root


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    return _repository(tmp_path, SETTINGS)


def _pre_commit(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PRE_COMMIT_HOME=str(root.parent / "pre-commit-home"), HF_HUB_OFFLINE="1")
    return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--verbose", *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=600)


def _report(root: Path) -> dict:
    return validate(json.loads((root.parent / "report.json").read_text(encoding="utf-8")), "report")


def test_the_hook_checks_the_articles_and_ignores_the_readme_docs_and_virtual_environment(repo: Path) -> None:
    done = _pre_commit(repo, "--all-files")
    report = _report(repo)
    assert [d["file"] for d in report["documents"]] == sorted(ARTICLES), done.stdout + done.stderr
    assert report["findings"], "the three- and five-hour meeting is a conflict"
    assert done.returncode == 1  # the settings' fail-on: warning


def test_a_commit_of_the_readme_alone_checks_nothing(repo: Path) -> None:
    done = _pre_commit(repo, "--files", "README.md", "docs/guide.md", ".venv/README.md", "venv/notes.txt")
    assert _report(repo)["documents"] == [] and done.returncode == 0, done.stdout + done.stderr


def test_a_changed_article_is_checked_with_the_rest_of_its_folder(repo: Path) -> None:
    done = _pre_commit(repo, "--files", "articles/a.txt", "README.md")
    assert [d["file"] for d in _report(repo)["documents"]] == sorted(ARTICLES), done.stdout + done.stderr


def test_without_a_corpus_folder_named_the_hook_says_how_to_name_one(tmp_path: Path) -> None:
    root = _repository(tmp_path, None)
    done = _pre_commit(root, "--all-files")
    assert done.returncode == 1  # pre-commit's own code for a hook that failed
    assert 'no corpus folder is named: set corpus = ["articles"]' in done.stdout
    assert not (tmp_path / "report.json").exists()


def test_the_hook_file_names_no_default_that_reads_prose() -> None:
    hook = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))[0]
    assert hook["entry"] == "claimcheck check-files" and "--corpus" not in hook.get("args", [])
