"""One settings object for every stage; the CLI builds it in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from healthqa.errors import HealthqaError

MAX_QUESTION_CHARS = 10_000


def _repo_root() -> Path:
    return Path(__file__).resolve().parents[2]


def default_home() -> Path:
    return Path(os.environ.get("HEALTHQA_HOME") or Path.home() / ".cache" / "healthqa")


def find_data_dir(explicit: str | Path | None = None) -> Path | None:
    """`--data DIR`, else $HEALTHQA_DATA, else ../shared/data beside the repo, else the download.

    An explicit path that does not exist is an error; a missing default is not.
    """
    given = explicit or os.environ.get("HEALTHQA_DATA")
    if given:
        path = Path(given).expanduser()
        if not path.is_dir():
            raise HealthqaError(f"data folder not found: {path}")
        return path.resolve()
    for candidate in (
        Path.cwd() / ".." / "shared" / "data",
        _repo_root().parent / "shared" / "data",
        default_home() / "data",
    ):
        if (candidate / "medquad").is_dir():
            return candidate.resolve()
    return None


def medquad_dir(data_dir: Path) -> Path:
    """The MedQuAD folder inside a data folder, or the folder itself if it is MedQuAD."""
    if (data_dir / "medquad").is_dir():
        return data_dir / "medquad"
    if any(data_dir.glob("*_QA*")):
        return data_dir
    raise HealthqaError(
        f"no MedQuAD in {data_dir}: expected {data_dir / 'medquad'} "
        "(run `healthqa data download` to fetch it)"
    )


QTYPE_SOURCES = ("cues", "learned")
# how a Spanish question's page is chosen past the names (answer/topic_es.py)
SPANISH_TOPIC_CHOOSERS = ("model", "names-model", "rules")
# The learned chooser since session 19: out of fold on the 195 Spanish lay training questions it
# answers more of them from the right page than the rules (59 against 46) with half the wrong
# pages (38 against 81); docs/spanish.md, "Session 19"
SPANISH_TOPIC_DEFAULT = "model"
# how an English question's page is chosen (answer/topic.py, answer/topic_model.py)
ENGLISH_TOPIC_CHOOSERS = ("rules", "learned", "rules-learned")
ENGLISH_TOPIC_DEFAULT = "rules-learned"


@dataclass(frozen=True, kw_only=True)
class ComposeSettings:
    """How the composer (`answer/compose.py`) scores and picks an English answer's sentences.

    A sentence scores overlap_weight * (share of the question's words it has)
    + passage_rank_weight * (its passage's score, relative, decayed by rank)
    + asked_section_bonus (in the asked section) + position_weight / (1 + its position).
    The asked section may take asked_section_share of the word budget and max_asked_sentences;
    every other section up to sentences_per_other_section, "when to see a doctor" up to
    see_a_doctor_sentences; with fill_rest, the topic's unused sentences, best first, fill what
    budget is left. Defaults fitted on the even halves of the LiveQA 2017 training questions and
    of the lay training questions together (session 19: `bench/compose_train.py --lay --both
    --fit`, docs/benchmarks.md "Composer settings"); the asked section's share and sentences
    chosen again in session 22 once the same concept's pages joined the candidates (0.5 and 1
    -> 0.7 and 6: of the settings tied best on the lay training questions, the best on the LiveQA
    training references that keeps tests/test_integration_answers.py whole; 0.7 and 10 lost
    "is high blood pressure dangerous" its heart; docs/benchmarks.md "Session 22"). Spanish keeps
    its own (compose.py `SPANISH`).
    """

    overlap_weight: float = 5.0
    asked_section_bonus: float = 0.5
    passage_rank_weight: float = 2.0
    position_weight: float = 1.6
    asked_section_share: float = 0.7
    max_asked_sentences: int = 6
    sentences_per_other_section: int = 0
    # "When to see a doctor" sentences kept whatever the fit: a product rule (warning signs are
    # what a reader must not miss), not a measured choice
    see_a_doctor_sentences: int = 2
    fill_rest: bool = True
    # sentences of "what it is" taken first when another section is asked (one more when it is)
    what_it_is_sentences: int = 1
    # when the section classifier's probability of the type it reads is under this, the asked
    # section shares its budget and sentences evenly with the next most probable type's (0 =
    # never). Session 23, on the lay training questions each judged by a classifier fitted
    # without its half (`--hold-out 2:R`): 0 -> 227, 0.5, 0.6 and 0.7 -> 230 of 367; of the
    # three, 0.5 costs the LiveQA training references least (`bench/compose_train.py`)
    unsure_below: float = 0.5
    # A sentence lent by another topic's page (a candidate not on the topic that names it,
    # `compose._lends`) scores this much less than the topic's own: session 24, English lay
    # training questions, where the gold page is often such a page (CDC "Lymphatic Filariasis"
    # for elephantiasis): they were kept only when the topic's pages had nothing in the asked
    # section (310 of 456 answered pass); kept always at 0 / 0.5 / 2 / 4 below: 315 / 317 / 318
    # / 318 (even half 159 -> 163, odd 151 -> 155 at 2); docs/benchmarks.md "Session 24".
    lent_penalty: float = 2.0

    def __post_init__(self) -> None:
        for f in fields(self):
            if getattr(self, f.name) < 0:
                raise HealthqaError(f"compose setting {f.name} must be >= 0")
        if not 0 < self.asked_section_share <= 1:
            raise HealthqaError(
                f"asked_section_share must be in (0, 1], got {self.asked_section_share}"
            )


@dataclass(frozen=True, kw_only=True)
class Settings:
    data_dir: Path | None = None
    home: Path = None  # type: ignore[assignment]  # filled in __post_init__
    index_name: str = "main"  # one index holds MedQuAD and every registered collection
    max_words: int = 300
    passages_per_question: int = 150
    documents_per_answer: int = 4
    dense: bool = True
    # retrieval signals fused by reciprocal rank (retrieval/search.py SIGNALS)
    signals: tuple[str, ...] = ("lexical", "dense")
    # the dense index's encoder (retrieval/dense.py ENCODERS); "" = the question encoder when
    # it is installed, else MiniLM
    encoder: str = ""
    rerank: bool = True
    # the cross-encoder re-reads the head of the re-ranked list (retrieval/cross_encoder.py);
    # off by default: it did not beat the pipeline on LiveQA (docs/benchmarks.md)
    cross_encoder: bool = False
    emergency_number: str = "911"
    crisis_number: str = "988"
    poison_number: str = "1-800-222-1222"
    lang: str = "auto"  # the language to answer in: "auto" (the question's), "en" or "es"
    # Spanish search also through the English names of each page's topic (the `bridge_es`
    # part, retrieval/bridge_es.py); off: it did not raise the Spanish dev figure
    # (docs/spanish.md)
    spanish_bridge: bool = False
    # Spanish search also by the learned adapter of the question's USE vector
    # (retrieval/adapter_es.py, models/adapter_es.npy), with the page chooser fitted on that
    # ranking (models/topic_es_adapter.json); session 20, off: better out of fold on the lay
    # training questions, level on their passes, below session 19's chooser on both Spanish
    # evaluation sets (docs/benchmarks.md, "Spanish question adapter")
    spanish_adapter: bool = False
    # the question type: "cues" (analysis/qtype.py cue patterns) or "learned" (the classifier
    # models/qtype.json); the cues by default: the classifier is below them end to end
    # (docs/benchmarks.md, "Question type")
    qtype: str = "cues"
    # the type whose section an answer puts first ("cues" or "learned": the section classifier
    # models/qtype_section.json, fitted also on lay questions); only the answer's section
    # order, retrieval keeps `qtype`. "learned" by default: out of fold it gives the asked
    # section more often than the cues on the lay questions and on the LiveQA training
    # messages (docs/benchmarks.md "Question type", session 19)
    section_qtype: str = "learned"
    # the question's focus among its concepts: "learned" (analysis/focus.py, models/focus.json)
    # or "rule" (the older rule: strong, names a page, longest)
    focus: str = "learned"
    # how an English question's page is chosen: "rules" (answer/topic.py: a name the question
    # uses, then its words covering the page) or "learned" (answer/topic_model.py: the page of
    # highest calibrated P(on topic), models/topic.json, abstaining below its threshold); the
    # rules by default: the learned chooser gives fewer wrong pages but fewer right ones on the
    # training measures (docs/benchmarks.md "Learned topic choice (session 19)"); or
    # "rules-learned" (the default since session 20): the rules answer, and the learned
    # chooser's most probable page replaces theirs when more probable by the model's margin;
    # where the rules abstain, it answers from the model's fallback P up (session 23; margin,
    # fallback and how many candidates it reads are chosen with the model,
    # `topic_model.prefer_learned`; docs/benchmarks.md "Session 20: a drug beside the
    # question, and the rules' page second-guessed" and "Session 23: the learned chooser
    # reads deeper, and answers where the rules abstain")
    topic: str = ENGLISH_TOPIC_DEFAULT
    # the composer's sentence weights and sizes (English answers)
    compose: ComposeSettings = field(default_factory=ComposeSettings)
    # how a Spanish question's page is chosen (answer/topic_es.py): "rules" (the names, IDF
    # coverage, then BM25 and vectors agreeing), "model" (the learned chooser,
    # models/topic_es.json, alone; SPANISH_TOPIC_DEFAULT) or "names-model" (the names, then the
    # chooser)
    spanish_topic: str = SPANISH_TOPIC_DEFAULT

    def __post_init__(self) -> None:
        if self.home is None:
            object.__setattr__(self, "home", default_home())
        if not 30 <= self.max_words <= 2000:
            raise HealthqaError(f"max_words must be between 30 and 2000, got {self.max_words}")
        if self.lang not in ("auto", "en", "es"):
            raise HealthqaError(f"lang must be one of auto, en, es; got {self.lang!r}")
        for name in ("qtype", "section_qtype"):
            if getattr(self, name) not in QTYPE_SOURCES:
                raise HealthqaError(
                    f"{name} must be one of {', '.join(QTYPE_SOURCES)}, got {getattr(self, name)!r}"
                )
        if self.focus not in ("learned", "rule"):
            raise HealthqaError(f"focus must be learned or rule, got {self.focus!r}")
        if self.topic not in ENGLISH_TOPIC_CHOOSERS:
            raise HealthqaError(
                f"topic must be one of {', '.join(ENGLISH_TOPIC_CHOOSERS)}, got {self.topic!r}"
            )
        if self.qtype not in QTYPE_SOURCES:
            raise HealthqaError(
                f"qtype must be one of {', '.join(QTYPE_SOURCES)}, got {self.qtype!r}"
            )
        if self.spanish_topic not in SPANISH_TOPIC_CHOOSERS:
            raise HealthqaError(
                f"spanish_topic must be one of {', '.join(SPANISH_TOPIC_CHOOSERS)}, "
                f"got {self.spanish_topic!r}"
            )
        if self.encoder not in ("", "question", "minilm"):
            raise HealthqaError(f"encoder must be question or minilm, got {self.encoder!r}")
        if self.passages_per_question < 1 or self.documents_per_answer < 1:
            raise HealthqaError("passages_per_question and documents_per_answer must be >= 1")

    @classmethod
    def resolve(cls, data: str | Path | None = None, **overrides) -> Settings:
        return cls(data_dir=find_data_dir(data), **overrides)

    @property
    def index_dir(self) -> Path:
        return Path(self.home) / "index" / self.index_name

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)
