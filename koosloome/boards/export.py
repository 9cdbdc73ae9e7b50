"""Board results as files: CSV and Markdown, built from plain data (pure functions)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from koosloome.boards.queries import BoardView, IdeaCard
from koosloome.spreadsheet import neutralise


def _cell(value: object) -> str:
    return neutralise("" if value is None else str(value))


def results_csv(view: BoardView, labels: dict[str, str]) -> str:
    """One row per idea, ranked by votes within each column; ``labels`` are the headings."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([labels[key] for key in
                     ("column", "rank", "idea", "votes", "theme", "author", "comments", "merged")])
    for column in view.columns:
        for rank, idea in enumerate(view.top(column, limit=len(column.ideas)), start=1):
            writer.writerow([_cell(v) for v in (
                column.title, rank, idea.text, idea.votes or 0, idea.theme_name,
                idea.author or labels["anonymous"], idea.comments,
                " | ".join(idea.merged_texts),
            )])
    return out.getvalue()


def _md(text: str) -> str:
    """Markdown-safe single line: no line breaks, no accidental markup at the start."""
    flat = " ".join(text.split())
    for char in ("\\", "*", "_", "`", "[", "]", "<", ">", "#", "|"):
        flat = flat.replace(char, "\\" + char)
    return flat


def results_markdown(
    view: BoardView, texts: dict[str, str], votes_text: Callable[[int], str]
) -> str:
    """A Markdown report: question, counts, ranked ideas per column, then themes."""
    board = view.board
    lines = [f"# {_md(board.title)}", "", f"**{texts['question']}:** {_md(board.question)}", ""]
    lines += [f"- {texts['participants']}: {view.participant_count}",
              f"- {texts['ideas']}: {view.idea_count}", ""]

    def ranked(ideas: list[IdeaCard]) -> None:
        for rank, idea in enumerate(ideas, start=1):
            line = f"{rank}. {_md(idea.text)} — {votes_text(idea.votes or 0)}"
            lines.append(line)
            for merged in idea.merged_texts:
                lines.append(f"   - {texts['merged']}: {_md(merged)}")
        if not ideas:
            lines.append(f"_{texts['none']}_")
        lines.append("")

    for column in view.columns:
        lines += [f"## {_md(column.title)}", ""]
        ranked(view.top(column, limit=len(column.ideas)))
    if view.themes:
        lines += [f"## {texts['themes']}", ""]
        for theme in view.themes:
            lines += [f"### {_md(theme.title)}", ""]
            ranked(view.top(theme, limit=len(theme.ideas)))
    return "\n".join(lines).rstrip() + "\n"
