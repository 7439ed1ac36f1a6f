"""No drift: an answer must speak of what the question asks about, or not be given.

The thing a question asks about (a drug, a condition, a test: the question's focus) must be
the topic of the page the answer comes from, one of that page's names, or named in the
sentences it quotes. Otherwise the answer is about something else (a question on when to take
one stomach-acid pill answered from a page on taking medicines in general), and the person is
told which page is missing instead ("I have no trustworthy page on aciphex (Rabeprazole)").
When the question itself names drugs, the answer must name one of them instead: "side
effects of Aciphex" is about Aciphex, and a page on side effects in general does not answer it.

Names are compared as concepts, through the phrase table built at index time from MedQuAD's
names, MeSH and `drug-named-entity-recognition`'s drug names and brands: "Aciphex" and
"rabeprazole" are one concept, so a page on either names the other.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from healthqa.analysis.reduction import _is_ask, sentence_views, split_sentences, split_subject
from healthqa.analysis.vocabulary import MAX_SHORT_NAME_ZIPF, english_zipf, phrase_key
from healthqa.answer.drug_asked import default_model_asked, features, message_sentences
from healthqa.records import Answer, Question, Term

FindTerms = Callable[[str], Sequence[Term]]


# A drug name at least this frequent in English is read as the word ("before", "iron",
# "alcohol"; zipf 4.6-5.9), not as a drug the answer must name; drug names sit below it
# ("insulin" 3.8, "vitamin" 4.0). The same cut as the vocabulary's short everyday names.
EVERYDAY_DRUG_ZIPF = MAX_SHORT_NAME_ZIPF
# For a term the phrase table does not mark as a drug name (`Term.drug`): a word that is not
# the drug's own name (a stem, a synonym) and is this common in English is the
# word: "recover" (4.3) is not the vaccine ReCOV; a brand rare in English ("aciphex") still
# names its drug.
STEM_ONLY_ZIPF = 3.0
# MedQuAD's drug and supplement pages (MedlinePlus): a focus of theirs is a drug.
DRUG_SOURCES = frozenset({"MPlusDrugs", "MPlusHerbsSupplements"})
# The names of drug classes ("Diuretics", "Proton Pump Inhibitors"), written by
# `python -m healthqa.training.drug_classes` from drug-named-entity-recognition (MeSH D27).
DRUG_CLASSES_FILE = Path(__file__).resolve().parents[1] / "models" / "drug_classes.json"
# The stems of the words that name medicines in general: a page whose name holds one
# ("Medicines", "Drug Reactions", "Over-the-counter medicines") is about medicines in general.
MEDICINE_STEMS = frozenset(phrase_key(w) for w in ("medicine", "medication", "drug"))


@dataclass(frozen=True)
class Subject:
    """What an answer must speak of: how to say it, and the phrase keys (stemmed) of its
    names; naming any of them is enough."""

    label: str
    keys: frozenset[str]
    # the page the answer was on, whose topic the question asks about beside this drug (a
    # relation: "can Tylenol cause ulcer pain?" on Peptic Ulcer), "" when it asks of this alone
    beside: str = ""


def _subject(terms: list[Term]) -> Subject | None:
    names = {n for t in terms for n in (t.text, t.concept, *t.variants)}
    keys = frozenset(k for k in map(phrase_key, names) if k)
    labels = dict.fromkeys(_label(t) for t in terms)  # "ibuprofen or lisinopril"
    return Subject(" or ".join(labels), keys) if keys else None


def _label(term: Term) -> str:
    if phrase_key(term.text) == phrase_key(term.concept):
        return term.text
    return f"{term.text} ({term.concept})"


def asked_subject(
    question: Question, drug_pages: frozenset[str], find_terms: FindTerms | None = None
) -> Subject | None:
    """What the answer must speak of. When the question itself (not the story around it)
    names drugs, one of them: "side effects of Aciphex" is about Aciphex, and a page on drug
    reactions in general does not answer it. When it names no subject of its own but a drug
    class or medicines in general ("could these be side effects of this medicine?"), or
    nothing at all, the drugs the whole message names (`find_terms` finds them); the same
    when it names a condition but the message, by how it names the drug, asks about the drug
    ("My sister has breast cancer. Could she use salinomycin?", `drug_asked.py`). Otherwise
    the question's focus, when a strong term named it ("mother" is a word first, not a topic
    to insist on). `drug_pages`: the phrase keys of the foci of the index's drug pages."""
    said = said_terms(question)
    aside = aside_drugs(question, drug_pages, find_terms)
    drugs = [t for t in said if _is_drug(t, drug_pages) and phrase_key(t.concept) not in aside]
    named = [t for t in drugs if not _is_class(t)]
    if named:
        return _subject(asked_drugs(question, named))
    if find_terms is not None:
        story = story_drugs(question, drug_pages, find_terms)
        story = [t for t in story if phrase_key(t.concept) not in aside]
        own = own_subjects(question, drug_pages)
        if story and (not own or _asks_about_drug(question, story, own, drug_pages)):
            return _subject(story)
    if drugs:
        return _subject(drugs)
    # medicines in general ("what medicine kills hookworms") ask for a treatment of something
    # else: no page on "Medicines" is owed
    focus = [
        t
        for t in question.terms
        if t.concept == question.focus
        and phrase_key(t.concept) not in aside
        and not (t.weak or t.stem_only or _general_medicine(t))
    ]
    return _subject(focus) if question.focus and focus else None


def aside_drugs(
    question: Question, drug_pages: frozenset[str], find_terms: FindTerms | None
) -> frozenset[str]:
    """The phrase keys of the drugs the kept question names only beside what it asks: no
    sentence of it that asks names them ("... accidents at work. what causes that? i take
    metformin if that matters"), and the drug-asked model (`_asks_about_drug`, as for a drug
    named outside the kept question) reads the message as not asking about them. Empty
    without `find_terms` (the story is not read then), when no sentence asks, or when the
    kept question names no subject of its own ("I started lisinopril. what are the side
    effects": the drug is what it asks about)."""
    if find_terms is None:
        return frozenset()
    named = [t for t in said_terms(question) if _is_drug(t, drug_pages) and not _is_class(t)]
    if not named:
        return frozenset()
    views = sentence_views(message_sentences(question.summary or question.text), "")
    asking = [f" {phrase_key(v.text)} " for v in views if _is_ask(v)]
    if not asking or any(f" {phrase_key(t.text)} " in a for t in named for a in asking):
        return frozenset()
    own = own_subjects(question, drug_pages)
    if not own or _asks_about_drug(question, named, own, drug_pages):
        return frozenset()
    return frozenset(phrase_key(t.concept) for t in named)


def asked_drugs(question: Question, drugs: list[Term]) -> list[Term]:
    """Of several drugs the kept question names, those its asking sentences name ("... pain
    not relieved by Tylenol. Could she take Motrin along with these meds?" asks about Motrin,
    and an answer on Tylenol alone does not do); of those, the product that holds the others
    (`contained_in`: "is there any lactose or casein in the Levothyroxin tab?" asks about
    levothyroxine), else the ones the message's body names most often (`most_named`: "side
    effects from Tecfidera ... my doctor said to take an aspirin with every dose ... since I
    started Tecfidera"). Drugs as often named as each other are all kept: the answer may be
    on any of them, and names the others as not covered."""
    if len({t.concept for t in drugs}) < 2:
        return drugs
    views = sentence_views(split_sentences(question.summary or question.text), "")
    asking = " ".join(f" {phrase_key(v.text)} " for v in views if _is_ask(v))
    drugs = [t for t in drugs if f" {phrase_key(t.text)} " in asking] or drugs
    if len({t.concept for t in drugs}) < 2:
        return drugs
    body = split_subject(question.text)[1]
    return contained_in(drugs, body) or most_named(drugs, body)


# "in the", "in your", "in this 1%": what may stand between "in" and the product's name.
_IN_PRODUCT = re.compile(r" in (?:(?:the|your|my|his|her|this|that|a|an|[0-9]+) ){0,3}$")


def contained_in(drugs: list[Term], body: str) -> list[Term]:
    """The drugs `body` names as what holds another ("the gelatin used in your Adderall
    capsules", "is there lactose in the Levothyroxin tab"), when some other drug is not."""
    padded = f" {phrase_key(body)} "
    holders = {
        t.concept
        for t in drugs
        if (k := phrase_key(t.text))
        and any(
            _IN_PRODUCT.search(padded[: m.start() + 1])
            for m in re.finditer(f" {re.escape(k)} ", padded)
        )
    }
    if not holders or holders == {t.concept for t in drugs}:
        return []
    return [t for t in drugs if t.concept in holders]


def most_named(drugs: list[Term], body: str) -> list[Term]:
    """The drugs (by concept) that `body` names most often, by any of their written names; the
    subject line is not counted, as it often names the thing looked for ("SUBJECT: gelatin")."""
    padded = f" {phrase_key(body)} "
    keys: dict[str, set[str]] = {}
    for term in drugs:
        keys.setdefault(term.concept, set()).add(phrase_key(term.text))
    counts = {c: sum(padded.count(f" {k} ") for k in ks if k) for c, ks in keys.items()}
    most = max(counts.values())
    return [t for t in drugs if counts[t.concept] == most] if most else drugs


def said_terms(question: Question) -> list[Term]:
    """The question's terms that its kept question (the summary) says, not only the story."""
    asked = f" {phrase_key(question.summary or question.text)} "
    return [t for t in question.terms if f" {phrase_key(t.text)} " in asked]


def story_drugs(
    question: Question, drug_pages: frozenset[str], find_terms: FindTerms
) -> list[Term]:
    """The drugs the whole message names (not drug classes)."""
    return [t for t in find_terms(question.text) if _is_drug(t, drug_pages) and not _is_class(t)]


def own_subjects(question: Question, drug_pages: frozenset[str]) -> int:
    """How many subjects of its own (a condition, not a drug) the kept question names."""
    return sum(_own_subject(t, drug_pages) for t in said_terms(question))


def _asks_about_drug(
    question: Question, story: list[Term], own: int, drug_pages: frozenset[str]
) -> bool:
    """The message asks about the drug it names outside its kept question, although that
    question names a condition (`answer/drug_asked.py`, learned from MeQSum and LiveQA-train)."""
    model = default_model_asked()
    return (
        model.probability(features(question, story, own, drug_pages, english_zipf))
        >= model.threshold
    )


def _own_subject(term: Term, drug_pages: frozenset[str]) -> bool:
    """A strong term that names a subject of its own: not a drug class, not medicines in
    general (then the question is about a drug the message names elsewhere)."""
    if term.weak or term.stem_only or _is_class(term) or _is_drug(term, drug_pages):
        return False
    return not _general_medicine(term)


def _general_medicine(term: Term) -> bool:
    """The term names medicines in general ("Medicines", "Drug Reactions")."""
    return bool(MEDICINE_STEMS & set(phrase_key(term.concept).split()))


def _is_class(term: Term) -> bool:
    return phrase_key(term.concept) in _drug_classes()


@lru_cache(maxsize=1)
def _drug_classes() -> frozenset[str]:
    """The phrase keys of the drug classes' names."""
    names = json.loads(DRUG_CLASSES_FILE.read_text(encoding="utf-8"))["classes"]
    return frozenset(map(phrase_key, names))


def _is_drug(term: Term, drug_pages: frozenset[str]) -> bool:
    if term.weak or term.stem_only or english_zipf(term.text) >= EVERYDAY_DRUG_ZIPF:
        return False  # an English word that only shares a drug's stem ("recover": ReCOV)
    if (
        not term.drug  # not a drug name itself: a common English word is the word
        and " " not in term.text.strip()
        and term.text.lower() != term.concept.lower()
        and english_zipf(term.text) >= STEM_ONLY_ZIPF
    ):
        return False
    return term.vocabulary == "drug" or term.drug or phrase_key(term.concept) in drug_pages


def speaks_of(
    subject: Subject, topic_names: Iterable[str], sentences: Iterable[str], find_terms: FindTerms
) -> bool:
    """The topic is the subject by one of its names, or a quoted sentence names it: by one of
    its names, or by a name the vocabulary gives the same concept (a brand for its generic)."""
    if any(
        _holds_key(phrase_key(n), subject.keys) or holds_words(n, subject.keys) for n in topic_names
    ):
        return True  # a name of the topic holds it ("Kidney Failure: Eat Right to Feel Right")
    sentences = list(sentences)
    if any(_holds_key(phrase_key(s), subject.keys) for s in sentences):
        return True
    return any(_same(term, subject) for s in sentences for term in find_terms(s))


def holds_words(name: str, keys: frozenset[str]) -> bool:
    """The name holds every word of a key of two or more words, around a qualifier:
    "Shingles (Zoster) Vaccine" holds "shingles vaccine"."""
    words = set(phrase_key(name).split())
    return any(len(k.split()) >= 2 and set(k.split()) <= words for k in keys)


def _holds_key(stems: str, keys: frozenset[str]) -> bool:
    padded = f" {stems} "
    return any(f" {key} " in padded for key in keys)


def _same(term: Term, subject: Subject) -> bool:
    return any(phrase_key(name) in subject.keys for name in (term.concept, *term.variants))


def unspoken_drugs(
    question: Question,
    drug_pages: frozenset[str],
    find_terms: FindTerms,
    topic_names: Iterable[str],
    sentences: Iterable[str],
) -> tuple[str, ...]:
    """The drugs the message names (one label per concept: a brand and its generic are one)
    that the answer, by its topic's names and quoted sentences, does not speak of."""
    topic_names, sentences = list(topic_names), list(sentences)
    by_concept: dict[str, list[Term]] = {}
    for term in story_drugs(question, drug_pages, find_terms):
        by_concept.setdefault(phrase_key(term.concept), []).append(term)
    subjects = [_subject(terms) for terms in by_concept.values()]
    return tuple(
        s.label
        for s in subjects
        if s is not None and not speaks_of(s, topic_names, sentences, find_terms)
    )


def asked_unspoken(
    question: Question,
    drug_pages: frozenset[str],
    find_terms: FindTerms,
    topic_names: Iterable[str],
    sentences: Iterable[str],
) -> Subject | None:
    """A drug named outside the kept question that the message still asks about (a sentence
    that asks names it, or the drug-asked model reads it so: `_asks_beside`), which the answer
    does not speak of: "Peptic Ulcers & Tylenol / I don't take aspirin ... I still get ulcer
    pain when I take Tylenol. Why?" asks how Tylenol and ulcers relate, and a page on ulcers
    that names aspirin alone does not answer it. None when every such drug is spoken of, or
    the message names it only in the story around what it asks ("I take rabeprazole. What
    helps sniffle fever?")."""
    topic_names, sentences = list(topic_names), list(sentences)
    said = {phrase_key(t.concept) for t in said_terms(question)}
    by_concept: dict[str, list[Term]] = {}
    for term in story_drugs(question, drug_pages, find_terms):
        if phrase_key(term.concept) not in said:  # the kept question's drugs: `asked_subject`
            by_concept.setdefault(phrase_key(term.concept), []).append(term)
    own = own_subjects(question, drug_pages)
    for terms in by_concept.values():
        subject = _subject(terms)
        if subject is None or speaks_of(subject, topic_names, sentences, find_terms):
            continue
        if _asks_beside(question, terms, own, drug_pages):
            return subject
    return None


def _asks_beside(
    question: Question, drugs: list[Term], own: int, drug_pages: frozenset[str]
) -> bool:
    """The message asks about a drug named outside its kept question: a sentence of it that
    asks names the drug ("How about coconut oil?"; as `aside_drugs` reads the kept question),
    or the drug-asked model reads it so."""
    row = features(question, drugs, own, drug_pages, english_zipf)
    model = default_model_asked()
    return bool(row["drug_asks"]) or model.probability(row) >= model.threshold


def quoted_sentences(answer: Answer) -> list[str]:
    return [s.text for section in answer.sections for s in section.sentences]


def missing_page(question: Question, subject: Subject) -> Answer:
    """The abstention that says which source is missing, and for a relation ("can Tylenol
    cause ulcer pain?") that the page on the other thing asked does not cover it."""
    reason = (
        "I found no trustworthy answer to this question in my sources: I have no "
        f"trustworthy page on {subject.label}"
    )
    if subject.beside:
        reason += f", and my page on {subject.beside} does not say anything about it"
    return Answer(question=question, abstained=True, reason=f"{reason}.")
