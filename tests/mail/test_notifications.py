"""Who is told what: calendar actions, event changes, reminders, thank-yous, organisers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from koosloome.audit import AuditLog
from koosloome.boards.models import Board
from koosloome.db import utcnow
from koosloome.events.models import EventStatus
from koosloome.extensions import db
from koosloome.messaging.invites import next_sequence
from koosloome.messaging.kinds import CalendarAction, MessageKind
from koosloome.messaging.models import CallTask, OutgoingEmail
from koosloome.messaging.notify import notify
from koosloome.messaging.organiser import (
    Audience,
    InvalidMessage,
    preview_organiser_message,
    send_organiser_message,
)
from koosloome.messaging.scheduled import queue_due_reminders, queue_thank_yous
from koosloome.registrations.models import RegistrationStatus
from koosloome.seating.lifecycle import tell_event_cancelled, tell_event_changed
from tests.mail.helpers import parse_invite, rendered

CONFIRMED = RegistrationStatus.CONFIRMED
WAITLISTED = RegistrationStatus.WAITLISTED


def _emails(kind: MessageKind | None = None) -> list[OutgoingEmail]:
    query = select(OutgoingEmail).order_by(OutgoingEmail.id)
    if kind is not None:
        query = query.where(OutgoingEmail.kind == kind.value)
    return list(db.session.scalars(query))


@pytest.mark.parametrize(
    ("action", "method"),
    [(CalendarAction.REQUEST, "REQUEST"), (CalendarAction.NONE, None)],
)
def test_the_calendar_action_decides_the_calendar(app, make_event, make_registration, action,
                                                  method):
    email = rendered(notify(make_registration(make_event()), MessageKind.CHANGED,
                            calendar=action))
    assert email.calendar_method == method
    assert (parse_invite(email.calendar).method if email.calendar else None) == method


def test_a_cancellation_withdraws_only_an_invitation_that_was_sent(
    app, make_event, make_registration
):
    event = make_event()
    waiting = make_registration(event, status=WAITLISTED)
    notify(waiting, MessageKind.WAITLISTED, position=1)
    waiting.status = RegistrationStatus.CANCELLED
    cancel = notify(waiting, MessageKind.CANCELLED, calendar=CalendarAction.CANCEL)
    assert cancel.calendar_method is None

    confirmed = make_registration(event)
    notify(confirmed, MessageKind.CONFIRMED, calendar=CalendarAction.REQUEST)
    confirmed.status = RegistrationStatus.CANCELLED
    cancel = notify(confirmed, MessageKind.CANCELLED, calendar=CalendarAction.CANCEL)
    assert cancel.calendar_method == "CANCEL"
    # …and only once: the entry is already gone when the event is cancelled after.
    again = notify(confirmed, MessageKind.EVENT_CANCELLED, calendar=CalendarAction.CANCEL)
    assert again.calendar_method is None
    assert parse_invite(rendered(cancel).calendar).method == "CANCEL"


def test_an_invitation_after_a_cancellation_outranks_it(app, make_event, make_registration):
    registration = make_registration(make_event())
    first = notify(registration, MessageKind.CONFIRMED, calendar=CalendarAction.REQUEST)
    registration.status = RegistrationStatus.CANCELLED
    cancel = notify(registration, MessageKind.CANCELLED, calendar=CalendarAction.CANCEL)
    registration.status = CONFIRMED  # an organiser restores the seat
    again = notify(registration, MessageKind.CONFIRMED, calendar=CalendarAction.REQUEST)
    invites = [parse_invite(e.calendar) for e in rendered(first, cancel, again)]
    assert [invite.sequence for invite in invites] == [0, 1, 2]
    assert len({invite.uid for invite in invites}) == 1


def test_notify_flushes_a_registration_not_yet_saved(app, make_event):
    from koosloome.registrations.links import assign_manage_token
    from koosloome.registrations.models import Registration

    registration = Registration(event=make_event(), status=CONFIRMED, name="Uus",
                                email="uus@example.ee")
    assign_manage_token(registration)
    db.session.add(registration)
    email = notify(registration, MessageKind.CONFIRMED, calendar=CalendarAction.REQUEST)
    assert email.registration_id == registration.id is not None
    uid = parse_invite(rendered(email).calendar).uid
    assert f"koosloome-registration-{registration.id}@" in uid


def test_sequence_rules():
    assert next_sequence(0, "REQUEST", None) == 0
    assert next_sequence(4, "REQUEST", None) == 4
    assert next_sequence(0, "CANCEL", None) == 1
    assert next_sequence(2, "REQUEST", ("REQUEST", 1)) == 2
    assert next_sequence(2, "CANCEL", ("REQUEST", 2)) == 3
    assert next_sequence(2, "REQUEST", ("CANCEL", 3)) == 4
    assert next_sequence(1, "REQUEST", ("REQUEST", 3)) == 3  # never lower than before


def test_event_change_updates_the_confirmed_and_tells_the_waiting(
    app, make_event, make_registration
):
    event = make_event()
    confirmed = make_registration(event)
    notify(confirmed, MessageKind.CONFIRMED, calendar=CalendarAction.REQUEST)
    waiting = make_registration(event, status=WAITLISTED)
    make_registration(event, email=None, phone="+372 5000 0000")  # phoned in: no e-mail
    make_registration(event, status=RegistrationStatus.CANCELLED)
    event.starts_at += timedelta(days=1)
    event.ends_at += timedelta(days=1)
    event.revision += 1

    assert tell_event_changed(event) == 2
    changed = rendered(*_emails(MessageKind.EVENT_CHANGED))
    by_registration = {email.registration_id: email for email in changed}
    invite = parse_invite(by_registration[confirmed.id].calendar)
    assert invite.method == "REQUEST"
    assert invite.sequence == 1
    assert by_registration[waiting.id].calendar is None


def test_event_cancelled_reaches_every_active_registration(app, make_event, make_registration):
    event = make_event()
    confirmed = make_registration(event)
    notify(confirmed, MessageKind.CONFIRMED, calendar=CalendarAction.REQUEST)
    make_registration(event, status=WAITLISTED)
    make_registration(event, status=RegistrationStatus.PENDING)
    make_registration(event, status=RegistrationStatus.CANCELLED)
    event.status = EventStatus.CANCELLED
    assert tell_event_cancelled(event) == 3
    methods = sorted(str(e.calendar_method) for e in _emails(MessageKind.EVENT_CANCELLED))
    assert methods == ["CANCEL", "None", "None"]


def test_reminders_are_queued_once_however_often_the_scheduler_runs(
    app, make_event, make_registration
):
    now = utcnow()
    soon = make_event(starts_at=now + timedelta(days=1), reminder_days=2)
    later = make_event(starts_at=now + timedelta(days=10), reminder_days=2)
    silent = make_event(starts_at=now + timedelta(days=1), reminder_days=0)
    early = now - timedelta(days=5)
    due = make_registration(soon, created_at=early)
    make_registration(soon, status=WAITLISTED, created_at=early)
    by_phone = make_registration(soon, email=None, phone="+372 5000 0001", created_at=early)
    make_registration(soon, created_at=now)  # registered after the reminder time
    make_registration(later, created_at=early)
    make_registration(silent, created_at=early)

    assert queue_due_reminders(now) == 2  # one e-mail, one call
    db.session.commit()
    assert queue_due_reminders(now) == 0
    assert queue_due_reminders(now + timedelta(hours=12)) == 0
    reminder = rendered(*_emails(MessageKind.REMINDER))
    assert reminder.registration_id == due.id
    assert "Meeldetuletus" in reminder.subject
    assert reminder.calendar is None
    [call] = db.session.scalars(select(CallTask)).all()
    assert (call.registration_id, call.kind) == (by_phone.id, "reminder")


def test_reminders_for_events_that_started_are_not_sent(app, make_event, make_registration):
    now = utcnow()
    event = make_event(starts_at=now - timedelta(minutes=5))
    make_registration(event, created_at=now - timedelta(days=9))
    assert queue_due_reminders(now) == 0


def test_thank_you_links_to_board_results_and_feedback_and_goes_once(
    app, make_event, make_registration
):
    now = utcnow()
    event = make_event(starts_at=now - timedelta(hours=5), feedback_url="https://forms.example/f")
    db.session.add(Board(join_code="ABC123", title="Ideed", question="Kuidas?",
                         event_id=event.id, organisation_id=event.organisation_id))
    db.session.commit()
    make_registration(event)
    make_registration(event, status=RegistrationStatus.CANCELLED)
    assert queue_thank_yous(now) == 1
    db.session.commit()
    assert queue_thank_yous(now + timedelta(hours=1)) == 0
    thanks = rendered(*_emails(MessageKind.THANK_YOU))
    assert "http://koosloome.test/b/ABC123/results" in thanks.body_text
    assert "https://forms.example/f" in thanks.body_text
    assert 'href="https://forms.example/f"' in thanks.body_html


def test_thank_you_goes_only_to_those_who_came_when_attendance_was_taken(
    app, make_event, make_registration
):
    now = utcnow()
    event = make_event(starts_at=now - timedelta(hours=5))
    came = make_registration(event, checked_in_at=now - timedelta(hours=5))
    make_registration(event)  # did not come
    assert queue_thank_yous(now) == 1
    assert _emails(MessageKind.THANK_YOU)[0].registration_id == came.id


def test_no_thank_you_for_events_long_past_or_cancelled(app, make_event, make_registration):
    now = utcnow()
    make_registration(make_event(starts_at=now - timedelta(days=30)))
    make_registration(make_event(starts_at=now - timedelta(hours=5), status=EventStatus.CANCELLED))
    assert queue_thank_yous(now) == 0


def test_organiser_message_preview_counts_and_shows_no_real_link(
    app, make_event, make_registration
):
    event = make_event()
    make_registration(event)
    make_registration(event, status=WAITLISTED)
    phoned = make_registration(event, email=None, phone="+372 5000 0002")
    preview = preview_organiser_message(event, "Parkimine", "Parkla on maja taga.",
                                        [Audience.CONFIRMED])
    assert preview.recipients == 1
    assert preview.without_email == [phoned]
    [estonian] = preview.versions
    assert estonian.subject == "Parkimine"
    assert "Parkla on maja taga." in estonian.text
    assert "Osaleja nimi" in estonian.text
    assert "http://koosloome.test/r/…" in estonian.text
    assert _emails() == []


def test_organiser_message_preview_shows_each_language_and_who_gets_it(
    app, make_event, make_registration
):
    event = make_event()
    make_registration(event, language="et")
    make_registration(event, language="en")
    make_registration(event, language="en")
    preview = preview_organiser_message(event, "Parkimine", "Parkla on maja taga.",
                                        [Audience.CONFIRMED], subject_en="Parking",
                                        body_en="Park behind the house.")
    assert [(v.language, v.subject, v.recipients) for v in preview.versions] == [
        ("et", "Parkimine", 1), ("en", "Parking", 2)]
    assert "Participant's name" in preview.versions[1].text
    assert "Park behind the house." in preview.versions[1].text


def test_organiser_message_goes_to_the_chosen_audience_and_is_logged(
    app, make_event, make_registration, make_user
):
    event = make_event()
    confirmed = make_registration(event, email="c@example.ee")
    waiting = make_registration(event, status=WAITLISTED, email="w@example.ee")
    make_registration(event, status=RegistrationStatus.CANCELLED, email="x@example.ee")
    user = make_user()
    assert send_organiser_message(event, "Parkimine\r\nBcc: x@evil", "Tekst",
                                  [Audience.CONFIRMED, Audience.WAITING], user_id=user.id) == 2
    emails = rendered(*_emails(MessageKind.ORGANISER_MESSAGE))
    assert {e.registration_id for e in emails} == {confirmed.id, waiting.id}
    assert {e.subject for e in emails} == {"Parkimine Bcc: x@evil"}
    [entry] = db.session.scalars(select(AuditLog)).all()
    assert entry.action == "event.message_sent"
    assert entry.user_id == user.id
    assert entry.event_id == event.id
    assert entry.details["recipients"] == 2
    assert entry.details["audience"] == ["confirmed", "waiting"]

    assert send_organiser_message(event, "Ainult ootajatele", "T", [Audience.WAITING]) == 1


def test_organiser_message_reaches_each_person_in_the_language_they_registered_in(
    app, make_event, make_registration
):
    event = make_event(title_et="Seminar", title_en="Seminar in English")
    estonian = make_registration(event, language="et")
    english = make_registration(event, language="en")
    assert send_organiser_message(event, "Parkimine", "Parkla on maja taga.",
                                  [Audience.CONFIRMED], subject_en="Parking",
                                  body_en="Park behind the house.") == 2
    by_person = {e.registration_id: e for e in rendered(*_emails(MessageKind.ORGANISER_MESSAGE))}
    assert (by_person[estonian.id].language, by_person[estonian.id].subject) == ("et", "Parkimine")
    assert "Parkla on maja taga." in by_person[estonian.id].body_text
    assert "Park behind the house." not in by_person[estonian.id].body_text
    assert "Tere" in by_person[estonian.id].body_text
    english_mail = by_person[english.id]
    assert (english_mail.language, english_mail.subject) == ("en", "Parking")
    assert "Hello" in english_mail.body_text
    assert "Park behind the house." in english_mail.body_text
    assert "Park behind the house." in english_mail.body_html
    assert "Parkla" not in english_mail.body_text
    [entry] = db.session.scalars(select(AuditLog)).all()
    assert (entry.details["subject"], entry.details["subject_en"]) == ("Parkimine", "Parking")


def test_without_english_text_english_speakers_get_the_estonian_message_in_estonian(
    app, make_event, make_registration
):
    event = make_event()
    english = make_registration(event, language="en")
    by_phone = make_registration(event, language="en", email=None, phone="+372 5000 0003")
    send_organiser_message(event, "Parkimine", "Parkla on maja taga.", [Audience.CONFIRMED])
    mail = rendered(*_emails(MessageKind.ORGANISER_MESSAGE))
    assert (mail.registration_id, mail.language, mail.subject) == (english.id, "et", "Parkimine")
    assert "Tere" in mail.body_text
    assert "Hello" not in mail.body_text
    [call] = db.session.scalars(select(CallTask)).all()
    assert (call.registration_id, call.language) == (by_phone.id, "et")
    assert call.context["body"] == "Parkla on maja taga."


def test_an_english_call_gets_the_english_words(app, make_event, make_registration):
    event = make_event()
    make_registration(event, language="en", email=None, phone="+372 5000 0004")
    send_organiser_message(event, "Parkimine", "Parkla on maja taga.", [Audience.CONFIRMED],
                           subject_en="Parking", body_en="Park behind the house.")
    [call] = db.session.scalars(select(CallTask)).all()
    assert (call.language, call.context["subject"], call.context["body"]) == (
        "en", "Parking", "Park behind the house.")


@pytest.mark.parametrize(
    ("subject", "body", "audience"),
    [(" ", "Tekst", [Audience.CONFIRMED]), ("Teema", "  ", [Audience.CONFIRMED]),
     ("Teema", "Tekst", [])],
)
def test_organiser_message_needs_subject_text_and_audience(
    app, make_event, subject, body, audience
):
    with pytest.raises(InvalidMessage):
        send_organiser_message(make_event(), subject, body, audience)


@pytest.mark.parametrize(("subject_en", "body_en"), [("Parking", " "), (" ", "Park there.")])
def test_an_english_version_needs_both_subject_and_text(app, make_event, subject_en, body_en):
    with pytest.raises(InvalidMessage):
        send_organiser_message(make_event(), "Teema", "Tekst", [Audience.CONFIRMED],
                               subject_en=subject_en, body_en=body_en)
