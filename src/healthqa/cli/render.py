"""An Answer on the terminal: notice and warning signs first, sections, numbered sources."""

from __future__ import annotations

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.text import Text

from healthqa.i18n import message
from healthqa.records import Answer, citation_mark


def _bullets(text: str) -> str:
    # MedQuAD keeps lists inline as " - item"; show them as list lines. A single " - " is a
    # dash inside a sentence ("two or more functions - such as memory - are impaired").
    if text.count(" - ") < 2:
        return text
    return text.replace(" - ", "\n  • ")


def render_answer(answer: Answer, console: Console) -> None:
    if answer.notice:
        console.print(
            Panel(
                Text(answer.notice, style="bold"),
                border_style="red",
                title=message("emergency_title", answer.language),
            )
        )
    if answer.abstained:
        console.print(Panel(escape(answer.reason), border_style="yellow"))
    if answer.uncovered_line:
        console.print(Panel(escape(answer.uncovered_line), border_style="yellow"))
    for section in answer.sections:
        console.print(f"[bold]{escape(section.title)}[/bold]")
        for sentence in section.sentences:
            marks = citation_mark(sentence.citations)  # as in Answer.text and its word count
            console.print(f"{escape(_bullets(sentence.text))} [cyan]{escape(marks)}[/cyan]")
        console.print()
    if answer.citations:
        lines = [
            f"[{c.n}] {escape(c.title)}, {escape(c.source)}"
            + (f" ({escape(c.date)})" if c.date else "")
            + f"\n    {escape(c.url)} ({escape(c.id)})"
            for c in answer.citations
        ]
        console.print(
            Panel(
                Group(*[Text(line) for line in lines]),
                title=message("sources", answer.language),
                border_style="cyan",
            )
        )
    console.print(Text(message("disclaimer", answer.language), style="italic"))
    if answer.alternative is not None:
        console.print()
        console.print(Panel(Text(answer.alternative_label, style="bold"), border_style="magenta"))
        render_answer(answer.alternative, console)
