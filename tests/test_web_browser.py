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
