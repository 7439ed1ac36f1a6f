"""Answer passes on the lay TRAINING questions (session 19): the answer-set measure of
`healthqa eval answers` (required facts found, a right source cited, <= 300 words as read, the
answer in the question's language; a question with no page passes when the engine abstains),
on questions written like the held-out sets but from other pages, so that a change can be
chosen on training data before the held-out sets are read.

Training data only: `src/healthqa/training/lay_questions_en.jsonl` (English, MedQuAD pages) and
`lay_questions_es.jsonl` (Spanish, MedlinePlus en español pages), read through
`datasets.training_file`. A row with no source is a question with no page: it should abstain.
Each failure is classed: abstained on a question with a page, another page cited, the right
page cited without a required fact, answered a question with no page.

HEALTHQA_HOME=... python bench/lay_train.py [--lang en|es] [--every K --offset R]
    [--out checks.jsonl] [--topic-model FILE] [--lay FILE]

`--every 2 --offset 1` reads every second question from the second on (a half to hold out
when a model is fitted on the lay questions themselves); `--topic-model` reads the English
topic chooser fitted without that half (`python -m healthqa.training.topic --lay-hold-out 2:1
--out FILE`). `--lay` reads another file of lay training questions (e.g. an older version's
395 Spanish questions, to compare halves across sessions).
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from healthqa.answer.topic_model import TopicModel
from healthqa.config import Settings
from healthqa.engine import Engine
from healthqa.evaluation.answers import AnswerCheck, DevQuestion, evaluate
from healthqa.training.data import LAY_QUESTIONS, LayQuestion, read_lay_questions


def as_answer_set(question: LayQuestion) -> DevQuestion:
    """A lay training question as an answer-set question (no source: abstaining is right)."""
    return DevQuestion(
        id=question.qid,
        question=question.question,
        facts=question.facts,
        sources=question.sources,
        abstain=not question.sources,
        language=question.language,
    )


def failure(check: AnswerCheck) -> str:
    if check.passed:
        return "passed"
    if check.abstain_expected:
        return "answered a question with no page"
    if check.abstained:
        return "abstained, a page exists"
    if not check.right_source:
        return "another page cited"
    if check.words > 300:
        return "over 300 words"
    return "right page, a fact missing"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", choices=sorted(LAY_QUESTIONS), default="en")
    parser.add_argument("--every", type=int, default=1)
    parser.add_argument("--offset", type=int, default=0)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--topic-model", type=Path, help="the English topic chooser's file")
    parser.add_argument("--lay", type=Path, help="lay training questions (default: the packaged)")
    args = parser.parse_args()
    questions = read_lay_questions(args.lang, path=args.lay)[args.offset :: args.every]
    items = [as_answer_set(q) for q in questions]
    started = time.perf_counter()
    engine = Engine.open(Settings(lang=args.lang))
    if args.topic_model:
        engine.topic_model = TopicModel.load(args.topic_model)
    report = evaluate(engine, items)
    means = report.means
    print(
        f"lay training questions ({args.lang}, {len(items)}): passed {means['passed']:.0%}, "
        f"facts found {means['facts_found']:.0%}, right source {means['right_source']:.0%}, "
        f"{means['abstentions']} abstentions, mean {means['mean_words']:.0f} words"
    )
    for kind, count in Counter(failure(c) for c in report.checks).most_common():
        print(f"  {kind}: {count}")
    if args.out:
        with args.out.open("w", encoding="utf-8") as out:
            for check in report.checks:
                out.write(json.dumps(check.to_dict() | {"class": failure(check)}) + "\n")
    print(f"{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
