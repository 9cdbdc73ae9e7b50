"""The installation's funding statement and logos (LEADER, EU): the funder wants them on
every piece of evidence (attendance sheet, evidence pack, certificate) and on the site.

Both are configuration, not code (``FUNDING_STATEMENT_ET``, ``FUNDING_STATEMENT_EN``,
``LOGO_FILES``): each installation prints its own project's statement and the logo files its
funder sent. A logo file that is missing or not a PNG/JPEG picture is left out with a
warning in the log, and the PDF shows the boxed label instead: evidence is never lost to a
wrong path.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from flask import current_app, has_app_context
from PIL import Image, UnidentifiedImageError

log = logging.getLogger(__name__)

#: The picture formats a logo may be in (fpdf2 embeds both without converting).
LOGO_FORMATS = frozenset({"PNG", "JPEG"})


@dataclass(frozen=True)
class Logo:
    """A logo picture that can be printed, and its size in pixels."""

    path: Path
    width: int
    height: int

    @property
    def aspect(self) -> float:
        """Width over height."""
        return self.width / self.height


@dataclass(frozen=True)
class Branding:
    """The funding statement per language and the configured logo files."""

    statements: dict[str, str] = field(default_factory=dict)
    logo_files: tuple[Path, ...] = ()

    def statement(self, language: str) -> str:
        """The statement in ``language``, else the Estonian one ("" when none is set)."""
        return self.statements.get(language) or self.statements.get("et", "")


def current_branding() -> Branding:
    """The branding the configuration gives (none outside an application)."""
    if not has_app_context():
        return Branding()
    config = current_app.config
    return Branding(
        statements={"et": config.get("FUNDING_STATEMENT_ET") or "",
                    "en": config.get("FUNDING_STATEMENT_EN") or ""},
        logo_files=tuple(Path(name) for name in config.get("LOGO_FILES") or ()),
    )


def funding_statement(language: str | None = None) -> str:
    """The configured funding statement in ``language`` (default: the reader's)."""
    if language is None:
        from koosloome.i18n import current_language

        language = current_language()
    return current_branding().statement(language)


def funding_statement_language() -> str:
    """The language the footer's statement is in: the reader's, else Estonian (marked on the
    page, so that a screen reader reads it in the right voice)."""
    from koosloome.i18n import current_language

    language = current_language()
    return language if current_branding().statements.get(language) else "et"


def readable_logos(files: tuple[Path, ...]) -> list[Logo]:
    """The logo files that are PNG or JPEG pictures, in order; others are logged and left
    out, so that a wrong path costs a logo, not the document."""
    logos = []
    for path in files:
        try:
            with Image.open(path) as image:
                picture_format, (width, height) = image.format, image.size
                image.verify()
        except (OSError, UnidentifiedImageError, ValueError) as error:
            log.warning("Logo %s cannot be read, printing its label instead: %s", path, error)
            continue
        if picture_format not in LOGO_FORMATS or not width or not height:
            log.warning("Logo %s is not a PNG or JPEG picture; printing its label instead", path)
            continue
        logos.append(Logo(path, width, height))
    return logos


@lru_cache(maxsize=8)
def _readable(files: tuple[Path, ...]) -> tuple[Logo, ...]:
    # Read once per process: every page's footer shows the logos.
    return tuple(readable_logos(files))


def page_logos() -> list[tuple[int, str]]:
    """The logos a page shows, as (number, what it shows): number for ``site.logo``."""
    if not has_app_context():
        return []
    names = current_app.config.get("LOGO_NAMES") or ()
    files = current_branding().logo_files
    readable = {logo.path for logo in _readable(files)}
    return [(index, names[index] if index < len(names) else path.stem)
            for index, path in enumerate(files) if path in readable]


def logo_path(index: int) -> Path | None:
    """The file of the configured logo ``index``, if it can be shown."""
    files = current_branding().logo_files
    readable = {logo.path for logo in _readable(files)}
    if 0 <= index < len(files) and files[index] in readable:
        return files[index]
    return None
