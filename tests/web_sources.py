"""Sources a desk adds in the web tests, in our own wording (a report on the seeds' story), and a
thread-run http.server on 127.0.0.1 to fetch a page from."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

# Our own wording of a report on the seeds' story, for a source a desk pastes or fetches.
PASTED = ("Blinken ends Beijing trip with talks with Xi\n\n"
          "US Secretary of State Antony Blinken met President Xi Jinping in Beijing on Monday, "
          "June 19, at the end of a two-day visit.\n"
          "Blinken is the first secretary of state to visit China in five years.\n")
PAGE = """<!DOCTYPE html>
<html><head><title>Blinken and Wang Yi hold talks in Beijing</title>
<meta property="og:site_name" content="Harbour Gazette">
<meta property="article:published_time" content="2023-06-19T10:00:00Z"></head>
<body><nav>Home | World | Sport</nav>
<article><h1>Blinken and Wang Yi hold talks in Beijing</h1>
<p>US Secretary of State Antony Blinken held talks with China's top diplomat Wang Yi in Beijing on
Monday, the second day of his visit.</p>
<p>The two men spoke for three hours, officials said, and agreed to keep channels of communication
open between the two countries.</p>
<p>Blinken arrived in Beijing on Sunday for a visit that both sides had postponed in February.</p>
</article><footer>Contact us | Privacy</footer></body></html>
"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # no request log on the test's output
        pass


@contextmanager
def local_site(folder: Path) -> Iterator[str]:
    """A page served from `folder` on 127.0.0.1 by a thread-run http.server: the address a desk pastes."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
