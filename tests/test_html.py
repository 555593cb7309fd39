"""Web pages: the main text only, the page's date and site, offsets into the extracted text.

The pages in tests/html_pages/ are written for these tests in the shapes of real news sites (an
article with a byline and a dateline, a photo gallery, a live blog, an AMP page, a page with
scripts and reader comments); their story, an invented bridge closure, is told nowhere else.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from checker.cli import main
from checker.progress import SUMMARY
from checker.ingest.html import looks_like_html, read_page
from tests.conftest import ROOT
from tests.schemas import validate

PAGES = Path(__file__).resolve().parent / "html_pages"

# page: (sentences its main text keeps, words of furniture it must drop, date, site)
EXPECTED = {
    "article_byline.html": (
        ["Harbour bridge reopens after three-day closure",
         "The Harbour Bridge in Port Ellery reopened to traffic on Monday evening after a three-day closure",
         "Chief engineer Tomas Brevik said 14 inspectors had worked in shifts",
         "The department estimated the cost of the repairs at 2.3 million euros."],
        ["We use cookies", "Accept all", "Related stories", "Ferry operators report", "Share this article",
         "Sign up for our morning briefing", "All rights reserved", "dataLayer", "cached build", "Sport"],
        date(2024, 3, 5), "The Ellery Courier"),
    "gallery.html": (
        ["Storm Orla brought gusts of up to 110 kilometres per hour",
         "Engineers inspect a loosened support cable on the Harbour Bridge on Sunday.",
         "Traffic crosses the Harbour Bridge again on Monday evening."],
        ["1 of 6", "6 of 6", "312 partners", "More galleries", "Spring lambs", "Coastline Media Group", "img/"],
        date(2024, 3, 4), "Northshore Daily"),
    "liveblog.html": (
        ["The transport department says the Harbour Bridge will stay closed until at least Monday",
         "A replacement ferry will run every 20 minutes",
         "The Harbour Bridge in Port Ellery was closed overnight"],
        ["Load more updates", "Key events", "Contact the newsroom", "LiveBlogPosting"],
        date(2024, 3, 2), "Ellery Live"),
    "amp.html": (
        ["Harbour Bridge back open, buses resume Wednesday",
         "Chief engineer Tomas Brevik said 12 inspectors had checked every anchor point"],
        ["gtag", "amp-start", "Privacy", "G-EXAMPLE"],
        date(2024, 3, 5), "Coastline Post"),
    "scripts_comments.html": (
        ["The city of Port Ellery will pay an estimated 2.3 million euros to repair the Harbour Bridge",
         "Councillor Ruth Amadi asked why the cables had last been inspected in 2019."],
        ["reopened on Sunday", "five-day", "five days", "harbourwatcher", "Typical council", "Add a comment",
         "Subscribe from", "enable JavaScript", "trackParagraph", "4 million"],
        date(2024, 3, 6), "Harbour Times"),
}


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_the_main_text_date_and_site_of_each_page(page):
    keep, drop, published, site = EXPECTED[page]
    found = read_page((PAGES / page).read_text(encoding="utf-8"))
    for sentence in keep:
        assert sentence in found.text, (page, sentence)
    for words in drop:
        assert words not in found.text, (page, words)
    assert "<" not in found.text and "{" not in found.text
    assert (found.published, found.site) == (published, site)


def test_saved_pages_are_told_from_text_by_their_content():
    assert looks_like_html("<!DOCTYPE html>\n<html><body><p>x</p></body></html>")
    assert looks_like_html("\ufeff  <!-- saved from url=(0042) -->\n<html lang='en'>")
    assert looks_like_html("<!doctype html>\n<html ⚡>")
    assert not looks_like_html("The <b>bold</b> claim of a plain article.\n")
    assert not looks_like_html("Use <html> tags, the tutorial said.")


def _cli_json(folder: Path) -> dict:
    run = subprocess.run([sys.executable, "-m", "checker", "check", str(folder), "--format", "json",
                          "--fail-on", "never"], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "HF_HUB_OFFLINE": "1"}, timeout=600)
    # standard error piped: the one summary line of checker.progress, nothing else
    assert run.returncode == 0 and SUMMARY.match(run.stderr) and run.stderr.count("\n") == 1, run.stderr
    return validate(json.loads(run.stdout), "report")


def _signature(report: dict) -> list:
    return sorted((f["rule"], f["message"], tuple((os.path.splitext(e["doc"])[0], e["start"], e["end"], e["text"],
                                                   e["value"]) for e in f["evidence"]))
                  for f in report["findings"])


def test_a_folder_of_pages_through_the_command_line(embedder, capsys, tmp_path):
    folder = tmp_path / "pages"
    shutil.copytree(PAGES, folder)
    assert main(["check", str(folder), "--format", "json", "--fail-on", "never"]) == 0  # fills the cache
    capsys.readouterr()
    report = _cli_json(folder)
    docs = {d["file"]: d for d in report["documents"]}
    assert set(docs) == set(EXPECTED)
    for name, (_, _, published, site) in EXPECTED.items():
        d = docs[name]
        assert (d["published"], d["published_source"], d["outlet"], d["source_format"]) == \
            (published.isoformat(), "html", site, "html")
    for f in report["findings"]:
        for e in f["evidence"]:
            assert docs[e["doc"]]["text"][e["start"]:e["end"]] == e["text"]
    # the conflict the pages were written with: 14 inspectors (the Courier) against 12 (the Post);
    # and no evidence from the comments, the scripts or the gallery's counters (whatever else the
    # rules make of the articles' own sentences is theirs to judge)
    assert ("CC-NUM-001", ["12", "14"]) in [(f["rule"], sorted(e["value"] for e in f["evidence"]))
                                            for f in report["findings"]]
    for f in report["findings"]:
        for e in f["evidence"]:
            assert not any(words in e["text"] for words in EXPECTED[e["doc"]][1]), (f["rule"], e["text"])


def test_a_manifest_overrides_the_pages_date_and_site(embedder, capsys, tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copy(PAGES / "amp.html", folder / "amp.html")
    (folder / "MANIFEST.json").write_text(json.dumps({"documents": [
        {"file": "amp.html", "published": "2024-03-07", "outlet": "Wire copy"}]}), encoding="utf-8")
    assert main(["check", str(folder), "--format", "json", "--fail-on", "never"]) == 0
    d = validate(json.loads(capsys.readouterr().out), "report")["documents"][0]
    assert (d["published"], d["published_source"], d["outlet"]) == ("2024-03-07", "manifest", "Wire copy")


def test_a_saved_page_named_txt_and_a_plain_text_copy_give_the_same_findings(embedder, capsys, tmp_path):
    as_html, as_txt, as_text = tmp_path / "html", tmp_path / "txt", tmp_path / "text"
    for folder in (as_html, as_txt, as_text):
        folder.mkdir()
        shutil.copy(PAGES / "amp.html", folder / "amp.html")
    shutil.copy(PAGES / "article_byline.html", as_html / "courier.html")
    shutil.copy(PAGES / "article_byline.html", as_txt / "courier.txt")  # a saved page under another name
    page = read_page((PAGES / "article_byline.html").read_text(encoding="utf-8"))
    (as_text / "courier.txt").write_text(page.text, encoding="utf-8")  # its text, copied out
    (as_text / "MANIFEST.json").write_text(json.dumps({"documents": [
        {"file": "courier.txt", "published": page.published.isoformat()}]}), encoding="utf-8")
    reports = []
    for folder in (as_html, as_txt, as_text):
        assert main(["check", str(folder), "--format", "json", "--fail-on", "never"]) == 0
        capsys.readouterr()
        reports.append(_cli_json(folder))
    assert reports[0]["findings"]
    assert _signature(reports[0]) == _signature(reports[1]) == _signature(reports[2])
    txt = {d["file"]: d for d in reports[1]["documents"]}["courier.txt"]
    assert txt["source_format"] == "html" and txt["published_source"] == "html"
