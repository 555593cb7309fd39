"""End to end in a real headless browser: `claimcheck serve seeds` started as a subprocess, Debian's
chromium driven through chromedriver with Selenium (nothing downloaded at run time). Skipped, with
the reason printed (pytest -rs), where chromium or chromedriver is not installed; `.ci/run`
installs both from Debian's packages first."""
from __future__ import annotations

import os

import pytest

from tests.conftest import SEEDS
from tests.web_server import browser_paths, running_server

PHONE_DOCS = ("001_60cf788c8bc8659d.txt", "002_3bf4201df3802dec.txt")
CLAIM = "Blinken spoke by phone with Qin Gang on Wednesday"


@pytest.fixture(scope="module")
def browser():
    paths = browser_paths()
    if isinstance(paths, str):
        pytest.skip(paths)
    pytest.importorskip("selenium", reason="no browser: selenium not installed (pip install -e '.[test]')")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must never fetch a browser or a driver
    chromium, driver = paths
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1300,1000", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"):
        options.add_argument(arg)
    try:
        drv = webdriver.Chrome(service=Service(executable_path=driver), options=options)
    except Exception as exc:  # a browser that is there but cannot start here is a skip, with why
        pytest.skip(f"no browser: chromium did not start ({type(exc).__name__}: {str(exc).splitlines()[0]})")
    drv.set_page_load_timeout(60)
    yield drv
    drv.quit()


@pytest.fixture(scope="module")
def server():
    with running_server(SEEDS) as base:
        yield base


def test_overview_finding_and_a_claim_in_the_browser(browser, server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select, WebDriverWait

    wait = WebDriverWait(browser, 30)
    browser.get(server + "/")
    table = wait.until(ec.presence_of_element_located((By.ID, "facts")))
    headers = [th.get_attribute("title") for th in table.find_elements(By.CSS_SELECTOR, "thead th.source")]
    assert all(d in headers for d in PHONE_DOCS), headers

    # the phone call: Tuesday in one source, Wednesday in the other, marked as a conflict
    rows = table.find_elements(By.CSS_SELECTOR, "tbody tr.fact.conflict[data-kind~='CC-DATE-001']")
    phone = [r for r in rows if "Tuesday 2023-06-13" in r.text and "Wednesday 2023-06-14" in r.text]
    assert len(phone) == 1, [r.text for r in rows]
    row = phone[0]
    cells = row.find_elements(By.CSS_SELECTOR, "td.value")
    by_doc = {h: c.text for h, c in zip(headers, cells)}
    assert "Tuesday 2023-06-13" in by_doc[PHONE_DOCS[0]] and "Wednesday 2023-06-14" in by_doc[PHONE_DOCS[1]]

    # the filters hide it when asked for another rule, and show it again
    Select(browser.find_element(By.ID, "filter-rule")).select_by_value("CC-PERIOD-001")
    assert not row.is_displayed()
    Select(browser.find_element(By.ID, "filter-rule")).select_by_value("CC-DATE-001")
    assert row.is_displayed()

    # the finding: both sentences, the arithmetic
    links = [a for a in row.find_elements(By.CSS_SELECTOR, "td.measure a.finding-link")
             if "Tuesday 2023-06-13 and Wednesday 2023-06-14" in a.text]
    assert len(links) == 1, [a.text for a in row.find_elements(By.CSS_SELECTOR, "td.measure a")]
    links[0].click()
    message = wait.until(ec.presence_of_element_located((By.ID, "finding-message")))
    assert "Tuesday 2023-06-13 and Wednesday 2023-06-14" in message.text
    marks = [m.text for m in browser.find_elements(By.CSS_SELECTOR, ".evidence mark")]
    assert marks == ["Tuesday night", "Wednesday"], marks
    assert "1 day apart" in browser.find_element(By.ID, "explanation").text

    # a claim typed there: the verdict appears without a page reload
    browser.execute_script("window.__same_page = true")
    box = browser.find_element(By.ID, "claim-text")
    box.send_keys(CLAIM)
    browser.find_element(By.ID, "claim-submit").click()
    verdict = wait.until(ec.visibility_of_element_located((By.ID, "claim-verdict")))
    assert browser.execute_script("return window.__same_page === true")
    assert verdict.text == _api_verdict(server, CLAIM).upper()  # what the rules say, shown as it is
    assert verdict.text in ("CONTRADICTED", "MIXED")  # 001 has the call on Tuesday
    answer = browser.find_element(By.ID, "claim-answer").text
    assert "conflicts CC-DATE-001 001_60cf788c8bc8659d.txt" in answer and "Tuesday 2023-06-13" in answer


def _api_verdict(server: str, text: str) -> str:
    import json
    import urllib.request

    request = urllib.request.Request(server + "/api/claim", data=json.dumps({"text": text}).encode(),
                                     headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as r:
        return json.load(r)["verdict"]


def _submit_and_wait_for_reload(browser, wait, button_id: str) -> None:
    """Click a form's button whose answer reloads the page, and wait for the new page."""
    from selenium.webdriver.common.by import By

    browser.execute_script("window.__old_page = true")
    browser.find_element(By.ID, button_id).click()
    wait.until(lambda b: b.execute_script("return window.__old_page !== true && document.readyState === 'complete'"))


def _source_labels(browser) -> dict[str, str]:
    """Each column of the facts table: document name -> the label a reader sees."""
    from selenium.webdriver.common.by import By

    return {th.get_attribute("title"): th.text.replace("⇅", "").strip()
            for th in browser.find_elements(By.CSS_SELECTOR, "#facts thead th.source")}


def test_a_desk_adds_sources_marks_a_finding_and_finds_both_kept(browser, server, tmp_path):
    import json

    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select, WebDriverWait

    from tests.web_sources import PAGE, PASTED, local_site

    wait = WebDriverWait(browser, 300)  # adding a source prepares it and compares the corpus again
    browser.get(server + "/")
    wait.until(ec.presence_of_element_located((By.ID, "facts")))

    # the facts table's columns are the outlets the manifest names, not file names
    manifest = json.loads((SEEDS / "MANIFEST.json").read_text(encoding="utf-8"))
    outlets = {e["file"]: e["outlet"] for e in manifest["documents"] if e.get("outlet")}
    labels = _source_labels(browser)
    assert labels and all(labels[d].startswith(outlets[d]) for d in labels if d in outlets), labels
    assert not any(label.endswith(".txt") for d, label in labels.items() if d in outlets)

    # a pasted article: checked at once, its outlet over its own column, its file outside the corpus
    browser.find_element(By.ID, "paste-title").send_keys("Blinken ends Beijing trip")
    browser.find_element(By.ID, "paste-text").send_keys(PASTED)
    browser.find_element(By.CSS_SELECTOR, "#paste-form input[name=outlet]").send_keys("Desk Wire")
    _submit_and_wait_for_reload(browser, wait, "paste-submit")
    assert "Desk Wire" in _source_labels(browser).values()
    assert "Blinken ends Beijing trip" in browser.find_element(By.ID, "added-sources").text
    assert "never in the corpus folder" in browser.find_element(By.ID, "sources").text

    # a page fetched from an address: its site name is its outlet
    (tmp_path / "talks.html").write_text(PAGE, encoding="utf-8")
    with local_site(tmp_path) as site:
        browser.find_element(By.ID, "url-address").send_keys(f"{site}/talks.html")
        _submit_and_wait_for_reload(browser, wait, "url-submit")
    assert "Harbour Gazette" in _source_labels(browser).values()
    assert len(browser.find_elements(By.CSS_SELECTOR, "#added-sources li")) == 2

    # a finding dismissed with a note, on the overview
    form = browser.find_element(By.CSS_SELECTOR, "ul.findings form.status-form")
    finding = form.get_attribute("data-finding")
    Select(form.find_element(By.NAME, "status")).select_by_value("dismissed")
    form.find_element(By.NAME, "note").send_keys("checked with the desk: a typo")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(lambda b: "saved" in form.find_element(By.CSS_SELECTOR, "[data-role=status-saved]").text)

    # reloaded: both sources and the status and note are still there, on the overview and the finding's page
    browser.refresh()
    wait.until(ec.presence_of_element_located((By.ID, "facts")))
    assert {"Desk Wire", "Harbour Gazette"} <= set(_source_labels(browser).values())
    form = browser.find_element(By.ID, f"status-form-{finding}")
    assert Select(form.find_element(By.NAME, "status")).first_selected_option.get_attribute("value") == "dismissed"
    assert form.find_element(By.NAME, "note").get_attribute("value") == "checked with the desk: a typo"
    assert form.find_element(By.CSS_SELECTOR, "[data-role=status-badge]").text == "dismissed"
    browser.get(f"{server}/finding/{finding}")
    form = wait.until(ec.presence_of_element_located((By.ID, f"status-form-{finding}")))
    assert form.find_element(By.NAME, "note").get_attribute("value") == "checked with the desk: a typo"


def test_the_draft_comes_back_with_its_wrong_sentences_marked(browser, server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 120)
    text = (SEEDS / "003_df74848942b8800c.txt").read_text(encoding="utf-8")
    draft = text.replace("culminated on Monday", "culminated on Tuesday", 1)
    assert draft != text
    browser.get(server + "/check")
    box = wait.until(ec.presence_of_element_located((By.ID, "draft-text")))
    browser.execute_script("arguments[0].value = arguments[1]", box, draft)  # faster than typing it
    browser.find_element(By.ID, "draft-submit").click()
    marked = wait.until(ec.visibility_of_element_located((By.ID, "draft-marked")))
    assert " ".join(marked.text.split()) == " ".join(draft.split())  # the draft as written
    values = [s.text for s in marked.find_elements(By.CSS_SELECTOR, "span.value")]
    assert "Tuesday" in values, values
    sentence = marked.find_elements(By.CSS_SELECTOR, "span.contradicted")
    assert sentence and all(s.get_attribute("title") for s in sentence)  # the finding's message on hover
