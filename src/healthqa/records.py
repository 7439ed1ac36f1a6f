"""The records every stage shares. Data flows one way:

Document -> Passage -> (index) ;  text -> Question -> [Candidate] -> Answer
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Self

from healthqa.i18n import message


class _Record:
    """A flat record that round-trips through JSON (lists come back as tuples)."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        """The fields as JSON has them: tuples as lists (from_dict turns them back)."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        names = {f.name for f in fields(cls)}
        return cls(
            **{k: (tuple(v) if isinstance(v, list) else v) for k, v in data.items() if k in names}
        )


@dataclass(frozen=True, slots=True)
class Document(_Record):
    """One answer of a trusted source: a MedQuAD QA pair, or one section of a user's page.

    `id` is the id evaluations use: `<source>_<docid>_Sec<pid>` for MedQuAD; loaders give
    `<prefix>:<slug>#<n>` (the page's n-th section).
    """

    id: str
    text: str
    title: str
    url: str = ""
    source: str = ""
    collection: str = "medquad"
    page: str = ""  # the source page it is part of (its other sections share it); "" = its id
    question: str = ""
    qtype: str = ""
    focus: str = ""
    category: str = ""
    synonyms: tuple[str, ...] = ()
    cuis: tuple[str, ...] = ()
    semantic_types: tuple[str, ...] = ()
    # Fields of documents from other sources (collections); MedQuAD leaves them empty.
    section: str = ""  # the heading this document is the text of
    headings: tuple[str, ...] = ()  # the path of headings down to `section`
    also_called: tuple[str, ...] = ()  # other names of the page's topic (brand, generic, lay)
    mesh: tuple[str, ...] = ()  # MeSH headings
    groups: tuple[str, ...] = ()  # the source's topic groups
    related: tuple[str, ...] = ()  # titles of related topics
    language: str = "en"
    date: str = ""  # ISO date the source gives (reviewed, created, label effective)
    credit: str = ""  # the source's credit line: "MedlinePlus", "NCI", "FDA"
    licence: str = ""


@dataclass(frozen=True, slots=True)
class Passage(_Record):
    """A run of sentences from one Document, small enough to rank and quote."""

    id: str
    doc_id: str
    sentences: tuple[str, ...]
    title: str
    url: str = ""
    source: str = ""
    collection: str = "medquad"
    question: str = ""
    qtype: str = ""
    focus: str = ""
    synonyms: tuple[str, ...] = ()
    # What later stages need of the Document (see Document): its page, heading, language,
    # date and the source's credit line.
    page: str = ""
    section: str = ""
    language: str = "en"
    date: str = ""
    credit: str = ""
    # MedQuAD's UMLS concepts of the page's focus: pages of other sites sharing one are on
    # the same concept (answer/concepts.py)
    cuis: tuple[str, ...] = ()

    @property
    def page_key(self) -> str:
        """The page whose other sections an answer may quote (its own doc_id when unknown)."""
        return self.page or self.doc_id

    @property
    def asks(self) -> str:
        """What the passage answers: MedQuAD's question, else its page section's heading
        ("Inactive ingredients" of a drug label, "What is acupuncture?" of a PDQ summary)."""
        return self.question or self.section

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


@dataclass(frozen=True, slots=True)
class Term(_Record):
    """A medical concept found in a question, with the words that named it."""

    text: str
    concept: str
    vocabulary: str
    code: str = ""
    variants: tuple[str, ...] = ()
    # an everyday word that is also a synonym ("period", "battery"): not enough on its own
    weak: bool = False
    # the words name a drug (drug-named-entity-recognition), whichever concept they reach
    drug: bool = False
    # an English word that reaches the concept by its stem only ("adhesive" -> Adhesions)
    stem_only: bool = False


@dataclass(frozen=True, slots=True)
class Question:
    raw: str
    text: str
    qtype: str = "information"
    focus: str = ""
    terms: tuple[Term, ...] = ()
    summary: str = ""
    emergency_cues: tuple[str, ...] = ()
    language: str = "en"  # the language of the question, and of its answer
    # the type whose section an answer puts first, when another source types it than `qtype`
    # (Settings.section_qtype); "" = `qtype`
    section_type: str = ""
    # the section classifier's second most probable type, and its probability of the first
    # (how sure it is of `section_type`); "" and 1.0 when cues type the section
    section_second: str = ""
    section_confidence: float = 1.0

    @property
    def asked_type(self) -> str:
        """The type whose section the answer puts first."""
        return self.section_type or self.qtype

    @property
    def search_text(self) -> str:
        """What retrieval sees: the reduced question plus the concepts' names."""
        names = " ".join(dict.fromkeys(t.concept for t in self.terms))
        return f"{self.summary or self.text} {names}".strip()

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.qtype,
            "focus": self.focus,
            "terms": [t.concept for t in self.terms],
            "summary": self.summary,
            "language": self.language,
        }


@dataclass(slots=True)
class Candidate:
    """A passage with its scores by signal (lexical, dense, entailment, rerank)."""

    passage: Passage
    scores: dict[str, float] = field(default_factory=dict)
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class Citation(_Record):
    """One source page, cited once: `id` is the first of its answers quoted, `ids` all of them
    (a MedQuAD page's QA pairs `X_Sec1`, `X_Sec3` share one number)."""

    n: int
    id: str
    title: str
    url: str  # or the file's path, for a user's document without a URL
    source: str
    ids: tuple[str, ...] = ()
    credit: str = ""  # the source's credit line: "MedlinePlus", "NCI"
    date: str = ""  # the source's date (reviewed, updated), ISO, when it gives one

    def __post_init__(self) -> None:
        if not self.ids:
            object.__setattr__(self, "ids", (self.id,))


def _dated(citation: Citation) -> str:
    """ ", NCI, 2025-12-30" for a source that gives its date (MedQuAD's do not)."""
    return f", {citation.credit or citation.source}, {citation.date}" if citation.date else ""


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    citations: tuple[int, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "citations": list(self.citations)}


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    sentences: tuple[Sentence, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "sentences": [s.to_dict() for s in self.sentences]}


def word_count(text: str) -> int:
    """Words as a person reads them: runs of characters between spaces ("[1]" is one)."""
    return len(text.split())


def citation_mark(numbers: tuple[int, ...]) -> str:
    """How a sentence's citations are written after it: "[1]", "[1, 2]"."""
    return f"[{', '.join(map(str, numbers))}]"


DISCLAIMER = message("disclaimer")


@dataclass(frozen=True, slots=True)
class Answer:
    question: Question
    sections: tuple[Section, ...] = ()
    citations: tuple[Citation, ...] = ()
    abstained: bool = False
    reason: str = ""
    emergency: bool = False
    warnings: tuple[str, ...] = ()
    readability: dict[str, float] = field(default_factory=dict)
    notice: str = ""
    # An answer in another language, offered beside an abstention and labelled as such (a
    # Spanish question whose topic only the English sources have); never in `body`/`words`.
    alternative: Answer | None = None
    alternative_label: str = ""
    # What the message also names (a drug of its story) that the answer does not speak of:
    # said in one line rather than left for the reader to assume it was covered.
    uncovered: tuple[str, ...] = ()

    @property
    def uncovered_line(self) -> str:
        if not self.uncovered or self.abstained:
            return ""
        return message("uncovered", self.language, names=" and ".join(self.uncovered))

    @property
    def language(self) -> str:
        return self.question.language

    @property
    def body(self) -> str:
        """What a person reads as the answer: the emergency notice, the reason for abstaining,
        and each section's title and sentences with their citation marks. The numbered list of
        sources and the fixed disclaimer that follow it are not part of it."""
        parts: list[str] = []
        if self.notice:
            parts.append(self.notice)
        if self.abstained:
            parts.append(self.reason)
        if self.uncovered_line:
            parts.append(self.uncovered_line)
        for section in self.sections:
            sentences = " ".join(
                f"{s.text} {citation_mark(s.citations)}" for s in section.sentences
            )
            parts.append(f"{section.title}\n{sentences}")
        return "\n\n".join(parts)

    @property
    def words(self) -> int:
        """The length of the answer as read (`body`): what `max_words` caps."""
        return word_count(self.body)

    @property
    def quoted_words(self) -> int:
        """The words of the quoted sentences alone."""
        return sum(word_count(s.text) for sec in self.sections for s in sec.sentences)

    @property
    def text(self) -> str:
        """The whole answer as plain text, the same words the terminal shows."""
        parts = [self.body] if self.body else []
        if self.citations:
            parts.append(
                f"{message('sources', self.language)}\n"
                + "\n".join(
                    f"[{c.n}] {c.title}. {c.url} ({c.id}){_dated(c)}" for c in self.citations
                )
            )
        parts.append(message("disclaimer", self.language))
        if self.alternative is not None:
            parts.append(f"{self.alternative_label}\n\n{self.alternative.text}")
        return "\n\n".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question.raw,
            "analysis": self.question.to_dict(),
            "sections": [s.to_dict() for s in self.sections],
            "citations": [c.to_dict() for c in self.citations],
            "text": self.text,
            "abstained": self.abstained,
            "emergency": self.emergency,
            "warnings": list(self.warnings),
            "readability": dict(self.readability),
            "language": self.language,
            "words": self.words,
            "alternative": self._alternative_dict(),
            "uncovered": [] if self.abstained else list(self.uncovered),
        }

    def _alternative_dict(self) -> dict[str, Any] | None:
        if self.alternative is None:
            return None
        return {"label": self.alternative_label, **self.alternative.to_dict()}
