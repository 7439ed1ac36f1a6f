"""Tiny hand-made LiveQA / MEDIQA / MAS fixtures whose scores can be checked by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

LIVEQA_XML = """<?xml version='1.0' encoding='utf-8'?>
<LiveQA2017-Medical-Test-Set-Full>
<NLM-QUESTION qid="TQ1">
  <Original-Question qfile="1.txt">
    <SUBJECT>leg knots</SUBJECT>
    <MESSAGE>Why do I get leg knots at night?
Thank you</MESSAGE>
  </Original-Question>
  <NIST-PARAPHRASE>What causes nocturnal leg cramps?</NIST-PARAPHRASE>
  <NLM-Summary>What causes leg cramps?</NLM-Summary>
  <ReferenceAnswers>
    <RefAnswer aid="TQ1A1"><ANSWER>Not input.</ANSWER></RefAnswer>
  </ReferenceAnswers>
</NLM-QUESTION>
<NLM-QUESTION qid="TQ3">
  <Original-Question qfile="3.txt">
    <SUBJECT></SUBJECT>
    <MESSAGE>how long does sniffle fever last</MESSAGE>
  </Original-Question>
  <NIST-PARAPHRASE>How long does the flu last?</NIST-PARAPHRASE>
  <NLM-Summary>Flu duration</NLM-Summary>
</NLM-QUESTION>
</LiveQA2017-Medical-Test-Set-Full>
"""

# Question 1: a (Excellent), b (Related), c (Incorrect). Question 3: d (Incomplete).
QRELS = """1 4-Excellent A_0000001_Sec1.txt
1 2-Related A_0000002_Sec1.txt
1 1-Incorrect A_0000003_Sec1.txt
3 3-Incomplete A_0000004_Sec1.txt
"""


@pytest.fixture
def liveqa_files(tmp_path: Path) -> tuple[Path, Path]:
    questions, qrels = tmp_path / "questions.xml", tmp_path / "qrels.txt"
    questions.write_text(LIVEQA_XML, encoding="utf-8")
    qrels.write_text(QRELS, encoding="utf-8")
    return questions, qrels


MEDIQA_XML = """<?xml version="1.0" encoding="UTF-8"?>
<MEDIQA2019-Task3-QA-ValidationSet>
  <Question QID="1">
    <QuestionText>leg knots. what causes leg knots at night?</QuestionText>
    <AnswerList>
      <Answer AID="1_Answer1" SystemRank="1" ReferenceRank="2" ReferenceScore="3">
        <AnswerURL>https://example.org/knots</AnswerURL>
        <AnswerText>Leg knots (Causes): Leg knots are caused by tired muscles.</AnswerText>
      </Answer>
      <Answer AID="1_Answer2" SystemRank="2" ReferenceRank="1" ReferenceScore="4">
        <AnswerURL>https://example.org/knots</AnswerURL>
        <AnswerText>Leg knots: Leg knots are sudden squeezes of a muscle at night.</AnswerText>
      </Answer>
      <Answer AID="1_Answer3" SystemRank="3" ReferenceRank="3" ReferenceScore="1">
        <AnswerURL>https://example.org/toe</AnswerURL>
        <AnswerText>Toe twitch (Treatment): Sleep more and drink less coffee.</AnswerText>
      </Answer>
    </AnswerList>
  </Question>
  <Question QID="2">
    <QuestionText>How long does sniffle fever last?</QuestionText>
    <AnswerList>
      <Answer AID="2_Answer1" SystemRank="1" ReferenceRank="2" ReferenceScore="2">
        <AnswerURL>#</AnswerURL>
        <AnswerText>Colds: A cold is a virus infection of the nose.</AnswerText>
      </Answer>
      <Answer AID="2_Answer2" SystemRank="2" ReferenceRank="1" ReferenceScore="4">
        <AnswerURL>https://example.org/sniffle</AnswerURL>
        <AnswerText>Sniffle fever (Outlook): Most people get better within a week.</AnswerText>
      </Answer>
    </AnswerList>
  </Question>
</MEDIQA2019-Task3-QA-ValidationSet>
"""


@pytest.fixture
def mediqa_file(tmp_path: Path) -> Path:
    path = tmp_path / "mediqa.xml"
    path.write_text(MEDIQA_XML, encoding="utf-8")
    return path


@pytest.fixture
def mediqa_unlabelled(tmp_path: Path) -> Path:
    """The same file as the official test release has it: no reference rank or score."""
    import re

    path = tmp_path / "mediqa-input.xml"
    path.write_text(re.sub(r' Reference(Rank|Score)="\d+"', "", MEDIQA_XML), encoding="utf-8")
    return path
