"""Answer text -> sentences -> passages that keep their parent answer's id, title and URL.

Two layouts of paragraphs are read: MedQuAD keeps the page layout as runs of spaces (two or
more spaces end a paragraph, a run that starts with "- " is a list item); loaders write plain
paragraphs apart by a blank line with list items on lines of their own ("- item", see
`corpus.loaders.base.join_body`). Either way a list stays one unit with its lead-in sentence
("Causes include: - Dehydration - ..."), so that no item is quoted without its context.
A passage carries what the later stages need of its Document: page, heading, language, date,
the source's credit line and MedQuAD's UMLS concepts of the page's focus.
"""

from __future__ import annotations

import re

import blingfire

from healthqa.records import Document, Passage

PASSAGE_WORDS = 120
_SEGMENT_BREAK = re.compile(r"\s{2,}|\n+")
_LOOSE_BULLET = re.compile(r"(?<=\s)-\s{2,}")
_LEADING_LABEL = re.compile(r"^(Summary|Description|Overview)\s*:\s*", re.IGNORECASE)
# MedlinePlus pages end with the name of the institute that wrote them: not content.
_ATTRIBUTION = re.compile(
    r"^(NIH|CDC|FDA|NLM|AHRQ|NCI)\s*:.*$|^(National (Institute|Cancer|Center|Heart|Library)\b.*)$"
)


def normalize_space(text: str) -> str:
    return " ".join(text.split())


def split_units(text: str) -> list[str]:
    """Sentences, with each list kept whole behind its lead-in sentence."""
    units: list[str] = []
    text = _LOOSE_BULLET.sub("- ", text.strip())
    for segment in _SEGMENT_BREAK.split(text):
        segment = _LEADING_LABEL.sub("", segment.strip())
        if not segment or _ATTRIBUTION.match(segment):
            continue
        if segment.startswith("- ") and units:
            units[-1] = f"{units[-1]} {segment}"
            continue
        units.extend(s for s in blingfire.text_to_sentences(segment).split("\n") if s.strip())
    return [normalize_space(u) for u in units]


def page_key(document: Document) -> str:
    """The page a Document is a section of: its own `page`, else the part of a loader id
    before '#' (`pdq:acupuncture#3` -> `pdq:acupuncture`), else its id."""
    return document.page or document.id.split("#", 1)[0]


def split_passages(document: Document, max_words: int = PASSAGE_WORDS) -> list[Passage]:
    groups: list[list[str]] = []
    words = 0
    for unit in split_units(document.text):
        size = len(unit.split())
        if groups and words + size <= max_words:
            groups[-1].append(unit)
            words += size
        else:
            groups.append([unit])
            words = size
    return [
        Passage(
            id=f"{document.id}#{k}",
            doc_id=document.id,
            sentences=tuple(group),
            title=document.title,
            url=document.url,
            source=document.source,
            collection=document.collection,
            question=document.question,
            qtype=document.qtype,
            focus=document.focus,
            synonyms=document.synonyms or document.also_called,
            page=page_key(document),
            section=document.section,
            language=document.language,
            date=document.date,
            credit=document.credit,
            cuis=document.cuis,
        )
        for k, group in enumerate(groups)
    ]
