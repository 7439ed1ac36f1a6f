"""Plain text: one Document per file, its paragraphs (blank-line separated) kept apart.

The title is the first line when it reads as one (short, no closing full stop), else the
file name.
"""

from __future__ import annotations

import re

from healthqa.corpus.loaders import Loader, register
from healthqa.corpus.loaders.base import Block, Page, SourceFile, page_documents
from healthqa.records import Document

TITLE_MAX_WORDS = 12
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def load_text(source: SourceFile) -> list[Document]:
    paragraphs = [p.strip() for p in _PARAGRAPH_BREAK.split(source.text()) if p.strip()]
    if not paragraphs:
        return []
    title = source.stem.replace("_", " ").replace("-", " ")
    first = paragraphs[0]
    if "\n" not in first and len(first.split()) <= TITLE_MAX_WORDS and not first.endswith("."):
        title = first
        paragraphs = paragraphs[1:]
    page = Page(source.slug, title, {"url": source.location})
    return page_documents(source.prefix, page, [Block(p) for p in paragraphs])


register(
    Loader(
        name="text",
        description="plain text, by paragraph",
        suffixes=(".txt", ".text"),
        load=load_text,
    )
)
