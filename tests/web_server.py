"""`claimcheck serve` as a real subprocess on a free loopback port, for the browser test and
`make screenshot`; and where Debian's chromium and chromedriver are, if they are."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def browser_paths() -> tuple[str, str] | str:
    """(chromium, chromedriver), or the reason they cannot be used."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver") or (
        "/usr/lib/chromium/chromedriver" if os.path.exists("/usr/lib/chromium/chromedriver") else None)
    if not chromium or not driver:
        missing = " and ".join(n for n, p in (("chromium", chromium), ("chromedriver", driver)) if not p)
        return f"no browser: {missing} not installed (apt-get install chromium chromium-driver; .ci/run tries)"
    return chromium, driver


@contextmanager
def running_server(corpus: Path, ready_within: float = 600.0, extra: tuple[str, ...] = (),
                   state_dir: Path | None = None) -> Iterator[str]:
    """Start `claimcheck serve CORPUS` (relative to the repository, or absolute) on a free port of 127.0.0.1, wait until its corpus is prepared,
    yield its base URL, and stop it (by its own process id) afterwards. The desk's state goes to
    `state_dir`, else to a temporary folder removed afterwards (never the user's own)."""
    with tempfile.TemporaryDirectory(prefix="claimcheck-state-") as scratch:
        with _running(corpus, ready_within, extra + ("--state-dir", str(state_dir or scratch))) as base:
            yield base


@contextmanager
def _running(corpus: Path, ready_within: float, extra: tuple[str, ...]) -> Iterator[str]:
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1")
    log = open(os.devnull, "w")
    proc = subprocess.Popen([sys.executable, "-m", "checker", "serve", str(corpus), "--host", "127.0.0.1",
                             "--port", str(port), *extra],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + ready_within
        state = "not answering"
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"claimcheck serve exited with {proc.returncode}: {proc.stderr.read()[-2000:]}")
            try:
                with urllib.request.urlopen(base + "/api/status", timeout=5) as r:
                    state = json.load(r)["state"]
            except OSError:
                state = "not answering"
            if state == "ready":
                break
            if state == "failed":
                raise RuntimeError("claimcheck serve could not prepare the corpus")
            time.sleep(0.5)
        else:
            raise RuntimeError(f"claimcheck serve not ready after {ready_within:.0f} s ({state})")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@contextmanager
def seeds_service(embedder, **settings) -> Iterator:
    """A started `CorpusService` over the seeds (prepared once per session), ready, with these
    `ServeSettings`; closed afterwards."""
    from checker.web import CorpusService, ServeSettings
    from tests.conftest import SEEDS
    from tests.seeds_prepared import seeds_prepared

    svc = CorpusService(ServeSettings(str(SEEDS), use_cache=False, **settings), embedder=embedder,
                        prepared=seeds_prepared(embedder)).start()
    try:
        status = svc.wait_ready(timeout=600)
        assert status.state == "ready", status.error
        yield svc
    finally:
        svc.close()


@contextmanager
def app_client(service, base_url: str = "http://127.0.0.1", loopback_only: bool = True) -> Iterator:
    """FastAPI's test client on the app over `service` (a loopback host name: the app answers no other)."""
    from fastapi.testclient import TestClient

    from checker.web import create_app

    with TestClient(create_app(service, loopback_only=loopback_only), base_url=base_url) as c:
        yield c
