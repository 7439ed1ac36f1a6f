"""POST /api/ask, GET /api/health, GET /api/sources/{id}, /docs: over the tiny fixture engine."""

from __future__ import annotations

import json
import logging
import re
import threading
import time

import pytest

from healthqa.records import DISCLAIMER

QUESTION = "what causes night knots?"


def test_ask_returns_the_answer_json_of_ask_json(client, fixture_engine):
    response = client.post("/api/ask", json={"question": QUESTION})
    assert response.status_code == 200
    assert response.json() == fixture_engine.ask(QUESTION).to_dict()
    assert response.json()["citations"][0]["id"].startswith("MPlusHealthTopics_0000001")


def _words(answer: dict) -> int:
    return sum(len(s["text"].split()) for sec in answer["sections"] for s in sec["sentences"])


def test_max_words_is_passed_to_the_engine(client, fixture_engine):
    question = "what is sniffle fever and how is it treated"
    full = client.post("/api/ask", json={"question": question}).json()
    short = client.post("/api/ask", json={"question": question, "max_words": 30}).json()
    assert short == fixture_engine.ask(question, max_words=30).to_dict()
    assert 0 < _words(short) < _words(full)


def test_lang_and_collection_are_accepted(client, fixture_engine):
    response = client.post(
        "/api/ask", json={"question": QUESTION, "lang": "en", "collection": "medquad"}
    )
    assert response.status_code == 200 and response.json()["sections"]


def test_abstains_when_sources_do_not_cover_the_question(client):
    data = client.post("/api/ask", json={"question": "how do I fix my car gearbox"}).json()
    assert data["abstained"] is True and data["sections"] == [] and "no trustworthy" in data["text"]


def test_health_is_ok_once_the_index_is_open(client):
    assert client.get("/api/health").json()["status"] == "ok"


def test_source_returns_the_cited_passage_with_title_and_url(client, fixture_engine):
    cited = client.post("/api/ask", json={"question": QUESTION}).json()["citations"][0]
    source = client.get(f"/api/sources/{cited['id']}").json()
    assert source["title"] == cited["title"] == "Leg Knots"
    assert source["url"] == "https://example.org/legknots.html"
    assert source["source"] == cited["source"] == "MedlinePlus"
    assert "cannot control" in source["text"] and "date" in source


def test_unknown_source_is_404_with_a_message(client):
    response = client.get("/api/sources/NoSuch_0000001_Sec1")
    assert response.status_code == 404 and response.json() == {"error": "no source with this id"}


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({}, "question: Field required"),
        ({"question": ""}, "question: String should have at least 1 character"),
        ({"question": 5}, "question: Input should be a valid string"),
        ({"question": "x" * 10_001}, "question: String should have at most 10000"),
        ({"question": "why?", "max_words": 5}, "max_words: Input should be greater"),
        ({"question": "why?", "lang": "xx"}, "lang: String should match"),
        ({"question": "why?", "speed": 1}, "speed: Extra inputs are not permitted"),
        (["why?"], "Input should be a valid dictionary"),
    ],
)
def test_bad_body_is_422_with_a_readable_message(client, body, words):
    response = client.post("/api/ask", json=body)
    assert response.status_code == 422
    assert set(response.json()) == {"error"} and words in response.json()["error"]


def test_body_that_is_not_json_is_422(client):
    response = client.post(
        "/api/ask", content=b"{bad", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json() == {"error": "the body is not valid JSON"}


def test_question_the_engine_refuses_is_422_with_its_message(client):
    response = client.post("/api/ask", json={"question": "   "})
    assert response.status_code == 422 and "empty" in response.json()["error"]


def test_body_over_16_kb_is_413(client):
    response = client.post("/api/ask", json={"question": "a" * 17_000})
    assert response.status_code == 413 and "16 KB" in response.json()["error"]


def test_streamed_body_over_16_kb_is_413(client):
    def chunks():
        for _ in range(20):
            yield b"x" * 1024

    response = client.post(
        "/api/ask", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


class Failing:
    """An engine whose ask raises an unexpected error naming a secret."""

    def __init__(self, engine) -> None:
        self.index = engine.index

    def ask(self, text: str, *, max_words: int | None = None):
        raise RuntimeError(f"internal detail /secret/path {text}")


def test_unexpected_error_is_500_without_a_stack_trace(fixture_engine, client_over):
    with client_over(Failing(fixture_engine)) as c:
        response = c.post("/api/ask", json={"question": QUESTION})
    assert response.status_code == 500 and response.json() == {"error": "internal error"}
    assert "Traceback" not in response.text and "secret" not in response.text


class Blocking:
    """An engine whose ask waits for `release`, to hold a slot."""

    def __init__(self, engine) -> None:
        self.engine, self.index = engine, engine.index
        self.started, self.release = threading.Event(), threading.Event()

    def ask(self, text: str, *, max_words: int | None = None):
        self.started.set()
        self.release.wait(10)
        return self.engine.ask(text, max_words=max_words)


def _in_thread(c, results: list) -> threading.Thread:
    thread = threading.Thread(
        target=lambda: results.append(c.post("/api/ask", json={"question": QUESTION}))
    )
    thread.start()
    return thread


def test_beyond_n_at_once_the_rest_get_503_with_retry_after(fixture_engine, client_over):
    engine = Blocking(fixture_engine)
    with client_over(engine, max_concurrent=1, max_waiting=0) as c:
        first: list = []
        thread = _in_thread(c, first)
        assert engine.started.wait(5)
        refused = c.post("/api/ask", json={"question": QUESTION})
        engine.release.set()
        thread.join(10)
    assert refused.status_code == 503 and refused.headers["retry-after"] == "2"
    assert first[0].status_code == 200


def test_a_waiting_request_runs_when_a_slot_frees(fixture_engine, client_over):
    engine = Blocking(fixture_engine)
    with client_over(engine, max_concurrent=1, max_waiting=4, wait_seconds=10) as c:
        results: list = []
        threads = [_in_thread(c, results)]
        assert engine.started.wait(5)
        threads.append(_in_thread(c, results))
        time.sleep(0.3)
        engine.release.set()
        for thread in threads:
            thread.join(10)
    assert [r.status_code for r in results] == [200, 200]


def test_a_request_that_waits_too_long_gets_503(fixture_engine, client_over):
    engine = Blocking(fixture_engine)
    with client_over(engine, max_concurrent=1, max_waiting=4, wait_seconds=0.2) as c:
        first: list = []
        thread = _in_thread(c, first)
        assert engine.started.wait(5)
        late = c.post("/api/ask", json={"question": QUESTION})
        engine.release.set()
        thread.join(10)
    assert late.status_code == 503 and "retry-after" in late.headers


def test_the_question_is_not_logged(client, caplog):
    secret = "what causes night knots zebra-7731?"
    with caplog.at_level(logging.DEBUG):
        client.post("/api/ask", json={"question": secret})
        client.post("/api/ask", json={"question": secret, "max_words": 1})
    assert "zebra-7731" not in caplog.text


def test_page_has_question_box_disclaimer_and_no_inline_or_remote_script(client):
    response = client.get("/")
    page = response.text
    assert response.status_code == 200 and '<label for="question">' in page
    assert DISCLAIMER in page
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, flags=re.S)
    assert scripts and all('src="/static/' in attrs and not body.strip() for attrs, body in scripts)
    assert not re.search(r'(src|href)="(https?:)?//', page)
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_static_files_are_served_and_load_nothing_remote(client):
    for name in ("app.js", "style.css"):
        response = client.get(f"/static/{name}")
        assert response.status_code == 200
        assert not re.search(r"(url\(|import|fetch\()\s*['\"]?(https?:)?//", response.text)
    assert "innerHTML" not in client.get("/static/app.js").text


def test_question_with_markup_comes_back_as_json_data(client):
    response = client.post("/api/ask", json={"question": "<script>alert(1)</script>"})
    assert response.headers["content-type"] == "application/json"
    assert json.loads(response.text)["question"] == "<script>alert(1)</script>"


def test_openapi_docs_are_served_from_here(client):
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/docs/assets/swagger-ui-bundle.js" in docs.text
    assert not re.search(r'(src|href)="https?://', docs.text)
    assert client.get("/docs/assets/swagger-ui-bundle.js").status_code == 200
    schema = client.get("/openapi.json").json()
    assert {"/api/ask", "/api/health", "/api/sources/{source_id}"} <= set(schema["paths"])


class Bilingual:
    """An engine whose ask takes `lang` (as it will once Spanish lands)."""

    def __init__(self, engine) -> None:
        self.engine, self.index, self.seen = engine, engine.index, []

    def ask(self, text: str, *, max_words: int | None = None, lang: str = "en"):
        self.seen.append(lang)
        return self.engine.ask(text, max_words=max_words)


def test_lang_is_passed_once_the_engine_takes_it(fixture_engine, client_over):
    engine = Bilingual(fixture_engine)
    with client_over(engine) as c:
        languages = c.get("/api/health").json()["languages"]
        c.post("/api/ask", json={"question": QUESTION, "lang": "es", "collection": "medquad"})
    assert languages == ["en", "es"] and engine.seen == ["es"]
