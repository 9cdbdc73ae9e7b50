"""Reading the audit log: filters, one page of entries, and the filter choices.

Bounded: one count and one page query (joined to names), plus three small queries for the
filter's choices, whatever the size of the log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from koosloome.accounts.models import User
from koosloome.audit import AuditLog
from koosloome.events.models import Event
from koosloome.extensions import db

PAGE_SIZE = 50
#: Every action the code records, in words (``tests/reports/test_audit_log.py`` checks that
#: none is missing).
ACTION_LABELS = {
    "login": _l("Signed in"),
    "password.reset_sent": _l("Sent a password reset link"),
    "password.reset": _l("Set a new password"),
    "user.create": _l("Created a staff account"),
    "user.update": _l("Changed a staff account"),
    "event.create": _l("Created an event"),
    "event.update": _l("Changed an event"),
    "event.publish": _l("Published an event"),
    "event.cancel": _l("Cancelled an event"),
    "event.duplicate": _l("Copied an event"),
    "event.question.add": _l("Added a question to the registration form"),
    "event.question.remove": _l("Removed a question from the registration form"),
    "event.agenda.add": _l("Added a programme item"),
    "event.agenda.remove": _l("Removed a programme item"),
    "event.itinerary.day": _l("Added or changed a day of the itinerary"),
    "trip.cost.add": _l("Added a cost of the trip"),
    "project.create": _l("Entered the project"),
    "project.update": _l("Changed the project's record"),
    "project.partner_budget": _l("Changed a partner's budget"),
    "project.line.add": _l("Added a budget line"),
    "project.line.update": _l("Changed a budget line"),
    "project.line.remove": _l("Removed a budget line"),
    "project.targets": _l("Set the indicators' targets"),
    "files.upload": _l("Attached a file to an event"),
    "files.remove": _l("Removed a file of an event"),
    "cost.add": _l("Added a cost"),
    "cost.update": _l("Changed a cost"),
    "cost.remove": _l("Removed a cost"),
    "outcome.action.create": _l("Turned ideas into an action"),
    "outcome.action.update": _l("Changed an action (its status, next step or funding)"),
    "outcome.action.remove": _l("Removed an action entered by mistake"),
    "announcement.create": _l("Wrote an announcement"),
    "announcement.update": _l("Changed an announcement"),
    "announcement.send": _l("Sent an announcement"),
    "trip.leader": _l("Named the trip leader (who sees the emergency contacts)"),
    "selection.criterion.add": _l("Added a selection criterion"),
    "selection.criterion.remove": _l("Removed a selection criterion and its scores"),
    "selection.criteria.replace": _l("Replaced the selection criteria"),
    "selection.quotas": _l("Set the partners' shares of the seats"),
    "selection.review": _l("Scored or reviewed an application"),
    "selection.decisions": _l("Sent the decisions on the applications"),
    "trip.report.save": _l("Saved the trip report"),
    "trip.cost.remove": _l("Removed a cost of the trip"),
    "trip.travel_details.view": _l("Looked at the travellers' travel details"),
    "trip.travel_details.export": _l("Downloaded the travellers' travel details"),
    "event.itinerary.day_removed": _l("Removed a day of the itinerary"),
    "event.itinerary.stop": _l("Added or changed a stop of the itinerary"),
    "event.itinerary.stop_removed": _l("Removed a stop of the itinerary"),
    "event.message_sent": _l("Sent a message to participants"),
    "venue.create": _l("Added a venue"),
    "venue.update": _l("Changed a venue's facts"),
    "arrangement.update": _l("Changed an arrangement"),
    "volunteer.create": _l("Added a volunteer"),
    "volunteer.update": _l("Changed a volunteer's details"),
    "pickup.update": _l("Planned someone's pick-up"),
    "call.outcome": _l("Noted what came of a call"),
    "registration.status": _l("Decided on a registration"),
    "registration.note": _l("Wrote a note on a registration"),
    "registration.check_in": _l("Checked a participant in"),
    "registration.check_in_undo": _l("Undid a check-in"),
    "registration.erase": _l("A participant deleted their registration"),
    "group.register": _l("A contact registered a group"),
    "group.cancel": _l("A group's contact cancelled everyone's places"),
    "registration.health_consent_withdrawn": _l("A participant withdrew health consent"),
    "registration.view_health": _l("Viewed a registration with health data"),
    "api.view_health": _l("Read registrations with health data through the API"),
    "export.attendance": _l("Printed the attendance list"),
    "export.claim": _l("Downloaded the costs for a payment claim"),
    "export.registrations": _l("Exported registrations"),
    "export.health": _l("Exported registrations with health data"),
    "view.health": _l("Viewed the named list of needs"),
    "view.transport": _l("Viewed the transport list"),
    "view.door_needs": _l("Viewed the needs at the door"),
    "view.pickups": _l("Viewed the pick-ups and drivers' routes"),
    "view.calls": _l("Viewed a call list"),
    "export.letter": _l("Printed a confirmation letter to post"),
    "evidence.download": _l("Downloaded the evidence pack"),
    "export.certificates": _l("Downloaded certificates of participation"),
    "feedback.open": _l("Opened the feedback survey"),
    "feedback.close": _l("Closed the feedback survey"),
    "feedback.hide": _l("Hid a feedback answer"),
    "feedback.unhide": _l("Showed a feedback answer again"),
    "board.edit": _l("Edited an idea"),
    "board.hide": _l("Hid an idea"),
    "board.unhide": _l("Showed an idea again"),
    "board.merge": _l("Merged ideas"),
    "board.move": _l("Moved an idea"),
    "board.paper_votes": _l("Entered votes from paper"),
    "board.post_on_behalf": _l("Posted an idea for someone"),
    "privacy_purge": _l("Deleted personal data after its retention period"),
    "privacy_purge_run": _l("Ran the personal data purge"),
}
OBJECT_LABELS = {
    "event": _l("Event"),
    "registration": _l("Registration"),
    "user": _l("Staff account"),
    "venue": _l("Venue"),
    "arrangement": _l("Arrangement"),
    "volunteer": _l("Volunteer"),
    "idea": _l("Idea"),
    "feedback_survey": _l("Feedback survey"),
    "feedback_answer": _l("Feedback answer"),
}
DETAIL_LABELS = {
    "title": _l("Title"),
    "name": _l("Name"),
    "fields": _l("Fields"),
    "status_from": _l("Status before"),
    "status_to": _l("Status after"),
    "question": _l("Question"),
    "format": _l("Format"),
    "people": _l("People"),
    "registrations": _l("Registrations"),
    "events": _l("Events"),
    "checked_in": _l("Checked in"),
    "audience": _l("Sent to"),
    "recipients": _l("Recipients"),
    "without_email": _l("Without e-mail"),
    "subject": _l("Subject"),
    "body": _l("Message"),
    "notified": _l("Told by e-mail"),
    "source_event_id": _l("Copied from event"),
    "health_purged": _l("Health data deleted"),
    "emails_deleted": _l("Sent e-mails deleted"),
    "anonymised": _l("Anonymised"),
    "health_days": _l("Health data kept (days)"),
    "personal_months": _l("Personal data kept (months)"),
    "role": _l("Role"),
    "organisation": _l("Organisation"),
    "kind": _l("Kind"),
    "day": _l("Day"),
    "travel_deleted": _l("Travel details deleted"),
    "amount": _l("Amount"),
    "published": _l("Published"),
    "travellers": _l("Travellers"),
    "place": _l("Place"),
}


def detail_items(details: dict[str, Any]) -> list[tuple[str, str]]:
    """An entry's details as (label, text) pairs, in the order of ``DETAIL_LABELS``."""
    order = {key: number for number, key in enumerate(DETAIL_LABELS)}
    items = []
    for key in sorted(details, key=lambda key: (order.get(key, len(order)), key)):
        value = details[key]
        if isinstance(value, list | tuple):
            text = ", ".join(str(item) for item in value)
        elif isinstance(value, dict):
            text = ", ".join(f"{name} {count}" for name, count in value.items())
        else:
            text = str(value)
        items.append((str(DETAIL_LABELS.get(key, key)), text))
    return items


@dataclass(frozen=True)
class AuditFilter:
    """What to show; None means any."""

    user_id: int | None = None
    action: str | None = None
    event_id: int | None = None
    start: date | None = None
    end: date | None = None
    page: int = 1


@dataclass(frozen=True)
class AuditRow:
    """One entry, with the names it refers to."""

    at: datetime
    who: str
    action: str
    action_label: str
    object: str
    event_title: str
    #: (label, text) pairs
    details: list[tuple[str, str]]


@dataclass(frozen=True)
class AuditPage:
    """A page of entries, newest first."""

    rows: list[AuditRow]
    total: int
    page: int
    pages: int


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(current_app.config["TIMEZONE"]))


def _conditions(audit_filter: AuditFilter) -> list[Any]:
    conditions: list[Any] = []
    if audit_filter.user_id is not None:
        conditions.append(AuditLog.user_id == audit_filter.user_id)
    if audit_filter.action:
        conditions.append(AuditLog.action == audit_filter.action)
    if audit_filter.event_id is not None:
        conditions.append(AuditLog.event_id == audit_filter.event_id)
    if audit_filter.start:
        conditions.append(AuditLog.at >= _local_midnight(audit_filter.start))
    if audit_filter.end:
        conditions.append(AuditLog.at < _local_midnight(audit_filter.end + timedelta(days=1)))
    return conditions


def audit_page(audit_filter: AuditFilter) -> AuditPage:
    """The entries matching the filter, one page of them (two queries)."""
    conditions = _conditions(audit_filter)
    total = db.session.scalar(select(func.count(AuditLog.id)).where(*conditions)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(audit_filter.page, 1), pages)
    query = (
        select(AuditLog, User.name, Event.title_et)
        .outerjoin(User, User.id == AuditLog.user_id)
        .outerjoin(Event, Event.id == AuditLog.event_id)
        .where(*conditions)
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    )
    rows = [
        AuditRow(
            at=entry.at,
            who=user_name or entry.actor or "—",
            action=entry.action,
            action_label=str(ACTION_LABELS.get(entry.action, entry.action)),
            object=f"{OBJECT_LABELS.get(entry.object_type, entry.object_type)} {entry.object_id}"
            if entry.object_type else "",
            event_title=event_title or "",
            details=detail_items(entry.details or {}),
        )
        for entry, user_name, event_title in db.session.execute(query)
    ]
    return AuditPage(rows, total, page, pages)


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """Staff users, the actions that occur, and events, for the filter's select boxes."""
    users = [(str(user_id), name) for user_id, name in
             db.session.execute(select(User.id, User.name).order_by(User.name))]
    actions = [(action, str(ACTION_LABELS.get(action, action))) for action in
               db.session.scalars(select(AuditLog.action).distinct().order_by(AuditLog.action))]
    events = [(str(event_id), title) for event_id, title in db.session.execute(
        select(Event.id, Event.title_et).order_by(Event.starts_at.desc()))]
    return {"user": users, "action": actions, "event": events}
