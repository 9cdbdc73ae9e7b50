"""Back office: registrations list, detail, decisions, notes, phone registration, check-in."""

from __future__ import annotations

from sqlalchemy import select

from koosloome.accounts.models import Role
from koosloome.audit import AuditLog
from koosloome.db import utcnow
from koosloome.events.models import RegistrationMode
from koosloome.extensions import db
from koosloome.registrations.models import (
    Registration,
    RegistrationNeed,
    RegistrationSource,
    RegistrationStatus,
)
from tests.factories import organisation

Status = RegistrationStatus


def test_list_filters_by_status_and_searches(login, make_user, make_event, make_registration):
    event = make_event(organisation=organisation("vpk"))
    make_registration(event, name="Mari Tamm", phone="+372 5111 2222")
    make_registration(event, name="Jaan Kask", status=Status.WAITLISTED)
    client = login(make_user())
    everyone = client.get(f"/admin/events/{event.id}/registrations").get_data(as_text=True)
    assert "Mari Tamm" in everyone and "Jaan Kask" in everyone
    waiting = client.get(f"/admin/events/{event.id}/registrations?status=waitlisted")
    assert "Mari Tamm" not in waiting.get_data(as_text=True)
    found = client.get(f"/admin/events/{event.id}/registrations?q=5111").get_data(as_text=True)
    assert "Mari Tamm" in found and "Jaan Kask" not in found


def test_detail_shows_needs_to_organisers_and_logs_the_view(login, make_user, make_event,
                                                            make_registration):
    event = make_event(organisation=organisation("vpk"))
    registration = make_registration(event, consent_health_at=utcnow(), needs_note="Vajan pause")
    registration.needs = [RegistrationNeed(code="wheelchair")]
    db.session.commit()
    client = login(make_user())
    html = client.get(f"/admin/registrations/{registration.id}").get_data(as_text=True)
    assert "Kasutan ratastooli" in html and "Vajan pause" in html
    assert db.session.scalars(select(AuditLog.action).where(
        AuditLog.action == "registration.view_health")).all() == ["registration.view_health"]


def test_approving_an_application_and_rejecting_with_confirmation(
    login, make_user, make_event, make_registration
):
    event = make_event(organisation=organisation("vpk"), capacity=1,
                       registration_mode=RegistrationMode.APPLICATION)
    first = make_registration(event, status=Status.PENDING)
    second = make_registration(event, status=Status.PENDING)
    client = login(make_user())
    client.post(f"/admin/registrations/{first.id}/status", data={"to": "confirmed"})
    full = client.post(f"/admin/registrations/{second.id}/status", data={"to": "confirmed"},
                       follow_redirects=True)
    assert "Vaba kohta ei ole" in full.get_data(as_text=True)
    ask = client.get(f"/admin/registrations/{first.id}/status?to=rejected")
    assert "Kas lükkad osaleja" in ask.get_data(as_text=True)
    client.post(f"/admin/registrations/{first.id}/status", data={"to": "rejected"})
    db.session.refresh(first)
    db.session.refresh(second)
    assert (first.status, second.status) == (Status.REJECTED, Status.PENDING)


def test_internal_note(login, make_user, make_event, make_registration):
    event = make_event(organisation=organisation("vpk"))
    registration = make_registration(event)
    client = login(make_user())
    client.post(f"/admin/registrations/{registration.id}/note", data={"note": "Helistada"})
    db.session.refresh(registration)
    assert registration.internal_note == "Helistada"


def test_register_someone_who_phoned_with_a_phone_number_only(login, make_user, make_event):
    event = make_event(organisation=organisation("vpk"))
    client = login(make_user())
    response = client.post(f"/admin/events/{event.id}/registrations/new",
                           data={"name": "Helju Rebane", "phone": "+372 5123 4567",
                                 "language": "et", "consent_privacy": "y"})
    registration = db.session.scalars(select(Registration)).one()
    assert response.headers["Location"] == f"/admin/registrations/{registration.id}/confirmation"
    assert registration.source is RegistrationSource.PHONE and registration.email is None
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Helju Rebane on registreeritud" in page
    assert "/r/" in page  # the personal link, to read out or post


def test_check_in_list_check_in_and_undo(login, make_user, make_event, make_registration):
    event = make_event(organisation=organisation("vpk"))
    mari = make_registration(event, name="Mari Tamm")
    make_registration(event, name="Jaan Kask", status=Status.WAITLISTED)
    client = login(make_user())
    html = client.get(f"/admin/events/{event.id}/check-in").get_data(as_text=True)
    assert "Mari Tamm" in html and "Jaan Kask" not in html
    assert "Kohal on 0 / 1" in html
    client.post(f"/admin/registrations/{mari.id}/check-in")
    db.session.refresh(mari)
    assert mari.checked_in_at is not None
    assert "Kohal on 1 / 1" in client.get(f"/admin/events/{event.id}/check-in").get_data(
        as_text=True)
    client.post(f"/admin/registrations/{mari.id}/check-in/undo")
    db.session.refresh(mari)
    assert mari.checked_in_at is None


def test_scanned_qr_lands_on_the_registration(login, make_user, make_event, make_registration):
    event = make_event(organisation=organisation("vpk"))
    mari = make_registration(event, name="Mari Tamm")
    client = login(make_user())
    html = client.get(f"/admin/registrations/{mari.id}/check-in").get_data(as_text=True)
    assert "Mari Tamm" in html and "Märgi kohalolijaks" in html


def test_walk_in_is_registered_and_checked_in(login, make_user, make_event):
    event = make_event(organisation=organisation("vpk"), capacity=1)
    client = login(make_user())
    client.post(f"/admin/events/{event.id}/walk-in", data={"name": "Uus Tulija"})
    walk_in = db.session.scalars(select(Registration)).one()
    assert walk_in.source is RegistrationSource.WALK_IN and walk_in.checked_in_at is not None
    full = client.post(f"/admin/events/{event.id}/walk-in", data={"name": "Teine Tulija"})
    assert full.status_code == 422
    assert "Kõik kohad on täis" in full.get_data(as_text=True)


def test_facilitators_and_the_other_partner_get_403(client, login, make_user, make_event,
                                                    make_registration):
    event = make_event(organisation=organisation("vpk"))
    registration = make_registration(event)
    login(make_user(Role.FACILITATOR, "vpk"))
    for path in (f"/admin/events/{event.id}/registrations",
                 f"/admin/registrations/{registration.id}",
                 f"/admin/events/{event.id}/check-in"):
        assert client.get(path).status_code == 403
    client.post("/logout")
    login(make_user(Role.ORGANISER, "tas"))
    assert client.get(f"/admin/registrations/{registration.id}").status_code == 403


def test_the_phone_form_speaks_to_the_staff_member(login, make_user, make_event):
    """Issue 16.11: it said "Sinu andmed" and "we send you your link" to the organiser."""
    event = make_event(organisation=organisation("vpk"))
    client = login(make_user(Role.ORGANISER, "vpk"))
    html = client.get(f"/admin/events/{event.id}/registrations/new").get_data(as_text=True)
    assert "Helistaja andmed" in html and "Mida helistaja osalemiseks vajab?" in html
    assert "Helistaja nõusolek" in html
    assert "Sinu andmed" not in html and "sinu isikliku lingi" not in html
    public = client.get(f"/events/{event.slug}/register").get_data(as_text=True)
    assert "Sinu andmed" in public and "Helistaja" not in public


def _with_needs(make_registration, event, *codes, **fields):
    person = make_registration(event, consent_health_at=utcnow(), allergies="pähklid",
                               needs_note="Võtan ravimeid kell 12", **fields)
    person.needs = [RegistrationNeed(code=code) for code in codes]
    db.session.commit()
    return person


def test_the_door_sees_what_it_must_know_and_nothing_more(login, make_user, make_event,
                                                          make_registration):
    """Issue 17.2: the check-in list and the QR page show the door needs (minimised) and
    every view is audited like a health read."""
    event = make_event(organisation=organisation("vpk"))
    mari = _with_needs(make_registration, event, "wheelchair", "hearing_loop", "vegan",
                       "medication", name="Mari Tamm")
    make_registration(event, name="Jaan Kask")
    client = login(make_user(Role.ORGANISER, "vpk"))
    html = client.get(f"/admin/events/{event.id}/check-in").get_data(as_text=True)
    assert "Ratastool: hoia koht vaba · Koht induktsioonsilmuse alas" in html
    for private in ("Vegan", "ravimeid", "pähklid", "Ravimite"):
        assert private not in html, private
    one = client.get(f"/admin/registrations/{mari.id}/check-in").get_data(as_text=True)
    assert "Ratastool: hoia koht vaba" in one and "Vegan" not in one
    entries = db.session.scalars(select(AuditLog).where(
        AuditLog.action == "view.door_needs").order_by(AuditLog.id)).all()
    assert [(e.details["people"], e.object_id) for e in entries] == [(1, None), (1, mari.id)]


def test_a_walk_in_states_their_needs_at_the_door(login, make_user, make_event):
    event = make_event(organisation=organisation("vpk"))
    client = login(make_user(Role.ORGANISER, "vpk"))
    refused = client.post(f"/admin/events/{event.id}/walk-in", data={
        "name": "Uus Tulija", "door_needs": ["wheelchair"]})
    assert refused.status_code == 422  # needs are health data: only with consent
    assert db.session.scalars(select(Registration)).all() == []
    client.post(f"/admin/events/{event.id}/walk-in", data={
        "name": "Uus Tulija", "door_needs": ["wheelchair", "assistance_dog"],
        "consent_health": "y"})
    person = db.session.scalars(select(Registration)).one()
    assert person.need_codes == {"wheelchair", "assistance_dog"}
    assert person.checked_in_at is not None and person.consent_health_at is not None
