"""The page in a real browser: headless Chromium (Debian's chromium + chromium-driver) driven by
Selenium. Skips cleanly where either is missing; the accessibility check runs axe-core from npm
when it is installed ($HEALTHQA_AXE, or .venv/node/node_modules/axe-core/axe.min.js)."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

webdriver = pytest.importorskip("selenium.webdriver", reason="needs the browser extra")
uvicorn = pytest.importorskip("uvicorn")

from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from healthqa.serving.app import create_app  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
AXE = Path(os.environ.get("HEALTHQA_AXE") or ROOT / ".venv/node/node_modules/axe-core/axe.min.js")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
EMERGENCY = "I have chest pain and shortness of breath, what should I do?"

pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER), reason="needs chromium and chromium-driver (apt)"
)


@pytest.fixture(scope="module")
def engine_and_question(request):
    """The real engine when ../shared/data is here (CI); else the tiny fixture engine."""
    try:
        return request.getfixturevalue("medquad_engine"), "Why does spasm occur?"
    except pytest.skip.Exception:
        return request.getfixturevalue("fixture_engine"), "what causes night knots?"


@pytest.fixture(scope="module")
def site(engine_and_question):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(
        create_app(engine=engine_and_question[0]),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.add_argument("--window-size=1280,900")
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(DRIVER))
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def ask(browser, site: str, question: str) -> None:
    browser.get(site)
    box = browser.find_element(By.ID, "question")
    box.send_keys(question)
    browser.find_element(By.ID, "ask-button").click()
    WebDriverWait(browser, 60).until(EC.visibility_of_element_located((By.ID, "answer")))


def test_question_answer_sections_and_citation_opens_the_source(
    browser, site, engine_and_question, tmp_path
):
    engine, question = engine_and_question
    expected = engine.ask(question).to_dict()
    browser.set_window_size(1280, 900)
    ask(browser, site, question)
    headings = [h.text for h in browser.find_elements(By.CSS_SELECTOR, ".answer-section h3")]
    assert headings == [s["title"] for s in expected["sections"]] and headings
    assert "Causes" in headings
    assert browser.find_element(By.ID, "notice").is_displayed() is False
    assert "not a diagnosis" in browser.find_element(By.ID, "disclaimer").text
    browser.save_screenshot(str(tmp_path / "answer-desktop.png"))

    link = browser.find_element(By.CSS_SELECTOR, "a.cite")
    first = expected["citations"][0]
    assert link.text == "[1]"
    link.click()
    WebDriverWait(browser, 20).until(EC.visibility_of_element_located((By.ID, "source")))
    assert first["title"] in browser.find_element(By.ID, "source-heading").text
    assert len(browser.find_element(By.ID, "source-text").text) > 50
    original = browser.find_element(By.ID, "source-url")
    assert original.get_attribute("href") == first["url"] and original.is_displayed()
    browser.save_screenshot(str(tmp_path / "source-desktop.png"))


def test_emergency_question_shows_the_notice_first(browser, site, tmp_path):
    browser.set_window_size(1280, 900)
    ask(browser, site, EMERGENCY)
    notice = browser.find_element(By.ID, "notice")
    assert notice.is_displayed() and "911" in notice.text
    after = browser.find_elements(By.CSS_SELECTOR, "#abstain:not([hidden]), .answer-section")
    assert after and all(notice.location["y"] < el.location["y"] for el in after)
    browser.save_screenshot(str(tmp_path / "emergency-desktop.png"))


def test_phone_width_keyboard_only_and_markup_shown_as_text(browser, site, tmp_path):
    browser.set_window_size(360, 800)
    browser.get(site)
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)  # the skip link
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    for _ in range(5):
        if browser.switch_to.active_element.get_attribute("id") == "question":
            break
        browser.switch_to.active_element.send_keys(Keys.TAB)
    assert browser.switch_to.active_element.get_attribute("id") == "question"
    browser.switch_to.active_element.send_keys("<script>alert(1)</script>")
    while browser.switch_to.active_element.get_attribute("id") != "ask-button":
        browser.switch_to.active_element.send_keys(Keys.TAB)
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    WebDriverWait(browser, 60).until(EC.visibility_of_element_located((By.ID, "answer")))
    assert browser.find_element(By.ID, "asked").text == "<script>alert(1)</script>"
    assert not browser.find_elements(By.CSS_SELECTOR, "#answer script")
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= browser.execute_script("return window.innerWidth")
    browser.save_screenshot(str(tmp_path / "answer-phone-360.png"))


@pytest.mark.skipif(not AXE.is_file(), reason="axe-core not installed (npm install axe-core)")
def test_no_serious_accessibility_violations(browser, site, engine_and_question):
    browser.set_window_size(1280, 900)
    ask(browser, site, engine_and_question[1])
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    browser.set_script_timeout(60)
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document).then(r => done(r.violations)).catch(e => done(String(e)));"
    )
    assert isinstance(result, list), result
    serious = [
        (v["id"], v["impact"], v["help"]) for v in result if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
