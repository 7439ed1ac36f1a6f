"""`healthqa collection add|list|remove|formats`: the user's own sources, by name."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from healthqa.config import Settings

collection_app = typer.Typer(
    help="Add, list and remove collections of your own trusted documents.",
    no_args_is_help=True,
)


@collection_app.command("add")
def add_command(
    name: Annotated[str, typer.Argument(help="A short name: lower-case letters, digits, - or _.")],
    paths: Annotated[list[Path], typer.Argument(help="Files, folders or zip archives.")],
    fmt: Annotated[
        str,
        typer.Option("--format", help="auto, or a format from `healthqa collection formats`."),
    ] = "auto",
    credit: Annotated[
        str, typer.Option("--credit", help='The source\'s credit line, e.g. "NCI".')
    ] = "",
    licence: Annotated[str, typer.Option("--licence", help="The documents' licence.")] = "",
    date: Annotated[str, typer.Option("--date", help="The source's date, YYYY-MM-DD.")] = "",
) -> int:
    """Read the files once and register them as a collection (again: only what changed),
    then bring its documents into the index."""
    from healthqa.corpus.collections import add_collection
    from healthqa.engine import index_has

    settings = Settings.resolve()
    changes = add_collection(settings, name, paths, fmt, credit=credit, licence=licence, date=date)
    print(changes.summary())
    print(f"  {changes.report.summary()}")
    for skipped in changes.report.skipped:
        print(f"  skipped {skipped.name}: {skipped.kind} ({skipped.message})", file=sys.stderr)
    if changes.is_noop and index_has(settings, name):
        return 0
    _update_index(settings, name, changes.documents)
    return 0


def _update_index(settings: Settings, name: str, documents: tuple = ()) -> None:
    """`documents`: the collection's, as `collection add` just read them (else read again)."""
    from healthqa.engine import update_collection

    manifest = update_collection(settings, name, documents=documents or None)
    if manifest is None:
        print("index: none yet (the first `healthqa ask` builds it with this collection)")
        return
    counts = manifest.get("collections", {}).get(name)
    held = f"{name} {counts['passages']} passages" if counts else f"{name} removed"
    print(f"index: {manifest['passages']} passages ({held}) in {manifest['build_seconds']} s")


@collection_app.command("list")
def list_command() -> int:
    """The registered collections."""
    from healthqa.corpus.collections import list_collections

    collections = list_collections(Settings.resolve())
    if not collections:
        print("no collections (add one with `healthqa collection add NAME PATH...`)")
    for c in collections:
        details = ", ".join(x for x in (c.credit, c.licence, c.date) if x)
        print(
            f"{c.name}: {c.documents} documents from {len(c.files)} files, format {c.format}"
            + (f"; {details}" if details else "")
        )
        for path in c.paths:
            print(f"  {path}")
    return 0


@collection_app.command("remove")
def remove_command(name: Annotated[str, typer.Argument(help="The collection to remove.")]) -> int:
    """Forget a collection (its files are not touched)."""
    from healthqa.corpus.collections import remove_collection

    settings = Settings.resolve()
    removed = remove_collection(settings, name)
    print(f"removed {removed.name} ({removed.documents} documents)")
    _update_index(settings, name)
    return 0


@collection_app.command("formats")
def formats_command() -> int:
    """The formats `--format` takes."""
    from healthqa.corpus.loaders import formats, get_loader

    print("auto: each file's format from its name and first bytes")
    for name in formats():
        loader = get_loader(name)
        print(f"{name}: {loader.description} ({', '.join(loader.suffixes)})")
    return 0
