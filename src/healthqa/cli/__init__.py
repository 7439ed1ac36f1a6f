"""The `healthqa` command. Every command is a thin call into `healthqa.engine.Engine`.

`main(argv)` returns the exit code, so tests can call it like the shell does.
"""

from __future__ import annotations

import logging
import sys

import click
import typer

from healthqa.cli.ask import ask_command, index_command
from healthqa.cli.collection import collection_app
from healthqa.cli.data import data_app
from healthqa.cli.serve import serve_command
from healthqa.errors import HealthqaError

app = typer.Typer(
    name="healthqa",
    help="Answers consumer health questions from trusted sources, offline, with citations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("ask")(ask_command)
app.command("index")(index_command)
app.command("serve")(serve_command)
app.add_typer(data_app, name="data")
app.add_typer(collection_app, name="collection")


def _register_optional_groups() -> None:
    # Evaluation and benchmark commands live with the evaluation package.
    from healthqa.cli.evaluation import register

    register(app)


def _click_errors() -> tuple[type[Exception], type[Exception]]:
    """(ClickException, Abort) as the app raises them: typer >= 0.20 runs on its own copy of
    click, whose classes are not `click`'s."""
    usage = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")
    return usage, typer.Abort


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # trafilatura warns about each page's markup ("missing link attribute", dozens per CDC
    # page); the html loader reports the pages it cannot read itself
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    _register_optional_groups()
    usage_error, abort = _click_errors()
    try:
        result = app(args=argv if argv is not None else sys.argv[1:], standalone_mode=False)
    except HealthqaError as exc:
        print(f"healthqa: error: {exc}", file=sys.stderr)
        return 2
    except (click.exceptions.Abort, abort):
        print("healthqa: aborted", file=sys.stderr)
        return 130
    except (click.ClickException, usage_error) as exc:
        exc.show()
        return 2
    return result if isinstance(result, int) else 0
