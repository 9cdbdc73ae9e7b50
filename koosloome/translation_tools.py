"""Keeping the catalogues complete: extract, update, fill English, check and compile.

Message ids are English, so the English catalogue is the ids themselves; Estonian is
translated by hand in ``translations/et/LC_MESSAGES/messages.po``.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from koosloome.i18n import TRANSLATIONS_DIR

PROJECT_ROOT = TRANSLATIONS_DIR.parent.parent
POT_FILE = PROJECT_ROOT / "messages.pot"
SOURCE_LANGUAGE = "en"


def catalogue_path(language: str) -> Path:
    """The .po file of ``language``."""
    return TRANSLATIONS_DIR / language / "LC_MESSAGES" / "messages.po"


def languages() -> list[str]:
    """Languages with a catalogue."""
    return sorted(path.name for path in TRANSLATIONS_DIR.iterdir() if path.is_dir())


def _pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


def _read(path: Path, locale: str) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _write(path: Path, catalog: Catalog) -> None:
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False)


def fill_source_language(catalog: Catalog) -> None:
    """Copy each message id into its own translation (the source language)."""
    for message in catalog:
        if not message.id:
            continue
        message.flags.discard("fuzzy")
        if isinstance(message.id, tuple | list):
            message.string = tuple(message.id)
        else:
            message.string = message.id


def update_catalogues() -> None:
    """Extract messages from code and templates and merge them into every catalogue."""
    _pybabel(
        "extract", "-F", str(PROJECT_ROOT / "babel.cfg"), "-k", "_l", "--no-location",
        # pybabel skips folders starting with "_" unless told otherwise: templates/_macros
        # holds shared strings ("There is a problem", "optional").
        "--ignore-dirs", ".*", "--sort-output", "-o", str(POT_FILE), str(PROJECT_ROOT),
    )
    for language in languages():
        _pybabel(
            "update", "-i", str(POT_FILE), "-d", str(TRANSLATIONS_DIR), "-l", language,
            "--no-fuzzy-matching", "--ignore-obsolete", "-w", "100",
        )
    english = catalogue_path(SOURCE_LANGUAGE)
    catalog = _read(english, SOURCE_LANGUAGE)
    fill_source_language(catalog)
    _write(english, catalog)


def catalogue_problems(language: str) -> list[str]:
    """Untranslated and fuzzy messages of one catalogue, one line each."""
    problems = []
    for message in _read(catalogue_path(language), language):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"{language}: fuzzy: {message.id!r}")
        elif not all(strings):
            problems.append(f"{language}: untranslated: {message.id!r}")
    return problems


def compile_catalogues() -> list[str]:
    """Write the .mo files; return the problems that make a catalogue incomplete."""
    problems: list[str] = []
    for language in languages():
        problems += catalogue_problems(language)
        catalog = _read(catalogue_path(language), language)
        with catalogue_path(language).with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog)
    return problems
