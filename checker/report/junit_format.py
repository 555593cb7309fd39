"""JUnit XML: a test case per document, a failure for each finding at or above --fail-on."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from checker.models import Report, Severity


def render(report: Report, fail_on: str = "error", **_: object) -> str:
    threshold = 99 if fail_on == "never" else Severity(fail_on).rank
    suite = ET.Element("testsuite", name="claimcheck", tests=str(len(report.documents)))
    failures = 0
    for d in report.documents:
        case = ET.SubElement(suite, "testcase", classname="claimcheck", name=d.name)
        if d.error:
            ET.SubElement(case, "skipped", message=d.error)
            continue
        for f in report.findings:
            if f.severity.rank < threshold or not any(e.doc == d.name for e in f.evidence):
                continue
            where = "; ".join(f"{e.doc}:{e.line}: {e.value}" for e in f.evidence)
            node = ET.SubElement(case, "failure", type=f.rule, message=f"{f.severity.value}: {f.message}")
            node.text = f"{f.explanation}\n{where}"
            failures += 1
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", str(sum(1 for d in report.documents if d.error)))
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"
