"""What an index part is given to build, and the pair of functions that make a part.

A part is one sub-folder of the index (lexical, dense, vocabulary), registered by name in
`retrieval.index.PARTS` with the function that builds it and the one that opens it. This
module holds only the types, so that a part's module never imports the index module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from healthqa.records import Passage

Progress = Callable[[str, int, int], None]


def no_progress(stage: str, done: int, total: int) -> None:
    return None


@dataclass(frozen=True)
class TopicNames:
    """A page's topic and its other names, for the phrase table (pages without text too)."""

    collection: str
    focus: str
    synonyms: tuple[str, ...] = ()
    has_text: bool = True

    def to_row(self) -> list:
        return [self.collection, self.focus, list(self.synonyms), self.has_text]

    @classmethod
    def from_row(cls, row: list) -> TopicNames:
        return cls(row[0], row[1], tuple(row[2]), bool(row[3]))


@dataclass(frozen=True)
class PartInput:
    passages: list[Passage]
    folder: Path  # where the part writes its files
    progress: Progress = no_progress
    topics: list[TopicNames] = field(default_factory=list)
    # the index this build replaces, if any: a part may reuse what did not change
    previous: Path | None = None


@dataclass(frozen=True)
class Part:
    build: Callable[[PartInput], dict]  # writes its files into input.folder, returns its manifest
    open: Callable[[Path], object]


def spanish_collections(passages: list[Passage]) -> set[str]:
    """The collections all of whose passages are in Spanish (MedlinePlus en español)."""
    languages: dict[str, set[str]] = {}
    for passage in passages:
        languages.setdefault(passage.collection, set()).add(passage.language)
    return {name for name, found in languages.items() if found == {"es"}}
