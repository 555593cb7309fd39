"""The desk's part of `claimcheck serve`, through the ASGI test client with the real model: sources
added by paste, upload and address while the server runs (checked in place, kept outside the
corpus, back after a restart), each finding's status and note (SQLite in the state folder, exported
as JSON, CSV or a baseline), the draft with its contradicted sentences marked, and 4xx answers with
a message for bad input.

The reports are compared with the pipeline's own run over the same documents, never with findings
written down here: the web app adds no judgement of its own.
"""
from __future__ import annotations

import base64
import csv
import io
from pathlib import Path

import pytest

from checker.web import CorpusService, ServeSettings
from tests.conftest import SEEDS
from tests.seeds_prepared import seeds_prepared
from tests.web_server import app_client, seeds_service
from tests.web_sources import PAGE, PASTED, local_site


@pytest.fixture(scope="module")
def state_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("desk-state")


@pytest.fixture(scope="module")
def service(embedder, state_dir):
    with seeds_service(embedder, state_dir=str(state_dir)) as svc:
        yield svc


@pytest.fixture(scope="module")
def client(service):
    with app_client(service) as c:
        yield c


def _corpus_snapshot() -> dict:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in SEEDS.iterdir()}


def _report_of(documents, embedder) -> dict:
    """The pipeline's own report over these documents (seeds prepared, the others prepared here)."""
    from checker.pipeline import run_prepared
    from checker.report.json_format import report_dict

    seeds = seeds_prepared(embedder)
    extra = [d for d in documents if d.name not in {s.name for s in seeds.documents}]
    return report_dict(run_prepared(seeds, extra, keep_pairs=False).report)


# ---- adding sources ------------------------------------------------------------------------------

def test_a_pasted_source_is_checked_in_place_and_kept_outside_the_corpus(client, service, state_dir, embedder):
    before = _corpus_snapshot()
    n = len(client.get("/api/report").json()["documents"])
    r = client.post("/api/sources/paste", json={"title": "Blinken ends Beijing trip", "outlet": "Desk Wire",
                                                "text": PASTED, "published": "2023-06-20"})
    assert r.status_code == 200, r.text
    added = r.json()
    assert added["name"].startswith("added/") and added["outlet"] == "Desk Wire" and added["documents"] == n + 1
    report = client.get("/api/report").json()
    doc = next(d for d in report["documents"] if d["file"] == added["name"])
    assert doc["outlet"] == "Desk Wire" and doc["published"] == "2023-06-20"
    # the same findings as the pipeline's run over the seeds and this document
    expected = _report_of(service.documents, embedder)
    assert [f["id"] for f in report["findings"]] == [f["id"] for f in expected["findings"]]
    assert any(e["doc"] == added["name"] for f in report["findings"] for e in f["evidence"])  # it was compared
    assert _corpus_snapshot() == before  # nothing written into the corpus
    kept = list((state_dir / "sources").iterdir())
    assert [p.name for p in kept] == [added["name"].removeprefix("added/")]
    assert "Blinken ends Beijing trip" in kept[0].read_text(encoding="utf-8")
    # the page names the outlet over its column and says where the source is kept
    page = client.get("/").text
    assert "<title>Overview · claimcheck</title>" in page and page.count('id="paste-form"') == 1
    assert f'<th class="source" title="{added["name"]}">' in page and ">Desk Wire</a></th>" in page
    assert str(state_dir) in page and "never in the corpus folder" in page
    listed = client.get("/api/sources").json()
    assert [s["name"] for s in listed["sources"]] == [added["name"]] and listed["state_dir"] == str(state_dir)


def test_a_page_fetched_from_an_address_takes_its_site_name(client, tmp_path):
    (tmp_path / "talks.html").write_text(PAGE, encoding="utf-8")
    with local_site(tmp_path) as site:
        r = client.post("/api/sources/url", json={"url": f"{site}/talks.html"})
        assert r.status_code == 200, r.text
        added = r.json()
        assert added["outlet"] == "Harbour Gazette" and added["published"] == "2023-06-19"
        missing = client.post("/api/sources/url", json={"url": f"{site}/nothing.html"})
        assert missing.status_code == 400 and "HTTP 404" in missing.json()["error"]
    doc = client.get(f"/doc/{added['name']}").text
    assert "three hours" in doc and "Contact us" not in doc  # the main text, not the page's furniture
    report = client.get("/api/report").json()
    assert any(c["doc"] == added["name"] for f in report["facts"] for c in f["claims"])


def test_an_uploaded_file_and_removing_it(client, service):
    text = "Wang Yi meets Blinken\n\nChina's top diplomat Wang Yi met Antony Blinken in Beijing on Monday.\n"
    r = client.post("/api/sources/upload", json={"filename": "wang-yi.md", "outlet": "Upload Times",
                                                 "data": base64.b64encode(text.encode()).decode()})
    assert r.status_code == 200, r.text
    name = r.json()["name"]
    assert name.endswith(".md") and name in {d.name for d in service.documents}
    n = r.json()["documents"]
    gone = client.post("/api/sources/remove", json={"name": name})
    assert gone.status_code == 200 and gone.json()["documents"] == n - 1
    assert name not in {d["file"] for d in client.get("/api/report").json()["documents"]}
    assert client.post("/api/sources/remove", json={"name": name}).status_code == 404


@pytest.mark.parametrize("path, body, status, words", [
    ("/api/sources/paste", {"title": "x", "text": ""}, 422, "text"),
    ("/api/sources/paste", {"title": "x", "text": "   "}, 400, "empty"),
    ("/api/sources/paste", {"text": "Blinken arrived."}, 422, "title"),
    ("/api/sources/paste", {"title": "x", "text": "Blinken arrived.", "published": "19 June"}, 400, "ISO date"),
    ("/api/sources/upload", {"filename": "a.pdf", "data": "aGVsbG8="}, 400, "not a .txt"),
    ("/api/sources/upload", {"filename": "a.txt", "data": "not base64!"}, 400, "base64"),
    ("/api/sources/upload", {"filename": "a.txt", "data": base64.b64encode(b"\x00\x01\x02" * 100).decode()},
     400, "binary"),
    ("/api/sources/url", {"url": "file:///etc/passwd"}, 400, "not an http"),
    ("/api/sources/url", {"url": "http://127.0.0.1:1/closed"}, 400, "could not fetch"),
    ("/api/sources/remove", {}, 422, "name"),
])
def test_bad_sources_get_a_4xx_with_a_message(client, path, body, status, words):
    before = len(client.get("/api/report").json()["documents"])
    r = client.post(path, json=body)
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert words in error and "\n" not in error
    assert len(client.get("/api/report").json()["documents"]) == before  # nothing added


def test_a_seed_pasted_again_is_refused(client):
    text = (SEEDS / "003_df74848942b8800c.txt").read_bytes()
    r = client.post("/api/sources/upload", json={"filename": "again.txt", "data": base64.b64encode(text).decode()})
    assert r.status_code == 400 and "003_df74848942b8800c.txt" in r.json()["error"]


def test_sources_posted_as_a_form_are_refused(client):
    assert client.post("/api/sources/paste", data={"title": "x", "text": "y"}).status_code == 415


# ---- statuses and notes ----------------------------------------------------------------------------

def _a_finding(client) -> dict:
    return client.get("/api/report").json()["findings"][0]


def test_a_finding_dismissed_with_a_note_is_shown_and_exported(client, state_dir):
    from checker.baseline import load_baseline

    finding = _a_finding(client)
    r = client.post(f"/api/findings/{finding['id']}/status", json={"status": "dismissed", "note": "a typo, fixed"})
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["note"], r.json()["rule"]) == ("dismissed", "a typo, fixed", finding["rule"])
    for page in (client.get(f"/finding/{finding['id']}").text, client.get("/").text):
        form = page.split(f'id="status-form-{finding["id"]}"', 1)[1].split("</form>", 1)[0]
        assert '<option value="dismissed" selected>' in form and 'value="a typo, fixed"' in form
    exported = client.get("/api/findings/export?format=json")
    assert exported.headers["content-disposition"].startswith("attachment")
    rows = {row["id"]: row for row in exported.json()["findings"]}
    assert rows[finding["id"]]["status"] == "dismissed" and rows[finding["id"]]["note"] == "a typo, fixed"
    assert {row["status"] for i, row in rows.items() if i != finding["id"]} <= {"open", "confirmed", "dismissed"}
    table = list(csv.DictReader(io.StringIO(client.get("/api/findings/export?format=csv").text)))
    assert {(t["id"], t["status"], t["note"]) for t in table} >= {(finding["id"], "dismissed", "a typo, fixed")}
    baseline = state_dir / "exported-baseline.json"
    baseline.write_text(client.get("/api/findings/export?format=baseline").text, encoding="utf-8")
    assert finding["id"] in load_baseline(str(baseline))
    assert (state_dir / "desk.sqlite").is_file()


def test_statuses_and_sources_outlive_the_server(embedder, client, state_dir):
    finding = _a_finding(client)
    client.post(f"/api/findings/{finding['id']}/status", json={"status": "confirmed", "note": "called the ministry"})
    added = {s["name"] for s in client.get("/api/sources").json()["sources"]}
    assert added
    again = CorpusService(ServeSettings(str(SEEDS), use_cache=False, state_dir=str(state_dir)),
                          embedder=embedder, prepared=seeds_prepared(embedder))
    try:
        assert added <= {d.name for d in again.documents}  # the added sources are read again
        st = again.desk.statuses()[finding["id"]]
        assert (st.status, st.note) == ("confirmed", "called the ministry")
    finally:
        again.close()


@pytest.mark.parametrize("body, status, words", [
    ({"status": "wrong"}, 422, "status"),
    ({"note": "x"}, 422, "status"),
    ({"status": "dismissed", "note": "x" * 4001}, 422, "note"),
])
def test_bad_statuses_get_a_4xx_with_a_message(client, body, status, words):
    r = client.post(f"/api/findings/{_a_finding(client)['id']}/status", json=body)
    assert r.status_code == status and words in r.json()["error"]


def test_unknown_findings_and_formats(client):
    assert client.post("/api/findings/nope/status", json={"status": "open"}).status_code == 404
    r = client.post("/api/findings/baseline", json={})  # this server was given no --baseline
    assert r.status_code == 409 and "--baseline" in r.json()["error"]
    assert 'id="write-baseline"' not in client.get("/").text
    r = client.get("/api/findings/export?format=xml")
    assert r.status_code == 400 and "csv" in r.json()["error"]


# ---- the state folder ------------------------------------------------------------------------------

@pytest.mark.parametrize("setting, inside", [("baseline", "baseline.json"), ("state_dir", "state")])
def test_a_baseline_or_state_folder_inside_the_corpus_is_refused(tmp_path, setting, inside):
    from checker.errors import InputError

    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Something happened on Monday.\n", encoding="utf-8")
    with pytest.raises(InputError, match="inside the corpus"):
        CorpusService(ServeSettings(str(corpus), **{setting: str(corpus / inside)}))
    assert [p.name for p in corpus.iterdir()] == ["a.txt"]


def test_a_state_folder_that_is_a_file_is_refused(tmp_path):
    from checker.errors import InputError

    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="is a file"):
        CorpusService(ServeSettings(str(SEEDS), state_dir=str(tmp_path / "file")))


def test_the_default_state_folder_is_per_corpus_under_the_user_state_folder(tmp_path, monkeypatch):
    from checker.web.desk import default_state_dir

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    one, two = tmp_path / "a" / "seeds", tmp_path / "b" / "seeds"
    assert default_state_dir(str(one)) != default_state_dir(str(two))
    assert default_state_dir(str(one)).name.startswith("seeds-")
    assert str(default_state_dir(str(one))).startswith(str(tmp_path / "state"))


# ---- the draft -------------------------------------------------------------------------------------

def test_the_draft_comes_back_with_its_contradicted_sentences_marked(client):
    text = (SEEDS / "003_df74848942b8800c.txt").read_text(encoding="utf-8")
    text = text.replace("culminated on Monday", "culminated on Tuesday", 1)
    r = client.post("/api/draft", json={"text": text})
    assert r.status_code == 200, r.text
    data = r.json()
    runs = data["marked"]
    assert "".join(run["text"] for run in runs) == text  # the draft as written, nothing lost
    marked = [run for run in runs if run.get("look")]
    ids = {f["id"] for f in data["findings"]}
    assert marked and all(set(run["findings"]) <= ids for run in marked)
    # every evidence span of the draft is marked, and nothing else
    spans = {(e["start"], e["end"]) for f in data["findings"] for e in f["evidence"] if e["doc"] == data["draft"]}
    at, covered = 0, set()
    for run in runs:
        if run.get("look"):
            covered |= set(range(at, at + len(run["text"])))
        at += len(run["text"])
    assert covered == set().union(*(set(range(a, b)) for a, b in spans))
    assert any(run["look"].startswith("value") and run["text"] == "Tuesday" for run in marked)


def test_beyond_loopback_the_server_fetches_no_local_address(service, tmp_path):
    (tmp_path / "talks.html").write_text(PAGE, encoding="utf-8")
    with local_site(tmp_path) as site, \
            app_client(service, base_url="http://newsroom.example", loopback_only=False) as c:
        r = c.post("/api/sources/url", json={"url": f"{site}/talks.html"})
    assert r.status_code == 400 and "local or private address" in r.json()["error"]


def test_the_export_keeps_marked_findings_gone_from_the_report_and_no_formula_in_csv():
    from checker.web.desk import FindingStatus, export_rows, export_text

    findings = [{"id": "a1", "rule": "CC-NUM-001", "severity": "error", "message": "40 or 45"}]
    statuses = {"b2": FindingStatus("b2", "dismissed", "=HYPERLINK(\"x\")", "CC-DATE-001", "Monday or Tuesday",
                                    "2026-01-01T00:00:00+00:00")}
    rows = export_rows(findings, statuses)
    assert [(r["id"], r["status"], r["present"]) for r in rows] == [("a1", "open", True), ("b2", "dismissed", False)]
    table = list(csv.DictReader(io.StringIO(export_text(rows, "csv")[0])))
    assert table[1]["note"] == "'=HYPERLINK(\"x\")"  # shown as text by a spreadsheet, not run
