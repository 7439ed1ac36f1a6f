"""The learned question type classifier: the shipped model, consumer wordings, and the
training command on a tiny data folder written here (our own words)."""

import hashlib
import json
import time

import numpy as np
import pytest

from healthqa.analysis.qtype import (
    CLASSES,
    INFORMATION,
    MODEL_FILE,
    SECTION_MODEL_FILE,
    QtypeModel,
    default_model,
    learned_qtype,
    learned_section_qtype,
    packaged_path,
    question_ngrams,
    question_vector,
)
from healthqa.answer.sections import section_for_question
from healthqa.errors import HealthqaError
from healthqa.training import qtype as training


def test_ngrams_are_lower_cased_words_and_word_pairs():
    assert question_ngrams("Don't  STOP, now!") == (
        "don",
        "t",
        "stop",
        "now",
        "don t",
        "t stop",
        "stop now",
    )
    assert question_ngrams("stop stop") == ("stop", "stop stop")
    assert question_ngrams("?!") == ()


@pytest.mark.parametrize("name", [MODEL_FILE, SECTION_MODEL_FILE])
def test_the_packaged_model_matches_its_card(name):
    path = packaged_path(name)
    card = json.loads(training.card_path_of(path).read_text())
    model = QtypeModel.load(path)
    assert card["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert card["classes"] == list(model.classes)
    assert card["ngrams"] == len(model.ngrams)
    assert card["threshold"] == model.threshold == card["settings"]["threshold"]
    assert card["settings"] == model.info["settings"]
    assert card["cross_validation"]["chosen"] == model.info["cross_validation"]["chosen"]
    # every class the rest of the code reads a section for, and no other
    assert set(model.classes) == set(CLASSES)


@pytest.mark.parametrize(
    ("question", "qtype"),
    [
        ("what helps a charley horse", "treatment"),
        ("what can I do about my back pain", "treatment"),
        ("what are the symptoms of lupus", "symptoms"),
        ("what are the side effects of prednisone", "side effects"),
        # taught by the sentence vector (the n-grams alone typed them treatment)
        ("why does spasm occur", "causes"),
        ("what makes my eyes twitch", "causes"),
        ("what is psoriasis", INFORMATION),
    ],
)
def test_consumer_wordings_get_their_type(question, qtype):
    assert learned_qtype(question) == qtype


# What the shipped classifier still gets wrong (why it is not the analyzer's default): the
# LiveQA training messages are half treatment questions, and MedQuAD's forms alone do not teach
# short lay wordings. strict: the day one passes, move it up.
@pytest.mark.xfail(strict=True, reason="learned classifier: treatment prior, few lay wordings")
@pytest.mark.parametrize(
    ("question", "qtype"),
    [
        ("how do I stop getting migraines again", "prevention"),
        ("how can I prevent kidney stones", "prevention"),
        ("what are the early signs of diabetes", "symptoms"),
        ("how do they test for celiac disease", "exams and tests"),
        ("will my son's tics go away when he grows up", "outlook"),
        ("is color blindness passed down from parents", "inheritance"),
    ],
)
def test_lay_wordings_the_classifier_still_misses(question, qtype):
    assert learned_qtype(question) == qtype


# The section classifier (also fitted on lay questions, consumer classes balanced) reads lay
# wordings by the section they ask for: our own wordings, none from the training file. The
# misses of the retrieval classifier above are among them.
@pytest.mark.parametrize(
    ("question", "section"),
    [
        ("how can I prevent kidney stones", "Prevention"),
        ("is there anything I can do so my kids don't catch the flu this winter", "Prevention"),
        (
            "my mom keeps getting bladder infections, how can she stop them coming back",
            "Prevention",
        ),
        ("what are the early signs of diabetes", "Symptoms"),
        ("what are the first signs that a toddler has measles", "Symptoms"),
        ("what does lupus feel like at the start", "Symptoms"),
        ("why do people get gallstones", "Causes"),
        ("is color blindness passed down from parents", "Inheritance"),
        ("will my son's tics go away when he grows up", "Outlook"),
        ("will my dad walk normally again after his stroke", "Outlook"),
        ("how do they test for celiac disease", "Diagnosis"),
        ("how would a doctor find out if I have an ulcer", "Diagnosis"),
        ("who is more likely to get shingles", "Who is at risk"),
        ("what is fibromyalgia", "What it is"),
        ("what helps a sore throat", "What helps"),
        ("what can I do about my back pain", "What helps"),
    ],
)
def test_the_section_classifier_reads_lay_wordings_by_their_section(question, section):
    assert section_for_question(learned_section_qtype(question)) == section


@pytest.mark.xfail(strict=True, reason="section classifier: wordings no example taught it")
@pytest.mark.parametrize(
    ("question", "section"),
    [
        # both read What helps, Prevention second and unsure (the composer hedges)
        ("how do I keep from getting kidney stones again", "Prevention"),
        ("how do I stop getting migraines again", "Prevention"),
    ],
)
def test_lay_wordings_the_section_classifier_still_misses(question, section):
    assert section_for_question(learned_section_qtype(question)) == section


def test_scoring_takes_well_under_a_millisecond():
    """Given the question's vector (the analyzer's encoder call is timed in docs/benchmarks.md)."""
    model = default_model()
    question = "my husband has had a cough for three weeks, what could be causing it?"
    vector = question_vector(question)
    times = []
    for _ in range(200):
        started = time.perf_counter()
        model.predict(question, vector)
        times.append(time.perf_counter() - started)
    assert float(np.median(times)) < 0.0005


def test_the_shipped_model_reads_the_sentence_vector():
    model = default_model()
    question = "what makes my eyes twitch"
    assert model.vector_coef is not None and model.vector_coef.shape[1] == len(model.classes)
    given = model.probabilities(question, question_vector(question))
    np.testing.assert_allclose(model.probabilities(question), given, atol=1e-9)
    # the vector moves the scores: with a zero vector the n-grams alone decide
    assert not np.allclose(model.probabilities(question, np.zeros_like(given, shape=384)), given)


def test_a_broken_model_file_is_refused_with_the_rebuild_command(tmp_path):
    path = tmp_path / "qtype.json"
    path.write_text('{"format_version": 1, "classes": ["information"]}')
    with pytest.raises(HealthqaError, match="python -m healthqa.training.qtype"):
        QtypeModel.load(path)
    path.write_text("not json")
    with pytest.raises(HealthqaError, match="cannot read"):
        QtypeModel.load(path)


def _example(text, label, source="liveqa-train"):
    return training.Example(text, (label,), source, text)


TINY = [
    _example("what causes {} ?", "causes", "medquad"),
    _example("what are the treatments for {} ?", "treatment", "medquad"),
    _example("how to prevent {} ?", "prevention", "medquad"),
    _example("what is (are) {} ?", INFORMATION, "medquad"),
    _example("why do my legs cramp at night", "causes"),
    _example("what helps sore feet", "treatment"),
    _example("how do I stop getting colds", "prevention"),
    training.Example("what is gout and how is it treated", (INFORMATION, "treatment"), "x", "g"),
]


@pytest.mark.parametrize("vector_scale", [0.0, 3.0])
def test_numpy_scoring_equals_scikit_learn(tmp_path, vector_scale):
    pytest.importorskip("sklearn")  # training needs the [train] extra
    rows = training.weighted(TINY, medquad_weight=3.0)
    ngrams = training.vocabulary(rows)
    estimator = training.fit_estimator(rows, ngrams, c=2.0, vector_scale=vector_scale)
    path = tmp_path / "qtype.json"
    training.to_model(estimator, ngrams, 0.0, {}, vector_scale).save(path)
    model = QtypeModel.load(path)
    assert (model.vector_coef is not None) == bool(vector_scale)
    texts = ["why do my feet hurt", "what helps", "Completely unseen words!", "", "stop colds"]
    expected = estimator.predict_proba(training.design_matrix(texts, ngrams, vector_scale))
    ours = np.array([model.probabilities(t) for t in texts])
    assert model.classes == tuple(estimator.classes_)
    np.testing.assert_allclose(ours, expected, rtol=0, atol=1e-12)


def test_a_low_top_probability_reads_as_information():
    pytest.importorskip("sklearn")  # training needs the [train] extra
    model = training.fit_model(TINY, c=1.0, medquad_weight=3.0, threshold=0.0)
    unsure = QtypeModel(model.classes, model.ngrams, model.coef, model.intercept, threshold=0.99)
    assert model.predict("why do my legs cramp") == "causes"
    assert unsure.predict("why do my legs cramp") == INFORMATION


def _medquad_file(doc_id, focus, pairs):
    body = "".join(
        f'<QAPair pid="{i}"><Question qid="{doc_id}-{i}" qtype="{qtype}">{question}</Question>'
        f"<Answer>{focus} answer number {i}, in plain words.</Answer></QAPair>"
        for i, (qtype, question) in enumerate(pairs, 1)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><Document id="{doc_id}" source="GARD" '
        f'url="https://example.org/{doc_id}"><Focus>{focus}</Focus><QAPairs>{body}</QAPairs>'
        "</Document>"
    )


LIVEQA_TRAIN = [
    ("leg knots", "Why do I keep getting knots in my calf at night?", "Cause"),
    ("sniffle fever", "What can I do to feel better with a sniffle fever?", "Treatment"),
    ("toe twitch", "How can I keep my toe from twitching again?", "Prevention"),
    ("leg knots", "What is a leg knot exactly?", "Information"),
    ("sniffle fever", "Why did my daughter catch sniffle fever twice?", "Cause"),
    ("toe twitch", "Is there any cure for toe twitching?", "Treatment"),
]


def write_tiny_data(root):
    medquad = root / "medquad" / "2_GARD_QA"
    medquad.mkdir(parents=True)
    for n, focus in enumerate(("Zorbal palsy", "Quindle fever", "Mallow toe"), 1):
        pairs = [
            ("information", f"What is (are) {focus} ?"),
            ("causes", f"What causes {focus} ?"),
            ("treatment", f"What are the treatments for {focus} ?"),
            ("prevention", f"How to prevent {focus} ?"),
        ]
        (medquad / f"000000{n}.xml").write_text(_medquad_file(f"000000{n}", focus, pairs))
    items = "".join(
        f'<NLM-QUESTION qid="{i}"><SUBJECT>{subject}</SUBJECT><MESSAGE>{message}</MESSAGE>'
        f"<SUB-QUESTIONS><SUB-QUESTION><ANNOTATIONS><FOCUS>{subject}</FOCUS><TYPE>{qtype}</TYPE>"
        "</ANNOTATIONS><ANSWERS><ANSWER>An answer.</ANSWER></ANSWERS></SUB-QUESTION>"
        "</SUB-QUESTIONS></NLM-QUESTION>"
        for i, (subject, message, qtype) in enumerate(LIVEQA_TRAIN)
    )
    (root / "liveqa-med-2017-train").mkdir()
    (root / "liveqa-med-2017-train" / "train.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?><NLM-QUESTIONS>{items}</NLM-QUESTIONS>'
    )
    (root / "meqsum").mkdir()
    (root / "meqsum" / "meqsum.jsonl").write_text(
        json.dumps({"question": "my toe twitches, help", "summary": "How to treat toe twitch?"})
        + "\n"
    )
    return root


def test_the_training_command_writes_a_model_and_its_card(tmp_path, capsys):
    pytest.importorskip("sklearn")  # training needs the [train] extra
    data = write_tiny_data(tmp_path / "data")
    out = tmp_path / "out" / "qtype.json"
    training.main(["--data", str(data), "--out", str(out), "--folds", "2"])
    model = QtypeModel.load(out)
    card = json.loads((tmp_path / "out" / "qtype.card.json").read_text())
    assert card["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert set(model.classes) == {INFORMATION, "causes", "treatment", "prevention"}
    assert card["settings"]["C"] in training.C_GRID
    assert card["settings"]["vector_scale"] in training.VECTOR_SCALE_GRID
    assert (model.vector_coef is not None) == bool(card["settings"]["vector_scale"])
    assert set(card["cross_validation"]["chosen"]) == {"liveqa-train", "medquad"}
    # MedQuAD's topics were taken out of its questions: a topic name is no type cue
    assert not {"zorbal", "quindle", "mallow"} & set(model.ngrams)
    assert model.predict("why do I get knots") == "causes"
    assert "2-fold accuracy" in capsys.readouterr().out


def test_training_refuses_a_single_fold(tmp_path):
    with pytest.raises(HealthqaError, match="--folds"):
        training.main(["--data", str(tmp_path), "--folds", "1"])


def test_each_training_message_gets_a_classifier_that_never_read_it():
    pytest.importorskip("sklearn")  # training needs the [train] extra
    settings = {
        "C": 1.0,
        "medquad_weight_per_type": 3.0,
        "threshold": 0.0,
        "vector_scale": 0.0,
        "folds": 2,
    }
    models = training.held_out_models(TINY, settings)
    messages = [e for e in TINY if e.source == "liveqa-train"]
    assert set(models) == {e.group for e in messages}
    fold = dict(zip(((e.source, e.group) for e in TINY), training.folds_of(TINY, 2), strict=True))
    for e in messages:
        model = models[e.group]
        others = [o for o in TINY if fold[(o.source, o.group)] != fold[(e.source, e.group)]]
        assert e not in others
        expected = training.fit_model(others, 1.0, 3.0, 0.0)
        assert model.ngrams == expected.ngrams
        np.testing.assert_allclose(model.coef, expected.coef)


def test_balancing_gives_each_consumer_class_the_same_total_weight():
    examples = [
        _example("what helps a", "treatment"),
        _example("what helps b", "treatment"),
        _example("what helps c", "treatment"),
        _example("how do I stop d", "prevention"),
    ]
    assert training.balanced(examples, 0.0) == examples
    totals: dict[str, float] = {}
    for e in training.balanced(examples, 1.0):
        totals[e.labels[0]] = totals.get(e.labels[0], 0.0) + e.weight
    assert totals["treatment"] == pytest.approx(totals["prevention"])
    # half way: the rare class gains, the common one loses, but less
    half = {e.text: e.weight for e in training.balanced(examples, 0.5)}
    assert half["how do I stop d"] > 1.0 > half["what helps a"]


def test_lay_questions_become_examples_of_their_sections_class_grouped_by_page():
    from healthqa.training.data import LayQuestion

    def row(question, section, page):
        return LayQuestion(question, question, ("CDC_1",), (("x",),), section, "en", page)

    rows = [
        row("How do I keep my kids from catching pinworms?", "prevention", "CDC_1_Sec3"),
        row("Who tends to get pinworms?", "risk", "CDC_1_Sec2"),
        row("Where can I read more?", None, "X"),
    ]
    examples = training.lay_examples(rows)
    assert [e.labels for e in examples] == [("prevention",), ("susceptibility",)]
    assert {e.source for e in examples} == {"lay-questions"}
    assert examples[0].group == examples[1].group == "CDC_1"


def test_the_lay_weight_scales_the_lay_questions_and_zero_leaves_them_out():
    lay = training.Example("how do I keep from colds", ("prevention",), "lay-questions", "p")
    rows = [*TINY, lay]
    assert lay not in training.weighted(rows, 3.0, lay_weight=0.0)
    weighted = training.weighted(rows, 3.0, lay_weight=3.0)
    tripled = [e for e in weighted if e.source == "lay-questions"]
    assert [e.weight for e in tripled] == [3.0]


def test_a_section_is_right_when_the_type_asks_for_the_same_answer_section():
    assert training.is_right("genetic changes", ("causes",), by_section=True)
    assert not training.is_right("genetic changes", ("causes",))
    assert training.is_right("complications", ("outlook",), by_section=True)
    assert not training.is_right("treatment", ("prevention",), by_section=True)


def test_the_section_command_reads_the_lay_questions_and_compares_with_the_cues(
    tmp_path, monkeypatch, capsys
):
    pytest.importorskip("sklearn")  # training needs the [train] extra
    for name, grid in [
        ("C_GRID", (1.0,)),
        ("MEDQUAD_WEIGHT_GRID", (3.0,)),
        ("SECTION_VECTOR_SCALE_GRID", (0.0,)),
        ("LAY_WEIGHT_GRID", (1.0,)),
        ("PRIOR_GRID", (0.0, 1.0)),
    ]:
        monkeypatch.setattr(training, name, grid)
    data = write_tiny_data(tmp_path / "data")
    out = tmp_path / "out" / "qtype_section.json"
    training.main(["--data", str(data), "--out", str(out), "--folds", "2", "--section"])
    card = json.loads((tmp_path / "out" / "qtype_section.card.json").read_text())
    assert card["settings"]["prior"] in (0.0, 1.0) and card["settings"]["lay_weight"] == 1.0
    assert "lay-questions" in card["trained_on"]
    comparison = card["cross_validation"]["comparison"]
    assert set(comparison) == {"cue patterns", "qtype.json settings, no lay questions", "chosen"}
    # every source is scored out of fold, the lay questions too
    assert {"lay-questions", "liveqa-train"} <= set(comparison["chosen"])
    assert "comparison:" in capsys.readouterr().out
