"""The MEDIQA task 3 re-ranker's training: set 2 only, whole topics per fold, C and threshold
chosen by cross-validation."""

import pytest

from healthqa.datasets import EvaluationDataError, training_file
from healthqa.evaluation import qa_rerank
from healthqa.evaluation.qa_rerank import question_context
from healthqa.training import mediqa_qa

from .fakes import AnalyzingEngine

TOPICS = ("Flu", "Gout", "Acne", "Mumps", "Stroke", "Rickets")
QUESTION = """  <Question QID="{qid}">
    <QuestionText>{text}</QuestionText>
    <AnswerList>
      <Answer AID="{qid}_Answer1" SystemRank="1" ReferenceScore="1">
        <AnswerURL>https://example.org/toe</AnswerURL>
        <AnswerText>Toe twitch (Treatment): Sleep more.</AnswerText>
      </Answer>
      <Answer AID="{qid}_Answer2" SystemRank="2" ReferenceScore="4">
        <AnswerURL>https://example.org/{topic}</AnswerURL>
        <AnswerText>{topic}: What to know about {topic}.</AnswerText>
      </Answer>
    </AnswerList>
  </Question>
"""


@pytest.fixture
def data_dir(tmp_path):
    """A data folder holding a small training set 2: two questions on each of six topics, the
    answer titled with the topic correct, the other wrong (though CHiQA ranked it first)."""
    questions = [
        QUESTION.format(qid=f"{t}{k}", text=text, topic=topic)
        for t, topic in enumerate(TOPICS)
        for k, text in enumerate((f"What is {topic}?", f"How to diagnose {topic} ?"))
    ]
    folder = tmp_path / "mediqa2019" / "task3-qa"
    folder.mkdir(parents=True)
    xml = (
        "<MEDIQA2019-Task3-QA-TrainingSet2-Alexa>\n"
        + "".join(questions)
        + "</MEDIQA2019-Task3-QA-TrainingSet2-Alexa>"
    )
    (folder / "MEDIQA2019-Task3-QA-TrainingSet2-Alexa.xml").write_text(xml, encoding="utf-8")
    (folder / "MEDIQA2019-Task3-QA-ValidationSet.xml").write_text(xml, encoding="utf-8")
    return tmp_path


@pytest.fixture
def rows(data_dir, monkeypatch):
    monkeypatch.setattr(qa_rerank, "_encode", lambda texts: None)
    contexts = [question_context(AnalyzingEngine(), q) for q in mediqa_qa.read_training(data_dir)]
    return mediqa_qa.rows_of(contexts, ["title_in_question", "system_rank"])


def test_reads_training_set_2_and_refuses_the_evaluation_sets(data_dir):
    assert len(mediqa_qa.read_training(data_dir)) == 12
    for evaluation_set in ("mediqa-qa-validation", "mediqa-qa-train-1"):
        with pytest.raises(EvaluationDataError):
            training_file(data_dir, evaluation_set)


def test_a_topics_questions_share_a_fold():
    assert mediqa_qa.topic_of("What causes Seasonal Affective Disorder ?") == (
        "seasonal affective disorder"
    )
    assert mediqa_qa.topic_of("How to diagnose Flu?") == mediqa_qa.topic_of("What is Flu?")


def test_folds_hold_whole_topics(rows):
    folds = mediqa_qa.folds_of(rows, list(range(12)), 3)
    assert sorted(q for fold in folds for q in fold) == list(range(12))
    topics = [{rows.groups[q] for q in fold} for fold in folds]
    assert all(len(t) == 2 for t in topics)  # six topics over three folds, never split
    assert set.union(*topics) == {t.lower() for t in TOPICS}


def test_training_learns_the_topic_not_chiqas_order(rows):
    model = mediqa_qa.train(rows, ["title_in_question", "system_rank"], folds=3)
    assert model.info["cv_accuracy"] == pytest.approx(1.0)
    assert model.info["C"] in mediqa_qa.C_GRID and model.threshold in mediqa_qa.THRESHOLDS
    judged = model.judge(rows.contexts[0])
    assert [(j.aid, j.label) for j in judged] == [("00_Answer2", 1), ("00_Answer1", 0)]


def test_nested_cross_validation_scores_held_out_topics_with_the_task_measures(rows):
    scores, choices = mediqa_qa.nested_cv(rows, ["title_in_question", "system_rank"], folds=3)
    assert len(choices) == 3
    assert scores["accuracy"] == pytest.approx(1.0) and scores["MRR"] == pytest.approx(1.0)
