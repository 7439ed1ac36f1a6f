"""HTML pages: the main text by trafilatura, then the boilerplate filter of
`boilerplate.py` on its blocks and sentences; headings become sections.

trafilatura alone keeps the seed page's debris lines in every mode (issue 10); it does
drop the cdc.gov menus, header and footer, which the filter then need not know about.
Tables are left out (on the pages seen they are statistics, not consumer text).
"""

from __future__ import annotations

import re
from typing import Any

import trafilatura

from healthqa.corpus.loaders import Loader, register
from healthqa.corpus.loaders.base import (
    BadFile,
    Block,
    Page,
    SourceFile,
    clean_text,
    guess_language,
    page_documents,
)
from healthqa.corpus.loaders.boilerplate import RawBlock, clean_blocks
from healthqa.records import Document

_TAG = re.compile(r"<[a-zA-Z!/][^>]*>")
_PARAGRAPH_TAGS = {"p", "quote", "code"}


def load_html(source: SourceFile) -> list[Document]:
    markup = source.text()
    if not _TAG.search(markup):
        raise BadFile("malformed", f"{source.name}: no HTML markup")
    extracted = _extract(markup, source)
    raw = raw_blocks(extracted.body)
    blocks, _ = clean_blocks(raw)
    title = clean_text(extracted.title or "") or source.stem.replace("_", " ")
    sample = " ".join(b.text for b in blocks[:40])
    fields = {
        "url": extracted.url or source.location,
        "language": guess_language(sample),
        "date": extracted.date or "",
        "credit": extracted.sitename or "",
        "source": extracted.sitename or "",
    }
    return page_documents(source.prefix, Page(source.slug, title, fields), _page_blocks(blocks))


def _page_blocks(blocks: list[RawBlock]) -> list[Block]:
    """Blocks for sections: a paragraph that is one short question ("What is already known
    on this topic?", cdc.gov's summary boxes) heads the text below it."""
    out: list[Block] = []
    level = 1
    for block in blocks:
        if block.level:
            level = block.level
            out.append(Block(block.text, block.level))
        elif not block.item and block.text.endswith("?") and len(block.text.split()) <= 12:
            out.append(Block(block.text, min(level + 1, 6)))
        else:
            out.append(Block(block.text, 0, block.item))
    return out


def _extract(markup: str, source: SourceFile) -> Any:
    try:
        extracted = trafilatura.bare_extraction(
            markup,
            url=None,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_links=True,
            include_images=False,
        )
    except (ValueError, TypeError) as exc:  # lxml's complaints about unparseable markup
        raise BadFile("malformed", f"{source.name}: HTML that cannot be parsed ({exc})") from exc
    if extracted is None or extracted.body is None:
        raise BadFile("no text", f"{source.name}: no main text found in the HTML")
    return extracted


def raw_blocks(body: Any) -> list[RawBlock]:
    """trafilatura's body element -> blocks with their link share and list group."""
    blocks: list[RawBlock] = []
    groups = [0]
    _walk(body, blocks, groups, 0)
    return blocks


def _walk(element: Any, blocks: list[RawBlock], groups: list[int], group: int) -> None:
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "head":
            level = _level(child.get("rend", ""))
            blocks.append(RawBlock(_text(child), level=level))
        elif tag in _PARAGRAPH_TAGS:
            blocks.append(_block(child, item=False, group=0))
        elif tag == "list":
            groups[0] += 1
            _walk(child, blocks, groups, groups[0])
        elif tag == "item":
            blocks.append(_block(child, item=True, group=group))
        elif tag not in ("table", "graphic", "lb"):
            _walk(child, blocks, groups, group)


def _block(element: Any, *, item: bool, group: int) -> RawBlock:
    text = _text(element)
    linked = sum(len(clean_text("".join(ref.itertext()))) for ref in element.iter("ref"))
    return RawBlock(text, 0, item, linked / len(text) if text else 0.0, group)


def _text(element: Any) -> str:
    return clean_text("".join(element.itertext()))


def _level(rend: str) -> int:
    return int(rend[1]) if len(rend) == 2 and rend[0] == "h" and rend[1].isdigit() else 2


register(
    Loader(
        name="html",
        description="HTML pages: trafilatura main text plus a boilerplate filter",
        suffixes=(".html", ".htm", ".xhtml"),
        load=load_html,
    )
)
