"""A registration's details as readable label/value rows, and what happens next, for the
participant's own pages and the e-mails that confirm what they asked for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _

from koosloome.bilingual import localised
from koosloome.events.models import Event, ExtraQuestion, QuestionKind
from koosloome.i18n import format_date
from koosloome.registrations.choices import ALL_AGE_BANDS, COUNTIES, GENDERS, NEEDS, SECTORS
from koosloome.registrations.fields import person_values
from koosloome.registrations.models import Registration


@dataclass(frozen=True)
class Recap:
    """What the person told us: stored in a registration, or just submitted.

    The confirmation of a new registration is built from what was submitted, so that it reads
    the same whether or not the address was registered already (no registration oracle).
    """

    event: Event
    values: dict[str, Any]
    need_codes: frozenset[str]
    answers: tuple[tuple[ExtraQuestion, Any], ...]

    @classmethod
    def of_registration(cls, registration: Registration) -> Recap:
        """A stored registration's details."""
        answers = tuple((answer.question, answer.value) for answer in registration.answers)
        return cls(registration.event, person_values(registration),
                   frozenset(registration.need_codes), answers)


def stored_answer(value: Any) -> Any:
    """An answer as it is stored (a date as ISO text)."""
    return value.isoformat() if isinstance(value, date) else value


@dataclass(frozen=True)
class Row:
    """One line of the summary."""

    label: str
    value: str


def _label(choices: tuple, code: str | None) -> str:
    return str(dict(choices).get(code, code or ""))


def answer_text(question: ExtraQuestion, value: Any, language: str) -> str:
    """One answer as the person would read it (yes/no, a date, the choices' labels)."""
    if question.kind is QuestionKind.YES_NO:
        return _("Yes") if value else _("No")
    if question.kind is QuestionKind.DATE and isinstance(value, str):
        return format_date(date.fromisoformat(value), language)  # type: ignore[arg-type]
    if question.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
        labels = {c["value"]: c.get(language) or c.get("et") for c in question.choices}
        values = value if isinstance(value, list) else [value]
        return ", ".join(str(labels.get(v, v)) for v in values)
    return str(value)


def answers_by_question(registration: Registration, language: str) -> dict[int, str]:
    """Question id → the registration's answer as text (to set answers side by side)."""
    return {answer.question_id: answer_text(answer.question, answer.value, language)
            for answer in registration.answers}


def _answer_text(recap: Recap, language: str) -> list[Row]:
    return [Row(localised(question, "label", language), answer_text(question, value, language))
            for question, value in recap.answers]


def manage_summary(registration: Registration, language: str) -> dict[str, list[Row]]:
    """A stored registration's ``details_summary``."""
    return details_summary(Recap.of_registration(registration), language)


def details_summary(recap: Recap, language: str) -> dict[str, list[Row]]:
    """Sections of rows: contact details, needs, answers, reporting; empty values left out."""
    v = recap.values
    needs = [str(need.label) for need in NEEDS if need.code in recap.need_codes]
    place = ", ".join(part for part in (v["municipality"], _label(COUNTIES, v["county"])) if part)
    contact = [
        Row(_("Name"), v["name"]),
        Row(_("E-mail address"), v["email"] or ""),
        Row(_("Phone number"), v["phone"] or ""),
        Row(_("Organisation"), v["organisation_name"]),
        Row(_("Sector"), _label(SECTORS, v["sector"])),
        Row(_("Where you live or work"), place),
    ]
    pickup = v["transport_pickup"] + (
        " – " + _("wheelchair-accessible vehicle") if v["transport_wheelchair"] else "")
    access = [
        Row(_("Needs"), ", ".join(needs)),
        Row(_("Anything else"), v["needs_note"]),
        Row(_("Companion"), (v["companion_name"] or _("Yes")) if v["companion"] else ""),
        Row(_("Companion's own needs or diet"), v["companion_needs"] if v["companion"] else ""),
        Row(_("Allergies or other diet"), v["allergies"]),
        Row(_("Lift to the event"), pickup if v["transport_needed"] else ""),
        Row(_("Please phone me"), _("Yes") if v["phone_me"] else ""),
    ]
    reporting = [
        Row(_("Gender"), _label(GENDERS, v["gender"])),
        Row(_("Age"), _label(ALL_AGE_BANDS, v["age_band"])),
    ]
    sections = {
        "contact": contact,
        "access": access,
        "answers": _answer_text(recap, language),
        "reporting": reporting,
    }
    return {name: [row for row in rows if row.value] for name, rows in sections.items()}


#: Needs the organisers arrange ahead (an interpreter booked, materials printed…).
ARRANGED_AHEAD = frozenset({"sign_language", "captions", "hearing_loop", "audio_description",
                            "easy_read", "large_print", "braille", "files_in_advance"})
#: How long before the event we call about a pick-up at the latest.
PICKUP_CALL_DAYS = 2


def next_steps(source: Registration | Recap, language: str) -> list[str]:
    """What the organisers do next about what the person asked for, in plain words."""
    recap = source if isinstance(source, Recap) else Recap.of_registration(source)
    v = recap.values
    steps = []
    if v["transport_needed"]:
        by = format_date(recap.event.starts_at - timedelta(days=PICKUP_CALL_DAYS), language)
        steps.append(_("We will phone you by %(date)s to agree the pick-up time and place.",
                       date=by))
    if v["phone_me"] and not v["transport_needed"]:
        steps.append(_("We will phone you to talk about what you need."))
    if recap.need_codes & ARRANGED_AHEAD:
        steps.append(_("We arrange what you asked for. If something cannot be arranged, we "
                       "tell you in good time."))
    if v["companion"]:
        steps.append(_("Your companion's seat is free of charge."))
    return steps
