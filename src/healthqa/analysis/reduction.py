"""Reduce a long consumer health message to the sentences that ask the question.

Extractive: the message is cleaned (`cleaning.clean_message`), split into sentences
(blingfire), each sentence is scored by a linear model over named features, and the best
sentence (plus any other whose softmax share is high, within the word budget) is kept in
message order. The subject line is put in front when it names something the kept sentences
do not ("amphetamine salts 20 mg: are they gluten free"). A message that is already one short
sentence passes through cleaned but otherwise unchanged.

The coefficients live in `healthqa/models/reduction_scorer.json`; `python bench/reduction_rouge.py
train` fits them on MeQSum, maximising the ROUGE that the softmax-drawn sentence would get
against the expert summary.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import blingfire

from healthqa.analysis.cleaning import clean_message
from healthqa.errors import HealthqaError

MODELS_DIR = Path(__file__).resolve().parents[1] / "models"
MODEL_PATH = MODELS_DIR / "reduction_scorer.json"
# Common English words (wordfreq, see COMMON_ZIPF in bench/reduction_rouge.py); a word not in
# it is likely a medical term, a drug or a name: what a summary keeps.
COMMON_WORDS_PATH = MODELS_DIR / "reduction_common_words.json"
MODEL_FORMAT = 2

# Expert summaries average 10 words (MeQSum training rows); 40 leaves room for a subject and
# a long question sentence, and a longer reduction is a story again.
MAX_WORDS = 40
# A message of one sentence shorter than this is already a question: leave it alone.
PASS_THROUGH_WORDS = 25
# A run-on sentence is cut at its commas into runs of clauses of at most this many words
# (or one longer clause); 15, 20, 30 and 40 gave the same MeQSum ROUGE (5-fold CV, +-0.1).
CLAUSE_RUN_WORDS = 20
# A subject line longer than this is a sentence of its own, not a topic name.
SUBJECT_MAX_WORDS = 8

_SUBJECT_MESSAGE = re.compile(
    r"^\s*(?:subject:\s*(?P<subject>.*?)\s*)?(?:\n|^)\s*message:\s*(?P<message>.*)\Z",
    re.IGNORECASE | re.DOTALL,
)
_TITLE_SENTENCE = re.compile(r"^\s*(?P<title>[^.?!\n]{3,80})\.\s+(?P<rest>\S.*)\Z", re.DOTALL)
_CLAUSE_END = re.compile(r"(?<=[,;:])\s+")
_REPLY_PREFIX = re.compile(r"^\s*(?:(?:re|fwd?|aw)\s*:\s*)+", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_WH_WORDS = _word_set("what how why where when which who whom whose")
_AUX_WORDS = _word_set(
    "is are can could do does did should would will may might has have was were am shall"
)
_STORY_START = _word_set("i my we our he she his her they their me")
# First words of a question ("Could second hand smoke cause AMD."); "was", "had" start stories.
_QUESTION_START = _WH_WORDS | _word_set("is are can could do does should would will may might")
_GREETING_WORDS = _word_set("hi hello hey dear good greetings thanks thank respected")
# A title names a topic: no pronoun, auxiliary verb or question word in it.
_NOT_TITLE_WORDS = (
    _STORY_START | _AUX_WORDS | _WH_WORDS | _word_set("you us it this please mr mrs ms")
)
# An explicit request: "I want to know", "please tell me", "looking for information on".
_ASK_PHRASE = re.compile(
    r"\b(?:(?:want|like|need|wish|hoping|hope)\s+to\s+(?:know|find\s+out|learn|understand|ask)"
    r"|wonder(?:ing)?|(?:please|pls|can\s+you|could\s+you|would\s+you)\s+"
    r"(?:tell|send|explain|help|advise|inform|let|give|suggest|recommend|guide)"
    r"|let\s+me\s+know|looking\s+for|information\s+(?:on|about|regarding|concerning)"
    r"|(?:any|more|some)\s+(?:information|info|advice|suggestions?|research)"
    r"|(?:my|the)\s+questions?\s+(?:is|are)|advi[cs]e|recommend)\b",
    re.IGNORECASE,
)
# A question without its question mark: "is there a cure", "how to taper off".
_QUESTION_FORM = re.compile(
    r"\b(?:is\s+there|are\s+there|is\s+it|can\s+(?:i|you|it|this|they)|should\s+i"
    r"|what\s+(?:is|are|can|should|does|do|causes?)"
    r"|how\s+(?:can|do|does|to|long|much|many|often|should))\b",
    re.IGNORECASE,
)
_STORY_CUE = re.compile(
    r"\b(?:was|were|had|did|got|ago|since|yesterday|last\s+(?:year|month|week|night)|years?\s+old"
    r"|diagnosed|prescribed|told|started|went)\b",
    re.IGNORECASE,
)
_STOP_WORDS = _word_set(
    """a about above after again all also am an and any are as at be because been before being
    but by can could did do does doing for from had has have having he her here him his how i if
    in into is it its just me more most my no not of on or our out over own same she should so
    some such than that the their them then there these they this those through to too under
    until up very was we were what when where which while who whom why will with would you your
    get got know want need like one"""
)
# Subject words that name no topic: web-form fillers ("ClinicalTrials.gov - Question - general
# information"), greetings and pleas. On MeQSum training subjects, each of these seen 3 times or
# more reaches the expert summary in at most a third of them ("disease" reaches 10 in 14: kept).
_GENERIC_SUBJECT_WORDS = _word_set(
    """question questions clinicaltrials gov information info general help medical suggestion
    request service customer please health study specific consultation inquiry enquiry query
    urgent advice problem problems website site answer answers concern concerns issue issues
    regarding asking ask inquire contact email message doctor medicine medication medications
    drug drugs condition hello hi dear sir madam respected good morning afternoon evening day
    thanks thank"""
)


@dataclass(frozen=True, slots=True)
class SentenceView:
    """What a feature sees: one sentence in the context of its message."""

    text: str
    words: tuple[str, ...]
    index: int
    count: int
    first_question: int  # index of the first sentence with a question mark, -1 if none
    subject_stems: frozenset[str]


Feature = Callable[[SentenceView], float]


def _first_word_in(words: frozenset[str]) -> Feature:
    return lambda s: float(bool(s.words) and s.words[0] in words)


def _subject_overlap(s: SentenceView) -> float:
    if not s.subject_stems:
        return 0.0
    return len(s.subject_stems & _stems(s.words)) / len(s.subject_stems)


def _rare_words(s: SentenceView) -> float:
    common = common_words()
    return math.log1p(sum(1 for w in s.words if len(w) > 2 and w.isalpha() and w not in common))


FEATURES: dict[str, Feature] = {
    "question_mark": lambda s: float("?" in s.text),
    "first_question": lambda s: float(s.index == s.first_question),
    "starts_wh": _first_word_in(_WH_WORDS),
    "starts_aux": _first_word_in(_AUX_WORDS),
    "starts_story": _first_word_in(_STORY_START),
    "has_wh": lambda s: float(any(w in _WH_WORDS for w in s.words)),
    "ask_phrase": lambda s: float(bool(_ASK_PHRASE.search(s.text))),
    "question_form": lambda s: float(bool(_QUESTION_FORM.search(s.text))),
    "rare_words": _rare_words,
    "story_cue": lambda s: float(bool(_STORY_CUE.search(s.text))),
    "has_digit": lambda s: float(any(c.isdigit() for c in s.text)),
    "log_words": lambda s: math.log1p(len(s.words)),
    "position": lambda s: s.index / max(s.count - 1, 1),
    "is_first": lambda s: float(s.index == 0),
    "subject_overlap": _subject_overlap,
}


@dataclass(frozen=True, slots=True)
class ScorerModel:
    """A linear score over named `FEATURES`; within a message, a softmax over the scores gives
    each sentence its share of being the one that asks."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    # A second (third ...) sentence is kept when its share reaches this.
    extra_share: float

    def score(self, sentence: SentenceView) -> float:
        pairs = zip(self.features, self.weights, strict=True)
        return sum(w * FEATURES[name](sentence) for name, w in pairs)

    def shares(self, sentences: Sequence[SentenceView]) -> list[float]:
        scores = [self.score(s) for s in sentences]
        top = max(scores)
        exps = [math.exp(x - top) for x in scores]
        total = sum(exps)
        return [e / total for e in exps]

    def to_dict(self) -> dict[str, object]:
        return {
            "format": MODEL_FORMAT,
            "features": list(self.features),
            "weights": list(self.weights),
            "extra_share": self.extra_share,
        }

    @classmethod
    def from_dict(cls, data: dict) -> ScorerModel:
        if data.get("format") != MODEL_FORMAT:
            raise HealthqaError(
                f"reduction model format {data.get('format')!r}; this version reads {MODEL_FORMAT}"
            )
        unknown = sorted(set(data["features"]) - FEATURES.keys())
        if unknown:
            raise HealthqaError(
                f"reduction model names unknown features {unknown}; known: {sorted(FEATURES)}"
            )
        return cls(
            features=tuple(data["features"]),
            weights=tuple(float(w) for w in data["weights"]),
            extra_share=float(data["extra_share"]),
        )


def load_model(path: Path = MODEL_PATH) -> ScorerModel:
    try:
        return ScorerModel.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError) as error:
        raise HealthqaError(f"cannot read reduction model {path}: {error}") from error


@cache
def default_model() -> ScorerModel:
    return load_model(MODEL_PATH)


@cache
def common_words() -> frozenset[str]:
    try:
        return frozenset(json.loads(COMMON_WORDS_PATH.read_text(encoding="utf-8"))["words"])
    except (OSError, ValueError, KeyError) as error:
        raise HealthqaError(f"cannot read common words {COMMON_WORDS_PATH}: {error}") from error


def reduce_question(text: str, subject: str | None = None, model: ScorerModel | None = None) -> str:
    """What the message asks, in at most `MAX_WORDS` words, taken from its own sentences.

    `text` is the message body. Without an explicit `subject`, one is read from the text when
    has the form "SUBJECT: ...\\nMESSAGE: ...", or starts with a short line or sentence that
    only names a topic (see `split_subject`). Returns "" when neither the message nor the
    subject has any words.
    """
    if subject is None:
        subject, text = split_subject(text)
    subject_clean = clean_subject(subject or "")
    sentences = split_sentences(clean_message(text))
    if not sentences:
        return subject_clean
    if len(sentences) == 1 and len(sentences[0].split()) < PASS_THROUGH_WORDS:
        kept = sentences
    else:
        kept = select_sentences(sentences, subject_clean, model or default_model())
    return compose(subject_clean, kept)


def keep_topic_sentence(summary: str, message: str, names_topic: Callable[[str], bool]) -> str:
    """The summary, behind the message's first sentence that names a topic when the summary
    names none ("Mother has inherited rickets." before "How likely would B child pass it on?").
    A sentence too long for the word budget gives only its clause that names the topic."""
    if names_topic(summary):
        return summary
    budget = MAX_WORDS - len(summary.split())
    for sentence in split_sentences(clean_message(message)):
        if not names_topic(sentence) or sentence in summary:
            continue
        if len(sentence.split()) > budget:
            sentence = next((c for c in _CLAUSE_END.split(sentence) if names_topic(c)), "")
        if sentence and len(sentence.split()) <= budget:
            return f"{sentence} {summary}".strip()
    return summary


def compose(subject: str, sentences: Sequence[str]) -> str:
    """The kept sentences, behind the subject when it names something they do not."""
    reduction = " ".join(sentences)
    if not _names_something_new(subject, reduction):
        return _cap_words(reduction, MAX_WORDS)
    budget = MAX_WORDS - len(subject.split())
    return f"{subject}: {_cap_words(reduction, budget)}"


def split_subject(text: str) -> tuple[str | None, str]:
    """(subject, message): from "SUBJECT: ...\\nMESSAGE: ...", else from a short first line
    without final punctuation, else from a first sentence that only names a topic
    ("Stiff person syndrome. Please tell me ..."); else (None, text)."""
    marked = _SUBJECT_MESSAGE.match(text)
    if marked:
        return marked.group("subject"), marked.group("message")
    first, newline, rest = text.strip().partition("\n")
    if newline and rest.strip() and first.strip()[-1] not in ".?!,;:" and _is_subject_line(first):
        return first, rest
    titled = _TITLE_SENTENCE.match(text)
    if titled and _is_title(titled.group("title")):
        return titled.group("title"), titled.group("rest")
    return None, text


def message_subject(text: str) -> str:
    """The message's subject line as `split_subject` reads it, cleaned; "" without one."""
    subject, _ = split_subject(text)
    return clean_subject(subject or "")


def _is_subject_line(line: str) -> bool:
    words = _WORD.findall(line.lower())
    return 0 < len(words) <= SUBJECT_MAX_WORDS and words[0] not in _GREETING_WORDS


def _is_title(sentence: str) -> bool:
    return _is_subject_line(sentence) and not _NOT_TITLE_WORDS.intersection(
        _WORD.findall(sentence.lower())
    )


def clean_subject(subject: str) -> str:
    cleaned = clean_message(_REPLY_PREFIX.sub("", subject))
    return " ".join(cleaned.split()).rstrip(" .:;,-")


def split_sentences(text: str) -> list[str]:
    """Sentences with words in them; a kept line break always ends a sentence, and a run-on
    sentence longer than `MAX_WORDS` is cut into runs of clauses of at most `CLAUSE_RUN_WORDS`."""
    sentences: list[str] = []
    for line in text.split("\n"):
        if line.strip():
            sentences.extend(blingfire.text_to_sentences(line).split("\n"))
    units = (unit for s in sentences for unit in _clause_runs(s.strip()))
    return [u for u in units if any(c.isalpha() for c in u)]


def _clause_runs(sentence: str) -> list[str]:
    if len(sentence.split()) <= MAX_WORDS:
        return [sentence]
    runs: list[list[str]] = []
    for clause in _CLAUSE_END.split(sentence):
        size = len(clause.split())
        if runs and sum(len(c.split()) for c in runs[-1]) + size <= CLAUSE_RUN_WORDS:
            runs[-1].append(clause)
        else:
            runs.append([clause])
    return [" ".join(run) for run in runs]


def sentence_views(sentences: Sequence[str], subject: str) -> list[SentenceView]:
    subject_stems = frozenset(_topic_stems(subject))
    first_question = next((i for i, s in enumerate(sentences) if "?" in s), -1)
    return [
        SentenceView(
            text=s,
            words=tuple(_WORD.findall(s.lower())),
            index=i,
            count=len(sentences),
            first_question=first_question,
            subject_stems=subject_stems,
        )
        for i, s in enumerate(sentences)
    ]


def select_sentences(sentences: Sequence[str], subject: str, model: ScorerModel) -> list[str]:
    """The best-scoring sentence that asks something (the best-scoring one when none asks),
    then, while the word budget lasts, the best-scoring sentence overall (often the one that
    names the condition) and any other whose share reaches `extra_share`."""
    views = sentence_views(sentences, subject)
    shares = model.shares(views)
    ranked = sorted(range(len(views)), key=lambda i: -shares[i])
    chosen = [next((i for i in ranked if _is_ask(views[i])), ranked[0])]
    words = len(views[chosen[0]].words)
    for i in ranked:
        size = len(views[i].words)
        eligible = i == ranked[0] or shares[i] >= model.extra_share
        if i not in chosen and eligible and words + size <= MAX_WORDS:
            chosen.append(i)
            words += size
    return [sentences[i] for i in sorted(chosen)]


def _is_ask(sentence: SentenceView) -> bool:
    return (
        "?" in sentence.text
        or bool(sentence.words and sentence.words[0] in _QUESTION_START)
        or bool(_QUESTION_FORM.search(sentence.text) or _ASK_PHRASE.search(sentence.text))
    )


def _content_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in _STOP_WORDS and len(w) > 2]


def _stems(words: Iterable[str]) -> set[str]:
    """A crude stem (first five letters) so that "diabetic" meets "diabetes"."""
    return {w[:5] for w in words}


_GENERIC_SUBJECT_STEMS = _stems(_GENERIC_SUBJECT_WORDS)


def _topic_stems(subject: str) -> set[str]:
    """What a subject line names, less the words of web-form subjects ("general health")."""
    return _stems(_content_words(subject)) - _GENERIC_SUBJECT_STEMS


def _names_something_new(subject: str, reduction: str) -> bool:
    if len(subject.split()) > SUBJECT_MAX_WORDS:
        return False
    topic = _topic_stems(subject)
    return bool(topic) and not topic & _stems(_content_words(reduction))


def _cap_words(text: str, max_words: int) -> str:
    """Cut to `max_words`; a long question keeps its end, where the asking usually is."""
    words = text.split()
    if len(words) <= max_words:
        return text
    if text.rstrip().endswith("?"):
        return " ".join(words[-max_words:])
    return " ".join(words[:max_words])
