"""`healthqa data download [medquad|medlineplus]`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from healthqa.config import default_home
from healthqa.corpus.download import MEDQUAD_URL, download_medlineplus, download_medquad

data_app = typer.Typer(help="Get the data healthqa answers from.", no_args_is_help=True)


class Dataset(StrEnum):
    medquad = "medquad"
    medlineplus = "medlineplus"


@data_app.command("download")
def download_command(
    dataset: Annotated[
        Dataset, typer.Argument(help="medquad (default) or medlineplus (health-topics XML).")
    ] = Dataset.medquad,
    dest: Annotated[Path | None, typer.Option("--dest", help="Folder to put the data in.")] = None,
    url: Annotated[
        str | None, typer.Option("--url", help="Archive to fetch instead of the current one.")
    ] = None,
) -> int:
    """Download MedQuAD (CC BY 4.0) or the current MedlinePlus health topics (NLM)."""
    folder = dest or default_home() / "data"
    if dataset is Dataset.medlineplus:
        target = download_medlineplus(folder, url)
        print(f"MedlinePlus health topics are in {target}")
    else:
        target = download_medquad(folder, url or MEDQUAD_URL)
        print(f"MedQuAD is in {target}")
    return 0
