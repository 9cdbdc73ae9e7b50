"""What organisers choose applicants by (criteria), what they give each (scores), what they
note about each (review), and how many seats each partner may fill (quotas)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from koosloome.db import Base, TimestampMixin, utcnow
from koosloome.extensions import db

if TYPE_CHECKING:
    from koosloome.registrations.models import Registration


class SelectionCriterion(Base):
    """One named thing applications of one event are scored on, from 0 to ``max_score``."""

    __tablename__ = "selection_criterion"
    __table_args__ = (
        CheckConstraint("max_score BETWEEN 1 AND 10", name="max_score_range"),
        CheckConstraint("weight BETWEEN 1 AND 5", name="weight_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"),
                                          index=True)
    position: Mapped[int] = mapped_column(default=0)
    name_et: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    description_et: Mapped[str] = mapped_column(String(500), default="")
    description_en: Mapped[str] = mapped_column(String(500), default="")
    max_score: Mapped[int] = mapped_column(default=5)
    #: How much the criterion counts in the total, against the others.
    weight: Mapped[int] = mapped_column(default=1)


class ApplicationScore(Base):
    """One reviewer's score of one application on one criterion; an application's score on a
    criterion is the mean of its reviewers'."""

    __tablename__ = "application_score"
    __table_args__ = (
        UniqueConstraint("registration_id", "criterion_id", "reviewer_id",
                         name="uq_application_score_once"),
        CheckConstraint("score >= 0", name="score_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("selection_criterion.id", ondelete="CASCADE"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"))
    score: Mapped[int]
    scored_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ApplicationReview(TimestampMixin, Base):
    """What the organisers settle about one application before the decisions go out."""

    __tablename__ = "application_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), unique=True)
    #: Whose share of the seats the applicant takes (by default from their county).
    partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"))
    #: Whether their organisation works with older or disabled people; None: not assessed.
    target_group_org: Mapped[bool | None]
    #: Chosen, before the decisions are sent (then the seat is offered or given).
    shortlisted: Mapped[bool] = mapped_column(default=False)
    #: The organisers' own note (the applicant gets it with their data on request).
    note: Mapped[str] = mapped_column(Text, default="")


class PartnerQuota(Base):
    """The seats of an event one partner's applicants may hold, once the share is agreed."""

    __tablename__ = "partner_quota"
    __table_args__ = (
        UniqueConstraint("event_id", "organisation_id", name="uq_partner_quota_once"),
        CheckConstraint("seats >= 0", name="seats_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"),
                                          index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"))
    seats: Mapped[int]


def review_data(registration: Registration) -> dict[str, Any] | None:
    """What the selection holds about the applicant (for their copy of their data): the
    review and every score given, by criterion (not by whom)."""
    review = db.session.scalars(select(ApplicationReview).where(
        ApplicationReview.registration_id == registration.id)).first()
    scores = db.session.execute(
        select(SelectionCriterion.name_et, ApplicationScore.score)
        .join(SelectionCriterion, SelectionCriterion.id == ApplicationScore.criterion_id)
        .where(ApplicationScore.registration_id == registration.id)
        .order_by(SelectionCriterion.position, ApplicationScore.id)).all()
    if review is None and not scores:
        return None
    return {
        "partner": review.partner_id if review else None,
        "target_group_org": review.target_group_org if review else None,
        "shortlisted": review.shortlisted if review else False,
        "note": review.note if review else "",
        "scores": [{"criterion": name, "score": score} for name, score in scores],
    }
