"""Language choice and the Estonian/English display formats (dates, times, money)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal
from flask import Flask, current_app, has_request_context, request
from flask_babel import Babel, force_locale, get_locale, gettext, ngettext, to_user_timezone
from flask_babel import format_datetime as babel_format_datetime
from markupsafe import Markup
from pyphen import Pyphen
from werkzeug.datastructures import LanguageAccept

from koosloome.bilingual import localised

LANGUAGE_COOKIE = "lang"
TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"

#: Patterns per language. Estonian dates are forced to dd.mm.yyyy (CLDR's short form is dd.MM.yy).
DATE_PATTERNS = {"et": "dd.MM.yyyy", "en": "d MMM yyyy"}
LONG_DATE_PATTERNS = {"et": "EEEE, d. MMMM yyyy", "en": "EEEE d MMMM yyyy"}
TIME_PATTERN = "HH:mm"
LANGUAGE_NAMES = {"et": "Eesti keeles", "en": "In English"}


def choose_locale(chosen: str | None, accepted: LanguageAccept, config: Mapping[str, Any]
                  ) -> str:
    """The cookie set by the language switch (``chosen``), else the browser's preference
    (``accepted``, its Accept-Language), else the default locale."""
    languages = config["LANGUAGES"]
    if chosen in languages:
        return chosen
    return accepted.best_match(languages) or config["DEFAULT_LOCALE"]


def select_locale() -> str:
    """The locale of the current request (Flask-Babel's locale selector)."""
    if not has_request_context():  # CLI commands and workers: messages pick their own language
        return current_app.config["DEFAULT_LOCALE"]
    return choose_locale(request.cookies.get(LANGUAGE_COOKIE), request.accept_languages,
                         current_app.config)


@cache
def language_of(locale: str) -> str:
    """The two-letter language of a locale name (``et``, ``en_GB`` → ``en``), as Flask-Babel's
    ``get_locale()`` reads it."""
    return Locale.parse(locale).language


def current_language() -> str:
    """The two-letter code of the language of the current request."""
    locale = get_locale()
    return locale.language if locale else "et"


def format_date(value: datetime | None, language: str | None = None) -> str:
    """A date in the reader's zone: ``05.03.2025`` in Estonian, ``5 Mar 2025`` in English."""
    if value is None:
        return ""
    language = language or current_language()
    return babel_format_datetime(value, DATE_PATTERNS.get(language, DATE_PATTERNS["et"]))


def format_day(value: date | None, language: str | None = None) -> str:
    """A calendar day that is no moment in time (no zone): ``5. märts 2025``."""
    if value is None:
        return ""
    language = language or current_language()
    pattern = {"et": "d. MMMM yyyy", "en": "d MMMM yyyy"}.get(language, "d. MMMM yyyy")
    return babel_format_date(value, pattern, locale=language)


def format_month(value: date, language: str | None = None) -> str:
    """A month of the calendar: ``märts 2026`` / ``March 2026``."""
    language = language or current_language()
    return babel_format_date(value, "LLLL yyyy", locale=language)


#: Words at least this long get soft hyphens: shorter ones fit a 320 px screen whole.
HYPHENATE_FROM = 12
_LONG_WORD = re.compile(rf"\w{{{HYPHENATE_FROM},}}")


@cache
def _hyphenator(language: str) -> Pyphen:
    return Pyphen(lang={"et": "et_EE", "en": "en_GB"}.get(language, "et_EE"))


def soft_hyphens(text: str, language: str | None = None) -> Markup:
    """``text`` with soft hyphens (U+00AD) in its long words, for headings that must wrap on a
    narrow screen ("Inspiratsiooni-|seminar", not "Inspiratsioonisem|inar"). The browser
    shows a hyphen only where it breaks; screen readers and copies ignore them."""
    hyphenator = _hyphenator(language or current_language())
    marked = _LONG_WORD.sub(lambda word: hyphenator.inserted(word.group(0), hyphen="\u00ad"),
                            str(text))
    return Markup.escape(marked)


def format_long_date(value: datetime | None, language: str | None = None) -> str:
    """``kolmapäev, 5. märts 2025`` / ``Wednesday 5 March 2025``."""
    if value is None:
        return ""
    language = language or current_language()
    return babel_format_datetime(value, LONG_DATE_PATTERNS.get(language, LONG_DATE_PATTERNS["et"]))


def format_time(value: datetime | None) -> str:
    """A 24-hour time in the reader's zone: ``14:00``."""
    if value is None:
        return ""
    return babel_format_datetime(value, TIME_PATTERN)


def days_spanned(starts: datetime, ends: datetime) -> int:
    """How many calendar days (in the reader's zone) something from ``starts`` to ``ends``
    touches: 1 for a seminar, 3 for a trip from Friday morning to Sunday night."""
    return (to_user_timezone(ends).date() - to_user_timezone(starts).date()).days + 1


def format_span(starts: datetime, ends: datetime, language: str | None = None) -> str:
    """When something happens, whole: ``kolmapäev, 5. märts 2025, 10:00–14:00``, or for more
    than a day both ends and the count (``…, 06:00 – pühapäev, 7. märts 2025, 22:00 (3 päeva)``),
    never one date with two times that belong to different days."""
    language = language or current_language()
    start = f"{format_long_date(starts, language)}, {format_time(starts)}"
    days = days_spanned(starts, ends)
    if days == 1:
        return f"{start}–{format_time(ends)}"
    with force_locale(language):
        count = ngettext("%(num)d day", "%(num)d days", days)
    return f"{start} – {format_long_date(ends, language)}, {format_time(ends)} ({count})"


def format_short_span(starts: datetime, ends: datetime, language: str | None = None) -> str:
    """The short form for lists: ``05.03.2025 kell 14:00``, or ``05.03.2025 – 07.03.2025``."""
    language = language or current_language()
    if days_spanned(starts, ends) == 1:
        with force_locale(language):
            return gettext("%(date)s at %(time)s", date=format_date(starts, language),
                           time=format_time(starts))
    return f"{format_date(starts, language)} – {format_date(ends, language)}"


def format_number(value: int | float | Decimal, language: str | None = None) -> str:
    """Estonian groups thousands only from five digits (``1000`` but ``10 000``)."""
    language = language or current_language()
    if language == "et" and abs(value) < 10000:
        return format_decimal(value, locale="et", group_separator=False)
    return format_decimal(value, locale=language)


def format_money(value: Decimal | float | None, language: str | None = None) -> str:
    """``12,50 €`` in Estonian (sign after the number), ``€12.50`` in English."""
    if value is None:
        return ""
    language = language or current_language()
    amount = format_decimal(value, format="#,##0.00", locale=language)
    if language == "et":
        if abs(value) < 10000:
            amount = format_decimal(value, format="0.00", locale="et")
        return f"{amount}\u00a0€"
    return f"€{amount}"


def init_i18n(app: Flask, babel: Babel) -> None:
    """Set up Flask-Babel and register the formatting filters and helpers for templates."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", app.config["DEFAULT_LOCALE"])
    app.config["BABEL_DEFAULT_TIMEZONE"] = app.config["TIMEZONE"]
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS_DIR)
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters.update(
        date=format_date,
        long_date=format_long_date,
        day=format_day,
        month=format_month,
        hyphenate=soft_hyphens,
        time=format_time,
        when=lambda event: format_span(event.starts_at, event.ends_at),
        short_when=lambda event: format_short_span(event.starts_at, event.ends_at),
        number=format_number,
        money=format_money,
    )

    @app.context_processor
    def _language_helpers() -> dict[str, Any]:
        language = current_language()
        return {
            "lang": language,
            "other_languages": [code for code in app.config["LANGUAGES"] if code != language],
            "language_names": LANGUAGE_NAMES,
            "tr": lambda obj, field: localised(obj, field, language),
        }
