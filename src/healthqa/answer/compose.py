"""Ranked passages of one topic -> a short answer in sections, every sentence quoted and cited.

1. pool the sentences of the passages, each with its section and source;
2. drop page debris and near-duplicates;
3. score each sentence by overlap with the question, the rank of its passage, whether its
   section is the one asked about and its place in the passage, less when another topic's
   page lends it (weights in `config.ComposeSettings`, fitted on training questions: mostly
   the passage's rank);
4. take the asked section's best sentences, keep "when to see a doctor" sentences, then the
   other sections' and the rest of the topic's best while the word budget lasts (sizes in
   `ComposeSettings`); the budget counts the answer as read: sentences, a citation mark after
   each, and each section's title;
5. order the sections warning signs first, then the asked section; number the source pages
   in order of first use, each page once (its QA pairs share one number).

Several answers given to summarise, without a topic (MEDIQA's multi-answer summaries), take
steps 3-4 from `salience.py` instead: what the answers agree on and what answers the question
fills the budget, whatever its section; the budget then counts the quoted sentences alone, as
MEDIQA scores the summary's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

import blingfire
import numpy as np

from healthqa.answer import sections as S
from healthqa.answer.readability import plainer
from healthqa.answer.salience import SalienceModel, SourceSentence, default_model
from healthqa.answer.sections import section_for, section_for_question
from healthqa.answer.sections_es import SentenceSections
from healthqa.answer.topic import content_words
from healthqa.config import ComposeSettings
from healthqa.i18n import section_title
from healthqa.records import (
    Answer,
    Candidate,
    Citation,
    Question,
    Section,
    Sentence,
    citation_mark,
    word_count,
)
from healthqa.retrieval.lexical import tokenize

# The weights of a sentence's score and the sizes of the asked and other sections are
# `healthqa.config.ComposeSettings` (fitted on LiveQA training questions, bench/compose_train.py).
# A Spanish page answers under its own headings, so the asked section may fill more of the
# budget: chosen on questions made from the pages' own headings, never the dev set
# (scripts/spanish_page_queries.py: key facts of the heading's section found 62.0 % at the
# English 0.5 and 6 sentences, 66.1 % at 0.8 and 15, 66.4 % at 1.0 and 15).
ASKED_SECTION_SHARE_ES = 0.8
MAX_ASKED_SENTENCES_ES = 15
# A Spanish page's whole "¿Qué es ...?" section says what the topic is (`_defines`); this many
# of its sentences come first when another section is asked. Chosen on the 395 Spanish lay
# training questions, whose type is often read wrong (session 22; right-page answers that pass,
# of 178: 1 -> 156, 2 -> 159, 3 -> 159, 4 -> 162, 6 -> 163; page-made heading queries, key
# facts: 82.4, 81.8, 81.0, 80.5, 79.8 %).
WHAT_IT_IS_SENTENCES_ES = 4
# Spanish answers keep the weights chosen before the English fit (it used English questions
# only), and fill what budget is left with the page's other sentences (`_rest_of_topic`).
SPANISH = ComposeSettings(
    overlap_weight=1.0,
    asked_section_bonus=1.5,
    passage_rank_weight=1.0,
    position_weight=0.8,
    asked_section_share=ASKED_SECTION_SHARE_ES,
    max_asked_sentences=MAX_ASKED_SENTENCES_ES,
    sentences_per_other_section=2,
    fill_rest=True,
    what_it_is_sentences=WHAT_IT_IS_SENTENCES_ES,
    lent_penalty=0.0,  # `_fill_gap_only` keeps lent sentences only where the topic has none
)
# A short answer cites few source pages: each adds reading, not facts.
MAX_SOURCES = 4
# Every quoted sentence is followed by one citation mark ("[1]"), read as one word.
MARK_WORDS = word_count(citation_mark((1,)))
MAX_SENTENCE_WORDS = 70
MIN_SENTENCE_WORDS = 4
# Two sentences sharing more than this share of their words say the same thing.
DUPLICATE_OVERLAP = 0.6
# ... and, in an English answer on a topic, more than this share of their content stems (stop
# words out): "Cholera is rare in the US." shares 4 of its 6 words with "The cholera bacterium is
# usually found in water or food contaminated by feces (poop).", but 1 of its 3 stems, and is
# not a shorter way of saying it. Session 24, English lay training questions (answers that
# cite a gold page with all its facts, of 456 answered: 318 -> 322; 0.5 / 0.6: 318 / 320;
# the stems alone, no word share, at 0.7 / 0.8: 321 / 323); docs/benchmarks.md "Session 24".
DUPLICATE_STEMS = 0.7

# A sentence that opens with a pronoun goes on with the sentence before it.
_CONTINUES = re.compile(r"(They|These|This|It|Those|Such)\b")
# ... as does one that points back to it ("If those don't work", "any of these problems",
# "However, ...", "If it does not, ...").
_REFERS_BACK = re.compile(
    r"^(They|These|This|It|Those|Such|He|She|However|But|Also|Therefore|Thus|Otherwise)\b|"
    r"^(If|When|Although|While|Because|Since|Unless) (it|they|this|that|so|not)\b|"
    r"\b(these|those)\b(?! (who|with|that|of)\b)"
)
# Page furniture and pointers to elsewhere: never content.
_DEBRIS = re.compile(
    r"these resources address|this table lists|human phenotype ontology|see also\b|"
    r"learn more\b|^key points\b|clinical trials? (is|are) (available|taking place)|"
    r"nci website|frequency of (the|a) sign|sign or symptom may be|number of the fraction|"
    r"table below|you can (also )?contact gard|"
    r"\bshop for\b|\bclick here\b|\bsee the (section|list|pdq)\b|\bthe following (are|is) "
    r"(a list|list)\b|\bfor more information\b|\bvisit (the|our|this)\b|\bcall (the )?"
    r"(genetic and rare|gard)\b|\bon this page\b|\bmedical dictionary\b|listed as a fraction|"
    r"information comes from orphanet|"
    # NIHSeniorHealth's video captions ("To enlarge the video, click the brackets ...")
    r"\bto (enlarge|reduce) the videos?\b|\bwatch (the|this) video\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SentenceFeatures:
    """What a pooled sentence's score is made of."""

    overlap: float  # share of the question's words (stems) the sentence has
    rank_prior: float  # its passage's score relative to the best, decayed by rank
    asked: float  # 1 when it falls in the asked section
    lead: float  # 1 / (1 + its position in its passage)
    lent: float = 0.0  # 1 when another topic's page lends it (it names the topic)


def sentence_score(features: SentenceFeatures, settings: ComposeSettings) -> float:
    return (
        settings.overlap_weight * features.overlap
        + settings.passage_rank_weight * features.rank_prior
        + settings.asked_section_bonus * features.asked
        + settings.position_weight * features.lead
        - settings.lent_penalty * features.lent
    )


@dataclass
class _Pooled:
    text: str
    section: str
    doc_id: str
    score: float
    citation_source: Candidate
    on_topic: bool = True
    # (candidate rank, sentence position[, part of a long list]): source order
    order: tuple[int, ...] = (0, 0)
    # the sentence it points back to, when it does; it is quoted only after that one
    lead: _Pooled | None = None
    refers_back: bool = False
    features: SentenceFeatures | None = None  # what `score` was made of

    @property
    def page(self) -> str:
        """The source page, cited once whichever of its answers the sentence comes from."""
        return self.citation_source.passage.page_key


def compose(
    question: Question,
    candidates: list[Candidate],
    max_words: int,
    max_sources: int = MAX_SOURCES,
    topic_names: frozenset[str] | None = None,
    salience: SalienceModel | None = None,
    sentence_sections: SentenceSections | None = None,
    settings: ComposeSettings | None = None,
) -> Answer:
    """An answer from `candidates` (best first); empty when nothing is quotable.

    With `topic_names`, the candidates are what `ask` found for a topic: the asked section is
    filled first, and a passage from another topic lends only the sentences that name the
    topic ("If you have strep throat, take all of the antibiotics ..." from a heart page).
    Without, they are several answers given to summarise (MEDIQA's multi-answer summaries):
    the sentences that `salience` (the packaged model unless given) scores highest fill the
    budget, whatever their section. `sentence_sections` sorts the sentences of a Spanish page
    that no heading sorts (`answer.sections_es`). `settings`: the sentence weights and section
    sizes (the defaults unless given).
    """
    settings = SPANISH if question.language == "es" else settings or ComposeSettings()
    # an answer on a topic puts first the section of the type the question is read as asking
    # (`Question.asked_type`); summarising keeps the retrieval type its salience was fitted with
    asked = section_for_question(question.qtype if topic_names is None else question.asked_type)
    pool = _pool_sentences(
        question, candidates, asked, topic_names or frozenset(), sentence_sections, settings
    )
    if topic_names is None:
        salience = salience or default_model()
        chosen = _select_salient(question, pool, asked, salience, max_words, max_sources)
    else:
        second = _unsure_second(question, asked, settings)
        chosen = _select(pool, asked, max_words, max_sources, question.language, settings, second)
    return _assemble(question, chosen, asked)


def quotable(sentence: str) -> str | None:
    """The sentence as it can stand alone in an answer, or None for headings and fragments."""
    sentence = _standalone(sentence)
    if sentence is not None and len(sentence.split()) > MAX_SENTENCE_WORDS:
        return _trim_list(sentence)
    return sentence


def _standalone(sentence: str) -> str | None:
    """The sentence without a list mark, when it is a sentence at all (any length)."""
    if sentence.startswith("- "):
        sentence = sentence[2:]
    if len(sentence.split()) < MIN_SENTENCE_WORDS or _DEBRIS.search(sentence):
        return None
    if sentence.endswith("?") or not (sentence[0].isupper() or sentence[0].isdigit()):
        return None
    if not sentence.endswith((".", "!", ")", '"')) and " - " not in sentence:
        return None
    return sentence


def _pool_sentences(
    question: Question,
    candidates: list[Candidate],
    asked: str,
    topic_names: frozenset[str],
    sentence_sections: SentenceSections | None = None,
    settings: ComposeSettings | None = None,
) -> list[_Pooled]:
    settings = settings or ComposeSettings()
    query = set(tokenize([question.search_text], question.language)[0])
    # what else the question asks about: a sentence lent by another topic's page must say it
    # ("can the pill cause DVT": not "hypertension may be due to birth control pills")
    beyond_topic = (
        content_words(question) - set(tokenize([" ".join(topic_names)])[0])
        if question.language == "en"
        else set()  # a Spanish sentence from another page must name the topic
    )
    best = max((c.score for c in candidates), default=0.0) or 1.0
    pool: list[_Pooled] = []
    for rank, candidate in enumerate(candidates):
        passage = candidate.passage
        on_topic = not topic_names or passage.focus.lower() in topic_names
        rank_prior = max(candidate.score, 0.0) / best / (1 + 0.1 * rank)
        previous_section = S.MORE
        previous: _Pooled | None = None
        # (answers on a topic only: the summaries' salience model was fitted on the sentences)
        joined = (
            _joined_lists(passage.sentences) if topic_names and passage.language == "en" else {}
        )
        for position, raw in enumerate(passage.sentences):
            raw = joined.get(position, raw)
            parts = list_parts(raw) if passage.language == "es" else None
            sentence = parts[0] if parts else quotable(raw)
            lends = not on_topic and _lends(
                _without_own_names(sentence, passage), topic_names, beyond_topic
            )
            if sentence is None or not (on_topic or lends):
                continue
            section = section_for(sentence, passage.qtype, passage.section, passage.language)
            if section == S.MORE and passage.language == "es":
                section = _untitled_spanish(sentence, passage, position, sentence_sections)
            if _CONTINUES.match(sentence) and previous_section not in (S.MORE, S.WHAT_IT_IS):
                section = previous_section  # "They may include - ..." goes on with its lead-in
            if section == S.WHAT_IT_IS and not _defines(passage, position):
                section = S.MORE
            previous_section = section
            stems = set(tokenize([sentence], question.language)[0])
            features = SentenceFeatures(
                overlap=len(query & stems) / (len(query) or 1),
                rank_prior=rank_prior,
                asked=float(section == asked),
                lead=1 / (1 + position),
                lent=float(not on_topic),
            )
            item = _Pooled(
                sentence,
                section,
                passage.doc_id,
                sentence_score(features, settings),
                candidate,
                on_topic,
                (rank, position),
                features=features,
            )
            if _REFERS_BACK.search(sentence) and not _opens_on_topic(
                passage, position, bool(topic_names) and on_topic
            ):
                item.refers_back = True
                item.lead = (
                    previous if previous and previous.order == (rank, position - 1) else None
                )
            pool.append(item)
            previous = item
            pool += _later_parts(item, (parts or [])[1:], query, question.language, settings)
    return pool if question.language == "en" and topic_names else _fill_gap_only(pool, asked)


def _joined_lists(sentences: tuple[str, ...]) -> dict[int, str]:
    """A lead-in that ends in a colon, with the items after it that cannot stand alone (no
    closing stop, or too short: "These signs and symptoms include:", "Shortness of breath or
    trouble breathing", "Fatigue (tiredness)") as one list, "lead-in - item - item", at the
    lead-in's position; the items alone are never quotable."""
    joined = {}
    for position, lead in enumerate(sentences):
        if not lead.rstrip().endswith(":"):
            continue
        items = []
        for item in sentences[position + 1 :]:
            if _standalone(item) is not None or item.rstrip().endswith(":"):
                break
            items.append(item.removeprefix("- "))
        if items:
            joined[position] = " - ".join([lead, *items])
    return joined


def _later_parts(
    head: _Pooled, parts: list[str], query: set[str], language: str, settings: ComposeSettings
) -> list[_Pooled]:
    """The items of a long list after its first part: each is quoted only after the part that
    holds the list's lead-in (`_Pooled.lead`), in the list's order."""
    rank, position = head.order
    items = []
    for k, part in enumerate(parts, start=1):
        stems = set(tokenize([part], language)[0])
        features = replace(head.features, overlap=len(query & stems) / (len(query) or 1))
        items.append(
            replace(
                head,
                text=part,
                score=sentence_score(features, settings),
                order=(rank, position, k),
                lead=head,
                refers_back=True,
                features=features,
            )
        )
    return items


def _defines(passage, position: int) -> bool:
    """A sentence of "what it is": the first of an answer; in Spanish, any under the page's own
    "¿Qué es ...?" heading (what follows its first sentence still says what the topic is: "A
    menudo se le llama COVID persistente", "Es una enfermedad parasitaria ...")."""
    if passage.language == "es" and passage.section:
        return True
    return position == 0 and passage.id.endswith("#0")


def _opens_on_topic(passage, position: int, on_topic: bool) -> bool:
    """The first sentence of a page's section points back to nothing before it but the topic
    the section answers ("Is Lujan syndrome inherited?": "This condition is inherited in an
    X-linked recessive pattern."), so it stands alone in an answer on that topic. A passage
    that goes on a longer section ("#1", ...) opens after other sentences of it."""
    return on_topic and position == 0 and passage.id.endswith("#0")


def _untitled_spanish(
    sentence: str, passage, position: int, sentence_sections: SentenceSections | None
) -> str:
    """A Spanish sentence no heading sorts: the first of an untitled page opening says what
    it is (as a MedQuAD answer's first sentence does); the others take the learned section."""
    if not passage.section and position == 0 and passage.id.endswith("#0#0"):
        return S.WHAT_IT_IS
    return sentence_sections(sentence, passage.title) if sentence_sections else S.MORE


def source_sentences(question: Question, candidates: list[Candidate]) -> list[SourceSentence]:
    """The quotable sentences that `compose` scores when summarising, in the order it does."""
    asked = section_for_question(question.qtype)
    return _source_sentences(_pool_sentences(question, candidates, asked, frozenset()), asked)


def _source_sentences(pool: list[_Pooled], asked: str) -> list[SourceSentence]:
    seen: dict[str, int] = {}  # quotable sentences of each answer so far
    sentences = []
    for p in pool:
        sentences.append(
            SourceSentence(p.text, p.doc_id, p.section == asked, seen.get(p.doc_id, 0))
        )
        seen[p.doc_id] = seen.get(p.doc_id, 0) + 1
    return sentences


def _fill_gap_only(pool: list[_Pooled], asked: str) -> list[_Pooled]:
    """Sentences from other topics' pages may only answer what the topic's own pages do not
    (Spanish answers; an English answer keeps them all, each scored
    `ComposeSettings.lent_penalty` below what it would score on the topic's own page)."""
    if any(p.on_topic and p.section == asked for p in pool):
        return [p for p in pool if p.on_topic]
    return [p for p in pool if p.on_topic or p.section == asked]


def _lends(sentence: str, topic_names: frozenset[str], beyond_topic: set[str]) -> bool:
    """A sentence of another topic's page speaks to the question: it names the topic and,
    when the question asks about more than the topic, something else it asks about."""
    if not _names_any(sentence, topic_names):
        return False
    return not beyond_topic or bool(beyond_topic & set(tokenize([sentence])[0]))


def _without_own_names(sentence: str | None, passage) -> str:
    """The sentence without its own page's names: "X-linked infantile spasm syndrome ... occurs"
    names its own condition, not the topic "spasm" (Muscle Cramps), so it lends nothing;
    "Lymphatic filariasis ... causes elephantiasis" still names the topic elephantiasis."""
    text = (sentence or "").lower()
    for name in sorted((n for n in (passage.focus, *passage.synonyms) if n), key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(name.lower())}\b", " ", text)
    return text


def _names_any(sentence: str, names: frozenset[str]) -> bool:
    lowered = sentence.lower()
    return any(re.search(rf"\b{re.escape(name)}\b", lowered) for name in names)


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


def list_parts(sentence: str) -> list[str] | None:
    """A list too long to quote whole, as spans of it of at most MAX_SENTENCE_WORDS words:
    the lead-in with the first items, then runs of the following items ("- Deshidratación -
    Embarazo"); an item longer than that is cut into its sentences. None for anything else
    (a short sentence, or prose, which `quotable` reads). Spans of the source, in its order."""
    whole = _standalone(sentence)
    if whole is None or len(whole.split()) <= MAX_SENTENCE_WORDS:
        return None
    lead, *items = whole.split(" - ")
    if len(items) < 2:
        return None
    pieces = [lead]
    for item in items:
        if len(item.split()) < MAX_SENTENCE_WORDS:
            pieces.append(f"- {item}")
        else:
            first, *rest = blingfire.text_to_sentences(item).split("\n")
            pieces += [f"- {first}", *rest]
    parts: list[list[str]] = []
    for piece in pieces:
        size = len(piece.split())
        if parts and len(" ".join(parts[-1]).split()) + size <= MAX_SENTENCE_WORDS:
            parts[-1].append(piece)
        elif size <= MAX_SENTENCE_WORDS:
            parts.append([piece])
        elif not parts:
            return None  # a lead-in too long to quote: the list cannot be introduced
    return [" ".join(part) for part in parts]


def _duplicate_of(text: str, chosen: list[_Pooled], stems: bool = False) -> int | None:
    """Position in `chosen` of a sentence that says the same thing, if any; with `stems`, its
    content stems must be shared too (`DUPLICATE_STEMS`)."""
    words = set(text.lower().split())
    for position, other in enumerate(chosen):
        if _shared(words, set(other.text.lower().split())) <= DUPLICATE_OVERLAP:
            continue
        if stems and _shared(_stems(text), _stems(other.text)) <= DUPLICATE_STEMS:
            continue
        return position
    return None


def _shared(these: set[str] | frozenset[str], those: set[str] | frozenset[str]) -> float:
    """The share of the smaller set that the other has."""
    return len(these & those) / max(1, min(len(these), len(those)))


def _covers(text: str, other: str) -> bool:
    """`text` says what `other` says, so it may take its place: it has more than
    DUPLICATE_STEMS of `other`'s content stems. A twin shares that much of the smaller one's,
    so a shorter sentence may be a twin of a list and leave out its items ("Other common
    symptoms of leukemia include headache, weight loss ..." for "Common symptoms of leukemia
    may include - fevers - frequent infections - ..."). Session 25, English lay training
    questions (answers citing a gold page with all its facts, of 456 answered: 319 -> 321)."""
    theirs = _stems(other)
    return len(_stems(text) & theirs) / max(1, len(theirs)) > DUPLICATE_STEMS


@lru_cache(maxsize=4096)
def _stems(text: str) -> frozenset[str]:
    return frozenset(tokenize([text])[0])


class _Picker:
    """Sentences taken in turn within a word budget and a number of source pages, without
    repeats. `used` is the answer's length as read (sentences, a citation mark after each,
    section titles), or with `as_read=False` the quoted words alone (a summary is scored as
    its sentences)."""

    def __init__(
        self,
        max_sources: int,
        as_read: bool = True,
        language: str = "en",
        stem_duplicates: bool = False,
    ) -> None:
        self.chosen: list[_Pooled] = []
        self.sources: set[str] = set()
        self.sections: set[str] = set()
        self.used = 0
        self.max_sources = max_sources
        self.as_read = as_read
        self.language = language  # section titles are counted as they will read
        self.stem_duplicates = stem_duplicates  # `_duplicate_of(stems=...)`

    def _size(self, group: list[_Pooled]) -> int:
        words = sum(word_count(i.text) for i in group)
        if not self.as_read:
            return words
        titles = {
            section_title(i.section, self.language) for i in group if i.section not in self.sections
        }
        return words + MARK_WORDS * len(group) + sum(map(word_count, titles))

    def take(self, items: list[_Pooled], budget: int, limit: int | None = None) -> None:
        """`items` in turn while `budget` and `limit` last. A sentence that points back to one
        not quoted yet, and itself pointing back, is tried again once that one is quoted later
        in the pass ("They can be quite painful. They are not the same as cold sores ...")."""
        left = list(items)
        taken = 0
        while left and (limit is None or taken < limit):
            quoted = len(self.chosen)
            left, more = self._take_pass(left, budget, None if limit is None else limit - taken)
            taken += more
            if len(self.chosen) == quoted:
                break

    def _take_pass(
        self, items: list[_Pooled], budget: int, limit: int | None
    ) -> tuple[list[_Pooled], int]:
        """One pass over `items`: how many it took, and the sentences to try again."""
        taken = 0
        left = []
        for item in items:
            group = self._with_lead(item)
            if not group and item.lead is not None:
                left.append(item)
            size = self._size(group)
            if not group or self.used + size > budget or (limit is not None and taken >= limit):
                continue
            if item.page not in self.sources and len(self.sources) >= self.max_sources:
                continue
            twin = _duplicate_of(item.text, self.chosen, self.stem_duplicates)
            if twin is not None:
                if len(group) == 1:
                    self._keep_plainer(twin, item, budget)
                continue
            self.chosen.extend(group)
            self.sources.add(item.page)
            self.sections |= {i.section for i in group}
            self.used += size
            taken += 1
        return left, taken

    def _with_lead(self, item: _Pooled) -> list[_Pooled]:
        """The sentence, after the one it points back to when that is not quoted yet (moved to
        its section); nothing when that one cannot be quoted with it."""
        if not item.refers_back:
            return [item]
        lead = item.lead
        if lead is None:
            return []
        if any(c.order == lead.order for c in self.chosen):
            return [item]
        if (
            lead.refers_back
            or _duplicate_of(lead.text, self.chosen, self.stem_duplicates) is not None
        ):
            return []
        return [replace(lead, section=item.section), item]

    def _keep_plainer(self, twin: int, item: _Pooled, budget: int) -> None:
        """Of two sentences that say the same thing, the plainer one stays."""
        other = self.chosen[twin]
        grown = self.used + word_count(item.text) - word_count(other.text)
        if (
            other.section == item.section
            and (not self.stem_duplicates or _covers(item.text, other.text))
            and grown <= budget
            and (item.page in self.sources or len(self.sources) < self.max_sources)
            and plainer(other.text, item.text) == item.text
        ):
            self.used = grown
            self.chosen[twin] = item
            self.sources.add(item.page)


def _unsure_second(question: Question, asked: str, settings: ComposeSettings) -> str | None:
    """The section of the classifier's second reading when it is unsure of the first
    (`ComposeSettings.unsure_below`), English answers only; None otherwise."""
    if question.language != "en" or not question.section_second:
        return None
    if question.section_confidence >= settings.unsure_below:
        return None
    second = section_for_question(question.section_second)
    return None if second == asked else second


def _select(
    pool: list[_Pooled],
    asked: str,
    max_words: int,
    max_sources: int,
    language: str = "en",
    settings: ComposeSettings | None = None,
    second: str | None = None,
) -> list[_Pooled]:
    settings = settings or ComposeSettings()
    per_other = settings.sentences_per_other_section
    picker = _Picker(max_sources, language=language, stem_duplicates=language == "en")
    by_section: dict[str, list[_Pooled]] = {}
    for item in sorted(pool, key=lambda p: -p.score):
        by_section.setdefault(item.section, []).append(item)
    defining = by_section.get(S.WHAT_IT_IS, [])
    if asked == S.WHAT_IT_IS and language == "es":
        # the page's whole "¿Qué es ...?" section is what is asked
        picker.take(
            defining,
            int(max_words * settings.asked_section_share),
            limit=settings.max_asked_sentences,
        )
    else:
        picker.take(
            defining,
            max_words,
            limit=settings.what_it_is_sentences + (S.WHAT_IT_IS in (asked, second)),
        )
    # the asked section, or when the classifier is unsure, its two readings sharing evenly
    targets = [S.MORE if s == S.WHAT_IT_IS else s for s in (asked, second) if s is not None]
    share = int(max_words * settings.asked_section_share) // len(targets)
    limit = max(1, settings.max_asked_sentences // len(targets))
    for target in targets:
        picker.take(by_section.get(target, []), min(max_words, share + picker.used), limit=limit)
    asked = targets[0]
    if sum(1 for c in picker.chosen if c.section == asked) < per_other:
        # the topic's pages say little under this heading: its most relevant other sentences
        picker.take(by_section.get(S.MORE, []), max_words, limit=per_other)
    picker.take(
        by_section.get(S.SEE_A_DOCTOR, []), max_words, limit=settings.see_a_doctor_sentences
    )
    for section in S.ORDER:
        if section not in (*targets, S.SEE_A_DOCTOR, S.MORE):
            picker.take(by_section.get(section, []), max_words, limit=per_other)
    if settings.fill_rest:
        picker.take(_rest_of_topic(pool, picker.chosen), max_words)
    return picker.chosen


def _rest_of_topic(pool: list[_Pooled], chosen: list[_Pooled]) -> list[_Pooled]:
    """The topic's own sentences not quoted yet, best first: a MedlinePlus en español page is
    a short summary whose facts under a heading the question did not ask for ("Incluyen: -
    Comer más frutas ... - Beber abundante agua" of Estreñimiento, sorted as treatment when
    prevention is asked) would otherwise be left out of an answer far under its budget."""
    quoted = {id(c) for c in chosen}
    rest = [p for p in pool if p.on_topic and id(p) not in quoted]
    return sorted(rest, key=lambda p: -p.score)


def _select_salient(
    question: Question,
    pool: list[_Pooled],
    asked: str,
    salience: SalienceModel,
    max_words: int,
    max_sources: int,
) -> list[_Pooled]:
    """The most salient sentences across sources fill the budget, whatever their section."""
    scores = salience.scores(question.text, _source_sentences(pool, asked))
    ranked = [pool[i] for i in np.argsort(-scores, kind="stable")]
    picker = _Picker(max_sources, as_read=False)
    picker.take(ranked, max_words)
    return picker.chosen


def section_order(asked: str) -> list[str]:
    """Warning signs first, then the section that answers the question, then what it is, then
    the rest in reading order."""
    head = list(dict.fromkeys([S.SEE_A_DOCTOR, asked, S.WHAT_IT_IS]))
    return [*head, *(s for s in S.ORDER if s not in head)]


def _assemble(question: Question, chosen: list[_Pooled], asked: str) -> Answer:
    numbers: dict[str, int] = {}  # source page -> citation number, in order of first use
    ids: dict[str, list[str]] = {}  # source page -> its answer ids quoted, in order of use
    first: dict[str, Candidate] = {}
    sections: list[Section] = []
    for title in section_order(asked):
        items = sorted((c for c in chosen if c.section == title), key=lambda c: c.order)
        if not items:
            continue
        sentences = []
        for item in items:
            n = numbers.setdefault(item.page, len(numbers) + 1)
            first.setdefault(item.page, item.citation_source)
            page_ids = ids.setdefault(item.page, [])
            if item.doc_id not in page_ids:
                page_ids.append(item.doc_id)
            sentences.append(Sentence(item.text, (n,)))
        sections.append(Section(title, tuple(sentences)))
    citations = tuple(
        _citation(n, first[page].passage, tuple(ids[page])) for page, n in numbers.items()
    )
    return Answer(question=question, sections=tuple(sections), citations=citations)


def _citation(n: int, passage, ids: tuple[str, ...]) -> Citation:
    return Citation(
        n=n,
        id=ids[0],
        title=passage.title,
        url=passage.url,
        source=passage.credit or passage.source,
        ids=ids,
        credit=passage.credit,
        date=passage.date,
    )
