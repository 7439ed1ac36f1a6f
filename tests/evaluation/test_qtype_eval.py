from healthqa.evaluation.qtype import evaluate, read_typed_questions

DEV_LIKE = """<?xml version="1.0" encoding="UTF-8"?>
<Set>
<NLM-QUESTION qid="TQ1"><Original-Question><SUBJECT>leg knots</SUBJECT>
<MESSAGE>What causes knots in my legs and how do I treat them?</MESSAGE></Original-Question>
<ANNOTATIONS><FOCUS fid="F1">leg knots</FOCUS><TYPE tid="T1">CAUSE</TYPE>
<TYPE tid="T2">TREATMENT</TYPE></ANNOTATIONS></NLM-QUESTION>
<NLM-QUESTION qid="TQ2"><Original-Question><SUBJECT>moon root</SUBJECT>
<MESSAGE>Is moon root bad for me? what side effects?</MESSAGE></Original-Question>
<ANNOTATIONS><TYPE tid="T1">SIDE_EFFECT</TYPE><TYPE tid="T2">STORAGE_DISPOSAL</TYPE>
</ANNOTATIONS></NLM-QUESTION>
<NLM-QUESTION qid="TQ3"><Original-Question><MESSAGE>no annotation</MESSAGE></Original-Question>
</NLM-QUESTION>
</Set>
"""


def test_annotated_types_are_read_in_the_classifiers_names(tmp_path):
    path = tmp_path / "questions.xml"
    path.write_text(DEV_LIKE)
    questions = read_typed_questions(path)
    assert [q.qid for q in questions] == ["TQ1", "TQ2"]  # unannotated questions are left out
    assert questions[0].types == {"causes", "treatment"}
    # the dev file's spellings; storage and disposal is collapsed onto usage
    assert questions[1].types == {"side effects", "usage"}


def test_a_prediction_is_right_when_it_is_any_annotated_type(tmp_path):
    path = tmp_path / "questions.xml"
    path.write_text(DEV_LIKE)
    questions = read_typed_questions(path)
    report = evaluate(questions, lambda text: "treatment")
    assert report.accuracy == 0.5
    assert report.predicted == {"treatment": 2}
