"""Spanish lay training questions with their gold MedlinePlus en español page
(`lay_questions_es.jsonl` beside this module): written as people ask, for fitting the Spanish
page chooser (training/topic_es.py), never one of the Spanish evaluation sets.

One JSON object a line: "question", "sources" (the page URLs that answer it; [] when the
Spanish pages lack its topic and the answer must abstain), "topic", "section", "facts" (each
a phrase, or a list of phrases any of which says it); other fields ("id", "written_from") are
not read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from healthqa.errors import HealthqaError

LAY_FILE = "lay_questions_es.jsonl"


@dataclass(frozen=True)
class LayQuestion:
    question: str
    sources: frozenset[str]  # empty: no Spanish page answers it
    topic: str = ""
    section: str = ""
    facts: tuple[tuple[str, ...], ...] = ()  # each fact: the words any of which says it

    @property
    def group(self) -> str:
        """What cross-validation groups it by: its page (its first source, sorted), or the
        question itself when no page answers it."""
        return min(self.sources) if self.sources else f"none:{self.question}"


def _fact(fact: str | list[str]) -> tuple[str, ...]:
    return (fact,) if isinstance(fact, str) else tuple(str(f) for f in fact)


def packaged_path() -> Path:
    return Path(str(resources.files("healthqa.training") / LAY_FILE))


def read_lay_questions(path: Path | None = None) -> list[LayQuestion]:
    """The questions of a JSON-lines file (the packaged one by default); a line without a
    question or with sources that are not a list of URLs is refused by its line number."""
    source = path or packaged_path()
    try:
        lines = Path(source).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise HealthqaError(f"cannot read the Spanish lay questions {source}: {exc}") from exc
    found = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise HealthqaError(f"{source}:{number}: not JSON: {exc}") from exc
        question, sources = row.get("question"), row.get("sources", [])
        if not isinstance(question, str) or not question.strip():
            raise HealthqaError(f"{source}:{number}: no question")
        if not isinstance(sources, list) or not all(
            isinstance(s, str) and s.startswith("http") for s in sources
        ):
            raise HealthqaError(f"{source}:{number}: sources must be a list of page URLs")
        found.append(
            LayQuestion(
                question.strip(),
                frozenset(sources),
                str(row.get("topic", "")),
                str(row.get("section", "")),
                tuple(_fact(f) for f in row.get("facts", [])),
            )
        )
    return found
