"""A registration's details as readable label/value rows, and what happens next, for the
participant's own pages and the e-mails that confirm what they asked for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _

from koosloome.bilingual import localised
from koosloome.events.models import QuestionKind
from koosloome.i18n import format_date
from koosloome.registrations.choices import AGE_BANDS, COUNTIES, GENDERS, NEEDS, SECTORS
from koosloome.registrations.models import Registration


@dataclass(frozen=True)
class Row:
    """One line of the summary."""

    label: str
    value: str


def _label(choices: tuple, code: str | None) -> str:
    return str(dict(choices).get(code, code or ""))


def _answer_text(registration: Registration, language: str) -> list[Row]:
    rows = []
    for answer in registration.answers:
        question = answer.question
        value = answer.value
        if question.kind is QuestionKind.YES_NO:
            text = _("Yes") if value else _("No")
        elif question.kind is QuestionKind.DATE and isinstance(value, str):
            text = format_date(date.fromisoformat(value), language)  # type: ignore[arg-type]
        elif question.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
            labels = {c["value"]: c.get(language) or c.get("et") for c in question.choices}
            values = value if isinstance(value, list) else [value]
            text = ", ".join(str(labels.get(v, v)) for v in values)
        else:
            text = str(value)
        rows.append(Row(localised(question, "label", language), text))
    return rows


def manage_summary(registration: Registration, language: str) -> dict[str, list[Row]]:
    """Sections of rows: contact details, needs, answers, reporting; empty values left out."""
    needs = [str(need.label) for need in NEEDS if need.code in registration.need_codes]
    place = ", ".join(
        part for part in (registration.municipality, _label(COUNTIES, registration.county)) if part
    )
    contact = [
        Row(_("Name"), registration.name),
        Row(_("E-mail address"), registration.email or ""),
        Row(_("Phone number"), registration.phone or ""),
        Row(_("Organisation"), registration.organisation_name),
        Row(_("Sector"), _label(SECTORS, registration.sector)),
        Row(_("Where you live or work"), place),
    ]
    access = [
        Row(_("Needs"), ", ".join(needs)),
        Row(_("Anything else"), registration.needs_note),
        Row(_("Companion"), (registration.companion_name or _("Yes"))
            if registration.companion else ""),
        Row(_("Allergies or other diet"), registration.allergies),
        Row(_("Lift to the event"), registration.transport_pickup
            + (" – " + _("wheelchair-accessible vehicle")
               if registration.transport_wheelchair else "")
            if registration.transport_needed else ""),
        Row(_("Please phone me"), _("Yes") if registration.phone_me else ""),
    ]
    reporting = [
        Row(_("Gender"), _label(GENDERS, registration.gender)),
        Row(_("Age"), _label(AGE_BANDS, registration.age_band)),
    ]
    sections = {
        "contact": contact,
        "access": access,
        "answers": _answer_text(registration, language),
        "reporting": reporting,
    }
    return {name: [row for row in rows if row.value] for name, rows in sections.items()}


#: Needs the organisers arrange ahead (an interpreter booked, materials printed…).
ARRANGED_AHEAD = frozenset({"sign_language", "captions", "hearing_loop", "audio_description",
                            "easy_read", "large_print", "braille", "files_in_advance"})
#: How long before the event we call about a pick-up at the latest.
PICKUP_CALL_DAYS = 2


def next_steps(registration: Registration, language: str) -> list[str]:
    """What the organisers do next about what the person asked for, in plain words."""
    event = registration.event
    steps = []
    if registration.transport_needed:
        by = format_date(event.starts_at - timedelta(days=PICKUP_CALL_DAYS), language)
        steps.append(_("We will phone you by %(date)s to agree the pick-up time and place.",
                       date=by))
    if registration.phone_me and not registration.transport_needed:
        steps.append(_("We will phone you to talk about what you need."))
    if registration.need_codes & ARRANGED_AHEAD:
        steps.append(_("We arrange what you asked for. If something cannot be arranged, we "
                       "tell you in good time."))
    if registration.companion:
        steps.append(_("Your companion's seat is free of charge."))
    return steps
