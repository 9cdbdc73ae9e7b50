"""The past Elva seminar's feedback survey and its answers, given on paper."""

from __future__ import annotations

from sqlalchemy import select

from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.feedback.models import (
    FeedbackAnswer,
    FeedbackQuestion,
    FeedbackResponse,
    FeedbackSurvey,
    ResponseSource,
)
from koosloome.feedback.services import DEFAULT_QUESTIONS

DEMO_FEEDBACK = [
    (5, "Rõuge näide oli väga praktiline", "yes", "yes"),
    (4, "Arutelu laudades", "yes", "not_needed"),
    (4, "", "yes", "partly"),
    (3, "Uued kontaktid", "no", "yes"),
    (5, "Kuulmissilmus töötas hästi", "yes", "yes"),
]


def ensure_feedback(events: dict[str, Event]) -> int:
    """A survey with answers for the past seminar (for the summary and the evidence pack)."""
    past = events["vabatahtlike-seminar-elva"]
    if db.session.scalars(select(FeedbackSurvey).where(FeedbackSurvey.event_id == past.id)).first():
        return 0
    survey = FeedbackSurvey(event=past, code="ELVA24")
    survey.questions = [
        FeedbackQuestion(position=i, **question) for i, question in enumerate(DEFAULT_QUESTIONS)
    ]
    db.session.add(survey)
    db.session.flush()
    by_key = {question.key: question.id for question in survey.questions}
    for usefulness, most_useful, recommend, access in DEMO_FEEDBACK:
        values = {
            "usefulness": usefulness,
            "most_useful": most_useful,
            "recommend": recommend,
            "accessibility": access,
        }
        response = FeedbackResponse(survey=survey, source=ResponseSource.PAPER)
        response.answers = [
            FeedbackAnswer(question_id=by_key[key], value=value)
            for key, value in values.items()
            if value
        ]
        db.session.add(response)
    db.session.flush()
    return 1
