"""Nothing leaves the machine and no question is kept: the question analysis, the emergency
check, the safety pass and `Engine.ask` run with every outbound socket refused, and a
question leaves no trace in files or log records."""

from __future__ import annotations

import logging
import socket
from pathlib import Path

import pytest

from healthqa.analysis.emergency import detect_emergency, emergency_notice
from healthqa.answer.faithfulness import check_sentence, warning_sentence
from healthqa.answer.readability import readability

# A word no corpus holds, so that any copy of the question on disk or in a log is found.
MARKER = "quixotrel"
QUESTION = f"my dad has crushing chest pain and his left arm hurts {MARKER}"


@pytest.fixture
def network_attempts(monkeypatch) -> list[str]:
    """Every outbound connection or name lookup is refused and recorded (a caller that
    swallows the error is still caught)."""
    attempts: list[str] = []

    def refuse(name: str):
        def call(*args, **kwargs):
            attempts.append(name)
            raise OSError(f"network use ({name}) in an offline test")

        return call

    for name in ("connect", "connect_ex", "sendto", "sendmsg"):
        monkeypatch.setattr(socket.socket, name, refuse(f"socket.{name}"))
    for name in ("create_connection", "getaddrinfo", "gethostbyname"):
        monkeypatch.setattr(socket, name, refuse(name))
    return attempts


def test_safety_checks_run_offline(network_attempts):
    finding = detect_emergency(QUESTION)
    assert finding.emergency and "911" in emergency_notice(finding)
    assert readability("Call 911 if the pain spreads to your arm.")["grade"] < 10
    assert warning_sentence("Call 911 if the pain spreads to your arm.")
    assert check_sentence("Call 911", "Call 911 if the pain spreads to your arm.") == []
    assert network_attempts == []


def test_engine_answers_offline(fixture_engine, network_attempts):
    assert fixture_engine.analyze(QUESTION).emergency_cues
    answer = fixture_engine.ask(QUESTION)
    assert answer.emergency
    assert network_attempts == []


def _files_holding(root: Path, needle: bytes) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and needle in p.read_bytes().lower()]


def test_a_question_leaves_no_trace_in_files_or_logs(
    fixture_engine, network_attempts, tmp_path, monkeypatch, caplog
):
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(work)
    caplog.set_level(logging.DEBUG)
    fixture_engine.ask(QUESTION)
    fixture_engine.ask(QUESTION.upper())
    needle = MARKER.encode()
    for root in (home, work, Path(fixture_engine.settings.home)):
        assert _files_holding(root, needle) == [], root
    assert not [r for r in caplog.records if MARKER in r.getMessage().lower()]
    assert network_attempts == []


@pytest.mark.integration
@pytest.mark.slow
def test_real_engine_answers_offline(medquad_engine, network_attempts):
    answer = medquad_engine.ask("my throat is swelling up after i ate shrimp")
    assert answer.emergency
    assert network_attempts == []
