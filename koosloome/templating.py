"""Template filters that are not about language (plain text to safe HTML paragraphs), and the
installation's funding statement for the footer."""

from __future__ import annotations

import re

from flask import Flask
from markupsafe import Markup, escape

from koosloome.branding import funding_statement, funding_statement_language, page_logos

_BLANK_LINES = re.compile(r"\n\s*\n")


def paragraphs(text: str | None) -> Markup:
    """Escape plain text and turn blank-line-separated blocks into ``<p>``, lines into ``<br>``."""
    if not text:
        return Markup("")
    parts = []
    for block in _BLANK_LINES.split(text.replace("\r\n", "\n")):
        if block.strip():
            lines = Markup("<br>\n").join(escape(line) for line in block.strip().split("\n"))
            parts.append(Markup("<p>{}</p>").format(lines))
    return Markup("\n").join(parts)


def init_templating(app: Flask) -> None:
    """Register the filters and globals."""
    app.jinja_env.filters["paragraphs"] = paragraphs
    app.jinja_env.globals["funding_statement"] = funding_statement
    app.jinja_env.globals["page_logos"] = page_logos
    app.jinja_env.globals["funding_statement_language"] = funding_statement_language
