"""The one facade the CLI, the HTTP app and the evaluations call.

engine = Engine.open(Settings.resolve())
answer = engine.ask("Why does spasm occur?")
print(answer.text)
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from healthqa.analysis.analyzer import Analyzer
from healthqa.analysis.spelling import SpellingCorrector
from healthqa.analysis.vocabulary import Vocabulary
from healthqa.answer.compose import compose
from healthqa.answer.readability import plainer
from healthqa.answer.safety import apply_safety
from healthqa.answer.salience import SalienceModel
from healthqa.answer.topic import choose_topic, topic_candidates
from healthqa.config import Settings
from healthqa.corpus.collections import MEDQUAD, iter_documents, load_collection, read_collections
from healthqa.corpus.medquad import LoadReport
from healthqa.errors import HealthqaError
from healthqa.records import Answer, Candidate, Document, Passage, Question
from healthqa.retrieval.index import (
    FORMAT_VERSION,
    VOCABULARY_FILE,
    Index,
    StaleIndexError,
    build_index,
    index_exists,
    open_index,
    read_manifest,
    recover,
    update_index,
)
from healthqa.retrieval.part import Progress, no_progress
from healthqa.retrieval.rerank import default_model as default_rerank_model
from healthqa.retrieval.search import bm25_baseline, collection_rows, rank_documents, search

ALL = "all"  # `ask --collection all`: every collection in the index
INCLUDED = "included"  # manifest key: the collections the index was built from


def part_names(settings: Settings) -> tuple[str, ...]:
    return ("vocabulary", "dense") if settings.dense else ("vocabulary",)


def build(
    settings: Settings,
    documents: Iterable[Document] | None = None,
    progress: Progress = no_progress,
) -> tuple[dict, LoadReport]:
    """Build the index for `documents`, or for every collection: MedQuAD in the settings'
    data folder and each registered collection (`corpus.collections.iter_documents`)."""
    report = LoadReport()
    included = None
    if documents is None:
        registered = sorted(read_collections(settings))
        if settings.data_dir is None and not registered:
            raise HealthqaError(
                "no MedQuAD found: pass --data DIR, set HEALTHQA_DATA, "
                "or run `healthqa data download`"
            )
        documents = iter_documents(settings, medquad_report=report)
        included = ([MEDQUAD] if settings.data_dir is not None else []) + registered
    manifest = build_index(
        documents,
        settings.index_dir,
        parts=part_names(settings),
        progress=progress,
        plainer=plainer,
        metadata={INCLUDED: included} if included is not None else None,
    )
    return manifest, report


def update_collection(
    settings: Settings, name: str, progress: Progress = no_progress
) -> dict | None:
    """Bring a collection's documents in the index up to the registry after `collection add`
    or `remove`: its documents are read again (none when it was removed), every other
    collection's passages and vectors are reused. Nothing is built when there is no index
    yet (the first `ask` or `healthqa index` builds it with every collection)."""
    target = settings.index_dir
    recover(target)
    if not index_exists(target):
        return None
    manifest = read_manifest(target)
    if manifest.get("format_version") != FORMAT_VERSION:
        return build(settings, progress=progress)[0]
    registered = read_collections(settings)
    documents = load_collection(settings, name) if name in registered else iter(())
    included = set(manifest.get(INCLUDED) or manifest.get("collections", {})) - {name}
    if name in registered:
        included.add(name)
    return update_index(
        target,
        name,
        documents,
        parts=part_names(settings),
        progress=progress,
        plainer=plainer,
        metadata={INCLUDED: sorted(included)},
    )


def index_has(settings: Settings, name: str) -> bool:
    """Whether the index was built with the collection `name` (False when there is none)."""
    if not index_exists(settings.index_dir):
        return False
    manifest = read_manifest(settings.index_dir)
    return name in (manifest.get(INCLUDED) or manifest.get("collections", {}))


class Engine:
    def __init__(self, settings: Settings, index: Index) -> None:
        self.settings = settings
        self.index = index
        phrase_table = index.path / "vocabulary" / VOCABULARY_FILE  # the "vocabulary" part
        self.analyzer = Analyzer(
            Vocabulary.load(phrase_table), SpellingCorrector.open(phrase_table)
        )

    @classmethod
    def open(cls, settings: Settings | None = None, progress: Progress = no_progress) -> Engine:
        """Open the index, building it first when there is none (after putting back an old
        index that a build killed mid-swap left aside)."""
        settings = settings or Settings.resolve()
        recover(settings.index_dir)
        if not index_exists(settings.index_dir):
            build(settings, progress=progress)
        try:
            return cls(settings, open_index(settings.index_dir))
        except StaleIndexError:
            if settings.data_dir is None:
                raise
            build(settings, progress=progress)
            return cls(settings, open_index(settings.index_dir))

    def analyze(self, text: str) -> Question:
        return self.analyzer.analyze(text)

    def retrieve(
        self,
        question: Question,
        k: int | None = None,
        *,
        rerank: bool = True,
        collection: str | None = None,
    ) -> list[Candidate]:
        """Candidate passages, best first; with `collection`, only that collection's."""
        signals = ("lexical", "dense") if self.settings.dense else ("lexical",)
        rows = self._collection_rows(collection)
        candidates = search(
            self.index, question, k or self.settings.passages_per_question, signals, rows=rows
        )
        if rerank and self.settings.rerank:
            candidates = default_rerank_model().rerank(question, candidates)
        return candidates

    def rank_documents(self, text: str, k: int = 10) -> list[tuple[str, float]]:
        """MedQuAD answer ids for a question, best first (what evaluations score)."""
        question = self.analyze(text)
        return rank_documents(self.retrieve(question), k)

    def rank_documents_bm25(self, text: str, k: int = 10) -> list[tuple[str, float]]:
        return bm25_baseline(self.index, text, k)

    def ask(
        self, text: str, *, max_words: int | None = None, collection: str | None = None
    ) -> Answer:
        """The answer to `text` from every collection, or from `collection` only."""
        question = self.analyze(text)
        candidates = self.retrieve(question, collection=collection)
        topic = choose_topic(question, candidates, self.index.lexical.idf)
        if topic is None:
            return apply_safety(abstain(question), self.settings, {})
        answer = compose(
            question,
            topic_candidates(topic, candidates, self._family),
            max_words or self.settings.max_words,
            self.settings.documents_per_answer,
            topic.names,
        )
        answer = apply_safety(answer, self.settings, self._source_texts(answer))
        if not answer.sections:
            answer = apply_safety(abstain(question), self.settings, {})
        return answer

    def compose(
        self,
        question: Question | str,
        passages: list[Passage],
        *,
        max_words: int | None = None,
        salience: SalienceModel | None = None,
    ) -> Answer:
        """A summary of given answers (e.g. MEDIQA's), by the same composer in its summarising
        mode; `salience` scores the sentences (default: the packaged model)."""
        if isinstance(question, str):
            question = self.analyze(question)
        answer = compose(
            question,
            given_candidates(passages),
            max_words or self.settings.max_words,
            salience=salience,
        )
        sources: dict[str, list[str]] = {}
        for passage in passages:
            sources.setdefault(passage.doc_id, []).append(passage.text)
        return apply_safety(answer, self.settings, sources)

    def _source_texts(self, answer: Answer) -> dict[str, list[str]]:
        return {
            c.id: [self.index.passages[r].text for r in self.index.rows_by_doc.get(c.id, [])]
            for c in answer.citations
        }

    def _family(self, doc_id: str) -> list[Candidate]:
        """Every passage of the source page that holds `doc_id` (its other QA pairs or
        sections)."""
        return [Candidate(self.index.passages[r], score=0.0) for r in self.index.page_rows(doc_id)]

    def _collection_rows(self, collection: str | None) -> np.ndarray | None:
        if collection in (None, ALL):
            return None
        return collection_rows(self.index, collection)


def given_candidates(passages: list[Passage]) -> list[Candidate]:
    """Passages given in order of preference, as ranked candidates."""
    return [Candidate(p, score=1.0 / (1 + i)) for i, p in enumerate(passages)]


def abstain(question: Question) -> Answer:
    understood = f"a question of type '{question.qtype}'"
    if question.focus:
        understood += f" about {question.focus}"
    return Answer(
        question=question,
        abstained=True,
        reason=(
            "I found no trustworthy answer to this question in my sources. "
            f"I understood {understood}."
        ),
    )
