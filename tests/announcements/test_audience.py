"""Who an announcement reaches: consented people, filtered by county and past events, one
message per address, never an address that unsubscribed."""

from __future__ import annotations

from datetime import timedelta

from koosloome.accounts.models import Role
from koosloome.announcements import services
from koosloome.db import utcnow
from koosloome.registrations.models import RegistrationStatus
from tests import factories
from tests.announcements.helpers import confirmed_subscriber, consenting, draft, recipients


def _past_event():
    return factories.make_event(starts_at=utcnow().replace(microsecond=0) - timedelta(days=30))


def test_only_people_who_said_yes_are_in_the_audience(make_user, make_event):
    event = make_event()
    consenting(event, email="jah@example.ee")
    factories.make_registration(event, email="ei@example.ee")
    confirmed_subscriber("leht@example.ee")
    assert recipients(draft(make_user())) == ["jah@example.ee", "leht@example.ee"]


def test_a_person_registered_three_times_gets_one_message(make_user, make_event):
    for address in ("Mari@Example.ee", "mari@example.ee", " MARI@example.ee"):
        consenting(make_event(), email=address)
    confirmed_subscriber("mari@EXAMPLE.ee")
    assert len(recipients(draft(make_user()))) == 1


def test_the_county_filter_keeps_people_of_the_chosen_counties(make_user, make_event):
    event = make_event()
    consenting(event, email="voru@example.ee", county="voru")
    consenting(event, email="tartu@example.ee", county="tartu")
    consenting(event, email="teadmata@example.ee")
    confirmed_subscriber("polva@example.ee", county="polva")
    announcement = draft(make_user(), counties=["voru", "polva"])
    assert recipients(announcement) == ["polva@example.ee", "voru@example.ee"]


def test_the_past_event_filter_keeps_people_who_took_part(make_user, make_event):
    past, other = _past_event(), _past_event()
    consenting(past, email="osales@example.ee")
    consenting(other, email="mujal@example.ee")
    consenting(past, email="loobus@example.ee", status=RegistrationStatus.CANCELLED)
    # Consent given on a later registration; took part in the chosen one without ticking it.
    factories.make_registration(past, email="hiljem@example.ee")
    consenting(make_event(), email="hiljem@example.ee")
    announcement = draft(make_user(), event_ids=[past.id])
    assert recipients(announcement) == ["hiljem@example.ee", "osales@example.ee"]


def test_both_filters_together(make_user, make_event):
    past = _past_event()
    consenting(past, email="voru@example.ee", county="voru")
    consenting(past, email="tartu@example.ee", county="tartu")
    consenting(make_event(), email="voru2@example.ee", county="voru")
    announcement = draft(make_user(), counties=["voru"], event_ids=[past.id])
    assert recipients(announcement) == ["voru@example.ee"]


def test_a_coming_event_cannot_be_chosen_as_taken_part_in(make_user, make_event):
    coming = make_event()
    try:
        draft(make_user(), event_ids=[coming.id])
    except services.InvalidFields as invalid:
        assert "past_events" in invalid.errors
    else:
        raise AssertionError("a coming event was accepted")


def test_unsubscribed_addresses_are_left_out_whatever_their_registrations_say(
        make_user, make_event):
    event = make_event()
    consenting(event, email="mari@example.ee")
    consenting(make_event(), email="Mari@example.ee")
    subscriber = confirmed_subscriber("jaan@example.ee")
    with factories.writing():
        services.unsubscribe(subscriber, utcnow())
        mari = services._new_subscriber("mari@example.ee", services.SubscriberSource.REGISTRATION)
        services.unsubscribe(mari, utcnow())
        factories.db.session.commit()
    assert recipients(draft(make_user())) == []


def test_ticking_the_box_again_after_unsubscribing_brings_the_address_back(
        make_user, make_event):
    consenting(make_event(), email="mari@example.ee")
    with factories.writing():
        mari = services._new_subscriber("mari@example.ee", services.SubscriberSource.REGISTRATION)
        services.unsubscribe(mari, utcnow())
        factories.db.session.commit()
    assert recipients(draft(make_user())) == []
    consenting(make_event(), email="mari@example.ee")  # a new registration, the box ticked
    assert recipients(draft(make_user())) == ["mari@example.ee"]


def test_each_person_is_counted_in_their_language(make_user, make_event):
    event = make_event()
    consenting(event, email="eesti@example.ee", language="et")
    consenting(event, email="english@example.ee", language="en")
    confirmed_subscriber("leht@example.ee", language="en")
    # The sign-up's language wins over a registration's.
    consenting(event, email="leht@example.ee", language="et")
    assert services.counts_by_language(services.audience_of(draft(make_user(Role.ADMIN)))) \
        == {"et": 1, "en": 2}
