"""Property tests over the three surfaces hostile input comes through (issue 26): a corpus's file
names and bytes, batch lines, and HTTP bodies. Whatever arrives, the answer is a document with an
error or a note, an error record, or a 4xx/503: never a crash, a raw control character, or a line
that is not JSON."""
from __future__ import annotations

import json
import math
import os
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.batch import check_batch, parse_line
from checker.errors import InputError
from checker.ingest import read_corpus

CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
SOME = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# names a file system takes: no separator, no NUL, not hidden, not "." or ".."
names = st.text(st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)), min_size=1,
                max_size=30).filter(lambda n: not n.startswith(".") and len(os.fsencode(n)) < 200)
contents = st.one_of(
    st.binary(max_size=3000),
    st.text(max_size=2000).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.tuples(st.text(max_size=500), st.binary(max_size=20), st.text(max_size=500)).map(
        lambda p: p[0].encode("utf-8", "surrogatepass") + p[1] + p[2].encode("utf-8", "surrogatepass")),
    st.sampled_from(["utf-16", "utf-32", "utf-8-sig"]).flatmap(
        lambda enc: st.text(max_size=300).map(
            lambda t: t.encode(enc, "surrogatepass"))),
)


@SOME
@given(name=names, suffix=st.sampled_from([".txt", ".md", ".html"]), data=contents)
def test_any_file_name_and_bytes_give_a_document_with_no_control_character(name, suffix, data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / (name + suffix)
        path.write_bytes(data)
        docs = read_corpus(tmp)
    assert len(docs) == 1
    doc = docs[0]
    assert doc.error or not CONTROL.search(doc.text)
    json.dumps(doc.name)  # a name every format can print


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12)
lines = st.one_of(
    st.binary(max_size=200),
    json_values.map(lambda v: json.dumps(v)),
    st.fixed_dictionaries({"id": json_values, "documents": st.just([])}).map(json.dumps),
    st.tuples(st.sampled_from(["NaN", "Infinity", "-Infinity", "1e999", '"\\ud800"', '"\\udfff x"']),
              json_values).map(lambda p: '{"id": %s, "documents": [], "x": %s}' % (p[0], json.dumps(p[1]))),
    st.text(max_size=80).map(lambda t: "\ufeff" + t),
)


@SOME
@given(line=lines)
def test_any_batch_line_parses_to_data_or_an_input_error(line):
    try:
        value = parse_line(line)
    except InputError:
        return
    text = json.dumps(value, allow_nan=False, ensure_ascii=False)  # finite numbers only
    text.encode("utf-8")  # no lone surrogate left


@SOME
@given(batch=st.lists(lines, min_size=1, max_size=5))
def test_a_batch_of_lines_that_check_nothing_gives_one_json_record_each(batch):
    """Lines that never reach the model (bad bytes, non-objects, empty or missing documents): one
    error record per non-blank line, each one line of valid JSON."""
    def harmless(line):
        try:
            rec = parse_line(line)
        except InputError:
            return True
        return not (isinstance(rec, dict) and isinstance(rec.get("documents"), list) and rec["documents"])

    batch = [x for x in batch if harmless(x)]
    blank = sum(1 for x in batch if not x.strip() or x.strip() in ("\ufeff", b"\xef\xbb\xbf"))
    out = list(check_batch(batch))
    assert len(out) == len(batch) - blank
    for rec in out:
        assert "error" in rec
        line = json.dumps(rec, allow_nan=False, ensure_ascii=False)
        assert "\n" not in line and json.loads(line)["line"] >= 1
        assert not isinstance(rec["id"], float) or math.isfinite(rec["id"])


@pytest.fixture(scope="module")
def preparing_client(tmp_path_factory):
    """The real app over a real service that has read its corpus and not started preparing it: the
    body checks (size, type, JSON, fields) are what answers."""
    from fastapi.testclient import TestClient

    from checker.web import CorpusService, ServeSettings, create_app

    corpus = tmp_path_factory.mktemp("web-corpus")
    (corpus / "a.txt").write_text("The mayor said 40 people came to the town hall on Monday.\n", encoding="utf-8")
    service = CorpusService(ServeSettings(str(corpus), use_cache=False))
    with TestClient(create_app(service), base_url="http://127.0.0.1", raise_server_exceptions=False) as client:
        yield client


bodies = st.one_of(
    st.binary(max_size=400),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries({"text": json_values}, optional={"date": json_values, "top": json_values,
                                                            "published": json_values}).map(
        lambda v: json.dumps(v).encode()),
    st.text(max_size=200).map(lambda t: ('{"text": "%s"}' % t).encode("utf-8", "surrogatepass")),
)


@SOME
@given(path=st.sampled_from(["/api/claim", "/api/draft", "/api/findings/x/accept"]), body=bodies,
       kind=st.sampled_from(["application/json", "application/json; charset=utf-8", "text/plain", ""]))
def test_any_http_body_gets_a_one_line_json_answer_never_a_500(preparing_client, path, body, kind):
    r = preparing_client.post(path, content=body, headers={"content-type": kind} if kind else {})
    assert r.status_code in (400, 404, 413, 415, 422, 503), (r.status_code, r.text)
    assert isinstance(r.json()["error"], str)
