"""The on-disk index: a folder with a manifest, the passages, and one sub-folder per part.

    manifest.json      format version, fingerprint, counts by collection, parts, build time
    passages.jsonl     one Passage a line, in row order (row = position in every part)
    duplicates.jsonl   passages merged away as near-copies of a kept one (retrieval.dedupe),
                       kept so that removing a collection brings its copies' twins back
    topics.jsonl       every page's topic names (pages without text too), for the phrase table
    lexical/           bm25s arrays, one sub-folder per collection (its own term statistics)
    vocabulary/        the phrase table and corpus words (analysis.vocabulary, spelling)
    dense/             vectors (optional, see retrieval.dense)

Parts are registered by name in `PARTS` with the function that builds each and the one that
opens it. One index holds one or many collections (`Passage.collection`); `update_index`
replaces one collection's passages and reuses the rest (and, through `PartInput.previous`,
the dense vectors of every passage text it already has).

A build writes to `.<name>.building-<pid>` beside the target and swaps it into place (the
old index is moved to `.<name>.old-<pid>` for the moment of the swap), so a crash at any
point leaves the old index or the new one. What a killed build leaves behind is removed, and
an old index caught mid-swap is put back, by the next build or open (`recover`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from healthqa.analysis.spelling import count_words, save_words
from healthqa.analysis.vocabulary import build_vocabulary
from healthqa.corpus.passages import split_passages
from healthqa.errors import HealthqaError
from healthqa.records import Document, Passage
from healthqa.retrieval import bridge_es, dense, spanish
from healthqa.retrieval.dedupe import Plainer, dedupe
from healthqa.retrieval.lexical import CollectionsLexicon
from healthqa.retrieval.part import (
    Part,
    PartInput,
    Progress,
    TopicNames,
    no_progress,
    spanish_collections,
)
from healthqa.retrieval.symptoms_es import SymptomPages, symptom_pages

# 7: the phrase table keeps each key's names and drug names (no-drift checks);
# 8: and its acronyms as written ("ABL" is not "able");
# 9: passages carry their page's UMLS concepts (answer/concepts.py)
FORMAT_VERSION = 9
# 6: BM25 per collection (lexical/<collection>/), its own IDF
# 5: Spanish parts; a collection passage's heading in its BM25 text
# 4: passages carry page, section, language, date, credit; collections
MANIFEST = "manifest.json"
PASSAGES = "passages.jsonl"
DUPLICATES = "duplicates.jsonl"
TOPICS = "topics.jsonl"
VOCABULARY_FILE = "vocabulary.sqlite"


def _build_lexical(given: PartInput) -> dict:
    """English BM25 over every passage not in Spanish (those have the "lexical_es" part), with
    each collection's own term statistics: a collection's scores do not depend on the others."""
    given.progress("lexical", 0, 1)
    rows = [r for r, p in enumerate(given.passages) if p.language != "es"]
    english = [given.passages[r] for r in rows]
    CollectionsLexicon.build(english, rows, len(given.passages)).save(given.folder)
    given.progress("lexical", 1, 1)
    return {"kind": "bm25s per collection"}


def _build_vocabulary(given: PartInput) -> dict:
    """The English phrase table and corpus words: Spanish collections have their own
    ("vocabulary_es"), so a Spanish name never reaches an English question."""
    given.progress("vocabulary", 0, 1)
    spanish = spanish_collections(given.passages)
    topics = sorted(
        {
            (t.focus, t.synonyms, t.has_text)
            for t in given.topics
            if t.focus and t.collection not in spanish
        }
    )
    vocabulary = build_vocabulary(topics)
    vocabulary.save(given.folder / VOCABULARY_FILE)
    db = sqlite3.connect(given.folder / VOCABULARY_FILE)
    with db:
        save_words(
            db, count_words(f"{p.title} {p.text}" for p in given.passages if p.language != "es")
        )
    db.close()
    given.progress("vocabulary", 1, 1)
    return {"kind": "phrase table", "entries": len(vocabulary)}


PARTS: dict[str, Part] = {
    "lexical": Part(_build_lexical, CollectionsLexicon.load),
    "vocabulary": Part(_build_vocabulary, lambda folder: folder / VOCABULARY_FILE),
    "dense": Part(dense.build_dense_part, dense.open_dense_part),
    # the Spanish passages' own signals (retrieval/spanish.py); empty without Spanish passages
    "lexical_es": Part(spanish.build_lexical_part, spanish.open_lexical_part),
    "vocabulary_es": Part(spanish.build_vocabulary_part, spanish.open_vocabulary_part),
    "dense_es": Part(dense.build_spanish_dense_part, dense.open_dense_part),
    # English names of a topic pointing at its Spanish page (retrieval/bridge_es.py)
    "bridge_es": Part(bridge_es.build_bridge_part, bridge_es.open_bridge_part),
}


@dataclass
class Index:
    path: Path
    manifest: dict
    passages: list[Passage]
    parts: dict[str, object] = field(default_factory=dict)
    rows_by_doc: dict[str, list[int]] = field(default_factory=dict)
    rows_by_page: dict[str, list[int]] = field(default_factory=dict)
    rows_by_collection: dict[str, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for row, passage in enumerate(self.passages):
            self.rows_by_doc.setdefault(passage.doc_id, []).append(row)
            self.rows_by_page.setdefault(passage.page_key, []).append(row)
            self.rows_by_collection.setdefault(passage.collection, []).append(row)

    @property
    def lexical(self) -> CollectionsLexicon:
        return self.parts["lexical"]  # type: ignore[return-value]

    @property
    def dense(self) -> dense.DenseIndex | None:
        return self.parts.get("dense")  # type: ignore[return-value]

    @cached_property
    def spanish_symptoms(self) -> SymptomPages:
        """What each Spanish page says about symptoms (for the page chooser), read once."""
        return symptom_pages(self.passages)

    @property
    def spanish(self) -> spanish.SpanishParts | None:
        """The Spanish passages' BM25, vocabulary and vectors, when the index has any."""
        lexical = self.parts.get("lexical_es")
        if lexical is None:
            return None
        return spanish.SpanishParts(
            lexical,  # type: ignore[arg-type]
            self.parts.get("vocabulary_es"),  # type: ignore[arg-type]
            self.parts.get("dense_es"),  # type: ignore[arg-type]
            self.parts.get("bridge_es"),  # type: ignore[arg-type]
        )

    @property
    def collections(self) -> list[str]:
        return sorted(self.rows_by_collection)

    def page_rows(self, doc_id: str) -> list[int]:
        """Rows of every passage of the page that holds `doc_id` (its other sections)."""
        rows = self.rows_by_doc.get(doc_id)
        return self.rows_by_page.get(self.passages[rows[0]].page_key, []) if rows else []


def fingerprint(passages: list[Passage]) -> str:
    digest = hashlib.sha256()
    for passage in passages:
        digest.update(passage.id.encode())
        digest.update(hashlib.sha256(passage.text.encode()).digest())
    return digest.hexdigest()[:16]


def unique_documents(documents: Iterable[Document]) -> list[Document]:
    """First of each id: MedQuAD repeats a few QA pairs across files."""
    seen: dict[str, Document] = {}
    for document in documents:
        seen.setdefault(document.id, document)
    return list(seen.values())


def topic_names(documents: Iterable[Document]) -> list[TopicNames]:
    return [
        TopicNames(d.collection, d.focus, tuple(d.synonyms) + tuple(d.also_called), bool(d.text))
        for d in documents
        if d.focus
    ]


def _keep_first(a: str, b: str) -> str:
    return a


def build_index(
    documents: Iterable[Document],
    target: Path,
    *,
    parts: Iterable[str] = (),
    extra_parts: dict[str, Part] | None = None,
    progress: Progress = no_progress,
    plainer: Plainer = _keep_first,
    metadata: dict | None = None,
) -> dict:
    """Build an index of `documents` at `target` with the lexical part and the named `parts`
    (plus `extra_parts`, given as Parts); returns the manifest."""
    documents = list(documents)  # every copy lends its names to the phrase table
    passages = _passages(documents, progress)
    if not passages:
        raise HealthqaError("no documents with text to index")
    return write_index(
        passages,
        topic_names(documents),
        target,
        parts=parts,
        extra_parts=extra_parts,
        progress=progress,
        plainer=plainer,
        metadata=metadata,
    )


def _passages(documents: list[Document], progress: Progress) -> list[Passage]:
    """The passages of the documents with text, each id once."""
    docs = [d for d in unique_documents(documents) if d.text]
    progress("passages", 0, len(docs))
    passages = [p for d in docs for p in split_passages(d)]
    progress("passages", len(docs), len(docs))
    return passages


def update_index(
    target: Path,
    collection: str,
    documents: Iterable[Document],
    *,
    parts: Iterable[str] = (),
    progress: Progress = no_progress,
    plainer: Plainer = _keep_first,
    metadata: dict | None = None,
) -> dict:
    """Replace one collection's documents in the index at `target` (none: remove it),
    reusing the passages of every other collection as they are."""
    old = read_passages(target / PASSAGES) + read_passages(target / DUPLICATES)
    kept = [p for p in old if p.collection != collection]
    topics = [t for t in read_topics(target) if t.collection != collection]
    documents = list(documents)
    passages = kept + _passages(documents, progress)
    if not passages:
        raise HealthqaError("no documents with text to index")
    return write_index(
        passages,
        topics + topic_names(documents),
        target,
        parts=parts,
        progress=progress,
        plainer=plainer,
        metadata=metadata,
    )


def write_index(
    passages: list[Passage],
    topics: list[TopicNames],
    target: Path,
    *,
    parts: Iterable[str] = (),
    extra_parts: dict[str, Part] | None = None,
    progress: Progress = no_progress,
    plainer: Plainer = _keep_first,
    metadata: dict | None = None,
) -> dict:
    started = time.perf_counter()
    chosen = {"lexical": PARTS["lexical"], **{n: _part(n) for n in parts}, **(extra_parts or {})}
    deduped = dedupe(passages, plainer)
    target.parent.mkdir(parents=True, exist_ok=True)
    recover(target)
    staging = target.parent / f".{target.name}.building-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        _write_passages(deduped.kept, staging / PASSAGES)
        _write_passages(deduped.dropped, staging / DUPLICATES)
        _write_rows([t.to_row() for t in topics], staging / TOPICS)
        manifests = {}
        previous = target if (target / MANIFEST).is_file() else None
        for name, part in chosen.items():
            (staging / name).mkdir()
            manifests[name] = part.build(
                PartInput(deduped.kept, staging / name, progress, topics, previous)
            )
        manifest = {
            "format_version": FORMAT_VERSION,
            "corpus_fingerprint": fingerprint(deduped.kept),
            "documents": len({p.doc_id for p in deduped.kept}),
            "passages": len(deduped.kept),
            "duplicates_merged": len(deduped.dropped),
            "collections": _counts(deduped.kept),
            "parts": manifests,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "build_seconds": round(time.perf_counter() - started, 2),
            **(metadata or {}),
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2))
        _swap_into_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest


def _part(name: str) -> Part:
    if name not in PARTS:
        raise HealthqaError(f"unknown index part {name!r}; parts: {', '.join(PARTS)}")
    return PARTS[name]


def _counts(passages: list[Passage]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    docs: dict[str, set[str]] = {}
    for passage in passages:
        entry = counts.setdefault(passage.collection, {"documents": 0, "passages": 0})
        entry["passages"] += 1
        docs.setdefault(passage.collection, set()).add(passage.doc_id)
    for name, ids in docs.items():
        counts[name]["documents"] = len(ids)
    return counts


def _write_passages(passages: list[Passage], path: Path) -> None:
    _write_rows([p.to_dict() for p in passages], path)


def _write_rows(rows: list, path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_passages(path: Path) -> list[Passage]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as handle:
        return [Passage.from_dict(json.loads(line)) for line in handle]


def read_topics(index_dir: Path) -> list[TopicNames]:
    path = index_dir / TOPICS
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as handle:
        return [TopicNames.from_row(json.loads(line)) for line in handle]


def _swap_into_place(staging: Path, target: Path) -> None:
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    shutil.rmtree(old, ignore_errors=True)


_LEFTOVER = re.compile(r"^\.(?P<name>.+)\.(?P<kind>building|old)-(?P<pid>\d+)$")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(target: Path) -> list[Path]:
    """Tidy what dead builds of `target` left beside it: an old index moved aside by a build
    killed mid-swap goes back in place when there is no index; the rest is removed.
    Returns the folders removed or restored."""
    if not target.parent.is_dir():
        return []
    touched = []
    for path in sorted(target.parent.iterdir()):
        found = _LEFTOVER.match(path.name)
        if not found or found["name"] != target.name or _alive(int(found["pid"])):
            continue
        if (
            found["kind"] == "old"
            and not (target / MANIFEST).is_file()
            and (path / MANIFEST).is_file()
        ):
            shutil.rmtree(target, ignore_errors=True)
            os.replace(path, target)
        else:
            shutil.rmtree(path, ignore_errors=True)
        touched.append(path)
    return touched


class StaleIndexError(HealthqaError):
    """An index written by another version of healthqa."""


def index_exists(path: Path) -> bool:
    return (path / MANIFEST).is_file()


def read_manifest(path: Path) -> dict:
    manifest_path = path / MANIFEST
    if not manifest_path.is_file():
        raise HealthqaError(f"no index at {path}: run `healthqa index`")
    return json.loads(manifest_path.read_text())


def open_index(path: Path) -> Index:
    recover(path)
    manifest = read_manifest(path)
    if manifest.get("format_version") != FORMAT_VERSION:
        raise StaleIndexError(
            f"index at {path} has format {manifest.get('format_version')}, "
            f"this healthqa reads {FORMAT_VERSION}: run `healthqa index` to rebuild it"
        )
    opened = {name: _part(name).open(path / name) for name in manifest["parts"] if name in PARTS}
    return Index(
        path=path, manifest=manifest, passages=read_passages(path / PASSAGES), parts=opened
    )
