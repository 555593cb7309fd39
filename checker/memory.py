"""Handing memory that Python and the model have freed back to the system (glibc on Linux).

glibc keeps freed memory for reuse, and at corpus scale what is freed (the model's activations after
each batch, a stage's working data) lies between records that live on, so the heap cannot shrink by
itself and the process holds hundreds of MiB it no longer uses. Elsewhere this does nothing.
"""
from __future__ import annotations

import ctypes
import sys
from functools import lru_cache


@lru_cache(maxsize=1)
def _glibc():
    """The C library when it is glibc, else None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:  # musl and others: left as they are
        return None


def release_freed_memory() -> None:
    """Returns the free pages of the heap to the system. It costs the next allocations page
    faults, so it is called between stages and every few batches of the model, not more."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)
