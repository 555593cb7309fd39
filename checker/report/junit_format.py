"""JUnit XML, as CI servers read it: one test case per finding and document at or above --fail-on,
each with its one `<failure>` (the JUnit schema allows a test case a single failure), and one
passing test case for each document with none; a document that could not be read is a skipped
case. A test case's class is the document, so a CI page groups the failures by article."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from checker.models import Report, Severity


def render(report: Report, fail_on: str = "error", **_: object) -> str:
    threshold = 99 if fail_on == "never" else Severity(fail_on).rank
    suite = ET.Element("testsuite", name="claimcheck")
    failures = skipped = 0
    for d in report.documents:
        if d.error:
            case = ET.SubElement(suite, "testcase", classname=d.name, name=d.name)
            ET.SubElement(case, "skipped", message=d.error)
            skipped += 1
            continue
        failing = [f for f in report.findings
                   if f.severity.rank >= threshold and any(e.doc == d.name for e in f.evidence)]
        if not failing:
            ET.SubElement(suite, "testcase", classname=d.name, name=d.name)
        for f in failing:
            here = next(e for e in f.evidence if e.doc == d.name)
            case = ET.SubElement(suite, "testcase", classname=d.name, name=f"{f.rule} line {here.line} [{f.id}]")
            node = ET.SubElement(case, "failure", type=f.rule, message=f"{f.severity.value}: {f.message}")
            node.text = f.explanation + "\n" + "\n".join(f"{e.doc}:{e.line}: {e.value}" for e in f.evidence)
            failures += 1
    suite.set("tests", str(len(suite)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", str(skipped))
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"
