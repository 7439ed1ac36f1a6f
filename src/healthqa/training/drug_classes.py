"""Writes `models/drug_classes.json`: the names of drug classes, so that "a diuretic" or
"proton pump inhibitors" is not read as the one drug a question asks about.

A class is a concept of `drug-named-entity-recognition` whose every MeSH tree number lies
under D27, MeSH's "Chemical Actions and Uses" (pharmacologic actions: Diuretics, Analgesics,
Proton Pump Inhibitors). The list is the package's, not ours; this command copies it into a
small file so that answering never loads the package's 4-second tables.

    python -m healthqa.training.drug_classes [--out FILE]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from healthqa.answer.subject import DRUG_CLASSES_FILE

CLASS_TREE = "D27"  # MeSH "Chemical Actions and Uses"


def drug_classes() -> list[str]:
    """The name of every drug class the package knows. Names, not MeSH ids: the package
    gives some drugs their class's id (Amphetamine has that of CNS stimulants)."""
    from drug_named_entity_recognition import drugs_finder

    classes = set()
    for data in drugs_finder.d["drug_canonical_to_data"].values():
        trees = data.get("mesh_tree") or []
        if data.get("name") and trees and all(t.startswith(CLASS_TREE) for t in trees):
            classes.add(data["name"])
    return sorted(classes)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DRUG_CLASSES_FILE)
    args = parser.parse_args(argv)
    classes = drug_classes()
    source = (
        "drug-named-entity-recognition: concepts whose MeSH tree numbers all lie under D27 "
        "(Chemical Actions and Uses)"
    )
    args.out.write_text(json.dumps({"source": source, "classes": classes}, indent=0) + "\n")
    print(f"{len(classes)} drug classes -> {args.out}")


if __name__ == "__main__":
    main()
