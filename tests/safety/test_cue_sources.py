"""Every MedQuAD sentence the emergency cue list quotes as its source is really in MedQuAD."""

import re

import pytest

from healthqa.analysis.emergency import load_cues
from healthqa.config import medquad_dir
from healthqa.corpus.medquad import iter_medquad

pytestmark = pytest.mark.integration

_MEDQUAD_ID = re.compile(r"\(MedQuAD (?:e\.g\. )?(\w+_\d+_Sec\d+)\)")


def _squash(text: str) -> str:
    """Words only: MedQuAD drops apostrophes and glues words inconsistently."""
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def test_quoted_medquad_sources_hold_the_quoted_words(shared_data):
    quotes = [
        (match.group(1), source["says"])
        for group in load_cues().groups
        for source in group.sources
        if (match := _MEDQUAD_ID.search(source["name"]))
    ]
    assert len(quotes) >= 20
    wanted = {answer_id for answer_id, _ in quotes}
    texts = {d.id: d.text for d in iter_medquad(medquad_dir(shared_data)) if d.id in wanted}
    for answer_id, says in quotes:
        assert answer_id in texts, answer_id
        for fragment in says.split("..."):
            assert _squash(fragment) in _squash(texts[answer_id]), (answer_id, fragment)
