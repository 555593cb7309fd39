"""The command line's own contract: rules listing, exit codes, batch records, --help without models."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from checker.cli import main
from checker.rules import ALL_RULES
from tests.conftest import ROOT
from tests.schemas import validate


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
    out = [validate(json.loads(x), "batch-line") for x in (tmp_path / "out.jsonl").read_text().splitlines()]
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


# -- click: completion, usage errors, --device, the rule registry on the command line -------------

def _complete(words: str) -> list[str]:
    """What bash completion offers for the last word of `words`, as click answers the shell."""
    from click.testing import CliRunner

    from checker.cli import cli

    env = {"_CLAIMCHECK_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1)}
    result = CliRunner().invoke(cli, [], prog_name="claimcheck", env=env)
    assert result.exit_code == 0, result.output
    return [line.split(",", 1)[1] for line in result.output.splitlines()]


def test_completion_offers_rule_codes_names_and_formats():
    assert _complete("claimcheck check seeds --disable CC-D") == ["CC-DATE-001", "CC-DUR-001"]
    assert "name.variant" in _complete("claimcheck check seeds --select name.")
    assert "CC-NAME-002" in _complete("claimcheck draft d.txt --ignore CC-NAME")
    assert _complete("claimcheck check seeds --format s") == ["sarif"]
    assert _complete("claimcheck claim x --format j") == ["json"]
    assert "CC-TIME-001" in _complete("claimcheck rules CC-T")


def test_the_bash_completion_script_is_generated_by_the_installed_command():
    exe = Path(sys.executable).with_name("claimcheck")
    if not exe.exists():
        pytest.skip("claimcheck is not installed beside this Python (make install)")
    run = subprocess.run([str(exe)], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "_CLAIMCHECK_COMPLETE": "bash_source"})
    assert run.returncode == 0, run.stderr
    assert "_claimcheck_completion" in run.stdout and "complete " in run.stdout and "-F" in run.stdout


@pytest.mark.parametrize("argv,words", [
    (["check", "seeds", "--format", "nonsense"], ["[E005]", "--format", "unknown format 'nonsense'", "sarif"]),
    (["check", "seeds", "--fail-on", "sometimes"], ["[E005]", "--fail-on"]),
    (["check", "seeds", "--workers", "0"], ["[E005]", "--workers"]),
    (["check", "seeds", "--device", "gpu"], ["[E005]", "--device", "unknown device 'gpu'"]),
    (["check", "seeds", "--nope"], ["[E005]", "--nope", "claimcheck check --help"]),
    (["check", "seeds", "--select", "CC-NOPE"], ["[E002]", "--select", "'CC-NOPE'"]),
    (["check", "seeds", "--disable", "nothing.such"], ["[E002]", "--ignore/--disable", "'nothing.such'"]),
    (["draft", "d.txt"], ["[E005]", "--against"]),
    (["draft", "d.txt", "--against", "seeds", "--published", "18/06/2023"], ["--published", "not an ISO date"]),
    (["claim", "x", "--against", "seeds", "--top", "0"], ["[E005]", "--top"]),
    (["claim", "x", "--against", "seeds", "--format", "sarif"], ["unknown format 'sarif'", "json"]),
    (["rules", "CC-NOPE-999"], ["no rule 'CC-NOPE-999'"]),
    (["frobnicate"], ["[E005]", "frobnicate"]),
])
def test_usage_errors_are_one_line_exit_2_before_any_work(capsys, argv, words):
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1 and err.startswith("claimcheck: error [")
    for w in words:
        assert w in err


def test_help_answers_for_every_command_and_exits_0(capsys):
    from checker.cli import cli

    for name in [None, *cli.commands]:
        assert main(([name] if name else []) + ["--help"]) == 0
        assert "Usage: claimcheck" in capsys.readouterr().out


def test_debug_and_device_and_the_report_options_are_shared():
    from checker.cli import cli

    def options(command: str) -> set[str]:
        return {o for p in cli.commands[command].params for o in p.opts if o.startswith("--")}

    reporting = {"--format", "--output", "--fail-on", "--config", "--select", "--ignore", "--disable", "--baseline",
                 "--quiet"}
    assert reporting <= options("check") and reporting <= options("draft")
    assert {"--format", "--output", "--config", "--select", "--ignore", "--quiet"} <= options("claim")
    for command in ("check", "draft", "claim", "shell", "batch", "index", "serve"):
        assert "--device" in options(command), command
    for command in cli.commands:
        assert "--debug" in options(command), command


def test_device_auto_follows_torch_and_cuda_without_a_gpu_is_one_line(monkeypatch, capsys):
    import torch

    from checker.align.embed import DeviceEmbedder, resolve_device

    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert resolve_device("auto") == "cuda" and resolve_device("cpu") == "cpu"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert resolve_device("auto") == "cpu"
    DeviceEmbedder("cuda")  # nothing is loaded, nor checked, until a sentence needs the model
    assert main(["check", str(ROOT / "seeds"), "--device", "cuda", "--no-cache"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "--device cuda" in err and "torch.cuda.is_available()" in err


def test_the_chosen_device_is_the_one_the_model_runs_on(embedder):
    from checker.align.embed import DeviceEmbedder, load_embedder

    assert load_embedder("cpu") is embedder  # one model per device and process, the tests' one on the CPU
    assert DeviceEmbedder("cpu", "torch").inner is embedder and str(embedder._model.device) == "cpu"
    # the CPU's default backend is the ONNX export, its vectors cached under a name of their own
    assert DeviceEmbedder("cpu").backend == "onnx" and DeviceEmbedder("cpu").name != embedder.name


def test_select_and_ignore_on_the_command_line(embedder, capsys):
    seeds = str(ROOT / "seeds")
    assert main(["check", seeds, "--format", "json", "--fail-on", "never"]) == 0

    def rules() -> set[str]:
        return {f["rule"] for f in validate(json.loads(capsys.readouterr().out), "report")["findings"]}

    every = rules()
    assert len(every) > 1 and "CC-DATE-001" in every
    assert main(["check", seeds, "--format", "json", "--fail-on", "never", "--select", "date"]) == 0
    assert rules() == {"CC-DATE-001"}
    assert main(["check", seeds, "--format", "json", "--fail-on", "never", "--ignore", "date.mismatch",
                 "--disable", "CC-TITLE"]) == 0
    assert rules() == every - {"CC-DATE-001", "CC-TITLE-001"}
