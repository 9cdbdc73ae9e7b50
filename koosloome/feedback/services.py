"""Feedback rules: switching a survey on, answering (once per registration, changeable while
open), paper answers, and the anonymous summary for the organisers and the funder."""

from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from koosloome import audit
from koosloome.accounts.models import User
from koosloome.db import utcnow
from koosloome.errors import DomainError
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.feedback.models import (
    FeedbackAnswer,
    FeedbackKind,
    FeedbackQuestion,
    FeedbackResponse,
    FeedbackSurvey,
    ResponseSource,
)
from koosloome.registrations.models import Registration

#: Smallest group that is broken down in reports (fewer could identify someone).
MIN_CELL = 3
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
YES_NO_CHOICES = [
    {"value": "yes", "et": "Jah", "en": "Yes"},
    {"value": "no", "et": "Ei", "en": "No"},
]
ACCESS_CHOICES = [
    {"value": "yes", "et": "Jah", "en": "Yes"},
    {"value": "partly", "et": "Osaliselt", "en": "Partly"},
    {"value": "no", "et": "Ei", "en": "No"},
    {"value": "not_needed", "et": "Ma ei vajanud midagi", "en": "I did not need anything"},
]
DEFAULT_QUESTIONS: list[dict[str, Any]] = [
    {
        "key": "usefulness",
        "kind": FeedbackKind.SCALE,
        "label_et": "Kui kasulik oli sündmus sinu jaoks?",
        "label_en": "How useful was the event for you?",
    },
    {
        "key": "most_useful",
        "kind": FeedbackKind.TEXT,
        "label_et": "Mis oli kõige kasulikum?",
        "label_en": "What was most useful?",
    },
    {
        "key": "differently",
        "kind": FeedbackKind.TEXT,
        "label_et": "Mida peaksime järgmisel korral teisiti tegema?",
        "label_en": "What should we do differently next time?",
    },
    {
        "key": "recommend",
        "kind": FeedbackKind.YES_NO,
        "label_et": "Kas soovitaksid sarnast sündmust teistele?",
        "label_en": "Would you recommend a similar event to others?",
        "choices": YES_NO_CHOICES,
    },
    {
        "key": "accessibility",
        "kind": FeedbackKind.CHOICE,
        "label_et": "Kas korraldus vastas sinu vajadustele (ligipääs, tõlge, toit, transport)?",
        "label_en": "Did the arrangements meet your needs (access, interpreting, food, transport)?",
        "choices": ACCESS_CHOICES,
    },
    {
        "key": "comments",
        "kind": FeedbackKind.TEXT,
        "label_et": "Muud mõtted",
        "label_en": "Anything else",
    },
]


class SurveyClosed(DomainError):
    """The survey takes no answers (not switched on, closed, or past its closing time)."""


class InvalidFeedback(DomainError):
    """An answer is out of range; ``errors`` maps question ids to messages."""

    def __init__(self, errors: dict[int, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def survey_for_event(event: Event) -> FeedbackSurvey | None:
    """The event's survey, if organisers switched one on."""
    query = select(FeedbackSurvey).where(FeedbackSurvey.event_id == event.id)
    return db.session.scalars(query).first()


def survey_by_code(code: str) -> FeedbackSurvey | None:
    """The survey of an anonymous link."""
    query = select(FeedbackSurvey).where(FeedbackSurvey.code == code.strip().upper()[:8])
    return db.session.scalars(query).first()


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        if survey_by_code(code) is None:
            return code


def enable_survey(event: Event, user: User) -> FeedbackSurvey:
    """Switch the survey on (with the default questions the first time) or reopen it."""
    survey = survey_for_event(event)
    if survey is None:
        survey = FeedbackSurvey(event=event, code=_new_code())
        survey.questions = [
            FeedbackQuestion(position=i, **question) for i, question in enumerate(DEFAULT_QUESTIONS)
        ]
        db.session.add(survey)
    survey.open = True
    db.session.flush()
    audit.record(
        "feedback.open",
        user_id=user.id,
        object_type="feedback_survey",
        object_id=survey.id,
        event_id=event.id,
    )
    return survey


def close_survey(survey: FeedbackSurvey, user: User) -> None:
    """Stop taking answers."""
    survey.open = False
    db.session.flush()
    audit.record(
        "feedback.close",
        user_id=user.id,
        object_type="feedback_survey",
        object_id=survey.id,
        event_id=survey.event_id,
    )


def add_question(
    survey: FeedbackSurvey, kind: FeedbackKind, label_et: str, label_en: str
) -> FeedbackQuestion:
    """An organiser's own question, after the defaults."""
    position = max((q.position for q in survey.questions), default=-1) + 1
    choices = YES_NO_CHOICES if kind is FeedbackKind.YES_NO else []
    question = FeedbackQuestion(
        position=position,
        kind=kind,
        label_et=label_et.strip(),
        label_en=label_en.strip(),
        choices=choices,
    )
    survey.questions.append(question)
    db.session.flush()
    return question


def check_answers(survey: FeedbackSurvey, answers: dict[int, Any]) -> dict[int, Any]:
    """Keep the given answers, refusing values out of range (with a message per question)."""
    errors: dict[int, str] = {}
    clean: dict[int, Any] = {}
    for question in survey.questions:
        value = answers.get(question.id)
        if value in (None, "", []):
            continue
        if question.kind is FeedbackKind.SCALE:
            number = int(value) if str(value).isdigit() else None
            if number is None or not 1 <= number <= 5:
                errors[question.id] = _("Choose a number from 1 to 5")
                continue
            clean[question.id] = number
        elif question.kind is FeedbackKind.TEXT:
            text = str(value).strip()
            if len(text) > 2000:
                errors[question.id] = _("Write at most 2000 characters")
                continue
            clean[question.id] = text
        else:
            allowed = {choice["value"] for choice in question.choices}
            if value not in allowed:
                errors[question.id] = _("Choose one of the answers")
                continue
            clean[question.id] = value
    if errors:
        raise InvalidFeedback(errors)
    return clean


def existing_response(
    survey: FeedbackSurvey, registration: Registration
) -> FeedbackResponse | None:
    """The registration's earlier answer, to show and change."""
    query = select(FeedbackResponse).where(
        FeedbackResponse.survey_id == survey.id,
        FeedbackResponse.registration_id == registration.id,
    )
    return db.session.scalars(query).first()


def submit(
    survey: FeedbackSurvey,
    answers: dict[int, Any],
    source: ResponseSource,
    registration: Registration | None = None,
) -> FeedbackResponse:
    """Store answers; a personal link used again replaces the same response."""
    if source is not ResponseSource.PAPER and not survey.takes_answers():
        raise SurveyClosed(survey.id)
    clean = check_answers(survey, answers)
    response = existing_response(survey, registration) if registration else None
    if response is None:
        response = FeedbackResponse(
            survey=survey, source=source, registration_id=registration.id if registration else None
        )
        db.session.add(response)
    # Update in place: the unique (response, question) pair forbids insert-before-delete.
    current = {answer.question_id: answer for answer in response.answers}
    for question_id, answer in current.items():
        if question_id not in clean:
            response.answers.remove(answer)
    for question_id, value in clean.items():
        if question_id in current:
            current[question_id].value = value
        else:
            response.answers.append(FeedbackAnswer(question_id=question_id, value=value))
    response.updated_at = utcnow()
    db.session.flush()
    return response


def set_hidden(answer: FeedbackAnswer, hidden: bool, user: User) -> None:
    """Hide (or show again) a free-text answer that identifies someone."""
    answer.hidden = hidden
    db.session.flush()
    audit.record(
        "feedback.hide" if hidden else "feedback.unhide",
        user_id=user.id,
        object_type="feedback_answer",
        object_id=answer.id,
        event_id=answer.response.survey.event_id,
    )


# --- Summary ------------------------------------------------------------------------------


@dataclass
class QuestionSummary:
    """Counts, average and texts for one question (never tied to a person)."""

    question: FeedbackQuestion
    answered: int = 0
    average: float | None = None
    #: choice value (or 1–5) → count; empty when fewer than MIN_CELL answered
    breakdown: list[tuple[str, int]] = field(default_factory=list)
    texts: list[FeedbackAnswer] = field(default_factory=list)
    hidden_texts: list[FeedbackAnswer] = field(default_factory=list)

    @property
    def suppressed(self) -> bool:
        """Too few answers to break down without identifying someone."""
        return 0 < self.answered < MIN_CELL


def summarise(survey: FeedbackSurvey) -> tuple[int, list[QuestionSummary]]:
    """The number of responses and a summary per question (two queries)."""
    responses = list(
        db.session.scalars(
            select(FeedbackResponse)
            .where(FeedbackResponse.survey_id == survey.id)
            .options(selectinload(FeedbackResponse.answers))
        )
    )
    by_question: dict[int, list[FeedbackAnswer]] = {}
    for response in responses:
        for answer in response.answers:
            by_question.setdefault(answer.question_id, []).append(answer)
    summaries = []
    for question in survey.questions:
        answers = by_question.get(question.id, [])
        summary = QuestionSummary(question, answered=len(answers))
        if question.kind is FeedbackKind.TEXT:
            summary.texts = [a for a in answers if not a.hidden]
            summary.hidden_texts = [a for a in answers if a.hidden]
        else:
            if question.kind is FeedbackKind.SCALE and answers:
                summary.average = round(sum(a.value for a in answers) / len(answers), 1)
            if len(answers) >= MIN_CELL:
                counts = Counter(str(a.value) for a in answers)
                order = (
                    [str(n) for n in range(1, 6)]
                    if question.kind is FeedbackKind.SCALE
                    else [c["value"] for c in question.choices]
                )
                summary.breakdown = [(value, counts.get(value, 0)) for value in order]
        summaries.append(summary)
    return len(responses), summaries


def summary_rows(survey: FeedbackSurvey, language: str) -> list[list[str]]:
    """The summary as CSV rows: question, answers, average, then value/count pairs."""
    total, summaries = summarise(survey)
    rows = [[_("Responses"), str(total)]]
    for summary in summaries:
        label = getattr(summary.question, f"label_{language}") or summary.question.label_et
        row = [
            label,
            str(summary.answered),
            "" if summary.average is None else str(summary.average),
        ]
        if summary.suppressed:
            row.append("<3")
        for value, count in summary.breakdown:
            row += [choice_label(summary.question, value, language), str(count)]
        rows.append(row)
        rows.extend(["", "", "", text.value] for text in summary.texts)
    return rows


def choice_label(question: FeedbackQuestion, value: str, language: str) -> str:
    """A choice's label in ``language`` (scale values are the numbers themselves)."""
    for choice in question.choices:
        if choice["value"] == value:
            return choice.get(language) or choice["et"]
    return value
