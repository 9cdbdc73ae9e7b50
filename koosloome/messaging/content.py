"""What a message says: subject, text and HTML bodies in the recipient's language, and its
calendar. The worker calls ``render_pending_email`` for each row queued unrendered; nothing here
writes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from koosloome.arrangements.kinds import KIND_LABELS
from koosloome.arrangements.models import ArrangementKind
from koosloome.bilingual import localised
from koosloome.boards.models import Board
from koosloome.events.models import Event
from koosloome.events.place import Fact, access_notes, venue_facts
from koosloome.events.trip_view import itinerary_lines
from koosloome.extensions import db
from koosloome.feedback.models import feedback_open_for
from koosloome.files.models import EventFile, EventFileKind
from koosloome.groups.models import RegistrationGroup, group_of
from koosloome.i18n import format_long_date, format_money, format_span, format_time
from koosloome.messaging.calendars import calendar_entry, event_url, location_text
from koosloome.messaging.calls import call_script
from koosloome.messaging.ical import Person
from koosloome.messaging.invites import build_calendar, calendar_bytes
from koosloome.messaging.kinds import MessageKind
from koosloome.messaging.mime import header_text
from koosloome.messaging.models import CallTask, OutgoingEmail
from koosloome.registrations.models import Registration, RegistrationStatus
from koosloome.registrations.summary import manage_summary, next_steps

SUBJECTS = {
    MessageKind.CONFIRMED: _l("You are registered: %(title)s"),
    MessageKind.WAITLISTED: _l("You are on the waiting list: %(title)s"),
    MessageKind.PROMOTED: _l("A seat is yours: %(title)s"),
    MessageKind.APPLICATION_RECEIVED: _l("We have received your application: %(title)s"),
    MessageKind.APPLICATION_ACCEPTED: _l("Your application is accepted: %(title)s"),
    MessageKind.APPLICATION_REJECTED: _l("About your application: %(title)s"),
    MessageKind.APPLICATION_RESERVE: _l("You are on the reserve list: %(title)s"),
    MessageKind.CHANGED: _l("Your registration details were changed: %(title)s"),
    MessageKind.CANCELLED: _l("Your registration is cancelled: %(title)s"),
    MessageKind.LOST_LINK: _l("Your registration link: %(title)s"),
    MessageKind.ALREADY_REGISTERED: _l("You are already registered: %(title)s"),
    MessageKind.EVENT_CHANGED: _l("New time or place: %(title)s"),
    MessageKind.EVENT_CANCELLED: _l("The event is cancelled: %(title)s"),
    MessageKind.REMINDER: _l("Reminder: %(title)s on %(date)s"),
    MessageKind.THANK_YOU: _l("Thank you for taking part: %(title)s"),
    MessageKind.REGISTRATION_DECLINED: _l("Your registration is cancelled by the organisers: "
                                          "%(title)s"),
    MessageKind.ERASED: _l("Your registration details are deleted: %(title)s"),
    MessageKind.PASSWORD_RESET: _l("Set your Koosloome password"),
    MessageKind.ACTION_UPDATE: _l("What came of the ideas: %(title)s"),
    MessageKind.ARRANGEMENT_IMPOSSIBLE: _l("We could not arrange what you asked for: "
                                           "%(title)s"),
    MessageKind.ARRANGEMENT_DIGEST: _l("Still to arrange for %(title)s on %(date)s"),
    MessageKind.GROUP_REGISTERED: _l("Your group is registered: %(title)s"),
    MessageKind.OFFER_MADE: _l("A place is yours if you accept it by %(deadline)s: %(title)s"),
    MessageKind.OFFER_ACCEPTED: _l("Your place is confirmed: %(title)s"),
    MessageKind.OFFER_LAPSED: _l("The offered place has passed on: %(title)s"),
    MessageKind.SUBSCRIPTION_CONFIRM: _l("Confirm that you want news of coming events"),
}
_BLANK_RUNS = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class RenderedEmail:
    """Subject and bodies of one message, in one language."""

    subject: str
    text: str
    html: str


def render_email(template: str, language: str, subject: str, context: dict[str, Any]) -> (
    RenderedEmail
):
    """Render ``email/<template>.txt`` and ``.html`` in ``language`` (subject already rendered)."""
    with force_locale(language):
        text = render_template(f"email/{template}.txt", language=language, **context)
        html = render_template(f"email/{template}.html", language=language, **context)
    return RenderedEmail(header_text(subject), tidy_text(text), html)


def tidy_text(text: str) -> str:
    """Plain-text body without trailing spaces and with at most one blank line in a row
    (templates stay readable; the reader gets no gaps)."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)) + "\n"


def message_context(
    event: Event, language: str, name: str, manage_link: str, **extra: Any
) -> dict[str, Any]:
    """What every e-mail template gets: the event in ``language``, the links, the contacts."""
    config = current_app.config
    with force_locale(language):
        facts: list[Fact] = venue_facts(event, language)
        context = {
            "event": event,
            "name": name,
            "title": localised(event, "title", language),
            "summary": localised(event, "summary", language),
            "access_notes": access_notes(event, language),
            "date": format_long_date(event.starts_at, language),
            "start_time": format_time(event.starts_at),
            "when": format_span(event.starts_at, event.ends_at, language),
            "location": location_text(event, language),
            "itinerary": itinerary_lines(event, language),
            "facts": facts,
            "event_url": event_url(event),
            "manage_url": manage_link,
            "organiser": event.organisation.name,
            "contact_email": event.organisation.contact_email,
            "contact_phone": event.access_contact_phone or event.organisation.phone
            or config["CONTACT_PHONE"],
        }
    context.update(extra)
    return context


def offer_deadline_text(registration: Registration, language: str) -> str:
    """Until when the person's offered seat waits for their yes (as it stands now), or ""."""
    deadline = registration.offer_expires_at
    if deadline is None:
        return ""
    with force_locale(language):
        return _("%(date)s at %(time)s", date=format_long_date(deadline, language),
                 time=format_time(deadline))


def price_text(event: Event, language: str) -> str:
    """What the trip costs and the traveller's part, told before they accept; "" if unset."""
    if event.cost_per_person is None:
        return ""
    with force_locale(language):
        cost = _("The trip costs %(cost)s per traveller.",
                 cost=format_money(event.cost_per_person, language))
        part = (_("You pay %(part)s of it yourself; the project pays the rest.",
                  part=format_money(event.own_contribution, language))
                if event.own_contribution else _("The project pays it all: you pay nothing."))
    return f"{cost} {part}"


def subject_for(kind: MessageKind, language: str, context: dict[str, Any]) -> str:
    """The subject line of a message of ``kind`` (an organiser's message brings its own)."""
    if kind is MessageKind.ORGANISER_MESSAGE:
        return header_text(context["subject"])
    with force_locale(language):
        return str(SUBJECTS[kind]) % {"title": context["title"], "date": context["date"],
                                      "deadline": context.get("deadline", "")}


def _agenda(event: Event, language: str) -> list[tuple[str, str, str]]:
    """The programme for the reminder: (time, title, speaker and room)."""
    with force_locale(language):
        return [
            (format_time(item.starts_at), localised(item, "title", language),
             ", ".join(part for part in (item.speaker, localised(item, "room", language))
                       if part))
            for item in event.agenda
        ]


def _board_links(event: Event) -> list[str]:
    base = current_app.config["BASE_URL"]
    boards = db.session.scalars(select(Board).where(Board.event_id == event.id).order_by(Board.id))
    return [f"{base}/b/{board.join_code}/results" for board in boards]


def _material_links(registration: Registration) -> list[tuple[str, str]]:
    """(title, link) of the materials shared with the participants: each link is the
    person's own (their manage link), which only they can open."""
    files = db.session.scalars(select(EventFile).where(
        EventFile.event_id == registration.event_id, EventFile.kind == EventFileKind.MATERIAL,
        EventFile.shared_with_participants.is_(True)).order_by(EventFile.id))
    return [(item.title, f"{registration.manage_url}/files/{item.id}") for item in files]


#: Messages that confirm a registration repeat what the person asked for.
#: Messages about a registration that has ended: no "change or cancel" link.
OVER_KINDS = frozenset({MessageKind.CANCELLED, MessageKind.REGISTRATION_DECLINED,
                        MessageKind.OFFER_LAPSED,
                        MessageKind.APPLICATION_REJECTED, MessageKind.EVENT_CANCELLED})
RECAP_KINDS = frozenset({MessageKind.CONFIRMED, MessageKind.WAITLISTED, MessageKind.PROMOTED,
                         MessageKind.APPLICATION_RECEIVED, MessageKind.APPLICATION_ACCEPTED,
                         MessageKind.CHANGED, MessageKind.OFFER_ACCEPTED})


def render_registration_message(
    registration: Registration,
    kind: MessageKind,
    language: str,
    method: str | None,
    sequence: int | None,
    context: dict[str, Any],
) -> tuple[RenderedEmail, bytes | None]:
    """The message of ``kind`` for ``registration`` and its calendar (when ``method``)."""
    event = registration.event
    values = message_context(event, language, registration.name, registration.manage_url)
    values.update(context)
    values["deadline"] = offer_deadline_text(registration, language)
    values["price"] = price_text(event, language)
    group = group_of(registration) if values.get("via_contact") else None
    if group is not None:
        # To the contact who registered a member without e-mail: greet the contact, say whom
        # the message is about.
        values["member"], values["name"] = registration.name, group.contact_name
    if kind is MessageKind.THANK_YOU:
        values.setdefault("board_links", _board_links(event))
        values.setdefault("material_links", _material_links(registration))
        # Our own survey (one answer per registration, through the personal link) comes first.
        values.setdefault("feedback_url", f"{registration.manage_url}/feedback"
                          if feedback_open_for(registration) else event.feedback_url)
    if kind is MessageKind.REMINDER:
        values.setdefault("agenda", _agenda(event, language))
    if kind is MessageKind.ARRANGEMENT_IMPOSSIBLE:
        with force_locale(language):
            values["what"] = str(KIND_LABELS[ArrangementKind(values["arrangement"])])
    # Nothing left to change or cancel: the link only shows the record and the person's data.
    values.setdefault("registration_over", kind in OVER_KINDS)
    if kind in RECAP_KINDS:
        # Confirm what the person asked for, and what happens about it.
        with force_locale(language):
            values.setdefault("recap", manage_summary(registration, language)["access"])
            values.setdefault("next_steps", next_steps(registration, language))
    values.setdefault("position", None)
    values["calendar_method"] = method
    rendered = render_email(kind.value, language, subject_for(kind, language, values), values)
    calendar = None
    if method is not None and sequence is not None:
        calendar = build_calendar(registration, method, language, sequence)
    return rendered, calendar


def render_pending_email(email: OutgoingEmail) -> dict[str, Any]:
    """The subject, bodies and calendar of a message queued unrendered (column → value);
    ``LookupError`` when what it was about is gone. Only reads."""
    kind = MessageKind(email.kind)
    values = dict(email.pending or {})
    if kind in STANDALONE_KINDS:
        rendered, calendar = STANDALONE_KINDS[kind](email, values)
    else:
        registration = (
            db.session.get(Registration, email.registration_id)
            if email.registration_id is not None else None
        )
        if registration is None:
            raise LookupError("the registration of this message no longer exists")
        rendered, calendar = render_registration_message(
            registration, kind, email.language, email.calendar_method,
            email.calendar_sequence, values,
        )
    return {"subject": rendered.subject, "body_text": rendered.text,
            "body_html": rendered.html, "calendar": calendar, "pending": None}


def _render_erased(email: OutgoingEmail, values: dict[str, Any]) -> tuple[RenderedEmail,
                                                                          bytes | None]:
    """The confirmation of an erasure: the registration is gone, its event and the
    invitation's UID are what is left to write about."""
    event = db.session.get(Event, email.event_id) if email.event_id is not None else None
    if event is None:
        raise LookupError("the event of this message no longer exists")
    language, method = email.language, email.calendar_method
    context = message_context(event, language, values["name"], "", calendar_method=method)
    rendered = render_email(email.kind, language,
                            subject_for(MessageKind.ERASED, language, context), context)
    calendar = None
    if method is not None and email.calendar_sequence is not None:
        entry = calendar_entry(event, language, uid=values["uid"],
                               sequence=email.calendar_sequence,
                               attendee=Person(email.to_name, email.to_address))
        calendar = calendar_bytes(entry, method)
    return rendered, calendar


def _render_from_context(email: OutgoingEmail, values: dict[str, Any]) -> tuple[RenderedEmail,
                                                                                bytes | None]:
    """A message whose template values were all decided when it was queued."""
    kind = MessageKind(email.kind)
    with force_locale(email.language):
        subject = str(SUBJECTS[kind]) % values
    return render_email(email.kind, email.language, subject, values), None


def _render_announcement(email: OutgoingEmail, values: dict[str, Any]) -> tuple[
        RenderedEmail, bytes | None]:
    """An announcement: its subject and text were chosen in the recipient's language when it
    was queued; the template adds the greeting and the unsubscribe link."""
    return render_email(email.kind, email.language, header_text(values["subject"]),
                        values), None


def _render_group(email: OutgoingEmail, values: dict[str, Any]) -> tuple[RenderedEmail,
                                                                         bytes | None]:
    """The message to a group's contact: everyone in the group as they stand now."""
    group = db.session.get(RegistrationGroup, email.group_id) if email.group_id else None
    if group is None:
        raise LookupError("the group of this message no longer exists")
    language = email.language
    places = _waiting_places(group.event_id)
    members = [GroupLine(member.name, member.status.value, places.get(member.id),
                         bool(member.email), member.manage_url) for member in group.members]
    context = message_context(group.event, language, group.contact_name, group.manage_url,
                              members=members, **values)
    kind = MessageKind(email.kind)
    return render_email(email.kind, language, subject_for(kind, language, context), context), None


def _waiting_places(event_id: int) -> dict[int, int]:
    """Registration id → place on the event's waiting list (1 for the first in line)."""
    waiting = db.session.scalars(
        select(Registration.id)
        .where(Registration.event_id == event_id,
               Registration.status == RegistrationStatus.WAITLISTED)
        .order_by(Registration.waitlisted_at, Registration.id))
    return {registration_id: place for place, registration_id in enumerate(waiting, start=1)}


@dataclass(frozen=True)
class GroupLine:
    """A member of a group, as the contact's message lists them."""

    name: str
    status: str
    position: int | None
    own_email: bool
    manage_url: str


#: Kinds that need no registration to render: how each is rendered.
STANDALONE_KINDS = {
    MessageKind.GROUP_REGISTERED: _render_group,
    MessageKind.ERASED: _render_erased,
    MessageKind.PASSWORD_RESET: _render_from_context,
    MessageKind.ARRANGEMENT_DIGEST: _render_from_context,
    MessageKind.ACTION_UPDATE: _render_from_context,
    MessageKind.ANNOUNCEMENT: _render_announcement,
    MessageKind.SUBSCRIPTION_CONFIRM: _render_from_context,
}


def call_words(task: CallTask, registration: Registration) -> str:
    """What to say on the phone for ``task`` (see ``calls``), in the person's language."""
    values = message_context(registration.event, task.language, registration.name, "")
    values.setdefault("position", None)
    values["deadline"] = offer_deadline_text(registration, task.language)
    if task.kind == MessageKind.ARRANGEMENT_IMPOSSIBLE:
        with force_locale(task.language):
            values["what"] = str(KIND_LABELS[ArrangementKind(task.context["arrangement"])])
    return call_script(task, registration, values)
