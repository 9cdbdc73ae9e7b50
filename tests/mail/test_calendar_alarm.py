"""Invitations carry a reminder for the day before (issue 17.3): a participant's own calendar
reminds them, in their language. Cancellations and the public feed carry none."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import vobject
from sqlalchemy import select

from koosloome.extensions import db
from koosloome.messaging.delivery import render_pending
from koosloome.messaging.models import OutgoingEmail


def _calendar_of(kind: str, address: str) -> bytes:
    render_pending()
    row = db.session.scalars(select(OutgoingEmail).where(
        OutgoingEmail.kind == kind, OutgoingEmail.to_address == address)).one()
    assert row.calendar is not None
    return row.calendar


def _register(client, event, address: str, language: str) -> None:
    response = client.post(f"/events/{event.slug}/register", data={
        "name": "Mari Tamm", "email": address, "language": language, "consent_privacy": "y"})
    assert response.status_code == 200


def test_the_invitation_reminds_the_day_before_in_the_persons_language(client, make_event):
    event = make_event(title_et="Kogukonnaseminar", title_en="Community seminar")
    _register(client, event, "mari@example.ee", "et")
    _register(client, event, "mary@example.ee", "en")
    for address, text in (("mari@example.ee", "Homme: Kogukonnaseminar"),
                          ("mary@example.ee", "Tomorrow: Community seminar")):
        data = _calendar_of("confirmed", address)
        alarms = [c for c in icalendar.Calendar.from_ical(data).walk("VALARM")]
        assert len(alarms) == 1
        alarm = alarms[0]
        assert str(alarm["ACTION"]) == "DISPLAY" and str(alarm["DESCRIPTION"]) == text
        assert alarm["TRIGGER"].dt == -timedelta(days=1)
        # A second parser reads the same.
        parsed = vobject.readOne(data.decode())
        assert parsed.vevent.valarm.trigger.value == -timedelta(days=1)


def test_cancellations_and_the_public_feed_carry_no_alarm(client, make_event):
    event = make_event()
    _register(client, event, "mari@example.ee", "et")
    from koosloome.registrations.models import Registration
    from tests.factories import manage_path_of

    client.post(f"{manage_path_of('mari@example.ee')}/cancel")
    assert db.session.scalars(select(Registration.status)).one().value == "cancelled"
    assert b"VALARM" not in _calendar_of("cancelled", "mari@example.ee")
    assert b"VALARM" not in client.get("/calendar.ics").data
    assert b"VALARM" not in client.get(f"/events/{event.slug}.ics").data
