"""Evaluation data is never fitted on: the registry refuses it to training code, training code
does not name it, and no shipped model says it was trained or tuned on it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from healthqa.datasets import (
    DATASETS,
    EvaluationDataError,
    check_training_path,
    evaluation_file,
    training_file,
)
from healthqa.errors import HealthqaError

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "healthqa"
EVALUATION = [d for d in DATASETS.values() if d.role == "evaluation"]
# How evaluation data is named in code and model cards: its folder or file names.
EVALUATION_NAMES = sorted(
    {Path(d.path).name for d in EVALUATION} | {"ValidationSet", "TrainingSet1", "LiveQAMed-odd"}
)


@pytest.fixture
def data_dir(tmp_path):
    for dataset in DATASETS.values():
        path = tmp_path / dataset.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    return tmp_path


@pytest.mark.parametrize("name", [d.name for d in EVALUATION])
def test_training_code_cannot_open_evaluation_data(data_dir, name):
    with pytest.raises(EvaluationDataError, match="evaluation data"):
        training_file(data_dir, name)


def test_training_data_is_given(data_dir):
    assert training_file(data_dir, "meqsum") == data_dir / "meqsum" / "meqsum.jsonl"
    assert evaluation_file(data_dir, "liveqa-dev") == data_dir / "liveqa-med-2017-dev"


def test_unknown_and_missing_sets_are_clear_errors(tmp_path):
    with pytest.raises(HealthqaError, match="unknown data set"):
        training_file(tmp_path, "liveqa")
    with pytest.raises(HealthqaError, match="not found"):
        training_file(tmp_path, "meqsum")


def test_a_path_inside_evaluation_data_is_refused(tmp_path):
    with pytest.raises(EvaluationDataError):
        check_training_path(tmp_path / "liveqa-med-2017-dev" / "questions.xml")
    with pytest.raises(EvaluationDataError):
        check_training_path(tmp_path / "mediqa2021" / "mas-validation.jsonl")
    assert check_training_path(tmp_path / "meqsum" / "meqsum.jsonl")


def _training_sources() -> list[Path]:
    return sorted((PACKAGE / "training").glob("*.py"))


def test_training_code_names_no_evaluation_file():
    assert _training_sources(), "the training package is missing"
    for source in _training_sources():
        text = source.read_text(encoding="utf-8")
        for name in EVALUATION_NAMES:
            assert name not in text, f"{source.name} names evaluation data {name!r}"
        # the readers that open evaluation sets (scoring functions may be shared)
        found = re.search(
            r"\bevaluation_file\b|\bread_mas\b|\bread_dev_set\b|"
            r"from healthqa\.evaluation\.(liveqa|answers) import",
            text,
        )
        assert not found, f"{source.name} uses an evaluation reader: {found.group(0)}"


def _model_cards() -> list[tuple[str, dict]]:
    cards = []
    for path in sorted((PACKAGE / "models").rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and ("info" in data or path.name == "card.json"):
            cards.append((path.name, data.get("info", data) or {}))
    return cards


def test_no_shipped_model_was_fitted_or_tuned_on_evaluation_data():
    cards = _model_cards()
    assert cards
    for name, info in cards:
        assert "tuned_on" not in info, f"{name} was tuned on {info['tuned_on']}"
        said = json.dumps(info.get("trained_on", ""))
        for evaluation_name in [*EVALUATION_NAMES, "dev judgments", "validation"]:
            assert evaluation_name.lower() not in said.lower(), f"{name}: trained on {said}"


def test_every_evaluation_set_kept_in_the_repository_is_registered_and_there(tmp_path):
    root = PACKAGE.parents[1]
    kept = {d.path for d in EVALUATION if d.path.startswith(("evalsets/", "tests/data/"))}
    for path in kept:
        name = next(d.name for d in EVALUATION if d.path == path)
        assert evaluation_file(tmp_path, name) == root / path and (root / path).exists()
    # a new set written into evalsets/ is evaluation data too, and must be listed
    for path in sorted((root / "evalsets").glob("*.jsonl")):
        assert path.relative_to(root).as_posix() in kept, f"{path.name} has no role"
    for held_out in ("emergency_heldout5.txt", "emergency_es_heldout.txt"):
        with pytest.raises(EvaluationDataError):
            check_training_path(root / "tests" / "data" / held_out)
