"""The command line's own contract: rules listing, exit codes, batch records, --help without models."""
from __future__ import annotations

import json
import subprocess
import sys

from checker.cli import main
from checker.rules import ALL_RULES
from tests.conftest import ROOT


def test_rules_lists_every_rule_and_shows_one(capsys):
    assert main(["rules"]) == 0
    listing = capsys.readouterr().out
    for rule in ALL_RULES:
        assert rule.code in listing and rule.name in listing
    assert main(["rules", "CC-DATE-001"]) == 0
    doc = capsys.readouterr().out
    assert "**Conflict**" in doc and "**Agreement**" in doc and doc.index("**Conflict**") < doc.index("**Agreement**")
    assert main(["rules", "CC-NOPE-999"]) == 2


def test_exit_codes_follow_fail_on(embedder, capsys):
    seeds = str(ROOT / "seeds")
    assert main(["check", seeds, "--fail-on", "warning", "--no-cache"]) == 1
    assert main(["check", seeds, "--no-cache"]) == 0  # default: error, and the seeds have warnings only
    assert main(["check", seeds, "--fail-on", "never", "--no-cache"]) == 0
    capsys.readouterr()
    assert main(["check", seeds, "--format", "nonsense"]) == 2
    assert "unknown format" in capsys.readouterr().err


def test_batch_writes_one_record_per_line(embedder, tmp_path):
    lines = [{"id": i, "documents": [{"name": "a.txt", "text": f"The train leaves at {h}:55 pm from Warsaw."},
                                     {"name": "b.txt", "text": "The train leaves at 6:55 pm from Warsaw."}]}
             for i, h in enumerate((6, 8))]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    assert main(["batch", str(src), "--output", str(tmp_path / "out.jsonl"), "--no-cache"]) == 0
    out = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [r["id"] for r in out] == [0, 1]
    assert out[0]["findings"] == [] and out[1]["findings"][0]["rule"] == "CC-TIME-001"
    for e in out[1]["findings"][0]["evidence"]:
        text = lines[1]["documents"][0 if e["doc"] == "a.txt" else 1]["text"]
        assert text[e["start"]:e["end"]] == e["text"]


def test_help_and_rules_answer_without_loading_models():
    code = ("import sys, checker.cli as c; c.main(['rules']); "
            "assert 'torch' not in sys.modules and 'spacy' not in sys.modules, sorted(sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
