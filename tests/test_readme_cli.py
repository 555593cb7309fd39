"""The README's command lines against the parser: every option it shows a command taking exists."""
from __future__ import annotations

import re

from checker.cli import cli
from tests.conftest import ROOT

# "claimcheck COMMAND ..." up to the end of the line, an inline code span, or the next command
USE = re.compile(r"claimcheck (\w[\w-]*)([^\n`]*)")


def _uses() -> list[tuple[str, list[str]]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    uses = []
    for command, rest in USE.findall(text):
        rest = re.split(r"&&|\|\||\||;|\)", rest)[0]
        uses.append((command, re.findall(r"(?<![\w-])--[a-z][a-z-]*", rest)))
    return uses


def test_every_command_and_option_the_readme_shows_exists():
    uses = _uses()
    assert len(uses) > 20
    seen = set()
    for command, flags in uses:
        if command not in cli.commands:
            continue  # prose: "claimcheck reads ...", "claimcheck treats ..."
        seen.add(command)
        accepted = {o for p in cli.commands[command].params for o in p.opts + p.secondary_opts} | {"--help"}
        for flag in flags:
            assert flag in accepted, f"README: `claimcheck {command} ... {flag}`: {command} has no {flag}"
    assert seen == set(cli.commands), f"README never shows {set(cli.commands) - seen}"
