"""A registration's details are listed once (``registrations.fields``): the form, the API, the
edit page, the data download and health-data clearing all follow the table, so a detail added
to the model cannot be forgotten by one of them."""

from __future__ import annotations

import dataclasses
import json

from sqlalchemy import inspect

from koosloome.api.serializers import registration_json
from koosloome.db import utcnow
from koosloome.extensions import db
from koosloome.registrations import services
from koosloome.registrations.fields import (
    CLEARED_HEALTH_FIELDS,
    PERSON_FIELDS,
    RECORD_TIMES,
    TIMED_CONSENTS,
)
from koosloome.registrations.forms import RegistrationForm
from koosloome.registrations.models import Registration
from koosloome.registrations.personal_data import personal_data, withdraw_health_consent
from koosloome.registrations.services import RegistrationData
from tests.factories import writing

#: Columns that are not the person's details: the record's keys, state and bookkeeping.
BOOKKEEPING = {
    "id", "event_id", "status", "source", "seats", "manage_nonce", "manage_token_hash",
    "consent_privacy_at", "consent_health_at", "internal_note", "anonymised_at", "updated_at",
    "group_id",
}

FULL = RegistrationData(
    name="Maie Mets", email="maie.mets@example.ee", phone="+372 5123 4567",
    organisation_name="Rõuge Külaselts", sector="community", county="voru",
    municipality="Rõuge vald", language="en", needs={"wheelchair", "vegetarian"},
    needs_note="Vajan kaldteed", companion=True, companion_name="Tiit Mets",
    allergies="pähklid", transport_needed=True, transport_pickup="Rõuge bussijaam",
    transport_wheelchair=True, phone_me=True, gender="female", age_band="55_plus",
    has_disability=True, consent_privacy=True, consent_health=True, consent_photos=True,
    consent_future_events=True,
)


def test_every_column_is_a_listed_detail_or_bookkeeping():
    columns = {column.key for column in inspect(Registration).column_attrs}
    listed = {detail.name for detail in PERSON_FIELDS} | set(RECORD_TIMES)
    assert columns - listed - BOOKKEEPING == set(), "classify the new column in fields.py"
    assert listed - columns == set()


def test_the_data_class_and_the_form_carry_every_detail():
    data_fields = {f.name for f in dataclasses.fields(RegistrationData)}
    details = {detail.name for detail in PERSON_FIELDS}
    assert data_fields == details | set(TIMED_CONSENTS) | {"needs", "answers"}
    form_fields = {name for name in dir(RegistrationForm) if not name.startswith("_")}
    assert details <= form_fields


def _registered(event) -> Registration:
    with writing():
        outcome = services.register(event, FULL)
        db.session.commit()
    return outcome.registration


def test_details_make_the_round_trip_through_the_model_unchanged(make_event):
    registration = _registered(make_event(capacity=5))
    assert services.data_from_registration(registration) == FULL
    assert registration.seats == 2


def test_the_data_download_holds_every_detail_and_the_record(make_event):
    registration = _registered(make_event(capacity=5))
    registration.internal_note = "helistasin, kõik korras"
    registration.checked_in_at = utcnow()
    db.session.commit()
    body = personal_data(registration)
    for detail in PERSON_FIELDS:
        assert body[detail.name] == getattr(FULL, detail.name), detail.name
    for name in RECORD_TIMES:
        assert name in body
    assert body["checked_in_at"] and body["confirmed_at"]
    assert (body["internal_note"], body["source"], body["seats"]) == (
        "helistasin, kõik korras", "web", 2)
    json.dumps(body)  # the download is JSON


def test_the_api_shows_health_details_only_to_those_allowed(make_event):
    registration = _registered(make_event(capacity=5))
    everything = registration_json(registration, None, with_needs=True)
    limited = registration_json(registration, None, with_needs=False)
    for detail in PERSON_FIELDS:
        assert everything[detail.name] == getattr(FULL, detail.name), detail.name
        assert (detail.name in limited) is not detail.health, detail.name
    assert "needs" not in limited and "answers" not in limited
    assert limited["phone"] == "+372 5123 4567" and limited["source"] == "web"


def test_withdrawing_consent_clears_every_cleared_health_detail(make_event):
    registration = _registered(make_event(capacity=5))
    with writing():
        withdraw_health_consent(registration)
        db.session.commit()
    for detail in CLEARED_HEALTH_FIELDS:
        assert getattr(registration, detail.name) == detail.empty(), detail.name
    assert registration.need_codes == set() and registration.consent_health_at is None
    assert registration.name == "Maie Mets" and registration.companion  # not health data
