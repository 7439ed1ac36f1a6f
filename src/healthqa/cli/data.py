"""`healthqa data download`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from healthqa.config import default_home
from healthqa.corpus.download import MEDQUAD_URL, download_medquad

data_app = typer.Typer(help="Get the data healthqa answers from.", no_args_is_help=True)


@data_app.command("download")
def download_command(
    dest: Annotated[Path | None, typer.Option("--dest", help="Folder to put medquad/ in.")] = None,
    url: Annotated[str, typer.Option("--url", help="Archive to fetch.")] = MEDQUAD_URL,
) -> int:
    """Download MedQuAD (CC BY 4.0) from its public repository."""
    target = download_medquad(dest or default_home() / "data", url)
    print(f"MedQuAD is in {target}")
    return 0
