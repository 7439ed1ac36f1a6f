"""Question type from the wording, in MedQuAD's own type names so that retrieval can match
a question to answers of the same type.

`detect_qtype` (what the analyzer uses) checks cue patterns in order; the first that matches
wins. Order matters where cues overlap: "side effects" before "effects", "when should I see a
doctor" before "what helps".

`learned_qtype` is the learned replacement, used by the analyzer when Settings.qtype is
"learned" (not the default: end to end it is below the cues, docs/benchmarks.md "Question
type"): a multinomial logistic regression over the word uni- and bigrams of the lower-cased
question (`question_ngrams`, shared with the training command so the two cannot drift) and the
packaged question encoder's sentence vector (`question_vector`, the instance dense search
uses), stored as JSON in `healthqa/models/qtype.json` (card: `qtype.card.json`) and scored with
numpy. It is fitted by `python -m healthqa.training.qtype` on MedQuAD's typed questions, the
LiveQA training messages and MeQSum; when no type is likely enough the question reads as
"information".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from healthqa.errors import HealthqaError

INFORMATION = "information"
MODEL_FILE = "qtype.json"
CARD_FILE = "qtype.card.json"
# The classifier of the answer's asked section (Settings.section_qtype "learned"): the same
# model fitted also on lay questions and with the consumer classes balanced
# (`python -m healthqa.training.qtype --section`). A file of its own: the re-ranker's
# "type_probability" reads MODEL_FILE, the classifier it was fitted with.
SECTION_MODEL_FILE = "qtype_section.json"
SECTION_CARD_FILE = "qtype_section.card.json"
FORMAT_VERSION = 1
REBUILD = "python -m healthqa.training.qtype"
VECTOR_ENCODER = "question"  # retrieval/dense.py ENCODERS

_TOKEN = re.compile(r"[a-z0-9]+")

QTYPE_CUES: tuple[tuple[str, str], ...] = (
    (
        "when to contact a medical professional",
        r"\bwhen (should|do|to|must) (i|we|you)?\s*(see|call|go|visit|contact|seek)\b|"
        r"\b(see|call) (a|my|the|your) (doctor|gp|physician|provider)\b|\bemergency room\b|"
        r"\bshould i (be )?(worr|concern)|\bis (it|this) (serious|dangerous|an emergency)\b",
    ),
    ("side effects", r"\bside[- ]?effects?\b|\badverse (effect|reaction)s?\b"),
    (
        "interactions with medications",
        r"\binteract|\b(take|taking|mix|mixing|combine|combining)\b.*\b(with|and|together)\b.*"
        r"\b(drug|medicine|medication|pill|tablet|alcohol)s?\b",
    ),
    (
        "dose",
        r"\bdos(e|es|age|ing)\b|\bhow (much|many) (mg|milligrams?|pills?|tablets?)\b|"
        r"\bhow (much|many|often)\b.*\b(take|give)\b",
    ),
    (
        "inheritance",
        r"\binherit|\bhereditary\b|\brun(s)? in (the |my )?famil|\bpass(ed)? (it )?(on|down)\b",
    ),
    ("genetic changes", r"\bgene(s|tic)?\b|\bmutation"),
    (
        "prevention",
        r"\bprevent|\bavoid|\breduce (the |my )?risk\b|\bprotect (myself|yourself|against)\b|"
        r"\bstop (it )?from (happening|coming back)\b",
    ),
    (
        "causes",
        r"\bwhy\b|\bcaus|\breasons?\b|\bwhat makes\b|\btrigger|\bhow (do|does|did|can) .*"
        r"\b(get|got|catch|develop|happen|occur)\b(?! rid)|\bwhere does .* come from\b",
    ),
    ("symptoms", r"\bsymptom|\bsigns?\b|\bwhat does .* feel like\b|\bhow (do|would) i know if\b"),
    (
        "exams and tests",
        r"\bdiagnos|\btest(s|ed|ing)? (for|to)\b|\bdetect|\bscreen(ing)?\b|"
        r"\bhow (do|can) (i|you|doctors?) (know|tell|check|find out)\b",
    ),
    (
        "treatment",
        r"\btreat|\bcur(e|es|ed|ing)\b|\bremed|\bhelps?\b|\bget rid\b|\brelie(f|ve)\b|"
        r"\btherap|\bmanage|\bwhat (can|should) (i|we) do\b|\bmedic(ine|ation)s? for\b|"
        r"\bsurgery\b|\bheal\b|\bease\b",
    ),
    (
        "outlook",
        r"\bprognosis\b|\boutlook\b|\blife expectancy\b|\bsurviv|\bgo away\b|\bpermanent\b|"
        r"\bhow long (does|will|do)\b|\bfatal\b|\bdie\b|\brecover",
    ),
    (
        "susceptibility",
        r"\bwho (gets|is at risk|can get)\b|\brisk factors?\b|\bat risk\b|"
        r"\bmore likely\b|\bchances? of (getting|having)\b",
    ),
    ("complications", r"\bcomplications?\b|\blead to\b|\blong[- ]term effects?\b"),
    ("frequency", r"\bhow common\b|\bhow many people\b|\bprevalen|\bhow rare\b"),
    ("usage", r"\bused for\b|\bwhat is .* for\b|\bhow (do|should) i (use|take)\b"),
    ("contagious", r"\bcontagious\b|\binfectious\b|\bspread\b|\bcatch (it|from)\b"),
)

_COMPILED = tuple((qtype, re.compile(pattern, re.IGNORECASE)) for qtype, pattern in QTYPE_CUES)

# MedQuAD answer types that also answer a question of a given type.
RELATED_QTYPES: dict[str, tuple[str, ...]] = {
    "causes": ("causes", "genetic changes", "susceptibility"),
    "treatment": ("treatment", "considerations", "usage", "prevention"),
    "symptoms": ("symptoms", "when to contact a medical professional", "complications"),
    "when to contact a medical professional": (
        "when to contact a medical professional",
        "symptoms",
    ),
    "exams and tests": ("exams and tests", "diagnosis"),
    "inheritance": ("inheritance", "genetic changes"),
    "genetic changes": ("genetic changes", "inheritance", "causes"),
    "side effects": ("side effects", "severe reaction", "important warning"),
    "interactions with medications": (
        "interactions with medications",
        "interactions with herbs and supplements",
        "interactions with foods",
        "precautions",
    ),
    "dose": ("dose", "usage", "forget a dose"),
    "contagious": ("causes", "prevention", "information"),
}


def question_ngrams(text: str) -> tuple[str, ...]:
    """The distinct word unigrams and bigrams of the lower-cased text, in order of first use;
    a word is a run of ASCII letters and digits ("don't" is "don" "t")."""
    words = _TOKEN.findall(text.lower())
    bigrams = [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    return tuple(dict.fromkeys(words + bigrams))


# MedQuAD (and LiveQA-mapped) types -> the class the classifier predicts
# (training/qtype.py fits it; the re-ranker reads P(an answer's class)). A type that the rest
# of the code reads (retrieval's RELATED_QTYPES, answer/sections.py SECTION_OF_QTYPE) stays
# itself; a rare one goes to the class whose answer section it shares:
CLASS_OF_TYPE: dict[str, str] = {
    # -> "What it is": pointers to more reading, not a kind of answer of their own
    "research": INFORMATION,
    "other information": INFORMATION,
    "support groups": INFORMATION,
    "how can i learn more": INFORMATION,
    "brand names": INFORMATION,
    "brand names of combination products": INFORMATION,
    "why get vaccinated": INFORMATION,
    # -> "What helps": MedlinePlus's self-care "What to do for X"
    "considerations": "treatment",
    # -> "Outlook"
    "stages": "outlook",
    # -> "When to see a doctor"
    "emergency or overdose": "when to contact a medical professional",
    # drug questions (MedQuAD has 3 to 37 of each with text): -> "Uses"
    "indication": "usage",
    "how does it work": "usage",
    "how effective is it": "usage",
    "storage and disposal": "usage",
    "forget a dose": "dose",
    # -> "Side effects"
    "severe reaction": "side effects",
    # -> "Precautions": everything to check before taking it
    "precautions": "interactions with medications",
    "contraindication": "interactions with medications",
    "important warning": "interactions with medications",
    "dietary": "interactions with medications",
    "interactions with herbs and supplements": "interactions with medications",
    "interactions with foods": "interactions with medications",
}
CLASSES = (
    INFORMATION,
    "causes",
    "genetic changes",
    "inheritance",
    "symptoms",
    "susceptibility",
    "frequency",
    "exams and tests",
    "when to contact a medical professional",
    "treatment",
    "prevention",
    "outlook",
    "complications",
    "usage",
    "dose",
    "side effects",
    "interactions with medications",
)


def class_of(qtype: str) -> str:
    qtype = CLASS_OF_TYPE.get(qtype, qtype)
    return qtype if qtype in CLASSES else INFORMATION


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


@dataclass(frozen=True)
class QtypeModel:
    classes: tuple[str, ...]
    ngrams: tuple[str, ...]
    coef: np.ndarray  # (n-grams, classes)
    intercept: np.ndarray  # (classes,)
    # Below this top probability the question reads as "information".
    threshold: float = 0.0
    info: dict = field(default_factory=dict)
    # Optional weights over the question encoder's sentence vector (dimension, classes); the
    # vector is scaled by `vector_scale` before them, as in training.
    vector_coef: np.ndarray | None = None
    vector_scale: float = 1.0
    _row: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "classes", tuple(self.classes))
        object.__setattr__(self, "ngrams", tuple(self.ngrams))
        coef = np.asarray(self.coef, dtype=np.float64).reshape(len(self.ngrams), -1)
        intercept = np.asarray(self.intercept, dtype=np.float64)
        if coef.shape[1] != len(self.classes) or intercept.shape != (len(self.classes),):
            raise HealthqaError(
                f"question type model: {coef.shape} coefficients and {intercept.shape} "
                f"intercepts do not fit {len(self.ngrams)} n-grams x {len(self.classes)} classes"
            )
        if INFORMATION not in self.classes:
            raise HealthqaError(f"question type model has no {INFORMATION!r} class")
        object.__setattr__(self, "coef", coef)
        if self.vector_coef is not None:
            vector_coef = np.asarray(self.vector_coef, dtype=np.float64)
            if vector_coef.ndim != 2 or vector_coef.shape[1] != len(self.classes):
                raise HealthqaError(
                    f"question type model: vector coefficients {vector_coef.shape} do not fit "
                    f"{len(self.classes)} classes"
                )
            object.__setattr__(self, "vector_coef", vector_coef)
        object.__setattr__(self, "intercept", intercept)
        object.__setattr__(self, "_row", {g: i for i, g in enumerate(self.ngrams)})

    def probabilities(self, text: str, vector: np.ndarray | None = None) -> np.ndarray:
        """P(class | text), in the order of `classes`; the same as scikit-learn's
        predict_proba over the binary n-gram matrix (and the scaled sentence vector, when the
        model reads one: `vector`, else the text's, by the shared question encoder)."""
        rows = [self._row[g] for g in question_ngrams(text) if g in self._row]
        logits = self.intercept + self.coef[rows].sum(axis=0)
        if self.vector_coef is not None:
            if vector is None:
                vector = question_vector(text)
            logits = logits + self.vector_scale * np.asarray(vector, np.float64) @ self.vector_coef
        return softmax(logits)

    def predict(self, text: str, vector: np.ndarray | None = None) -> str:
        return self.read(self.probabilities(text, vector))

    def read(self, probabilities: np.ndarray) -> str:
        """The type read from `probabilities`: the most probable, or "information" when it is
        under the threshold."""
        best = int(probabilities.argmax())
        return self.classes[best] if probabilities[best] >= self.threshold else INFORMATION

    def to_dict(self) -> dict:
        return {
            "format_version": FORMAT_VERSION,
            "classes": list(self.classes),
            "threshold": self.threshold,
            "intercept": self.intercept.tolist(),
            "ngrams": list(self.ngrams),
            "coef": self.coef.tolist(),
            "info": self.info,
        } | (
            {}
            if self.vector_coef is None
            else {
                "encoder": VECTOR_ENCODER,
                "vector_scale": self.vector_scale,
                "vector_coef": self.vector_coef.tolist(),
            }
        )

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_dict(), separators=(",", ":")) + "\n")

    @classmethod
    def load(cls, path: Path | None = None) -> QtypeModel:
        source = path or packaged_path(MODEL_FILE)
        try:
            data = json.loads(Path(source).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise HealthqaError(
                f"cannot read {source}: {exc}; rebuild it with `{REBUILD}`"
            ) from exc
        if not isinstance(data, dict) or data.get("format_version") != FORMAT_VERSION:
            raise HealthqaError(
                f"{source} is not a question type model of format {FORMAT_VERSION}: "
                f"rebuild it with `{REBUILD}`"
            )
        try:
            return cls(
                classes=data["classes"],
                ngrams=data["ngrams"],
                coef=data["coef"],
                intercept=data["intercept"],
                threshold=float(data["threshold"]),
                info=data.get("info") or {},
                vector_coef=data.get("vector_coef"),
                vector_scale=float(data.get("vector_scale", 1.0)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise HealthqaError(
                f"{source} is incomplete ({exc}): rebuild it with `{REBUILD}`"
            ) from exc


def question_vector(text: str) -> np.ndarray:
    """The text's vector by the packaged question encoder: the process-wide instance that
    dense search uses, and the vector itself when dense search just encoded the same text
    (`encode_one` keeps the last few)."""
    from healthqa.retrieval.dense import encode_one

    return encode_one(text, VECTOR_ENCODER)


def packaged_path(name: str) -> Path:
    return Path(str(resources.files("healthqa") / "models" / name))


@cache
def default_model() -> QtypeModel:
    return QtypeModel.load()


def learned_qtype(text: str) -> str:
    """The type by the learned classifier (the analyzer's when Settings.qtype is "learned")."""
    return default_model().predict(text)


@cache
def default_section_model() -> QtypeModel:
    return QtypeModel.load(packaged_path(SECTION_MODEL_FILE))


def learned_section_qtype(text: str) -> str:
    """The type whose section the answer puts first, by the section classifier (the analyzer's
    when Settings.section_qtype is "learned")."""
    return default_section_model().predict(text)


def learned_section_runner_up(text: str) -> tuple[str, float]:
    """The section classifier's most probable type other than the one it reads
    (`learned_section_qtype`: "information" when no type reaches its threshold), and the
    probability of the one it reads."""
    model = default_section_model()
    probabilities = model.probabilities(text)
    first = model.read(probabilities)
    order = [model.classes[int(i)] for i in np.argsort(-probabilities, kind="stable")]
    second = next(c for c in order if c != first)
    return second, float(probabilities[model.classes.index(first)])


def detect_qtype(text: str) -> str:
    for qtype, pattern in _COMPILED:
        if pattern.search(text):
            return qtype
    return INFORMATION


def related_qtypes(qtype: str) -> tuple[str, ...]:
    return RELATED_QTYPES.get(qtype, (qtype,))
