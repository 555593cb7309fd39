"""Stage 6: render a Report. One module per format, each with a `render(report, **opts) -> str`,
registered here in one place."""
from __future__ import annotations

from typing import Callable

from checker.models import Report
from checker.report import json_format, text_format

Renderer = Callable[..., str]

FORMATS: dict[str, Renderer] = {
    "text": text_format.render,
    "json": json_format.render,
}


def render(report: Report, fmt: str, **opts) -> str:
    return FORMATS[fmt](report, **opts)
