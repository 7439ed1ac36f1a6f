"""Fit the Spanish emergency classifier, the check by meaning of a Spanish question, and choose
its threshold, on training data only.

    python -m healthqa.training.emergency_classifier_es [--data DIR] [--write] [--out PATH]

Each example is a window the check would read (one that tells of a person and negates
nothing, by the English gate for English texts and the Spanish gate for Spanish ones),
encoded with USE multilingual v3 alone: Spanish and English share its space, so what is fitted
on English emergencies carries over to Spanish ones (MiniLM, English only, is left out).
- Positives: the English classifier's (the sourced descriptions, MedQuAD's "Call 911 if" signs
  as first-person messages, A.D.A.M.'s poisonings, `emergency_positives.txt`) and the signs
  MedlinePlus en español sends to emergency care, as Spanish first-person messages
  (`emergency_sources_es.py`); the English emergency pages' signs together
  (`emergency_pages.py`) and, of the Spanish pages that say their condition is an emergency or
  send it to 911, their symptom-list items two and three together ("mi mamá tiene fiebre,
  escalofríos o sensación de mucho frío y confusión o desorientación", `page_groups_es`);
  the lay emergencies written for training (`emergency_positives_lay.txt`,
  `emergency_positives_es.txt`; a line's variants share a fold).
- Negatives: the English classifier's (MeQSum, LiveQA 2017 train, informational questions,
  our ordinary lists, drug-page questions, symptoms told alone, the emergency pages' common
  signs told alone, harmless swallows) and
  MedlinePlus en español's own question headings asked by a person
  ("mi mamá tiene asma, ¿cómo se trata el asma?"), and the calm lay messages written for
  training (`emergency_negatives_lay.txt`, `emergency_negatives_es.txt`: fitted on, not
  setting the threshold). The symptoms of its pages that send no one
  to emergency care, told alone ("mi hijo tiene dolor de garganta"), are measured, not fitted
  (`emergency_sources_es.py`).
The threshold comes from 5-fold cross-validation (folds by text): MARGIN above the best
out-of-fold logit of a real, informational, drug-page, ordinary or Spanish page question
(symptoms told alone and harmless swallows are fitted on but do not set it, as in English).
`tests/data/emergency_es_questions.txt` is measured, not fitted; the held-out and the Spanish
development lists are never read here.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from functools import partial

import numpy as np

from healthqa.analysis import emergency_meaning_es
from healthqa.analysis.emergency import detect_emergency
from healthqa.analysis.emergency_meaning import MeaningCheck, load_descriptions
from healthqa.analysis.emergency_meaning_es import (
    CLASSIFIER_ENCODER_ID,
    SpanishEmergencyClassifier,
)
from healthqa.datasets import training_file
from healthqa.training.emergency import read_lines, read_liveqa_train, read_meqsum, read_variants
from healthqa.training.emergency_classifier import (
    FOLDS,
    LAY_NEGATIVES,
    LAY_POSITIVES,
    ORDINARY_LISTS,
    Windows,
    _list,
    _merge,
    arguments,
    caught,
    sigmoid,
    unflagged,
)
from healthqa.training.emergency_pages import emergency_pages, page_messages, signs_alone
from healthqa.training.emergency_sources import (
    drug_questions,
    harmless_substances,
    harmless_swallows,
    sourced_positives,
    symptoms_alone,
)
from healthqa.training.emergency_sources_es import (
    page_groups_es,
    page_questions_es,
    sourced_positives_es,
    symptoms_alone_es,
)

# Added to the best out-of-fold logit of a negative, as in the English classifier.
MARGIN = 0.25
# Spanish lay messages written for training in session 20 (emergencies now; calm messages that
# name scary things); variants of one message share a line and a fold.
LAY_POSITIVES_ES = "emergency_positives_es.txt"
LAY_NEGATIVES_ES = "emergency_negatives_es.txt"
# Inverse regularisation over the standardised 512-d USE vector, balanced class weights; the
# English classifier's C, kept (its search over 0.0003-0.03 found USE alone best near it).
C = 0.003
TOP = 8  # printed to be read by hand
_SENTENCE = re.compile(r"(?<=[.!?\n])\s+")
Spans = Callable[[str], tuple[str, ...]]


def english_spans(text: str) -> tuple[str, ...]:
    return MeaningCheck.spans(text)


def spanish_spans(text: str) -> tuple[str, ...]:
    return emergency_meaning_es.spans(text)


def encode(
    encoder,
    texts: list[str],
    language: str,
    *,
    sentences: bool = False,
    gated: bool = True,
    select: Callable[[str], bool] | None = None,
    message: list[int] | None = None,
) -> Windows:
    """All compared windows of `texts` in `language` (its gate; Spanish windows that `select`
    instead when given), encoded in one run; `message`, the message each text is a variant of."""
    spans_of: Spans = english_spans if language == "en" else spanish_spans
    if select is not None and language == "es":
        spans_of = partial(emergency_meaning_es.spans, select=select)
    if not gated:
        spans_of = (
            (lambda t: MeaningCheck.spans(t, gated=False))
            if language == "en"
            else (lambda t: emergency_meaning_es.spans(t, gated=False))
        )
    rows = [spans_of(text) for text in texts]
    if sentences:
        rows = [
            tuple(dict.fromkeys([*row, *(s for p in _SENTENCE.split(t) for s in spans_of(p))]))
            for t, row in zip(texts, rows, strict=True)
        ]
    flat = [span for row in rows for span in row]
    vectors = encoder.encode(flat) if flat else np.zeros((0, emergency_meaning_es.DIMENSION))
    return Windows(
        texts=texts,
        vectors=np.asarray(vectors, dtype=np.float64),
        owner=np.array([n for n, row in enumerate(rows) for _ in row], dtype=int),
        by_patterns=np.array(
            [detect_emergency(t, by_meaning=False, language=language).emergency for t in texts],
            dtype=bool,
        ),
        message=None if message is None else np.asarray(message, dtype=int),
    )


def encode_variants(encoder, name: str, language: str) -> Windows:
    """The windows of a lay training list whose lines hold variants of one message."""
    texts, messages = read_variants(name)
    return encode(encoder, texts, language, message=messages)


def _calm_flagged(
    negative: Windows,
    scores: np.ndarray,
    threshold: float,
    before: list[Windows],
    calm: list[Windows],
) -> dict[str, str]:
    """Out of fold, the calm lay messages (English, Spanish) the layer would flag."""
    start = sum(len(w.texts) for w in before)
    best = negative.best(scores) >= threshold
    found = {}
    for name, windows in zip(("calm_lay_en_flagged", "calm_lay_es_flagged"), calm, strict=True):
        stop = start + len(windows.texts)
        found[name] = f"{int(best[start:stop].sum())} / {len(windows.texts)}"
        start = stop
    return found


def fit(positives: np.ndarray, negatives: np.ndarray) -> SpanishEmergencyClassifier:
    x = np.concatenate([positives, negatives])
    y = np.r_[np.ones(len(positives)), np.zeros(len(negatives))]
    names = [f"v{i}" for i in range(x.shape[1])]
    return SpanishEmergencyClassifier.fit(x, y, names, C=C, class_weight="balanced")


def out_of_fold(
    always: np.ndarray, positives: Windows, negatives: Windows
) -> tuple[np.ndarray, np.ndarray]:
    """Logits of each positive and negative window from a model fitted without its fold."""
    pos_fold, neg_fold = positives.folds(), negatives.folds()  # a message's variants together
    pos_out, neg_out = np.zeros(len(pos_fold)), np.zeros(len(neg_fold))
    for fold in range(FOLDS):
        model = fit(
            np.concatenate([always, positives.vectors[pos_fold != fold]]),
            negatives.vectors[neg_fold != fold],
        )
        pos_out[pos_fold == fold] = model.logits(positives.vectors[pos_fold == fold])
        neg_out[neg_fold == fold] = model.logits(negatives.vectors[neg_fold == fold])
    return pos_out, neg_out


def main(argv: list[str] | None = None) -> None:
    args, data = arguments(__doc__, SpanishEmergencyClassifier.packaged_path(), argv)
    from healthqa.retrieval.multilingual import get_multilingual_encoder

    started = time.perf_counter()
    descriptions, digest = load_descriptions()
    use = get_multilingual_encoder(threads=2)
    # 1. the windows
    always = np.asarray(use.encode([d.text for d in descriptions]), dtype=np.float64)
    danger = sourced_positives(data)
    sourced = encode(use, danger, "en")
    found_pages = emergency_pages(data)
    pages_en = encode(use, page_messages(found_pages), "en")
    pages_alone = encode(use, signs_alone(found_pages, danger), "en")
    groups_es = encode(use, page_groups_es(data), "es")
    positives_en = encode(use, read_lines("emergency_positives.txt"), "en")
    positives_es = encode(use, sourced_positives_es(data), "es")
    lay_en = encode_variants(use, LAY_POSITIVES, "en")
    lay_es = encode_variants(use, LAY_POSITIVES_ES, "es")
    calm_en = encode_variants(use, LAY_NEGATIVES, "en")
    calm_es = encode_variants(use, LAY_NEGATIVES_ES, "es")
    alone = encode(use, symptoms_alone(data), "en")
    alone_es = encode(use, symptoms_alone_es(data), "es")
    swallows = encode(use, harmless_swallows(harmless_substances(data)), "en")
    real = {
        "meqsum": encode(use, read_meqsum(training_file(data, "meqsum")), "en", sentences=True),
        "liveqa_train": encode(
            use, read_liveqa_train(training_file(data, "liveqa-train")), "en", sentences=True
        ),
    }
    informational = encode(use, read_lines("emergency_informational.txt"), "en")
    drugs = encode(use, drug_questions(data), "en")
    ordinary_en = encode(use, [q for n in ORDINARY_LISTS[:-1] for q in _list(args.lists / n)], "en")
    ordinary_es = encode(use, _list(args.lists / ORDINARY_LISTS[-1]), "es")
    pages_es = encode(use, page_questions_es(data), "es")
    ours_es = encode(use, _list(args.lists / "emergency_es_questions.txt"), "es")  # measured
    sets = [unflagged(w) for w in [*real.values(), informational, drugs, pages_es]]
    sets += [ordinary_en, ordinary_es]
    # the calm lay messages are fitted on but do not set the threshold: one past seizure told
    # calmly ("a un compañero le dio una convulsion ayer") alone would lift it above nearly
    # every emergency (out of fold, 2 of 108 Spanish lay emergencies were left)
    calm = [unflagged(calm_en), unflagged(calm_es)]
    negative = _merge([*sets, *calm, unflagged(alone), unflagged(pages_alone), unflagged(swallows)])
    sets_threshold = np.arange(len(negative.vectors)) < sum(len(w.vectors) for w in sets)
    positive = _merge([positives_en, positives_es, lay_en, lay_es])
    ends = np.cumsum([len(w.texts) for w in (positives_en, positives_es, lay_en, lay_es)])
    part_of = np.searchsorted(ends, np.arange(len(positive.texts)), side="right")
    always = np.concatenate([always, sourced.vectors, pages_en.vectors, groups_es.vectors])
    # 2. the threshold, from out-of-fold logits
    pos_out, neg_out = out_of_fold(always, positive, negative)
    best_negative = float(neg_out[sets_threshold].max())
    threshold_logit = best_negative + MARGIN
    # 3. the model, fitted on everything
    model = fit(np.concatenate([always, positive.vectors]), negative.vectors)
    pos_best = positive.best(pos_out) >= threshold_logit
    report = {
        "examples": {
            "descriptions": len(descriptions),
            "sourced_positive_windows_en": len(sourced.vectors),
            "positive_list_windows_en": len(positives_en.vectors),
            "lay_positive_windows_en": len(lay_en.vectors),
            "lay_positive_windows_es": len(lay_es.vectors),
            "lay_negative_windows_en": len(unflagged(calm_en).vectors),
            "lay_negative_windows_es": len(unflagged(calm_es).vectors),
            "sourced_positive_windows_es": len(positives_es.vectors),
            "emergency_page_windows_en": len(pages_en.vectors),
            "emergency_page_signs_alone_en": len(pages_alone.vectors),
            "emergency_page_groups_es": len(groups_es.vectors),
            "negative_windows": len(negative.vectors),
            "spanish_page_question_windows": len(pages_es.vectors),
        },
        "threshold_logit": round(threshold_logit, 3),
        "best_out_of_fold_negative_logit": round(best_negative, 3),
        "out_of_fold": {
            **{
                f"{name}_caught": f"{int(pos_best[part_of == n].sum())} / "
                f"{int((part_of == n).sum())}"
                for n, name in enumerate(
                    ("emergency_positives_txt", "spanish_sourced_positives", "lay_en", "lay_es")
                )
            },
            "negative_texts_flagged": int((negative.best(neg_out) >= threshold_logit).sum()),
            **_calm_flagged(negative, neg_out, threshold_logit, sets, calm),
        },
        "fitted": {
            name: caught(w, model.logits(w.vectors), threshold_logit)
            for name, w in {
                **real,
                "informational": informational,
                "drug_questions": drugs,
                "ordinary_en": ordinary_en,
                "ordinary_es_questions_txt": ordinary_es,
                "spanish_page_questions": pages_es,
                "lay_negatives_en": calm_en,
                "lay_negatives_es": calm_es,
                "symptoms_alone": alone,
                "harmless_swallows": swallows,
            }.items()
        },
        "spanish_symptoms_alone_not_fitted": caught(
            alone_es, model.logits(alone_es.vectors), threshold_logit
        ),
        "emergency_es_questions_txt_not_fitted": caught(
            ours_es, model.logits(ours_es.vectors), threshold_logit
        ),
        "train_seconds": round(time.perf_counter() - started, 1),
    }
    _print(negative, neg_out, threshold_logit, report)
    threshold = round(sigmoid(threshold_logit), 4)
    shipped = SpanishEmergencyClassifier(
        features=model.features,
        mean=model.mean,
        scale=model.scale,
        coef=model.coef,
        intercept=model.intercept,
        threshold=threshold,
        info=_info(digest, report),
    )
    if args.write:
        shipped.save(args.out)
        print(f"classifier and threshold {threshold} written to {args.out}")


def _info(digest: str, report: dict) -> dict:
    return {
        "model_id": CLASSIFIER_ENCODER_ID,
        "descriptions_sha256": digest,
        "C": C,
        "margin": MARGIN,
        "folds": FOLDS,
        "note": (
            "Fitted by `python -m healthqa.training.emergency_classifier_es --write` on "
            "training data only (MedQuAD, MeQSum, LiveQA 2017 train, MedlinePlus en español, "
            "our ordinary lists and emergency_positives.txt): USE multilingual v3 vectors of "
            "the windows of the English classifier's examples and of MedlinePlus en español's "
            "emergency signs and page questions told of a person. Threshold: "
            f"{MARGIN} logit above the best out-of-fold real, informational, drug-page, "
            "ordinary or Spanish page question."
        ),
        "measured": report,
    }


def _print(negative: Windows, neg_out: np.ndarray, threshold_logit: float, report: dict) -> None:
    print(f"best out-of-fold negatives (threshold logit {threshold_logit:.2f}):")
    best = negative.best(neg_out)
    for n in np.argsort(-best)[:TOP]:
        print(f"  {best[n]:6.2f} {' '.join(negative.texts[n].split())[:110]}")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
