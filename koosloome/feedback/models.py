"""A feedback survey per event, its questions, and the answers people give."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from koosloome.db import Base, TimestampMixin, enum_column, utcnow
from koosloome.extensions import db
from koosloome.registrations.models import RegistrationStatus

if TYPE_CHECKING:
    from koosloome.events.models import Event
    from koosloome.registrations.models import Registration


class FeedbackKind(enum.StrEnum):
    """Answer types: no sliders, everything works as radio buttons or text."""

    SCALE = "scale"  # 1–5
    TEXT = "text"
    YES_NO = "yes_no"
    CHOICE = "choice"


class ResponseSource(enum.StrEnum):
    """How an answer reached us."""

    PERSONAL = "personal"  # the registration's own link
    ANONYMOUS = "anonymous"  # the short link or QR code shown at the end
    PAPER = "paper"  # typed in by an organiser


class FeedbackSurvey(TimestampMixin, Base):
    """An event's survey; organisers switch it on and may add questions."""

    __tablename__ = "feedback_survey"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), unique=True
    )
    #: The short code of the anonymous link /f/<code> (and its QR code).
    code: Mapped[str] = mapped_column(String(8), unique=True)
    open: Mapped[bool] = mapped_column(default=True)
    closes_at: Mapped[datetime | None]

    event: Mapped[Event] = relationship()
    questions: Mapped[list[FeedbackQuestion]] = relationship(
        back_populates="survey", order_by="FeedbackQuestion.position", cascade="all, delete-orphan"
    )
    responses: Mapped[list[FeedbackResponse]] = relationship(
        back_populates="survey", cascade="all, delete-orphan"
    )

    def takes_answers(self, now: datetime | None = None) -> bool:
        """Whether answers are taken now: switched on and not past its closing time."""
        now = now or utcnow()
        return self.open and (self.closes_at is None or now < self.closes_at)


def feedback_open_for(registration: Registration) -> bool:
    """Whether this participant can give feedback now, through their own link (confirmed, the
    event's survey taking answers)."""
    if registration.status is not RegistrationStatus.CONFIRMED:
        return False
    survey = db.session.scalars(
        select(FeedbackSurvey).where(FeedbackSurvey.event_id == registration.event_id)
    ).first()
    return survey is not None and survey.takes_answers()


class FeedbackQuestion(Base):
    """One question of a survey."""

    __tablename__ = "feedback_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_survey.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[FeedbackKind] = mapped_column(enum_column(FeedbackKind))
    #: Which default question this is ("usefulness", "accessibility"…), empty for added ones.
    key: Mapped[str] = mapped_column(String(30), default="")
    label_et: Mapped[str] = mapped_column(String(300))
    label_en: Mapped[str] = mapped_column(String(300), default="")
    #: For choice questions: ``[{"value": "yes", "et": "...", "en": "..."}]``.
    choices: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    survey: Mapped[FeedbackSurvey] = relationship(back_populates="questions")


class FeedbackResponse(TimestampMixin, Base):
    """One person's answers; at most one per registration, changeable while the survey is open."""

    __tablename__ = "feedback_response"
    __table_args__ = (UniqueConstraint("survey_id", "registration_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_survey.id", ondelete="CASCADE"), index=True
    )
    #: Only to let the person change their answer; reports never show it.
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registration.id", ondelete="SET NULL")
    )
    source: Mapped[ResponseSource] = mapped_column(enum_column(ResponseSource))

    survey: Mapped[FeedbackSurvey] = relationship(back_populates="responses")
    answers: Mapped[list[FeedbackAnswer]] = relationship(
        back_populates="response", cascade="all, delete-orphan"
    )


class FeedbackAnswer(Base):
    """The answer to one question."""

    __tablename__ = "feedback_answer"
    __table_args__ = (UniqueConstraint("response_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_response.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_question.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[Any] = mapped_column(JSON)
    #: An organiser hid a free-text answer that identifies someone.
    hidden: Mapped[bool] = mapped_column(default=False)

    response: Mapped[FeedbackResponse] = relationship(back_populates="answers")
    question: Mapped[FeedbackQuestion] = relationship()
