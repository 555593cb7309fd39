"""Stage 6: render a Report. One module per format, each with a `render(report, **opts) -> str`,
registered here in one place."""
from __future__ import annotations

from typing import Callable

from checker.models import Report
from checker.report import (github_format, html_format, json_format, junit_format, markdown_format,
                             sarif_format, text_format)

Renderer = Callable[..., str]

FORMATS: dict[str, Renderer] = {
    "text": text_format.render,
    "json": json_format.render,
    "sarif": sarif_format.render,
    "github": github_format.render,
    "junit": junit_format.render,
    "markdown": markdown_format.render,
    "html": html_format.render,
}


def render(report: Report, fmt: str, **opts) -> str:
    return FORMATS[fmt](report, **opts)
