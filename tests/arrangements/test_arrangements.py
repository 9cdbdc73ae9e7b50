"""Arrangements (issue 17.1): every need that asks something of the organisers is a line on
the event, grouped (one interpreter for everyone who asked), with a status, who answers for
it, the supplier and the cost; people are told in their language when it cannot be made."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from koosloome.accounts.models import Role
from koosloome.arrangements import services
from koosloome.arrangements.models import (
    Arrangement,
    ArrangementKind,
    ArrangementStatus,
    Volunteer,
)
from koosloome.audit import AuditLog
from koosloome.demo import load_demo
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.messaging.delivery import render_pending
from koosloome.messaging.models import CallTask, OutgoingEmail
from koosloome.projects.models import Cost, CostCategory
from koosloome.registrations.models import RegistrationNeed, RegistrationStatus

Kind = ArrangementKind


def _needs(*codes: str) -> list[RegistrationNeed]:
    return [RegistrationNeed(code=code) for code in codes]


@pytest.fixture
def event(make_event, make_registration):
    event = make_event()
    db.session.add(Cost(event_id=event.id, organisation_id=event.organisation_id,
                        spent_on=event.starts_at.date(), category=CostCategory.VENUE,
                        amount=Decimal("200.00")))
    db.session.commit()
    make_registration(event, needs=_needs("sign_language", "wheelchair"), language="en",
                      email="anne@example.org", name="Anne")
    make_registration(event, needs=_needs("sign_language", "vegan"), email="mari@example.ee",
                      name="Mari")
    make_registration(event, needs=_needs("walker"), allergies="pähklid")
    make_registration(event, needs=_needs("sign_language"), status=RegistrationStatus.WAITLISTED,
                      email="ootel@example.ee")
    make_registration(event, needs=_needs("sign_language"), email=None, phone="+372 5550 0001",
                      name="Telefonil")
    make_registration(event, transport_needed=True, transport_pickup="Haani tee 5")
    make_registration(event, needs=_needs("braille"), status=RegistrationStatus.CANCELLED)
    return event


@pytest.fixture
def organiser(make_user, login):
    user = make_user(Role.ORGANISER, "vpk", name="Kadri Kuusk")
    return login(user), user


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_needs_are_grouped_into_arrangements_counted_per_person(event):
    lines = {line.kind: (line.people, line.waiting) for line in services.lines(event)}
    assert lines == {
        Kind.SIGN_LANGUAGE: (3, 1),  # one interpreter for all; the phone-only person counts
        Kind.STEP_FREE: (2, 0),      # a wheelchair and a walker
        Kind.CATERING: (2, 0),       # a vegan diet and an allergy
        Kind.TRANSPORT: (1, 0),
    }  # the cancelled registration's Braille is not asked for any more
    progress = services.progress(services.lines(event))
    assert (progress.arranged, progress.total, progress.open) == (0, 4, 4)


def test_an_organiser_arranges_the_interpreter_and_the_cost_feeds_the_event(event, organiser,
                                                                         client):
    client, user = organiser
    page = _text(client.get(f"/admin/events/{event.id}/arrangements"))
    assert "Korraldatud 0 / 4. 4 on veel lahtised." in page
    assert "Viipekeele tõlk" in page and "3 inimest, 1 ootenimekirjas" in page
    form = client.get(f"/admin/events/{event.id}/arrangements/sign_language")
    assert form.status_code == 200
    response = client.post(f"/admin/events/{event.id}/arrangements/sign_language", data={
        "status": "confirmed", "responsible_id": str(user.id), "supplier": "Viipekeeletõlkide OÜ",
        "cost": "120.50", "note": "Kaks tõlki vahetustega"})
    assert response.status_code == 302
    db.session.refresh(event)
    assert event.actual_cost == Decimal("320.50")
    client.post(f"/admin/events/{event.id}/arrangements/sign_language", data={
        "status": "done", "responsible_id": str(user.id), "cost": "100"})
    db.session.refresh(event)
    assert event.actual_cost == Decimal("300.00")  # the new amount, not the cost again
    interpreting = db.session.scalars(select(Cost).where(
        Cost.category == CostCategory.INTERPRETING)).one()
    assert (interpreting.amount, interpreting.event_id) == (Decimal("100.00"), event.id)
    page = _text(client.get(f"/admin/events/{event.id}/arrangements"))
    assert "Korraldatud 1 / 4. 3 on veel lahtised." in page and "Kadri Kuusk" in page
    overview = _text(client.get(f"/admin/events/{event.id}"))
    assert "korraldatud 1 / 4, 3 veel lahtised" in overview
    entry = db.session.scalars(select(AuditLog).where(
        AuditLog.action == "arrangement.update")).all()[-1]
    assert entry.user_id == user.id and entry.details["status_to"] == "done"


def test_cannot_be_arranged_needs_a_reason_and_tells_everyone_who_asked(event, organiser,
                                                                        client):
    client, _user = organiser
    url = f"/admin/events/{event.id}/arrangements/sign_language"
    refused = client.post(url, data={"status": "impossible"})
    assert refused.status_code == 422
    assert "Viga:" in refused.get_data(as_text=True)
    assert db.session.scalars(select(Arrangement)).all() == []
    reason = "Sel päeval ei ole ühtki tõlki vaba"
    assert client.post(url, data={"status": "impossible", "reason": reason}).status_code == 302
    emails = db.session.scalars(select(OutgoingEmail).where(
        OutgoingEmail.kind == "arrangement_impossible")).all()
    # Anne, Mari and the person on the waiting list by e-mail; the phone-only person is called.
    assert sorted(email.to_address for email in emails) == [
        "anne@example.org", "mari@example.ee", "ootel@example.ee"]
    [call] = db.session.scalars(select(CallTask)).all()
    assert call.kind == "arrangement_impossible"
    assert call.registration.name == "Telefonil" and call.context["reason"] == reason
    words = _text(client.get(f"/admin/events/{event.id}/calls"))
    assert f"Viipekeele tõlk. Põhjus: {reason}." in words
    render_pending()
    english = next(e for e in emails if e.to_address == "anne@example.org")
    estonian = next(e for e in emails if e.to_address == "mari@example.ee")
    db.session.refresh(english)
    db.session.refresh(estonian)
    assert "Sign-language interpreter" in english.body_text and reason in english.body_text
    assert "Viipekeele tõlk" in estonian.body_text and reason in estonian.body_text
    assert "/r/" in estonian.body_text  # a way to cancel if this means they cannot come
    # Saving it again as impossible tells nobody twice.
    client.post(url, data={"status": "impossible", "reason": reason + "."})
    assert db.session.scalars(select(OutgoingEmail).where(
        OutgoingEmail.kind == "arrangement_impossible")).all().__len__() == 3


def test_the_responsible_person_and_volunteer_must_be_of_the_event_s_partners(
        event, organiser, client, make_user):
    client, _user = organiser
    stranger = make_user(Role.ORGANISER, "tas")
    response = client.post(f"/admin/events/{event.id}/arrangements/captions",
                           data={"status": "requested", "responsible_id": str(stranger.id)})
    assert response.status_code == 422
    assert db.session.scalars(select(Arrangement)).all() == []


def test_an_unknown_kind_is_not_found_and_a_kind_nobody_asked_for_can_be_arranged(
        event, organiser, client):
    client, _user = organiser
    assert client.get(f"/admin/events/{event.id}/arrangements/teleport").status_code == 404
    response = client.post(f"/admin/events/{event.id}/arrangements/hearing_loop",
                           data={"status": "confirmed", "supplier": "Kaasaskantav silmus"})
    assert response.status_code == 302
    lines = {line.kind: line for line in services.lines(event)}
    assert lines[Kind.HEARING_LOOP].people == 0
    assert lines[Kind.HEARING_LOOP].status is ArrangementStatus.CONFIRMED
    assert services.progress(list(lines.values())).total == 5


def test_volunteers_are_kept_with_consent_and_each_partner_sees_its_own(
        organiser, app, make_user):
    client, _user = organiser
    form = {"name": "Jaan Juht", "phone": "+372 5551 2345",
            "can_help_with": "Sõidab autoga, kuhu mahub ratastool", "active": "y"}
    refused = client.post("/admin/volunteers/new", data=form)
    assert refused.status_code == 422 and db.session.scalars(select(Volunteer)).all() == []
    assert client.post("/admin/volunteers/new", data={**form, "consent": "y"}).status_code == 302
    volunteer = db.session.scalars(select(Volunteer)).one()
    assert volunteer.consent_at is not None
    assert "Jaan Juht" in _text(client.get("/admin/volunteers/"))
    other = app.test_client()
    stranger = make_user(Role.ORGANISER, "tas")
    other.post("/login", data={"email": stranger.email, "password": "correct horse battery"})
    assert "Jaan Juht" not in _text(other.get("/admin/volunteers/"))
    assert other.get(f"/admin/volunteers/{volunteer.id}/edit").status_code == 404


def test_the_dashboard_shows_how_much_is_arranged(event, organiser, client):
    client, user = organiser
    client.post(f"/admin/events/{event.id}/arrangements/catering",
                data={"status": "done", "responsible_id": str(user.id)})
    assert "1 / 4" in _text(client.get("/admin/"))


def test_the_needs_overview_and_the_evidence_pack_show_asked_and_arranged(event, organiser,
                                                                          client):
    client, _user = organiser
    client.post(f"/admin/events/{event.id}/arrangements/sign_language",
                data={"status": "done", "supplier": "Tõlkebüroo"})
    client.post(f"/admin/events/{event.id}/arrangements/transport",
                data={"status": "impossible", "reason": "Bussi ei saanud"})
    overview = _text(client.get(f"/admin/events/{event.id}/needs"))
    assert "Taotletud ja korraldatud" in overview
    assert "Viipekeele tõlk 3 (+1) Tehtud" in overview
    assert "Transport kodust 1 Ei saa korraldada" in overview
    pdf = client.get(f"/admin/events/{event.id}/evidence.pdf")
    text = re.sub(r"\s+", " ", "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages))
    assert "Viipekeele tõlk: seda palus 3; tehtud" in text
    assert "Transport kodust: seda palus <3; ei saa korraldada (Bussi ei saanud)" in text


def test_the_demo_tells_the_arrangements_story(app):
    load_demo(app.instance_path, app.config["TIMEZONE"])
    db.session.commit()
    voru = db.session.scalars(select(Event).where(Event.slug == "eakate-kaasamine-voru")).one()
    lines = {line.kind: line for line in services.lines(voru)}
    assert lines[Kind.SIGN_LANGUAGE].status is ArrangementStatus.CONFIRMED
    assert lines[Kind.CAPTIONS].status is ArrangementStatus.TO_ARRANGE
    assert lines[Kind.CAPTIONS].people == 1  # someone asked, nobody is booked yet
    assert lines[Kind.TRANSPORT].arrangement.volunteer.name == "Jaan Jõgi"
    progress = services.progress(list(lines.values()))
    assert (progress.arranged, progress.open) == (5, 2)
    load_demo(app.instance_path, app.config["TIMEZONE"])  # idempotent
    assert db.session.scalar(select(func.count(Arrangement.id))) == 7
