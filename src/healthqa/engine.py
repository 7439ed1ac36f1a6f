"""The one facade the CLI, the HTTP app and the evaluations call.

engine = Engine.open(Settings.resolve())
answer = engine.ask("Why does spasm occur?")
print(answer.text)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from functools import cached_property, lru_cache, partial

import numpy as np

from healthqa.analysis.analyzer import Analyzer, validate_question
from healthqa.analysis.focus import default_model as default_focus_model
from healthqa.analysis.language import resolve_language
from healthqa.analysis.spanish import analyze_spanish
from healthqa.analysis.spelling import SpellingCorrector
from healthqa.analysis.vocabulary import Vocabulary, phrase_key
from healthqa.answer.chooser_es import default_page_model
from healthqa.answer.compose import compose
from healthqa.answer.concepts import ConceptPages
from healthqa.answer.localize import localize
from healthqa.answer.readability import plainer
from healthqa.answer.safety import apply_safety, emergency_notice_for
from healthqa.answer.salience import SalienceModel
from healthqa.answer.sections import section_for_question
from healthqa.answer.sections_es import (
    SentenceSections,
    fit_sentence_sections,
    labelled_sentences,
)
from healthqa.answer.subject import (
    DRUG_SOURCES,
    FindTerms,
    Subject,
    aside_drugs,
    asked_subject,
    asked_unspoken,
    missing_page,
    quoted_sentences,
    speaks_of,
    unspoken_drugs,
)
from healthqa.answer.topic import (
    Topic,
    choose_topic,
    shares_name,
    topic_candidates,
    topic_named,
)
from healthqa.answer.topic_es import choose_spanish_topic, english_query
from healthqa.answer.topic_model import choose_learned, default_topic_model, prefer_learned
from healthqa.config import Settings
from healthqa.corpus.collections import MEDQUAD, iter_documents, load_collection, read_collections
from healthqa.corpus.medquad import LoadReport
from healthqa.errors import HealthqaError
from healthqa.i18n import message, qtype_name
from healthqa.records import Answer, Candidate, Document, Passage, Question, word_count
from healthqa.retrieval.adapter_es import default_adapter
from healthqa.retrieval.cross_encoder import default_cross_encoder, rescore
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
from healthqa.retrieval.search import (
    BRIDGE_WEIGHT,
    bm25_baseline,
    collection_rows,
    hybrid_baseline,
    rank_documents,
    search,
    search_each_collection,
    search_spanish,
)

ALL = "all"  # `ask --collection all`: every collection in the index
INCLUDED = "included"  # manifest key: the collections the index was built from


def part_names(settings: Settings) -> tuple[str, ...]:
    """The parts an index is built with; the Spanish ones stay empty without Spanish
    passages (and their encoder is not loaded then)."""
    names = ("vocabulary", "lexical_es", "vocabulary_es")
    return names + ("dense", "dense_es", "bridge_es") if settings.dense else names


def encoder_parts(settings: Settings) -> dict:
    """The dense part built with the encoder the settings name (`healthqa index --encoder`)."""
    if not (settings.dense and settings.encoder):
        return {}
    from healthqa.retrieval.dense import build_dense_part
    from healthqa.retrieval.index import PARTS
    from healthqa.retrieval.part import Part

    build_part = partial(build_dense_part, encoder_name=settings.encoder)
    return {"dense": Part(build=build_part, open=PARTS["dense"].open)}


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
        parts=tuple(n for n in part_names(settings) if n not in encoder_parts(settings)),
        extra_parts=encoder_parts(settings),
        progress=progress,
        plainer=plainer,
        metadata={INCLUDED: included} if included is not None else None,
    )
    return manifest, report


def update_collection(
    settings: Settings,
    name: str,
    progress: Progress = no_progress,
    documents: Iterable[Document] | None = None,
) -> dict | None:
    """Bring a collection's documents in the index up to the registry after `collection add`
    or `remove`: its documents are read again (none when it was removed; `documents` when
    the add just read them), every other collection's passages and vectors are reused.
    Nothing is built when there is no index yet (the first `ask` or `healthqa index` builds
    it with every collection)."""
    target = settings.index_dir
    recover(target)
    if not index_exists(target):
        return None
    manifest = read_manifest(target)
    if manifest.get("format_version") != FORMAT_VERSION:
        return build(settings, progress=progress)[0]
    registered = read_collections(settings)
    if name not in registered:
        documents = iter(())
    elif documents is None:
        documents = load_collection(settings, name)
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
            Vocabulary.load(phrase_table),
            SpellingCorrector.open(phrase_table),
            settings.qtype,
            # the classifier reads the question's vector: an engine that runs no encoder (BM25
            # only, cue types) types the asked section by the cues too
            section_qtype=settings.section_qtype if self._encodes else settings.qtype,
            focus_model=default_focus_model() if settings.focus == "learned" else None,
        )
        # the learned page chooser (Settings.topic "learned" or "rules-learned"), None for the rules
        self.topic_model = default_topic_model() if settings.topic != "rules" else None

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
        """Candidate passages, best first: the `k` best of each collection (with
        `collection`, of that one only). Each collection is searched and re-ranked on its own,
        then the lists are merged by score, so that adding a collection neither reorders nor
        pushes out another collection's candidates."""
        signals = tuple(
            name for name in self.settings.signals if self.settings.dense or "dense" not in name
        )
        k = k or self.settings.passages_per_question
        if collection in (None, ALL):
            found = search_each_collection(self.index, question, k, signals)
        else:
            rows = self._collection_rows(collection)
            found = {collection: search(self.index, question, k, signals, rows=rows)}
        merged = []
        for candidates in found.values():
            if rerank and self.settings.rerank:
                reranker = default_rerank_model(self.settings.qtype, vector=self._encodes)
                candidates = reranker.rerank(question, candidates, encode=self._encodes)
            if rerank and self.settings.cross_encoder:
                candidates = rescore(question, candidates, default_cross_encoder())
            merged.extend(candidates)
        merged.sort(key=lambda c: -c.score)  # stable: a collection's own order is kept
        return merged

    def rank_documents(self, text: str, k: int = 10) -> list[tuple[str, float]]:
        """MedQuAD answer ids for a question, best first (what evaluations score), ranked
        among MedQuAD's answers: benchmarks judge those alone, so the passages of other
        collections in the index take no place in their ranking."""
        question = self.analyze(text)
        return rank_documents(self.retrieve(question, collection=MEDQUAD), k)

    def rank_documents_bm25(self, text: str, k: int = 10) -> list[tuple[str, float]]:
        return bm25_baseline(self.index, text, k, self._collection_rows(MEDQUAD))

    def rank_documents_hybrid(self, text: str, k: int = 10) -> list[tuple[str, float]]:
        return hybrid_baseline(self.index, text, k, self._collection_rows(MEDQUAD))

    def ask(
        self,
        text: str,
        *,
        max_words: int | None = None,
        lang: str | None = None,
        collection: str | None = None,
    ) -> Answer:
        """An answer of at most `max_words` as read (`Answer.words`: notice, section titles,
        sentences and citation marks), or an abstention; an emergency notice longer than the
        cap is still shown whole. It is in the question's language: `lang` "en" or "es", or
        "auto" (detected; the default is Settings.lang). With `collection`, only that
        collection's documents answer."""
        language = resolve_language(validate_question(text), lang or self.settings.lang)
        if language == "es":
            return self._ask_spanish(text, max_words, collection)
        question = self.analyze(text)
        candidates = self.retrieve(question, collection=collection)
        topic = self.choose_topic(question, candidates)
        if topic is None:
            return self._abstain(question)
        answer = self._answer_on(question, topic, candidates, max_words)
        missing = self._unspoken(question, topic, answer)
        beside = None  # a relation's other topic, when the drug's own page answers instead
        if missing is not None:
            # another topic the question names ranked first: the page on what it asks about,
            # when its answer speaks of everything asked; else the first page's gap is said
            retry = topic_named(question, missing.keys, candidates)
            if retry is not None:
                first = topic if missing.beside else None
                # the drug's page answers a relation, though it may not name the first topic:
                # the not-covered line then names it, in words kept aside from the budget
                cap = (max_words or self.settings.max_words) - (
                    word_count(first.focus) + 1 if first else 0
                )
                again = self._answer_on(question, retry, candidates, cap)
                if self._unspoken(question, retry, again, first is not None) is None:
                    topic, answer, missing, beside = retry, again, None, first
        if not answer.sections:
            return self._abstain(question)
        if missing is not None:
            return apply_safety(missing_page(question, missing), self.settings, {})
        return self._with_uncovered(question, topic, answer, beside)

    def choose_topic(self, question: Question, candidates: list[Candidate]) -> Topic | None:
        """The English page the answer is on (Settings.topic), None to abstain. A drug the
        question names only beside what it asks (`aside_drugs`) neither names a page nor
        offers its own page."""
        idf = self.index.lexical.idf
        aside = aside_drugs(question, self.drug_pages, self._find_terms)
        if aside:
            terms = tuple(t for t in question.terms if phrase_key(t.concept) not in aside)
            question = replace(question, terms=terms)
            candidates = [c for c in candidates if phrase_key(c.passage.focus) not in aside]
        if self.topic_model is None:
            return choose_topic(question, candidates, idf)
        focus_model = self.analyzer.focus_model or default_focus_model()
        if self.settings.topic == "learned":
            return choose_learned(question, candidates, idf, self.topic_model, focus_model)
        topic = choose_topic(question, candidates, idf)
        return prefer_learned(question, candidates, topic, idf, self.topic_model, focus_model)

    def _with_uncovered(
        self, question: Question, topic: Topic, answer: Answer, beside: Topic | None = None
    ) -> Answer:
        """The answer, with a line naming the drugs of the message it does not speak of, and
        the other topic of a relation answered from the drug's page (`beside`) when it does
        not speak of that either ("can Tylenol cause ulcer pain?": Peptic Ulcer)."""
        find = self._find_terms
        sentences = quoted_sentences(answer)
        uncovered = unspoken_drugs(question, self.drug_pages, find, topic.names, sentences)
        if beside is not None:
            other = Subject(beside.focus, frozenset(k for k in map(phrase_key, beside.names) if k))
            if not speaks_of(other, topic.names, sentences, find):
                uncovered = (beside.focus, *uncovered)
        return replace(answer, uncovered=uncovered) if uncovered else answer

    def _abstain(self, question: Question) -> Answer:
        """No answer; it names the page that is missing when the question names its subject."""
        subject = asked_subject(question, self.drug_pages, self._find_terms)
        answer = abstain(question) if subject is None else missing_page(question, subject)
        return apply_safety(answer, self.settings, {})

    def _answer_on(
        self, question: Question, topic: Topic, candidates: list[Candidate], max_words: int | None
    ) -> Answer:
        same_concept = self._same_concept(question, topic)
        answer = compose(
            question,
            topic_candidates(topic, candidates, self._family, same_concept),
            self._budget(question, max_words),
            self.settings.documents_per_answer,
            topic.names | {c.passage.focus.lower() for c in same_concept},
            sentence_sections=self._sentence_sections if question.language == "es" else None,
            settings=self.settings.compose,
        )
        return apply_safety(answer, self.settings, self._source_texts(answer))

    def _same_concept(self, question: Question, topic: Topic) -> list[Candidate]:
        """The passages of the same concept's pages on other sites (`answer.concepts`), each
        page's answer of the asked type first: what a short page leaves out, they may hold."""
        rows = self.index.rows_by_doc.get(topic.doc_id)
        if not rows:
            return []
        asked = section_for_question(question.asked_type)
        found = []
        for doc_id in self._concepts.siblings(self.index.passages[rows[0]].page_key):
            passages = self._family(doc_id)
            found += sorted(passages, key=lambda c: section_for_question(c.passage.qtype) != asked)
        return found

    @cached_property
    def _concepts(self) -> ConceptPages:
        """Each page's UMLS concepts and each concept's pages, read once from the passages."""
        return ConceptPages.of(self.index.passages)

    def _unspoken(
        self, question: Question, topic: Topic, answer: Answer, beside_only: bool = False
    ) -> Subject | None:
        """What the question asks about, when the answer does not speak of it (no drift): its
        subject (unless `beside_only`), or a drug the message names beside it and asks about
        too ("can Tylenol cause ulcer pain?" is not answered by a page on ulcers that never
        names Tylenol)."""
        find, sentences = self._find_terms, quoted_sentences(answer)
        subject = None if beside_only else asked_subject(question, self.drug_pages, find)
        if subject is not None and not speaks_of(subject, topic.names, sentences, find):
            return subject
        beside = asked_unspoken(question, self.drug_pages, find, topic.names, sentences)
        return replace(beside, beside=topic.focus) if beside is not None else None

    @cached_property
    def _sentence_sections(self) -> SentenceSections | None:
        """Spanish sentence -> section, learned from the Spanish pages' titled sections (once
        per process, on the first Spanish answer: about a second)."""
        return fit_sentence_sections(labelled_sentences(self.index.passages))

    @cached_property
    def _find_terms(self) -> FindTerms:
        """The vocabulary's phrase matches, memoised: one English ask reads the whole message
        for its drugs several times (word budget, asked subject, the not-covered line)."""
        find = self.analyzer.vocabulary.find_terms
        return lru_cache(maxsize=512)(lambda text: tuple(find(text)))

    @cached_property
    def drug_pages(self) -> frozenset[str]:
        """The phrase keys of the foci of the index's drug and supplement pages."""
        return frozenset(
            phrase_key(p.focus) for p in self.index.passages if p.source in DRUG_SOURCES
        )

    def _budget(self, question: Question, max_words: int | None) -> int:
        """The words left for the sections once the emergency notice is written, and the line
        naming the message's drugs the answer may not speak of (`_with_uncovered`)."""
        notice = emergency_notice_for(question, self.settings)
        reserve = 0
        if question.language == "en":  # the drugs are found by the English vocabulary
            find = self._find_terms
            labels = unspoken_drugs(question, self.drug_pages, find, (), ())  # all, at most
            reserve = word_count(message("uncovered", names=" and ".join(labels))) if labels else 0
        return (max_words or self.settings.max_words) - word_count(notice) - reserve

    def languages(self) -> set[str]:
        """The languages the indexed passages are in (English for MedQuAD)."""
        return {getattr(p, "language", "en") for p in self.index.passages}

    def _ask_spanish(self, text: str, max_words: int | None, collection: str | None) -> Answer:
        """A Spanish question is answered from Spanish sources only, never silently from
        English ones: the same steps as in English with the Spanish parts of the index (search,
        vocabulary, topic), the same composer, then Spanish section titles. When the Spanish
        sources lack the topic, it says so in Spanish and may offer an English page as a
        labelled alternative (`Answer.alternative`). Until a Spanish collection is in the
        index, it gets the Spanish abstain message saying how to add one."""
        spanish = self.index.spanish
        if spanish is None:
            question = analyze_spanish(text, qtype=spanish_qtype())
            stale = "es" in self.languages()  # Spanish rows, but no Spanish parts: rebuild
            note = message("spanish_index_stale" if stale else "no_spanish_sources", "es")
            return localize(apply_safety(abstain(question, note), self.settings, {}))
        words = spanish.words
        vocabulary = words.vocabulary if words else None
        asking = words.asking if words else frozenset()
        question = analyze_spanish(
            text, vocabulary, qtype=spanish_qtype(), known=spanish.lexical.knows
        )
        chooser = self.settings.spanish_topic
        symptoms = self.index.spanish_symptoms if chooser != "rules" else None
        candidates = search_spanish(
            self.index,
            question,
            self.settings.passages_per_question,
            rows=self._collection_rows(collection),
            bridge_weight=BRIDGE_WEIGHT if self.settings.spanish_bridge else 0.0,
            symptoms=symptoms,
            adapter=default_adapter() if self.settings.spanish_adapter else None,
        )
        topic = choose_spanish_topic(
            question,
            candidates,
            spanish.lexical.idf,
            asking,
            model=default_page_model(self.settings.spanish_adapter) if chooser != "rules" else None,
            names_first=chooser == "names-model",
            symptoms=symptoms,
        )
        if topic is not None:
            answer = self._answer_on(question, topic, candidates, max_words)
            if answer.sections:
                return localize(answer)
        answer = localize(apply_safety(abstain(question), self.settings, {}))
        budget = (max_words or self.settings.max_words) - answer.words  # both as read
        alternative = self._english_alternative(question, asking, budget, collection)
        if alternative is None:
            return answer
        return replace(
            answer, alternative=alternative, alternative_label=message("alternative_en", "es")
        )

    def _english_alternative(
        self,
        question: Question,
        asking: frozenset[str],
        max_words: int,
        collection: str | None,
    ) -> Answer | None:
        """An English page on what a Spanish question asks, found only by the words the two
        languages share (names): the English topic rule must accept it as usual."""
        shared = english_query(question, asking).split()
        query = " ".join(w for w in shared if self.index.lexical.knows(w))
        if not query:
            return None
        english = replace(question, summary=query, text=query, terms=(), focus="", language="en")
        candidates = self.retrieve(english, collection=collection)
        # the rules whatever Settings.topic: a bag of shared names is not a question the
        # learned chooser was fitted on
        topic = choose_topic(english, candidates, self.index.lexical.idf)
        if topic is None or max_words <= 0:
            return None
        # a bag of shared words only describes a page by chance ("hospital": how to choose a
        # hospital for surgery, for a newborn's heel prick): the words must name the page
        page = next(c.passage for c in candidates if c.passage.doc_id == topic.doc_id)
        if not shares_name(english, page):
            return None
        answer = self._answer_on(english, topic, candidates, max_words)
        return answer if answer.sections else None

    def compose(
        self,
        question: Question | str,
        passages: list[Passage],
        *,
        max_words: int | None = None,
        salience: SalienceModel | None = None,
    ) -> Answer:
        """A summary of given answers (e.g. MEDIQA's), by the same composer in its summarising
        mode; `salience` scores the sentences (default: the packaged model). `max_words` caps
        the summary's quoted sentences, the text MEDIQA scores (`Answer.quoted_words`)."""
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
            doc_id: [self.index.passages[r].text for r in self.index.rows_by_doc.get(doc_id, [])]
            for c in answer.citations
            for doc_id in c.ids
        }

    def _family(self, doc_id: str) -> list[Candidate]:
        """Every passage of the source page that holds `doc_id` (its other QA pairs or
        sections)."""
        return [Candidate(self.index.passages[r], score=0.0) for r in self.index.page_rows(doc_id)]

    @property
    def _encodes(self) -> bool:
        """The question encoder runs for each question anyway: for dense search, or for the
        learned question type."""
        dense = self.settings.dense and self.index.dense is not None
        return dense or self.settings.qtype == "learned"

    def _collection_rows(self, collection: str | None) -> np.ndarray | None:
        if collection in (None, ALL):
            return None
        return collection_rows(self.index, collection)


def spanish_qtype():
    """The Spanish question-type classifier when its model is shipped, else None."""
    from healthqa.analysis import qtype_es

    return qtype_es.default_qtype() if qtype_es.MODEL_FILE.is_file() else None


def given_candidates(passages: list[Passage]) -> list[Candidate]:
    """Passages given in order of preference, as ranked candidates."""
    return [Candidate(p, score=1.0 / (1 + i)) for i, p in enumerate(passages)]


def abstain(question: Question, note: str = "") -> Answer:
    """No trustworthy answer, said in the question's language, with what was understood."""
    language = question.language
    understood = message("understood", language, qtype=qtype_name(question.qtype, language))
    if question.focus:
        understood += message("understood_focus", language, focus=question.focus)
    reason = f"{message('abstain', language)} {understood}."
    return Answer(question=question, abstained=True, reason=f"{reason} {note}".strip())
