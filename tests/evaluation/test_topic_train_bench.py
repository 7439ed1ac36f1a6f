"""The training topic bench's name matching (bench/topic_train.py): when a cited page's name
counts as the annotated focus."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bench():
    path = ROOT / "bench" / "topic_train.py"
    spec = importlib.util.spec_from_file_location("topic_train", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["topic_train"] = module
    spec.loader.exec_module(module)
    return module


def test_same_name_in_other_case_and_punctuation_matches(bench):
    assert bench.same_name("Shingles vaccine", ["Shingles (Zoster) Vaccine"])
    assert bench.same_name("cardiac amyloidosis", ["Amyloidosis"])
    assert bench.same_name("kidney stones", ["Kidney Stone"])


def test_a_longer_name_that_only_contains_the_focus_does_not_match(bench):
    assert not bench.same_name("pyridoxine", ["Pyridoxine-dependent epilepsy"])
    assert not bench.same_name("diabetes type 2 and hypoglycemia", ["Diabetes"])


def test_unrelated_or_empty_names_do_not_match(bench):
    assert not bench.same_name("migraine", ["Tension headache", ""])
    assert not bench.same_name("", ["Migraine"])
