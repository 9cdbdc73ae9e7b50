"""Feedback forms built from a survey's questions: radio groups and text boxes, no sliders."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from koosloome.bilingual import localised
from koosloome.feedback.models import FeedbackKind, FeedbackQuestion, FeedbackSurvey
from koosloome.honeypot import HoneypotMixin

SCALE_LABELS = {
    "1": _l("1 – not useful"),
    "2": _l("2"),
    "3": _l("3"),
    "4": _l("4"),
    "5": _l("5 – very useful"),
}


class FeedbackForm(HoneypotMixin, FlaskForm):
    """Fields ``q_<id>`` are added per survey by ``feedback_form``."""

    def answers(self) -> dict[int, Any]:
        """The answers by question id."""
        return {q.id: self[f"q_{q.id}"].data for q in getattr(self, "_questions", [])}

    def question_fields(self) -> list[tuple[FeedbackQuestion, Field]]:
        """Questions with their fields, in order."""
        return [(q, self[f"q_{q.id}"]) for q in getattr(self, "_questions", [])]


def _field(question: FeedbackQuestion, language: str) -> Field:
    label = localised(question, "label", language)
    if question.kind is FeedbackKind.TEXT:
        return TextAreaField(label, validators=[Optional(), Length(max=2000)])
    if question.kind is FeedbackKind.SCALE:
        choices = [SelectChoice(value, text) for value, text in SCALE_LABELS.items()]
    else:
        choices = [SelectChoice(c["value"], c.get(language) or c["et"]) for c in question.choices]
    return RadioField(label, choices=choices, validators=[Optional()])


def feedback_form(survey: FeedbackSurvey, language: str, **kwargs: Any) -> FeedbackForm:
    """A form for ``survey`` with its questions as fields."""
    attributes: dict[str, Any] = {"_questions": list(survey.questions)}
    for question in survey.questions:
        attributes[f"q_{question.id}"] = _field(question, language)
    return type("SurveyForm", (FeedbackForm,), attributes)(**kwargs)


class FeedbackQuestionForm(FlaskForm):
    """An organiser's own question."""

    kind = RadioField(
        _l("Answer type"),
        choices=[SelectChoice(FeedbackKind.TEXT.value, _l("Text")),
                 SelectChoice(FeedbackKind.SCALE.value, _l("A number from 1 to 5")),
                 SelectChoice(FeedbackKind.YES_NO.value, _l("Yes or no"))],
        default=FeedbackKind.TEXT.value,
    )
    label_et = StringField(_l("Question in Estonian"),
                           validators=[InputRequired(_l("This field is required")),
                                       Length(max=300)])
    label_en = StringField(_l("Question in English"), validators=[Optional(), Length(max=300)])
