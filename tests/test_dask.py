"""--dask: batch and check on a Dask cluster give the local run's records and report, byte for byte,
even when a worker dies mid-run; SIGTERM leaves no worker process behind; the README's commands run.

The cluster is a distributed.LocalCluster of 2 worker processes (what CI's 2 cores hold), started
once for the module; the stories are small, so that the module takes a minute or two.
"""
from __future__ import annotations

import json
import os
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from checker.cli import main
from tests.conftest import ROOT

distributed = pytest.importorskip("distributed")

STORY = ROOT / "fixtures" / "news" / "antwerp-dock-strikes"  # a small story of three outlets


def _stories(n: int) -> str:
    """`n` small corpora as batch lines, with their own times and counts (some disagree), a line
    that is not JSON and a blank line among them."""
    lines = []
    for i in range(n):
        lines.append(json.dumps({"id": f"s{i}", "documents": [
            {"name": "a.txt", "text": f"The ferry leaves at {6 + i % 3}:15 pm from Gdansk. Officials said {10 + i} "
                                      "people were hurt when the ramp gave way."},
            {"name": "b.txt", "text": "The ferry leaves at 6:15 pm from Gdansk. Officials said 12 people were "
                                      "hurt when the ramp gave way."}]}))
    lines[1:1] = ["{not json", ""]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as c:
        yield c


@pytest.fixture(scope="module")
def batch_input(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dask-batch")
    src = folder / "in.jsonl"
    src.write_text(_stories(8), encoding="utf-8")
    local = folder / "local.jsonl"
    assert main(["batch", str(src), "--output", str(local), "--no-cache", "--quiet"]) == 0
    return src, local.read_bytes()


def test_batch_on_a_local_cluster_of_two_writes_the_local_records(batch_input, tmp_path):
    src, expected = batch_input
    # twice through the workers' caches: the second run takes the stories from them
    for run in ("cold", "warm"):
        out = tmp_path / f"dask-{run}.jsonl"
        assert main(["batch", str(src), "--output", str(out), "--cache-dir", str(tmp_path / "cache"), "--quiet",
                     "--dask", "local:2"]) == 0
        assert out.read_bytes() == expected, run
    records = [json.loads(x) for x in expected.splitlines()]
    assert [r["id"] for r in records] == ["s0", None, "s1", "s2", "s3", "s4", "s5", "s6", "s7"]
    assert records[1]["line"] == 2 and "not JSON" in records[1]["error"]
    assert any(f["rule"] == "CC-TIME-001" for f in records[2]["findings"])  # 7:15 against 6:15


def test_a_worker_killed_mid_batch_loses_and_doubles_no_record(cluster, batch_input, tmp_path):
    from distributed import Client

    src, expected = batch_input
    out = tmp_path / "dask.jsonl"
    codes: list[int] = []
    run = threading.Thread(target=lambda: codes.append(main(
        ["batch", str(src), "--output", str(out), "--no-cache", "--quiet", "--dask", cluster.scheduler_address])))
    with Client(cluster) as client:
        pids = client.run(os.getpid)  # worker address → its process
        run.start()
        deadline = time.monotonic() + 120
        busy = {}
        while not busy and time.monotonic() < deadline and run.is_alive():
            busy = {w: tasks for w, tasks in client.processing().items() if tasks}
            time.sleep(0.05)
        assert busy and run.is_alive(), "the run ended before a worker could be killed"
        victim = next(iter(busy))
        os.kill(pids[victim], signal.SIGKILL)  # its tasks are lost with it, and run elsewhere
        run.join(300)
        assert not run.is_alive()
        assert victim not in client.scheduler_info()["workers"]  # the worker did die
    assert codes == [0]
    assert out.read_bytes() == expected


def test_check_on_a_cluster_gives_the_local_report(cluster, tmp_path, monkeypatch):
    import checker.cluster

    # a task a document: the vectors of several tasks are put back in document order
    monkeypatch.setattr(checker.cluster, "DOCS_PER_TASK", 1)
    local, dask = tmp_path / "local.json", tmp_path / "dask.json"
    common = ["--format", "json", "--no-cache", "--quiet", "--fail-on", "never"]
    assert main(["check", str(STORY), "--output", str(local), *common]) == 0
    assert main(["check", str(STORY), "--output", str(dask), *common, "--dask", cluster.scheduler_address]) == 0
    assert json.loads(dask.read_text()) == json.loads(local.read_text())
    assert len(json.loads(local.read_text())["documents"]) > 1 and json.loads(local.read_text())["findings"]


def test_a_bad_address_is_one_line_and_no_work(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(_stories(1), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "checker", "batch", str(src), "--dask", "local:0"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "--dask local:N" in proc.stderr


@pytest.mark.parametrize("signum, to_group, code, word", [
    (signal.SIGTERM, False, 143, "terminated"),  # a service manager's stop: to the process
    (signal.SIGINT, True, 130, "interrupted"),   # Ctrl-C on a terminal: to its whole process group
])
def test_a_signal_cancels_the_run_and_leaves_no_worker_behind(tmp_path, signum, to_group, code, word):
    import psutil

    src = tmp_path / "in.jsonl"
    src.write_text(_stories(40), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "checker", "batch", str(src), "--output", str(tmp_path / "o.jsonl"),
                             "--no-cache", "--quiet", "--dask", "local:2"], cwd=ROOT, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, start_new_session=True)
    parent = psutil.Process(proc.pid)
    deadline = time.monotonic() + 120
    children: list = []
    while len(children) < 2 and time.monotonic() < deadline:  # the two workers
        children = [c for c in parent.children(recursive=True) if "spawn_main" in " ".join(c.cmdline())]
        time.sleep(0.2)
    assert len(children) >= 2, "the LocalCluster's workers never started"
    everyone = parent.children(recursive=True)
    if to_group:
        os.killpg(proc.pid, signum)
    else:
        proc.send_signal(signum)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == code, err
    assert err.strip() == f"claimcheck: {word}; nothing written"  # one line: no worker's traceback
    gone, alive = psutil.wait_procs(everyone, timeout=30)
    assert not alive, f"left behind: {[p.cmdline() for p in alive]}"
    assert not (tmp_path / "o.jsonl").exists()


def test_the_readme_commands_run_against_a_local_cluster(cluster, tmp_path):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Running on a Dask cluster", 1)[1].split("\n## ", 1)[0]
    commands = [line.strip() for block in re.findall(r"```sh\n(.*?)```", section, re.S)
                for line in block.splitlines() if line.strip().startswith("claimcheck ")]
    assert len(commands) >= 2
    (tmp_path / "stories.jsonl").write_text(_stories(2), encoding="utf-8")
    (tmp_path / "articles").mkdir()
    for f in STORY.glob("*.txt"):
        (tmp_path / "articles" / f.name).write_bytes(f.read_bytes())
    os.chdir(tmp_path)
    try:
        for command in commands:
            # the README's scheduler is this test's cluster, and its files are those made above
            args = shlex.split(re.sub(r"tcp://\S+|local(:\d+)?(?=\s|$)", cluster.scheduler_address, command))[1:]
            code = main(args + ["--no-cache", "--quiet"])
            assert code in (0, 1), f"`{command}` exited {code}"
    finally:
        os.chdir(ROOT)
    assert [json.loads(x)["id"] for x in (tmp_path / "findings.jsonl").read_text().splitlines()] == ["s0", None, "s1"]
