"""Fit the negation model of the emergency check, and choose its C and threshold, on training
data only.

    python -m healthqa.training.emergency_negation [--data DIR] [--write] [--out PATH]

The classifier (`emergency_classifier.py`) never reads a window with a negation word; before
session 20 such a window was left to the patterns alone, so an emergency told with one ("he's
breathing but not answering us", "i just want to go to sleep and never wake up, i have my dads
gun here") got no notice by meaning. This model reads exactly those windows (they tell of a
person and hold a negation word outside the cue file's danger negations), encoded as the
classifier's are (USE multilingual v3 joined to MiniLM), and says whether the window is an
emergency: a logistic regression fitted on negated windows only.
- Positives: the negated windows of `emergency_positives.txt` and `emergency_positives_lay.txt`.
- Negatives: the negated windows of the calm lay messages (`emergency_negatives_lay.txt`: "he
  did not pass out, is playing normally"), MeQSum and LiveQA 2017 train messages and
  sentences, `emergency_informational.txt`, MedQuAD drug-page questions ("the zolpidem my
  daughter no longer takes") and our ordinary lists, which set the threshold; and MedQuAD's
  emergency signs told as denials ("my husband has no chest pain", `emergency_sources.denials`),
  symptoms told alone and harmless swallows, fitted on only.
C and the threshold come from 5-fold cross-validation by message (the variants of a lay line
share a fold): the threshold is MARGIN above the best out-of-fold logit of a negative that sets
it, so that no calm message the model was not fitted on is flagged; C is the one of CHOICES
with the most out-of-fold positives at that threshold (ties: the smaller). The held-out test
lists are never read here.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np

from healthqa.analysis import emergency_meaning_es
from healthqa.analysis.emergency_meaning import (
    CLASSIFIER_ENCODER_ID,
    MeaningCheck,
    NegationClassifier,
    load_descriptions,
    negated,
)
from healthqa.analysis.emergency_meaning_es import SpanishNegationClassifier
from healthqa.datasets import training_file
from healthqa.training.emergency import read_lines, read_liveqa_train, read_meqsum, read_variants
from healthqa.training.emergency_classifier import (
    FOLDS,
    LAY_NEGATIVES,
    LAY_POSITIVES,
    MARGIN,
    ORDINARY_LISTS,
    Windows,
    _list,
    _merge,
    arguments,
    caught,
    encode,
    feature_names,
    joined_encoder,
)
from healthqa.training.emergency_classifier_es import LAY_NEGATIVES_ES, LAY_POSITIVES_ES
from healthqa.training.emergency_classifier_es import encode as encode_es
from healthqa.training.emergency_sources import (
    denials,
    drug_questions,
    harmless_substances,
    harmless_swallows,
    symptoms_alone,
)
from healthqa.training.emergency_sources_es import page_questions_es

# Inverse regularisation tried; the positives are few (21 windows), so the search is coarse.
CHOICES = (0.01, 0.1, 0.3, 1.0)


def fit(
    positives: np.ndarray, negatives: np.ndarray, c: float, kind: type = NegationClassifier
) -> NegationClassifier:
    x = np.concatenate([positives, negatives])
    y = np.r_[np.ones(len(positives)), np.zeros(len(negatives))]
    return kind.fit(x, y, feature_names(x.shape[1]), C=c, class_weight="balanced")


def out_of_fold(
    positives: Windows, negatives: Windows, c: float, kind: type = NegationClassifier
) -> tuple[np.ndarray, np.ndarray]:
    """Logits of each window from a model fitted without its fold (folds by message)."""
    pos_fold, neg_fold = positives.folds(), negatives.folds()
    pos_out, neg_out = np.zeros(len(pos_fold)), np.zeros(len(neg_fold))
    for fold in range(FOLDS):
        model = fit(
            positives.vectors[pos_fold != fold], negatives.vectors[neg_fold != fold], c, kind
        )
        pos_out[pos_fold == fold] = model.logits(positives.vectors[pos_fold == fold])
        neg_out[neg_fold == fold] = model.logits(negatives.vectors[neg_fold == fold])
    return pos_out, neg_out


def choose(
    positives: Windows,
    negatives: Windows,
    sets_threshold: np.ndarray,
    counted: Callable[[np.ndarray], np.ndarray],
    kind: type = NegationClassifier,
) -> tuple[float, float, np.ndarray, np.ndarray, dict]:
    """C (of CHOICES, the most positives out of fold, ties to the smaller) and its threshold
    logit, MARGIN above the best out-of-fold logit of a negative that sets it; `counted` gives,
    from the positives' out-of-fold logits, the best logit of each text that counts."""
    tried = {}
    for c in CHOICES:
        pos_out, neg_out = out_of_fold(positives, negatives, c, kind)
        threshold = float(neg_out[sets_threshold].max()) + MARGIN
        tried[c] = (int((counted(pos_out) >= threshold).sum()), threshold, pos_out, neg_out)
        print(f"C {c}: threshold logit {threshold:.3f}, positives {tried[c][0]} out of fold")
    c = max(CHOICES, key=lambda k: (tried[k][0], -k))
    summary = {
        str(k): {"positives_out_of_fold": v[0], "threshold_logit": round(v[1], 3)}
        for k, v in tried.items()
    }
    return c, tried[c][1], tried[c][2], tried[c][3], summary


def flagged_texts(windows: Windows, scores: np.ndarray, threshold: float) -> list[str]:
    """The texts with a window at or above `threshold`, to be read by hand."""
    return [t for t, s in zip(windows.texts, windows.best(scores), strict=True) if s >= threshold]


def main(argv: list[str] | None = None) -> None:
    args, data = arguments(__doc__, None, argv, languages=("en", "es"))
    if args.language == "es":
        main_es(args, data)
        return
    started = time.perf_counter()
    descriptions, digest = load_descriptions()
    check = MeaningCheck(descriptions, 1.0, joined_encoder(), select=negated)  # type: ignore[arg-type]

    def windows(texts: list[str], **options) -> Windows:
        return encode(check, texts, select=negated, **options)

    lay_texts, lay_messages = read_variants(LAY_POSITIVES)
    calm_texts, calm_messages = read_variants(LAY_NEGATIVES)
    written = windows(read_lines("emergency_positives.txt"))
    lay = windows(lay_texts, message=lay_messages)
    setting = {
        "calm_lay": windows(calm_texts, message=calm_messages),
        "meqsum": windows(read_meqsum(training_file(data, "meqsum")), sentences=True),
        "liveqa_train": windows(
            read_liveqa_train(training_file(data, "liveqa-train")), sentences=True
        ),
        "informational": windows(read_lines("emergency_informational.txt")),
        "drug_questions": windows(drug_questions(data)),
        "ordinary_lists": windows([q for n in ORDINARY_LISTS for q in _list(args.lists / n)]),
    }
    fitted_only = {
        "sourced_denials": windows(denials(data)),
        "symptoms_alone": windows(symptoms_alone(data)),
        "harmless_swallows": windows(harmless_swallows(harmless_substances(data))),
    }
    positives = _merge([written, lay])
    negatives = _merge([*setting.values(), *fitted_only.values()])
    sets_threshold = np.arange(len(negatives.vectors)) < sum(
        len(w.vectors) for w in setting.values()
    )
    lay_windows = len(written.vectors) + np.arange(len(lay.vectors))
    c, threshold_logit, pos_out, neg_out, tried = choose(
        positives, negatives, sets_threshold, lambda out: positives.best(out)
    )
    model = fit(positives.vectors, negatives.vectors, c)
    lay_hit = lay.best(pos_out[lay_windows]) >= threshold_logit
    report = {
        "C": c,
        "tried": tried,
        "threshold_logit": round(threshold_logit, 3),
        "examples": {
            "positive_windows": len(positives.vectors),
            "lay_positive_texts_with_a_negated_window": int(len(set(lay.owner))),
            "negative_windows": len(negatives.vectors),
            **{f"{k}_windows": len(w.vectors) for k, w in {**setting, **fitted_only}.items()},
        },
        "positives_out_of_fold": caught(positives, pos_out, threshold_logit),
        "lay_positives_out_of_fold": {
            "caught_by_meaning": int(lay_hit.sum()),
            "caught_by_meaning_not_patterns": int((lay_hit & ~lay.by_patterns).sum()),
            "patterns": int(lay.by_patterns[sorted(set(lay.owner))].sum()),
        },
        "caught_out_of_fold": flagged_texts(positives, pos_out, threshold_logit),
        "negatives_out_of_fold_flagged": int((negatives.best(neg_out) >= threshold_logit).sum()),
        "fitted": {
            k: caught(w, model.logits(w.vectors), threshold_logit)
            for k, w in {**setting, **fitted_only}.items()
        },
        "train_seconds": round(time.perf_counter() - started, 1),
    }
    top = np.argsort(-neg_out[sets_threshold])[:3]
    report["best_out_of_fold_negatives"] = [negatives.texts[negatives.owner[i]][:120] for i in top]
    print(json.dumps(report, indent=1))
    threshold = round(float(1.0 / (1.0 + np.exp(-threshold_logit))), 4)
    shipped = replace(
        model,
        threshold=threshold,
        info={
            "model_id": CLASSIFIER_ENCODER_ID,
            "descriptions_sha256": digest,
            "C": c,
            "margin": MARGIN,
            "note": (
                "Fitted by `python -m healthqa.training.emergency_negation --write` on training "
                "data only: the negated windows of emergency_positives.txt and "
                "emergency_positives_lay.txt against those of emergency_negatives_lay.txt, MeQSum "
                "and LiveQA 2017 train, emergency_informational.txt, drug-page questions, our "
                "ordinary lists, MedQuAD's emergency signs told as denials, symptoms told alone "
                f"and harmless swallows. Threshold: {MARGIN} logit above the best out-of-fold "
                "calm lay, real, informational, drug-page or ordinary negated window."
            ),
            "measured": report,
        },
    )
    if args.write:
        shipped.save(args.out or NegationClassifier.packaged_path())
        print(f"negation model and threshold {threshold} written")


def english_windows(data: Path, lists: Path, encoder) -> tuple[list[Windows], dict, dict]:
    """The English training sets of the negation model (its positives, the negatives that set
    the threshold, the negatives fitted on only), encoded with `encoder`."""
    descriptions, _ = load_descriptions()
    check = MeaningCheck(descriptions, 1.0, encoder, select=negated)

    def windows(texts: list[str], **options) -> Windows:
        return encode(check, texts, select=negated, **options)

    lay_texts, lay_messages = read_variants(LAY_POSITIVES)
    calm_texts, calm_messages = read_variants(LAY_NEGATIVES)
    positives = [
        windows(read_lines("emergency_positives.txt")),
        windows(lay_texts, message=lay_messages),
    ]
    setting = {
        "calm_lay": windows(calm_texts, message=calm_messages),
        "meqsum": windows(read_meqsum(training_file(data, "meqsum")), sentences=True),
        "liveqa_train": windows(
            read_liveqa_train(training_file(data, "liveqa-train")), sentences=True
        ),
        "drug_questions": windows(drug_questions(data)),
        "ordinary_lists": windows([q for n in ORDINARY_LISTS for q in _list(lists / n)]),
    }
    return positives, setting, {"sourced_denials": windows(denials(data))}


def spanish_windows(encoder, texts: list[str], message: list[int] | None = None) -> Windows:
    """The negated windows of Spanish `texts` (the Spanish gate), encoded with `encoder`."""
    return encode_es(encoder, texts, "es", select=emergency_meaning_es.negated, message=message)


def main_es(args, data: Path) -> None:
    """The Spanish negation model: USE vectors alone (the Spanish classifier's features) of the
    negated windows of the Spanish lay lists (`emergency_positives_es.txt`,
    `emergency_negatives_es.txt`, session 20), the Spanish ordinary list and MedlinePlus en
    español's question headings asked by a person, with the English model's training sets."""
    from healthqa.retrieval.multilingual import get_multilingual_encoder

    started = time.perf_counter()
    _, digest = load_descriptions()
    use = get_multilingual_encoder(threads=2)
    english_positives, english_setting, fitted_only = english_windows(data, args.lists, use)
    pos_texts, pos_messages = read_variants(LAY_POSITIVES_ES)
    calm_texts, calm_messages = read_variants(LAY_NEGATIVES_ES)
    spanish = spanish_windows(use, pos_texts, pos_messages)
    setting = {
        "calm_lay_es": spanish_windows(use, calm_texts, calm_messages),
        "ordinary_es": spanish_windows(use, _list(args.lists / ORDINARY_LISTS[-1])),
        "page_questions_es": spanish_windows(use, page_questions_es(data)),
        **english_setting,
    }
    positives = _merge([spanish, *english_positives])
    negatives = _merge([*setting.values(), *fitted_only.values()])
    sets_threshold = np.arange(len(negatives.vectors)) < sum(
        len(w.vectors) for w in setting.values()
    )
    first = np.arange(len(spanish.vectors))
    c, threshold_logit, pos_out, neg_out, tried = choose(
        positives,
        negatives,
        sets_threshold,
        lambda out: spanish.best(out[first]),
        SpanishNegationClassifier,
    )
    hits = spanish.best(pos_out[first]) >= threshold_logit
    model = fit(positives.vectors, negatives.vectors, c, SpanishNegationClassifier)
    report = {
        "C": c,
        "tried": tried,
        "threshold_logit": round(threshold_logit, 3),
        "examples": {
            "spanish_positive_texts_with_a_negated_window": len(set(spanish.owner)),
            "positive_windows": len(positives.vectors),
            **{f"{k}_windows": len(w.vectors) for k, w in {**setting, **fitted_only}.items()},
        },
        "spanish_positives_out_of_fold": {
            "caught_by_meaning": int(hits.sum()),
            "caught_by_meaning_not_patterns": int((hits & ~spanish.by_patterns).sum()),
            "patterns": int(spanish.by_patterns[sorted(set(spanish.owner))].sum()),
            "caught": [t for t, h in zip(spanish.texts, hits, strict=True) if h],
        },
        "english_positives_out_of_fold": int(
            (positives.best(pos_out) >= threshold_logit).sum() - hits.sum()
        ),
        "negatives_out_of_fold_flagged": int((negatives.best(neg_out) >= threshold_logit).sum()),
        "fitted": {
            k: caught(w, model.logits(w.vectors), threshold_logit)
            for k, w in {**setting, **fitted_only}.items()
        },
        "train_seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(report, indent=1, ensure_ascii=False))
    # six digits: near 1 four would round the threshold below its logit
    threshold = round(float(1.0 / (1.0 + np.exp(-threshold_logit))), 6)
    info = {
        "model_id": emergency_meaning_es.CLASSIFIER_ENCODER_ID,
        "descriptions_sha256": digest,
        "C": c,
        "margin": MARGIN,
        "note": (
            "Fitted by `python -m healthqa.training.emergency_negation --language es --write` "
            "on training data only: the negated windows (Spanish gate) of "
            "emergency_positives_es.txt and those of the English negation model's positives "
            "against emergency_negatives_es.txt, our Spanish ordinary list, MedlinePlus en "
            "español question headings and the English model's negatives. Threshold: "
            f"{MARGIN} logit above the best out-of-fold negated window of those."
        ),
        "measured": report,
    }
    if args.write:
        shipped = replace(model, threshold=threshold, info=info)
        shipped.save(args.out or SpanishNegationClassifier.packaged_path())
        print(f"Spanish negation model and threshold {threshold} written")


if __name__ == "__main__":
    main()
