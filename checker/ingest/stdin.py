"""Text piped on standard input (`claimcheck draft -`, `claimcheck claim -`): UTF-8, a byte-order
mark dropped, Windows line ends made plain; anything else is a one-line input error."""
from __future__ import annotations

import sys

from checker.errors import InputError

DASH = "-"  # the path that names standard input, as most command-line tools take it


def read_stdin(what: str) -> str:
    """Standard input as text; `what` names it in an error ("the draft", "the claim")."""
    data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode("utf-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"standard input: {what} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    if not text.strip():
        raise InputError(f"standard input: {what} is empty")
    return text.replace("\r\n", "\n")
