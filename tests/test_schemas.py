"""The JSON Schemas of docs/schemas/ hold the outputs, and catch an output that breaks the contract."""
from __future__ import annotations

import copy
import json

import pytest
from jsonschema import Draft202012Validator

from checker.report import render
from tests.schemas import NAMES, SCHEMAS, validate


def test_every_output_has_a_valid_draft_2020_12_schema():
    found = sorted(p.name for p in SCHEMAS.glob("*.schema.json"))
    assert found == sorted(f"{n}.schema.json" for n in NAMES)
    for path in SCHEMAS.glob("*.schema.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        Draft202012Validator.check_schema(schema)


@pytest.fixture(scope="module")
def seeds_json(seeds_report) -> dict:
    return json.loads(render(seeds_report, "json"))


def test_the_seeds_report_and_its_facts_validate(seeds_json):
    validate(seeds_json, "report")
    validate({"schema_version": seeds_json["schema_version"], "facts": seeds_json["facts"]}, "facts")
    assert seeds_json["findings"] and seeds_json["facts"]  # the schema saw findings and facts, not []


@pytest.mark.parametrize("break_it", [
    lambda r: r.pop("summary"),
    lambda r: r["findings"][0].update(severity="fatal"),
    lambda r: r["findings"][0]["evidence"].pop(),  # a finding rests on two claims at least
    lambda r: r["findings"][0].update(extra="undocumented"),
    lambda r: r["documents"][0].update(published="20 June 2023"),
    lambda r: r["facts"][0]["claims"][0].pop("value"),
])
def test_a_report_that_breaks_the_contract_fails(seeds_json, break_it):
    broken = copy.deepcopy(seeds_json)
    break_it(broken)
    with pytest.raises(AssertionError, match="report schema"):
        validate(broken, "report")


def test_a_batch_line_is_a_result_or_an_error_record():
    validate({"id": 3, "line": 2, "error": "expected a JSON object", "findings": []}, "batch-line")
    validate({"id": "a", "documents": [], "findings": []}, "batch-line")
    with pytest.raises(AssertionError):
        validate({"id": 3, "line": 2, "error": "x", "findings": [], "documents": []}, "batch-line")
    with pytest.raises(AssertionError):
        validate({"id": 3, "line": 0, "error": "x", "findings": []}, "batch-line")


def test_a_claim_answer_with_an_unknown_verdict_fails():
    answer = {"schema": "claim/1.0", "claim": "x", "date": None, "verdict": "supported", "threshold": 0.6,
              "best_similarity": 0.7, "sources": [], "values": []}
    validate(answer, "claim")
    with pytest.raises(AssertionError, match="claim schema"):
        validate({**answer, "verdict": "true"}, "claim")
