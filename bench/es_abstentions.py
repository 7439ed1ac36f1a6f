"""Where the Spanish lay training questions' abstentions come from (session 25): for each
question with a page that the engine abstains on, the first stage that lost its right page.

Stages, in order: the right page is not among the searched candidates; it is among them but
not among the chooser's rows (`answer/chooser_es.py`: the first CHOSEN_DEPTH pages, the named
ones, the COVER_DEPTH best by whole-page cover); another page is the chooser's most probable
(and below the threshold or stopped by a guard); the right page is the most probable but below
the model's threshold; it reaches the threshold but a guard (MIN_CHOSEN_COSINE, no question
word on the page) stops it; it is chosen but the composer finds nothing to say. Training data
only (`lay_questions_es.jsonl`); with the shipped chooser, fitted on these questions, the
probabilities are in sample (the trainer's out-of-fold figures are in the model's `info`).

HEALTHQA_HOME=<copy of an es home> python bench/es_abstentions.py [--model FILE] [--out F]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import numpy as np

from healthqa.answer.chooser_es import PageModel, chosen_page, default_page_model, matrix, page_rows
from healthqa.answer.topic_es import spanish_topic
from healthqa.config import Settings
from healthqa.engine import Engine
from healthqa.training.data import LayQuestion, read_lay_questions
from healthqa.training.topic_es import searched

STAGES = (
    "not among the candidates",
    "among the candidates, not among the chooser's rows",
    "another page most probable",
    "right page most probable, below the threshold",
    "right page over the threshold, stopped by a guard",
    "right page chosen, nothing composed",
)


def stage(engine: Engine, model: PageModel, item: LayQuestion) -> tuple[str, float]:
    """The stage that lost the question's right page, and the chooser's best probability."""
    spanish = engine.index.spanish
    assert spanish is not None and spanish.words is not None
    question, candidates = searched(engine, item.question)
    symptoms = engine.index.spanish_symptoms
    gold = set(item.sources)
    if not any(c.passage.url in gold for c in candidates):
        return STAGES[0], 0.0
    rows = page_rows(
        question, candidates, spanish.lexical.idf, spanish.words.asking, symptoms=symptoms
    )
    if not any(r.passage.url in gold for r in rows):
        return STAGES[1], 0.0
    probability = model.predict_matrix(matrix(rows, model.features))
    best = rows[int(np.argmax(probability))].passage
    p = float(probability.max())
    if best.url not in gold:
        return STAGES[2], p
    if p < model.threshold:
        return STAGES[3], p
    chosen, _ = chosen_page(rows, model)
    if chosen is None:
        return STAGES[4], p
    answer = engine._answer_on(question, spanish_topic(chosen), candidates, None)
    return (STAGES[5] if not answer.sections else "answered"), p


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, help="the Spanish chooser (default: shipped)")
    parser.add_argument("--out", type=Path, help="one JSON line per abstention")
    args = parser.parse_args()
    engine = Engine.open(Settings(lang="es"))
    settings = engine.settings
    if settings.spanish_adapter or settings.spanish_bridge or settings.spanish_topic != "model":
        raise SystemExit("reads the default Spanish chooser only (model, no adapter, no bridge)")
    model = PageModel.load(args.model) if args.model else default_page_model()
    counts: Counter[str] = Counter()
    lines = []
    for item in read_lay_questions("es"):
        if not item.sources or not engine.ask(item.question, lang="es").abstained:
            continue
        where, p = stage(engine, model, item)
        counts[where] += 1
        lines.append({"id": item.qid, "stage": where, "best_probability": round(p, 3)})
    print(f"abstentions on Spanish lay training questions with a page: {sum(counts.values())}")
    for where in (*STAGES, "answered"):
        if counts[where]:
            print(f"  {where}: {counts[where]}")
    if args.out:
        args.out.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")


if __name__ == "__main__":
    main()
