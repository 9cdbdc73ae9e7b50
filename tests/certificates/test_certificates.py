"""Certificates of participation: who earns one, what it says, where it is downloaded."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from koosloome.accounts.models import Role
from koosloome.accounts.services import create_api_token
from koosloome.audit import AuditLog
from koosloome.certificates.services import may_have_certificate
from koosloome.db import utcnow
from koosloome.events.models import EventStatus
from koosloome.extensions import db
from koosloome.registrations.models import RegistrationSource, RegistrationStatus
from tests.factories import organisation


def _text(data: bytes) -> str:
    """The PDF's text with its line breaks as spaces (a long line may wrap)."""
    return " ".join(" ".join(page.extract_text() for page in
                             PdfReader(io.BytesIO(data)).pages).split())


def _pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def past_event(make_event):
    """``past_event(**fields)`` → an event that ended yesterday."""

    def make(**fields):
        return make_event(starts_at=utcnow().replace(microsecond=0) - timedelta(days=1, hours=4),
                          **fields)

    return make


@pytest.fixture
def came(make_registration):
    """``came(event, **fields)`` → a registration checked in at the start of ``event``."""

    def make(event, **fields):
        return make_registration(event, checked_in_at=event.starts_at, **fields)

    return make


def test_only_people_checked_in_at_an_event_that_is_over_earn_one(
        past_event, make_event, came, make_registration):
    over = past_event()
    assert may_have_certificate(came(over))
    assert not may_have_certificate(make_registration(over))
    assert not may_have_certificate(came(make_event(starts_at=utcnow() - timedelta(hours=1))))
    assert not may_have_certificate(came(past_event(status=EventStatus.CANCELLED)))
    assert not may_have_certificate(came(over, status=RegistrationStatus.CANCELLED))
    assert may_have_certificate(came(over, status=RegistrationStatus.CANCELLED,
                                     source=RegistrationSource.WALK_IN))


def test_the_participant_downloads_theirs_from_the_manage_page_in_their_language(
        app, client, past_event, came):
    app.config.update(FUNDING_STATEMENT_EN="Funded by the LEADER programme of the Test Union.")
    event = past_event(title_et="Kogukonna seminar", title_en="Community seminar",
                       venue_name="Kannel")
    registration = came(event, name="Õie Šõžmüller", language="en")
    token = registration.manage_token
    page = client.get(f"/r/{token}").get_data(as_text=True)
    assert f"/r/{token}/certificate.pdf" in page
    response = client.get(f"/r/{token}/certificate.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    text = _text(response.data)
    for expected in ("Certificate of participation", "Õie Šõžmüller", "Community seminar",
                     "Kannel", "Võrumaa Partnerluskogu", "Koosloomest koostööni",
                     "Funded by the LEADER programme of the Test Union."):
        assert expected in text, expected
    estonian = _text(client.get(f"/r/{token}/certificate.pdf?lang=et").data)
    assert "Tõend osalemise kohta" in estonian and "Kogukonna seminar" in estonian
    assert "Certificate of participation" in _text(
        client.get(f"/r/{token}/certificate.pdf?lang=xx").data)


def test_no_certificate_for_who_did_not_come_nor_for_a_wrong_link(
        client, past_event, make_registration):
    registration = make_registration(past_event())
    token = registration.manage_token
    assert "certificate.pdf" not in client.get(f"/r/{token}").get_data(as_text=True)
    assert client.get(f"/r/{token}/certificate.pdf").status_code == 404
    assert client.get("/r/not-a-token/certificate.pdf").status_code == 404
    assert client.get(f"/r/{'x' * 300}/certificate.pdf").status_code == 404


def test_organisers_get_everyone_checked_in_one_page_each_and_it_is_logged(
        login, make_user, past_event, came, make_registration):
    event = past_event(organisation=organisation("vpk"))
    came(event, name="Mari Maasikas")
    came(event, name="John Smith", language="en")
    make_registration(event, name="Puudus Peeter")
    user = make_user(Role.ORGANISER, "vpk")
    client = login(user)
    assert f"/admin/events/{event.id}/certificates.pdf" in client.get(
        f"/admin/events/{event.id}").get_data(as_text=True)
    response = client.get(f"/admin/events/{event.id}/certificates.pdf")
    assert response.status_code == 200
    assert _pages(response.data) == 2
    text = _text(response.data)
    assert "Tõend osalemise kohta" in text and "Certificate of participation" in text
    assert "Mari Maasikas" in text and "John Smith" in text and "Puudus Peeter" not in text
    [entry] = db.session.scalars(select(AuditLog).where(
        AuditLog.action == "export.certificates")).all()
    assert (entry.user_id, entry.event_id, entry.details["people"]) == (user.id, event.id, 2)
    english = _text(client.get(f"/admin/events/{event.id}/certificates.pdf?lang=en").data)
    assert "Tõend osalemise kohta" not in english


def test_organisers_are_told_when_nobody_has_a_certificate_yet(login, make_user, make_event,
                                                               came):
    event = make_event(organisation=organisation("vpk"))
    came(event)  # checked in, but the event is ahead
    client = login(make_user(Role.ORGANISER, "vpk"))
    response = client.get(f"/admin/events/{event.id}/certificates.pdf")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/events/{event.id}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Tõendeid pole veel kellelgi" in page


def test_one_persons_certificate_from_their_page(login, make_user, past_event, came,
                                                 make_registration):
    event = past_event(organisation=organisation("vpk"))
    there = came(event, name="Mari Maasikas")
    absent = make_registration(event)
    client = login(make_user(Role.ORGANISER, "vpk"))
    assert f"/admin/registrations/{there.id}/certificate.pdf" in client.get(
        f"/admin/registrations/{there.id}").get_data(as_text=True)
    response = client.get(f"/admin/registrations/{there.id}/certificate.pdf")
    assert response.status_code == 200 and _pages(response.data) == 1
    assert "Mari Maasikas" in _text(response.data)
    refused = client.get(f"/admin/registrations/{absent.id}/certificate.pdf")
    assert refused.status_code == 302
    assert "Sellel inimesel tõendit ei ole" in client.get(
        refused.headers["Location"]).get_data(as_text=True)
    assert client.get("/admin/registrations/999999/certificate.pdf").status_code == 404


def test_the_other_partner_gets_no_certificates(login, make_user, past_event, came):
    event = past_event(organisation=organisation("vpk"))
    registration = came(event)
    client = login(make_user(Role.ORGANISER, "tas"))
    assert client.get(f"/admin/events/{event.id}/certificates.pdf").status_code == 403
    assert client.get(
        f"/admin/registrations/{registration.id}/certificate.pdf").status_code == 403


def test_the_api_gives_the_event_managers_the_certificates(client, make_user, past_event,
                                                           make_event, came):
    event = past_event(organisation=organisation("vpk"))
    came(event, name="Mari Maasikas")
    own = {"Authorization": f"Bearer {create_api_token(make_user(Role.ORGANISER, 'vpk'))}"}
    other = {"Authorization": f"Bearer {create_api_token(make_user(Role.ORGANISER, 'tas'))}"}
    db.session.commit()
    path = f"/api/v1/events/{event.id}/certificates.pdf"
    response = client.get(path, headers=own)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "Mari Maasikas" in _text(response.data)
    assert client.get(path).status_code == 401
    assert client.get(path, headers=other).status_code == 403
    assert client.get("/api/v1/events/999999/certificates.pdf", headers=own).status_code == 404
    ahead = client.get(f"/api/v1/events/{make_event().id}/certificates.pdf", headers=own)
    assert ahead.status_code == 409
    assert ahead.get_json()["error"] == "no_certificate"


def test_the_api_documents_the_download(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "get" in paths["/events/{event_id}/certificates.pdf"]
