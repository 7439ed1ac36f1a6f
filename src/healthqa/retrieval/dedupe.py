"""Near-duplicate passages across collections, merged with MinHash LSH (datasketch).

NCI repeats one "About This PDQ Summary" section on all 155 of its patient summaries, and a
user's pages often copy MedlinePlus word for word; an answer must not say the same thing
twice, and one copy of each is enough to find it. Of a group of near-duplicates the copy
kept is the plainer one (the caller gives `answer.readability.plainer`) from the most
authoritative source.

MedQuAD's passages are never merged away: its answer ids are what the evaluations score, so
a group that holds MedQuAD passages keeps those and drops the other copies, and an index of
MedQuAD alone is left exactly as it is.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from datasketch import MinHash, MinHashLSH

from healthqa.records import Passage

Plainer = Callable[[str, str], str]  # the easier to read of two texts

# Jaccard similarity of word 3-shingles from which two passages count as the same text:
# copies that differ by a word or a date merge, passages that share a sentence do not.
THRESHOLD = 0.8
# LSH finds candidates from a lower similarity (so that a pair at 0.8 is almost never
# missed with 64 permutations), and each candidate is checked on its exact shingles.
CANDIDATE_THRESHOLD = 0.5
NUM_PERM = 64
SHINGLE = 3
MEDQUAD = "medquad"
# Who wrote the text, most authoritative first: the US federal health agencies that write
# and review the pages (NIH and its institutes, NLM's MedlinePlus, NCI, CDC, FDA; every
# MedQuAD source is one of them) before anyone else, a user's own pages included; matched on
# the credit line. Our own order, in the spirit of MedlinePlus's selection practice, which
# "focus[es] on organizing the full-text publications produced by the NIH Institutes and
# other Federal Government organizations" and also links to other sites that meet its
# quality guidelines (MedlinePlus Quality Guidelines, www.nlm.nih.gov/medlineplus/
# criteria.html, as archived in 2013; today "Guidelines for Links", medlineplus.gov/about/
# using/criteria/: "links to health information from U.S. federal government agencies and
# selected other websites"). MedlinePlus ranks no agency above another; neither do we.
AUTHORITIES = (
    "nih",
    "national institute",
    "national cancer institute",
    "nci",
    "nlm",
    "medlineplus",
    "genetic and rare diseases",
    "genetics home reference",
    "national heart",
    "cdc",
    "centers for disease control",
    "fda",
    "food and drug administration",
)


def authority(passage: Passage) -> int:
    """0 for a federal health agency (by its credit line, or any MedQuAD passage), else 1."""
    if passage.collection == MEDQUAD:
        return 0
    credit = f"{passage.credit} {passage.source}".lower()
    return 0 if any(name in credit for name in AUTHORITIES) else 1


def _shingles(text: str) -> set[str]:
    words = text.lower().split()
    if len(words) <= SHINGLE:
        return {" ".join(words)}
    return {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def _hash32(shingle: str) -> int:
    # Python's own string hash: signatures live for one dedupe run only, so it need not be
    # stable across processes, and it is 10x faster than datasketch's default SHA-1.
    return hash(shingle) & 0xFFFFFFFF


_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=1)  # its permutations are drawn once, then shared


def _signature(shingles: set[str]) -> MinHash:
    minhash = MinHash(
        num_perm=NUM_PERM,
        hashfunc=_hash32,
        permutations=_TEMPLATE.permutations,
        scheme=_TEMPLATE.scheme,
    )
    minhash.update_batch(list(shingles))
    return minhash


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


@dataclass(frozen=True)
class Deduped:
    kept: list[Passage]
    dropped: list[Passage]  # each a near-copy of a kept passage


def dedupe(passages: list[Passage], plainer: Plainer) -> Deduped:
    """The passages without near-duplicates (in their order), and those merged away."""
    if all(p.collection == MEDQUAD for p in passages):
        return Deduped(list(passages), [])
    keep: set[int] = set()
    for rows in _groups(passages):
        medquad = [r for r in rows if passages[r].collection == MEDQUAD]
        if medquad:
            keep.update(medquad)
            continue
        best = rows[0]
        for row in rows[1:]:
            if keep_better(passages[best], passages[row], plainer) is passages[row]:
                best = row
        keep.add(best)
    return Deduped(
        [p for r, p in enumerate(passages) if r in keep],
        [p for r, p in enumerate(passages) if r not in keep],
    )


def _groups(passages: list[Passage]) -> list[list[int]]:
    """Rows grouped by near-identical text; identical texts are grouped without LSH.

    MedQuAD's passages go into the LSH index but never ask it: two of them are never merged,
    so only the other collections' passages look for their copies (in MedQuAD or anywhere).
    """
    lsh = MinHashLSH(threshold=CANDIDATE_THRESHOLD, num_perm=NUM_PERM)
    exact: dict[str, int] = {}
    leader = list(range(len(passages)))
    shingles: dict[int, set[str]] = {}
    for row, passage in enumerate(passages):
        digest = hashlib.sha1(" ".join(passage.text.lower().split()).encode()).hexdigest()
        if digest in exact:
            leader[row] = exact[digest]
            continue
        exact[digest] = row
        own = shingles[row] = _shingles(passage.text)
        signature = _signature(own)
        if passage.collection != MEDQUAD:
            near = [
                int(r) for r in lsh.query(signature) if jaccard(own, shingles[int(r)]) >= THRESHOLD
            ]
            if near:
                leader[row] = min(leader[r] for r in near)
        lsh.insert(str(row), signature)
    groups: dict[int, list[int]] = {}
    for row, lead in enumerate(leader):
        groups.setdefault(lead, []).append(row)
    return list(groups.values())


def keep_better(a: Passage, b: Passage, plainer: Plainer) -> Passage:
    """The copy to keep: the more authoritative source, then the plainer text (`a` on a tie)."""
    if authority(a) != authority(b):
        return a if authority(a) < authority(b) else b
    return b if a.text != b.text and plainer(a.text, b.text) == b.text else a
