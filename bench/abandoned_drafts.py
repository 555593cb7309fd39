"""Abandoned drafts as a benchmark row: how long a claim waits behind three long drafts whose
clients went away, against the time of one such draft.

`claimcheck serve` runs every claim and draft on one worker, in order. A client that gives up on a
long draft (closes its connection) must not leave the draft running for the next user: the server
looks every DISCONNECT_POLL_SECONDS whether the client is still there and cancels the job (dropped
from the queue, or stopped at its stages' next check). Bound (issue 26): three abandoned long
drafts delay a claim by no more than the time of one.

    python bench/abandoned_drafts.py [--corpus seeds] [--draft-chars 200000]
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ABANDONED = 3  # drafts sent and given up on before the claim
GIVE_UP_SECONDS = 1.0  # how long each abandoning client waits before it closes its connection
CLAIM = "Blinken arrived in Beijing on Sunday."


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _post(port: int, path: str, body: dict, timeout: float) -> tuple[int, float]:
    """POST a JSON body; the status and the seconds it took (status 0: the client gave up)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    t0 = time.monotonic()
    try:
        conn.request("POST", path, body=json.dumps(body), headers={"Content-Type": "application/json"})
        status = conn.getresponse().status
    except (TimeoutError, socket.timeout):
        status = 0
    finally:
        conn.close()  # an abandoning client: the connection goes away with its request unanswered
    return status, time.monotonic() - t0


def _ready(port: int, proc: subprocess.Popen, seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited {proc.returncode}: {proc.stderr.read()[-500:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/status")
            state = json.loads(conn.getresponse().read()).get("state")
            conn.close()
            if state == "ready":
                return
        except (OSError, ValueError):
            pass
        time.sleep(0.5)
    raise SystemExit("the server was not ready in time")


def long_draft(corpus: Path, chars: int) -> str:
    """A long draft: the corpus's articles one after another up to `chars` characters, each copy's
    sentences made its own ("... in part 3.") so that none is a repeat the embedder has seen."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))]
    out, i, size = [], 0, 0
    while size < chars:
        copy = texts[i % len(texts)].replace(". ", f" in part {i}. ").replace(".\n", f" in part {i}.\n")
        out.append(copy)
        size += len(copy)
        i += 1
    return "\n\n".join(out)[:chars]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT / "seeds"))
    parser.add_argument("--draft-chars", type=int, default=200_000)
    args = parser.parse_args()
    port = _free_port()
    draft = {"text": long_draft(Path(args.corpus), args.draft_chars)}
    with tempfile.TemporaryDirectory(prefix="claimcheck-abandon-") as tmp:
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
        proc = subprocess.Popen([sys.executable, "-m", "checker", "serve", args.corpus, "--port", str(port),
                                 "--cache-dir", str(Path(tmp) / "cache"), "--state-dir", str(Path(tmp) / "state")],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
        try:
            _ready(port, proc)
            _post(port, "/api/claim", {"text": CLAIM}, 300)  # warm: models loaded, the claim path run once
            _, claim_alone = _post(port, "/api/claim", {"text": CLAIM}, 300)
            status, one_draft = _post(port, "/api/draft", draft, 600)
            if status != 200:
                raise SystemExit(f"the long draft was answered {status}")
            for _ in range(ABANDONED):
                _post(port, "/api/draft", draft, GIVE_UP_SECONDS)
            status, claim_after = _post(port, "/api/claim", {"text": CLAIM}, 600)
        finally:
            proc.terminate()
            proc.wait(60)
    delay = claim_after - claim_alone
    print(f"abandoned drafts ({ABANDONED} of {args.draft_chars:,} characters, each given up after "
          f"{GIVE_UP_SECONDS:g} s):")
    print(f"  one long draft: {one_draft:.1f} s; a claim alone: {claim_alone:.2f} s; the claim after the "
          f"abandoned drafts: {claim_after:.2f} s (status {status}), a delay of {delay:.2f} s "
          f"(bound: one draft, {one_draft:.1f} s)")
    return 0 if status == 200 and delay <= one_draft else 1


if __name__ == "__main__":
    sys.exit(main())
