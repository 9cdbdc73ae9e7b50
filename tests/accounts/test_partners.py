"""The partners' contact addresses: example addresses by default (a default must never be a
real organisation's mailbox), the real ones from configuration."""

from __future__ import annotations

from sqlalchemy import select

from koosloome.accounts.models import Organisation
from koosloome.accounts.partners import PARTNERS
from koosloome.extensions import db
from koosloome.messaging.content import message_context
from koosloome.messaging.invites import registration_calendar
from tests.mail.helpers import parse_invite


def test_every_default_address_is_an_example_address(app):
    defaults = [partner["email"] for partner in PARTNERS] + [app.config["CONTACT_EMAIL"]]
    assert all(address.endswith(".example") for address in defaults), defaults
    stored = db.session.scalars(select(Organisation.email)).all()
    assert stored and all(address.endswith(".example") for address in stored)


def test_a_configured_address_is_the_organiser_of_invitations_and_the_contact_in_mail(
    app, make_event, make_registration
):
    registration = make_registration(make_event())
    app.config["PARTNER_EMAILS"] = {"vpk": "info@vorumaa.ee"}
    assert _contact(registration) == "info@vorumaa.ee"
    calendar, _sequence = registration_calendar(registration, "REQUEST", "et")
    assert str(parse_invite(calendar).event["ORGANIZER"]) == "mailto:info@vorumaa.ee"
    app.config["PARTNER_EMAILS"] = {}
    assert _contact(registration) == "vpk@koosloome.example"


def _contact(registration) -> str:
    context = message_context(registration.event, "et", registration.name, "https://x.example")
    return context["contact_email"]
