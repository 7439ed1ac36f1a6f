"""Ranked passages of one topic -> a short answer in sections, every sentence quoted and cited.

1. pool the sentences of the passages, each with its section and source;
2. drop page debris and near-duplicates;
3. score each sentence by overlap with the question, the rank of its passage and whether its
   section is the one asked about;
4. fill the asked section first, keep "when to see a doctor" sentences, then add one or two
   sentences from the other sections while the word budget lasts;
5. order the sections warning signs first, number the sources in order of first use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from healthqa.answer import sections as S
from healthqa.answer.sections import section_for, section_for_question
from healthqa.corpus.medquad import source_name
from healthqa.records import Answer, Candidate, Citation, Question, Section, Sentence
from healthqa.retrieval.lexical import tokenize

# Weights of a sentence's score; set by reading answers to the dev questions, not tuned on
# the held-out ones.
OVERLAP_WEIGHT = 1.0
ASKED_SECTION_BONUS = 1.5
PASSAGE_RANK_WEIGHT = 1.0
FIRST_SENTENCE_BONUS = 0.3
# Share of the word budget the asked section may take before other sections get a turn.
ASKED_SECTION_SHARE = 0.6
SENTENCES_PER_OTHER_SECTION = 2
MAX_SENTENCE_WORDS = 70
MIN_SENTENCE_WORDS = 4
# Two sentences sharing more than this share of their words say the same thing.
DUPLICATE_OVERLAP = 0.6

_DEBRIS = re.compile(
    r"these resources address|this table lists|human phenotype ontology|see also\b|"
    r"learn more\b|^key points\b|clinical trials? (is|are) (available|taking place)|"
    r"nci website|frequency of the sign|you can (also )?contact gard|"
    r"\bshop for\b|\bclick here\b|\bsee the (section|list|pdq)\b|\bthe following (are|is) "
    r"(a list|list)\b",
    re.IGNORECASE,
)


@dataclass
class _Pooled:
    text: str
    section: str
    doc_id: str
    score: float
    citation_source: Candidate


def compose(question: Question, candidates: list[Candidate], max_words: int) -> Answer:
    """An answer from `candidates` (one topic, best first); empty when nothing is quotable."""
    asked = section_for_question(question.qtype)
    pool = _pool_sentences(question, candidates, asked)
    chosen = _select(pool, asked, max_words)
    return _assemble(question, chosen, asked)


def _pool_sentences(question: Question, candidates: list[Candidate], asked: str) -> list[_Pooled]:
    query = set(tokenize([question.search_text])[0])
    best = max((c.score for c in candidates), default=0.0) or 1.0
    pool: list[_Pooled] = []
    for rank, candidate in enumerate(candidates):
        passage = candidate.passage
        rank_prior = PASSAGE_RANK_WEIGHT * max(candidate.score, 0.0) / best / (1 + 0.1 * rank)
        for position, sentence in enumerate(passage.sentences):
            words = sentence.split()
            if len(words) < MIN_SENTENCE_WORDS or _DEBRIS.search(sentence):
                continue
            if len(words) > MAX_SENTENCE_WORDS:
                sentence = _trim_list(sentence)
                if sentence is None:
                    continue
            section = section_for(sentence, passage.qtype)
            if section == S.WHAT_IT_IS and position > 1:
                section = S.MORE
            stems = set(tokenize([sentence])[0])
            overlap = len(query & stems) / (len(query) or 1)
            score = (
                OVERLAP_WEIGHT * overlap
                + rank_prior
                + (ASKED_SECTION_BONUS if section == asked else 0.0)
                + (FIRST_SENTENCE_BONUS if position == 0 else 0.0)
            )
            pool.append(_Pooled(sentence, section, passage.doc_id, score, candidate))
    return pool


def _trim_list(sentence: str) -> str | None:
    """A long list is cut at an item boundary (a trimmed span of the source); prose is dropped."""
    items = sentence.split(" - ")
    if len(items) < 3:
        return None
    kept = [items[0]]
    for item in items[1:]:
        if len(" - ".join([*kept, item]).split()) > MAX_SENTENCE_WORDS:
            break
        kept.append(item)
    return " - ".join(kept) if len(kept) > 1 else None


def _is_duplicate(text: str, chosen: list[_Pooled]) -> bool:
    words = set(text.lower().split())
    for other in chosen:
        other_words = set(other.text.lower().split())
        if len(words & other_words) / max(1, min(len(words), len(other_words))) > DUPLICATE_OVERLAP:
            return True
    return False


def _select(pool: list[_Pooled], asked: str, max_words: int) -> list[_Pooled]:
    chosen: list[_Pooled] = []
    used = 0

    def take(items: list[_Pooled], budget: int, limit: int | None = None) -> None:
        nonlocal used
        taken = 0
        for item in items:
            size = len(item.text.split())
            if used + size > budget or (limit is not None and taken >= limit):
                continue
            if _is_duplicate(item.text, chosen):
                continue
            chosen.append(item)
            used += size
            taken += 1

    ranked = sorted(pool, key=lambda p: -p.score)
    by_section: dict[str, list[_Pooled]] = {}
    for item in ranked:
        by_section.setdefault(item.section, []).append(item)
    if asked != S.WHAT_IT_IS:
        take(by_section.get(S.WHAT_IT_IS, []), max_words, limit=1)
    take(by_section.get(asked, []), int(max_words * ASKED_SECTION_SHARE) + used)
    take(by_section.get(S.SEE_A_DOCTOR, []), max_words, limit=SENTENCES_PER_OTHER_SECTION)
    for section in S.ORDER:
        if section not in (asked, S.SEE_A_DOCTOR, S.MORE):
            take(by_section.get(section, []), max_words, limit=SENTENCES_PER_OTHER_SECTION)
    take(by_section.get(asked, []), max_words)
    return chosen


def _assemble(question: Question, chosen: list[_Pooled], asked: str) -> Answer:
    # Warning signs come first, then what it is, then the section that answers the question.
    head = list(dict.fromkeys([S.SEE_A_DOCTOR, S.WHAT_IT_IS, asked]))
    order = [*head, *(s for s in S.ORDER if s not in head)]
    citations: dict[str, Citation] = {}
    sections: list[Section] = []
    for title in order:
        items = [c for c in chosen if c.section == title]
        if not items:
            continue
        sentences = []
        for item in items:
            citation = citations.get(item.doc_id)
            if citation is None:
                passage = item.citation_source.passage
                citation = Citation(
                    n=len(citations) + 1,
                    id=passage.doc_id,
                    title=passage.title,
                    url=passage.url,
                    source=source_name(passage.source),
                )
                citations[item.doc_id] = citation
            sentences.append(Sentence(item.text, (citation.n,)))
        sections.append(Section(title, tuple(sentences)))
    return Answer(question=question, sections=tuple(sections), citations=tuple(citations.values()))
