"""Answer quality on a dev set of lay questions: required facts and right sources.

Each line of the dev set (`evalsets/answers-dev.jsonl`):

    {"id": "charley-horse-night", "question": "what helps a charley horse at night",
     "facts": [["stretch"], ["massage", "rub"]],       # every group, any phrasing in it
     "sources": ["MPlusHealthTopics_0000629_Sec1"],    # any one of them must be cited
     "origin": "..."}                                  # where the question came from

or, for a question the engine has no trustworthy source for, `"abstain": true` (then the
answer passes when it abstains). A phrasing matches when its word stems appear in a row in
the answer's sentences, case-insensitively. A source id without `_Sec<n>` stands for every
section of that MedQuAD page; a source that is a URL is cited when a citation has that URL.

A line with `"language": "es"` (`evalsets/answers-es-dev.jsonl`) is a Spanish question: its
facts are matched on Spanish stems with accents folded, and it passes only when the answer
is in Spanish too.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import Stemmer

from healthqa.errors import HealthqaError
from healthqa.jsonlines import read_rows
from healthqa.records import Answer
from healthqa.retrieval.lexical import fold_accents

if TYPE_CHECKING:
    from healthqa.engine import Engine

_WORD = re.compile(r"[a-z0-9]+")
EVALSETS = Path(__file__).resolve().parents[3] / "evalsets"
DEV_SETS = {"en": EVALSETS / "answers-dev.jsonl", "es": EVALSETS / "answers-es-dev.jsonl"}
_STEMMERS = {"en": Stemmer.Stemmer("english"), "es": Stemmer.Stemmer("spanish")}


@dataclass(frozen=True)
class DevQuestion:
    id: str
    question: str
    facts: tuple[tuple[str, ...], ...] = ()
    sources: tuple[str, ...] = ()
    abstain: bool = False
    origin: str = ""
    language: str = "en"
    topic: str = ""


def read_dev_set(path: Path) -> list[DevQuestion]:
    items = []
    for number, row in read_rows(path):
        try:
            item = DevQuestion(
                id=str(row["id"]),
                question=row["question"],
                facts=tuple(tuple(group) for group in row.get("facts", [])),
                sources=tuple(row.get("sources", [])),
                abstain=bool(row.get("abstain", False)),
                origin=row.get("origin", ""),
                language=row.get("language", "en"),
                topic=row.get("topic", ""),
            )
        except (KeyError, TypeError) as exc:
            raise HealthqaError(f"{path}:{number}: not a dev-set line ({exc})") from exc
        if item.language not in _STEMMERS:
            raise HealthqaError(f"{path}:{number}: language must be one of {sorted(_STEMMERS)}")
        if not item.abstain and not (item.facts and item.sources):
            raise HealthqaError(f"{path}:{number}: {item.id} needs facts and sources, or abstain")
        items.append(item)
    return items


def stem_sequence(text: str, language: str = "en") -> tuple[str, ...]:
    text = text.lower() if language == "en" else fold_accents(text.lower())
    return tuple(_STEMMERS[language].stemWords(_WORD.findall(text)))


def contains_phrase(haystack: tuple[str, ...], phrase: str, language: str = "en") -> bool:
    needle = stem_sequence(phrase, language)
    n = len(needle)
    return n > 0 and any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def cites_source(cited: list[str], sources: tuple[str, ...]) -> bool:
    return any(
        c == s or ("_Sec" not in s and c.startswith(f"{s}_Sec")) for c in cited for s in sources
    )


@dataclass
class AnswerCheck:
    id: str
    question: str
    passed: bool
    abstained: bool
    words: int
    abstain_expected: bool = False
    missing_facts: list[list[str]] = field(default_factory=list)
    right_source: bool = False
    cited: list[str] = field(default_factory=list)
    right_language: bool = True

    def to_dict(self) -> dict:
        return self.__dict__.copy()


def check_answer(item: DevQuestion, answer: Answer) -> AnswerCheck:
    cited = [i for c in answer.citations for i in c.ids]
    check = AnswerCheck(
        item.id, item.question, False, answer.abstained, answer.words, item.abstain, cited=cited
    )
    check.right_language = answer.question.language == item.language
    if item.abstain:
        check.passed = answer.abstained and check.right_language
        return check
    language = item.language
    text = " ".join(s.text for sec in answer.sections for s in sec.sentences)
    body = stem_sequence(text, language)
    check.missing_facts = [
        list(g) for g in item.facts if not any(contains_phrase(body, p, language) for p in g)
    ]
    urls = [c.url for c in answer.citations]
    check.right_source = cites_source(cited, item.sources) or any(u in item.sources for u in urls)
    check.passed = (
        not answer.abstained
        and not check.missing_facts
        and check.right_source
        and check.right_language
    )
    return check


@dataclass
class AnswersReport:
    checks: list[AnswerCheck]

    @property
    def means(self) -> dict[str, float]:
        answerable = [c for c in self.checks if not c.abstain_expected]
        answered = [c for c in self.checks if not c.abstained]
        return {
            "questions": len(self.checks),
            "passed": _share(c.passed for c in self.checks),
            "facts_found": _share(not c.abstained and not c.missing_facts for c in answerable),
            "right_source": _share(c.right_source for c in answerable),
            "mean_words": statistics.fmean(c.words for c in answered) if answered else 0.0,
            "abstentions": sum(c.abstained for c in self.checks),
            "right_language": _share(c.right_language for c in self.checks),
        }

    def to_dict(self) -> dict:
        return {"means": self.means, "questions": [c.to_dict() for c in self.checks]}


def _share(values) -> float:
    values = list(values)
    return sum(map(bool, values)) / len(values) if values else 0.0


def evaluate(
    engine: Engine, items: list[DevQuestion], max_words: int | None = None
) -> AnswersReport:
    return AnswersReport(
        [check_answer(item, engine.ask(item.question, max_words=max_words)) for item in items]
    )
