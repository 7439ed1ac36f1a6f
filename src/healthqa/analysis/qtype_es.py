"""Question types of Spanish questions, translating nothing: the multilingual encoder puts a
Spanish question and English questions of the same kind close together, so a Spanish question
takes the type of the nearest English type prototype.

A prototype is the mean USE vector of MedQuAD questions of one type (training data only),
one per topic, 60 topics a type, so that no topic's words dominate: "What causes Muscle
Cramps ?", "What causes Gout ?", ... average into a way of asking. "Information" (what is
it) wins unless another type is ahead of it by INFORMATION_MARGIN.

Checked and calibrated on the Spanish pages' own headings (corpus text, not evaluation data):
of the 1,621 question headings, the 1,268 whose words name their type ("causa", "síntomas",
"tratamiento", "prevenir", "diagnóstico", "riesgo", "¿Qué es ...") agree with the type given
here for 1,180 (93.1 %; 1,176, 92.7 %, with the lay questions blended in, below); with no
margin 1,071 (84.5 %); taking the topic's name out of the
MedQuAD questions did worse (`python scripts/spanish_figures.py --qtype`). They are built by
`python -m healthqa.analysis.qtype_es MEDQUAD_DIR` into `healthqa/models/qtype_es.json`.
No Spanish list of cue words is written by hand, and no evaluation question was looked at.

Since session 19 each prototype is blended with the mean vector of the Spanish lay questions
of its type ("lay-questions-es", training data): a share (the blend) of the lay mean, the rest
MedQuAD's, both unit vectors. The blend is chosen by 5-fold cross-validation on the lay questions,
grouped by page topic (`lay_cross_validation`; the figures are in the model's "info"); the
margin stays the one the headings chose (on the lay questions, checked once at blend 0.25:
0.40 with it, 0.41 with 0.02, 0.30 with 0.08; not tuned).
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import numpy as np

from healthqa.errors import HealthqaError

MODEL_FILE = Path(__file__).resolve().parents[1] / "models" / "qtype_es.json"
# The types a MedlinePlus en español page answers (its own headings: ¿Qué es...?, ¿Cuál es la
# causa...?, ¿Quién está en riesgo...?, síntomas, diagnóstico, tratamientos, prevención).
TYPES = (
    "information",
    "causes",
    "symptoms",
    "susceptibility",
    "exams and tests",
    "treatment",
    "prevention",
    "outlook",
    "complications",
)
QUESTIONS_PER_TYPE = 60
# Heading agreement by margin: 0 -> 84.5 %, 0.03 -> 91.5 %, 0.05 -> 93.1 %, 0.07 -> 91.4 %.
INFORMATION_MARGIN = 0.05
SEED = 11
# Blends above 0.25 lose the page headings (agreement 93.1 % at 0, 92.7 % at 0.25, 80.8 % at
# 0.5, 42.0 % at 0.75; the lay questions out of fold: 0.305, 0.418, 0.475, 0.458), so the grid
# stops where the headings still agree within a point.
LAY_BLEND_GRID = (0.0, 0.25)
FOLDS = 5
# A Spanish lay question's section ("lay-questions-es") -> its type (those TYPES has).
TYPE_OF_LAY_SECTION = {
    "informacion": "information",
    "causas": "causes",
    "sintomas": "symptoms",
    "tratamiento": "treatment",
    "prevencion": "prevention",
    "riesgo": "susceptibility",
    "diagnostico": "exams and tests",
    "pronostico": "outlook",
}


class SpanishQtype:
    """text -> MedQuAD type name, by cosine with the English prototypes."""

    def __init__(self, types: list[str], prototypes: np.ndarray, encode) -> None:
        self.types = types
        self.prototypes = prototypes / np.linalg.norm(prototypes, axis=1, keepdims=True)
        self._encode = encode

    def scores(self, text: str) -> dict[str, float]:
        vector = self._encode([text])[0]
        return dict(zip(self.types, map(float, self.prototypes @ vector), strict=True))

    def __call__(self, text: str) -> str:
        scores = self.scores(text)
        best = max(scores, key=scores.__getitem__)
        if scores[best] - scores.get("information", -1.0) < INFORMATION_MARGIN:
            return "information"
        return best


@lru_cache(maxsize=1)
def default_qtype() -> SpanishQtype:
    from healthqa.retrieval.multilingual import encode_texts

    if not MODEL_FILE.is_file():
        raise HealthqaError(f"no Spanish question-type model at {MODEL_FILE}")
    data = json.loads(MODEL_FILE.read_text())
    return SpanishQtype(
        data["types"],
        np.array(data["prototypes"], dtype=np.float32),
        encode_texts,
    )


def sample_questions(medquad: Path, per_type: int = QUESTIONS_PER_TYPE) -> dict[str, list[str]]:
    """Up to `per_type` MedQuAD questions of each type, one per topic, chosen at random."""
    from healthqa.corpus.medquad import LoadReport, iter_medquad

    by_type: dict[str, dict[str, str]] = defaultdict(dict)
    for doc in iter_medquad(medquad, LoadReport(), include_empty=True):
        if doc.qtype in TYPES and doc.question and doc.focus:
            by_type[doc.qtype].setdefault(doc.focus, doc.question)
    rng = random.Random(SEED)
    return {
        t: rng.sample(sorted(by_type[t].values()), min(per_type, len(by_type[t])))
        for t in TYPES
        if by_type[t]
    }


def template(question: str, focus: str) -> str:
    """The question without its topic: "What causes Muscle Cramps ?" -> "What causes ?",
    so that a prototype is the way of asking, not the topics sampled."""
    return " ".join(re.sub(re.escape(focus), " ", question, flags=re.IGNORECASE).split())


def unit(vectors: np.ndarray) -> np.ndarray:
    return vectors / np.linalg.norm(vectors, axis=-1, keepdims=True)


def blended(medquad: np.ndarray, types: list[str], lay: np.ndarray, labels, blend: float):
    """The MedQuAD prototypes (rows, unit) moved `blend` of the way to the unit mean of the lay
    questions of their type; a type without lay questions keeps its own."""
    out = medquad.copy()
    for i, qtype in enumerate(types):
        rows = [j for j, label in enumerate(labels) if label == qtype]
        if rows and blend:
            out[i] = (1 - blend) * medquad[i] + blend * unit(lay[rows].mean(axis=0))
    return unit(out)


def lay_cross_validation(medquad, types, lay, labels, groups, sections) -> dict:
    """Right answer section on the lay questions, each typed by prototypes blended with the lay
    questions of the other folds (folds by group), for each blend on the grid."""
    from healthqa.answer.sections import section_for_question

    names = sorted(set(groups))
    order = np.random.default_rng(SEED).permutation(len(names))
    fold_of = {name: int(order[i]) % FOLDS for i, name in enumerate(names)}
    fold = np.array([fold_of[g] for g in groups])
    figures = {}
    for blend in LAY_BLEND_GRID:
        right = 0
        for f in range(FOLDS):
            train = [j for j in range(len(labels)) if fold[j] != f]
            protos = blended(medquad, types, lay[train], [labels[j] for j in train], blend)
            # the lay questions come encoded: the classifier's "text" is the vector
            classify = SpanishQtype(types, protos, lambda vectors: vectors)
            for j in np.flatnonzero(fold == f):
                right += section_for_question(classify(lay[j])) == sections[j]
        figures[blend] = round(right / len(labels), 4)
    return figures


def lay_questions(data_dir: Path) -> list[dict]:
    from healthqa.datasets import training_file

    path = training_file(data_dir, "lay-questions-es")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [r for r in rows if r.get("section") in TYPE_OF_LAY_SECTION]


def build(medquad: Path, out: Path = MODEL_FILE) -> dict:
    from healthqa.analysis.cleaning import clean_message
    from healthqa.answer.sections import section_for_question
    from healthqa.retrieval.multilingual import MODEL_ID, get_multilingual_encoder

    encoder = get_multilingual_encoder()
    questions = sample_questions(medquad)
    types = list(questions)
    own = unit(np.array([unit(encoder.encode(questions[t]).mean(axis=0)) for t in types]))
    rows = lay_questions(medquad.parent)
    lay = unit(np.asarray(encoder.encode([clean_message(r["question"]) for r in rows])))
    labels = [TYPE_OF_LAY_SECTION[r["section"]] for r in rows]
    groups = [r.get("topic") or r["id"] for r in rows]
    sections = [section_for_question(label) for label in labels]
    figures = lay_cross_validation(own, types, lay, labels, groups, sections)
    blend = max(LAY_BLEND_GRID, key=figures.__getitem__)
    prototypes = blended(own, types, lay, labels, blend)
    data = {
        "about": "Mean USE multilingual v3 vectors of MedQuAD questions by type "
        "(healthqa.analysis.qtype_es).",
        "encoder": MODEL_ID,
        "info": {
            "trained_on": f"MedQuAD questions (training data): {QUESTIONS_PER_TYPE} a type, "
            f"one per topic, seed {SEED}",
            "calibrated_on": "INFORMATION_MARGIN on the question headings of the MedlinePlus "
            "en español pages (corpus text)",
            "lay_questions": f"{len(rows)} Spanish lay questions (lay-questions-es) with a "
            f"section of TYPES, blended in by {blend}",
            "lay_cross_validation": {
                "accuracy": "right answer section, 5-fold, grouped by page topic",
                "by_blend": {str(b): v for b, v in figures.items()},
            },
        },
        "questions": {t: len(questions[t]) for t in types},
        "types": types,
        "prototypes": [[round(float(x), 5) for x in p] for p in prototypes],
    }
    out.write_text(json.dumps(data))
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("medquad", type=Path)
    args = parser.parse_args()
    data = build(args.medquad)
    print(f"wrote {MODEL_FILE}: {data['questions']}")


if __name__ == "__main__":
    main()
