"""Stand-ins for the engine, and a second code path for trec_eval's AP and RR."""

from __future__ import annotations

from healthqa.answer.compose import compose
from healthqa.engine import given_candidates
from healthqa.evaluation.trec import read_run
from healthqa.records import Answer, Candidate, Passage, Question, Section, Sentence, Term

MAS_ITEM = {
    "question_id": "7",
    "question": "What helps leg knots?",
    "answers": [
        {"answer_id": "7_A1", "text": "Stretch the muscle. Rest the leg. Drink water."},
        {"answer_id": "7_A2", "text": "Massage helps. Heat may help too."},
    ],
    "extractive_summary": "Stretch the muscle. Massage helps.",
    "abstractive_summary": "Stretching and massage ease leg knots.",
}


class RankingEngine:
    """Ranks fixed lists: the pipeline finds the Excellent answer first, BM25 second."""

    def rank_documents(self, text, k):
        return [("A_0000001_Sec1", 2.0), ("A_0000002_Sec1", 1.0)][:k]

    def rank_documents_bm25(self, text, k):
        return [("A_0000002_Sec1", 9.0), ("A_0000001_Sec1", 8.0), ("A_0000004_Sec1", 7.0)][:k]

    def rank_documents_hybrid(self, text, k):
        return [("A_0000004_Sec1", 3.0), ("A_0000001_Sec1", 2.0)][:k]


class AnalyzingEngine:
    """Every question is a cause question about leg knots; retrieval finds one passage."""

    def analyze(self, text):
        return Question(
            raw=text,
            text=text,
            qtype="causes",
            focus="leg knots",
            terms=(Term("leg knots", "Leg knots", "medquad"),),
            summary=text,
        )

    def retrieve(self, question, k=None):
        passage = Passage("p#0", "p", ("Leg knots are caused by tired muscles.",), "Leg knots")
        return [Candidate(passage, score=1.0)]

    def compose(self, question, passages, *, max_words=None, salience=None):
        """The product's composer in its summarising mode, without the safety pass."""
        candidates = given_candidates(passages)
        return compose(self.analyze(question), candidates, max_words, salience=salience)


class ComposeEngine:
    """compose() that quotes the first sentence of each passage, like an extractive composer."""

    def compose(self, question, passages, *, max_words=None, salience=None):
        sentences = tuple(Sentence(p.sentences[0], (1,)) for p in passages)
        return Answer(
            question=Question(raw=question, text=question),
            sections=(Section("What helps", sentences),),
        )


def trec_eval_map_mrr(run_path, qrels, relevant_from):
    """trec_eval's AP and RR at 10 over the judged questions, written out plainly."""
    run = read_run(run_path)
    aps, rrs = [], []
    for qid, judged in qrels.items():
        relevant = {d for d, g in judged.items() if g >= relevant_from}
        ranked = [d for d, _ in run.get(qid, [])][:10]
        hits = [i for i, d in enumerate(ranked, 1) if d in relevant]
        aps.append(
            sum(n / rank for n, rank in enumerate(hits, 1)) / len(relevant) if relevant else 0.0
        )
        rrs.append(1.0 / hits[0] if hits else 0.0)
    return sum(aps) / len(aps), sum(rrs) / len(rrs)
