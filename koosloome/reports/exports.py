"""The registrations export of one event: its columns and rows (health columns on request).

Self-declared gender, age band and disability are never exported per person: they are
reported only in aggregate (the LEADER report).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _

from koosloome.bilingual import localised
from koosloome.events.models import ExtraQuestion, QuestionKind
from koosloome.registrations.choices import LANGUAGE_CHOICES, NEEDS
from koosloome.reports.labels import (
    COUNTY_LABELS,
    NEED_LABELS,
    SECTOR_LABELS,
    SOURCE_LABELS,
    STATUS_LABELS,
)
from koosloome.reports.participants import EventRegistrations
from koosloome.reports.tabular import Sheet

NEED_ORDER = {need.code: index for index, need in enumerate(NEEDS)}


#: Spreadsheet dates: numeric and unambiguous (Estonian dd.mm.yyyy; ISO in English).
STAMP_FORMATS = {"et": "%d.%m.%Y %H:%M", "en": "%Y-%m-%d %H:%M"}


def _resolved(mapping: dict[Any, Any]) -> dict[Any, str]:
    """Translate a label map once per export instead of once per cell."""
    return {code: str(text) for code, text in mapping.items()}


def answer_text(question: ExtraQuestion, value: Any, language: str) -> str:
    """An extra question's answer as text (choice labels, yes/no, dates as dd.mm.yyyy)."""
    if value is None or value == "" or value == []:
        return ""
    if question.kind is QuestionKind.YES_NO:
        return _("yes") if value else _("no")
    if question.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
        names = {
            choice.get("value"): choice.get(language) or choice.get("et") or choice.get("value")
            for choice in question.choices
        }
        values = value if isinstance(value, list) else [value]
        return ", ".join(str(names.get(item, item)) for item in values)
    if question.kind is QuestionKind.DATE and isinstance(value, str) and len(value) == 10:
        year, month, day = value.split("-")
        return f"{day}.{month}.{year}"
    return str(value)


def registrations_sheet(
    data: EventRegistrations, *, health: bool, language: str
) -> Sheet:
    """The export's header and rows. ``health`` adds access needs, diets and transport, and
    the answers to sensitive questions; the caller checks the permission and audits it."""
    questions = [q for q in data.questions if health or not q.sensitive]
    header = [
        _("No."), _("Name"), _("E-mail"), _("Phone"), _("Organisation"), _("Sector"),
        _("County"), _("Municipality"), _("Status"), _("Registered how"), _("Registered at"),
        _("Checked in at"), _("Language"), _("Photos allowed"), _("Future events by e-mail"),
    ]
    if health:
        header += [
            _("Access needs and diet"), _("Other needs"), _("Allergies"), _("Companion"),
            _("Companion's name"), _("Companion's own needs or diet"), _("Transport needed"),
            _("Pick-up point"),
            _("Wheelchair-accessible vehicle"), _("Please phone me"),
        ]
    header += [localised(q, "label", language) for q in questions]

    zone = ZoneInfo(current_app.config["TIMEZONE"])
    stamp = STAMP_FORMATS.get(language, STAMP_FORMATS["et"])
    yes, no = _("yes"), _("no")
    languages = dict(LANGUAGE_CHOICES)
    sectors, counties = _resolved(SECTOR_LABELS), _resolved(COUNTY_LABELS)
    statuses, sources = _resolved(STATUS_LABELS), _resolved(SOURCE_LABELS)
    need_labels = _resolved(NEED_LABELS)

    def when(value: datetime | None) -> str:
        return value.astimezone(zone).strftime(stamp) if value else ""

    def flag(value: bool | None) -> str:
        return yes if value else ""

    def consent(value: bool) -> str:
        # A consent is a decision either way: "no" is an answer, not a blank.
        return yes if value else no

    def rows() -> Iterator[list[Any]]:
        for number, reg in enumerate(data.registrations, start=1):
            row: list[Any] = [
                number, reg.name, reg.email or "", reg.phone or "", reg.organisation_name,
                sectors.get(reg.sector or "", reg.sector or ""),
                counties.get(reg.county or "", reg.county or ""),
                reg.municipality or "", statuses[reg.status], sources[reg.source],
                when(reg.created_at), when(reg.checked_in_at),
                languages.get(reg.language, reg.language),
                consent(reg.consent_photos), consent(reg.consent_future_events),
            ]
            if health:
                codes = sorted(data.needs.get(reg.id, ()), key=lambda c: NEED_ORDER.get(c, 99))
                row += [
                    "; ".join(need_labels.get(code, code) for code in codes), reg.needs_note,
                    reg.allergies, flag(reg.companion), reg.companion_name, reg.companion_needs,
                    flag(reg.transport_needed), reg.transport_pickup,
                    flag(reg.transport_wheelchair), flag(reg.phone_me),
                ]
            answers = data.answers.get(reg.id, {})
            row += [answer_text(q, answers.get(q.id), language) for q in questions]
            yield row

    return Sheet(_("Registrations"), header, rows())
