"""The call list (issue 17.3): people without e-mail hear everything by phone; each message is
a call task with the words to read, in their language; outcomes are noted, "no answer" stays
on the list; a printable list for a volunteer with a landline."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from koosloome.accounts.models import Role
from koosloome.accounts.services import create_api_token
from koosloome.audit import AuditLog
from koosloome.db import utcnow
from koosloome.demo import load_demo
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.messaging.models import CallOutcome, CallTask
from koosloome.registrations.models import RegistrationSource, RegistrationStatus
from tests.factories import organisation

PHONE_ONLY = {"name": "Helju Hõbe", "phone": "+372 5000 0011", "language": "et",
              "consent_privacy": "y"}


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


@pytest.fixture
def organiser(make_user, login):
    return login(make_user(Role.ORGANISER, "vpk", name="Kadri Kuusk"))


def _tasks() -> list[CallTask]:
    return list(db.session.scalars(select(CallTask).order_by(CallTask.id)))


def test_a_phone_only_registrant_is_called_with_the_words_in_their_language(
        client, make_event, organiser):
    event = make_event(capacity=0, organisation=organisation("vpk"),
                       title_et="Eakate kaasamine", title_en="Including older people")
    client.post(f"/events/{event.slug}/register", data={**PHONE_ONLY, "language": "en"})
    [task] = _tasks()
    assert (task.kind, task.language, task.outcome) == ("waitlisted", "en", CallOutcome.OPEN)
    page = _text(organiser.get(f"/admin/events/{event.id}/calls"))
    assert "Helju Hõbe · +372 5000 0011" in page and "1 kõnet on teha" not in page
    assert "1 kõne on teha." in page
    assert "“Including older people”" in page and "waiting list, number 1" in page
    assert db.session.scalars(select(AuditLog.action).where(
        AuditLog.action == "view.calls")).all() == ["view.calls"]


def test_someone_registered_on_the_phone_is_not_called_to_be_told_what_they_heard(
        make_event, organiser):
    event = make_event(organisation=organisation("vpk"))
    response = organiser.post(f"/admin/events/{event.id}/registrations/new",
                              data={**PHONE_ONLY, "phone_me": ""})
    assert response.status_code in (200, 302), response.status_code
    assert _tasks() == []


def test_every_later_change_reaches_them_by_phone_once(make_event, make_registration,
                                                       organiser):
    event = make_event(organisation=organisation("vpk"))
    phone_only = make_registration(event, email=None, phone="+372 5000 0012",
                                   source=RegistrationSource.PHONE)
    make_registration(event)  # has e-mail: no call
    organiser.post(f"/admin/events/{event.id}/cancel")
    [task] = _tasks()
    assert (task.registration_id, task.kind) == (phone_only.id, "event_cancelled")
    assert "jääb" in _text(organiser.get(f"/admin/events/{event.id}/calls"))


def test_outcomes_are_noted_and_no_answer_stays_on_the_list(make_event, make_registration,
                                                           organiser):
    event = make_event(organisation=organisation("vpk"))
    first = make_registration(event, email=None, phone="+372 5000 0013",
                              status=RegistrationStatus.WAITLISTED)
    second = make_registration(event, email=None, phone="+372 5000 0014",
                               status=RegistrationStatus.WAITLISTED)
    for registration in (first, second):
        db.session.add(CallTask(kind="promoted", registration_id=registration.id,
                                event_id=event.id, language="et", context={}))
    db.session.commit()
    one, two = _tasks()
    refused = organiser.post(f"/admin/calls/{one.id}", data={"note": "Helistas tagasi?"})
    assert refused.status_code == 422 and _tasks()[0].outcome is CallOutcome.OPEN
    page = refused.get_data(as_text=True)
    assert "Viga:" in page and f'href="#outcome-{one.id}-1"' in page
    assert 'value="Helistas tagasi?"' in page  # what was typed is kept
    done = organiser.post(f"/admin/calls/{one.id}", data={"outcome": "no_answer"})
    assert done.headers["Location"].endswith(f"/admin/events/{event.id}/calls#call-{one.id}")
    back = organiser.post(f"/admin/calls/{two.id}", data={"outcome": "reached", "note": "Tuleb",
                                                           "from": "all"})
    assert back.headers["Location"].endswith(f"/admin/calls#call-{two.id}")
    db.session.expire_all()
    one, two = _tasks()
    assert (one.outcome, one.attempts) == (CallOutcome.NO_ANSWER, 1)
    assert (two.outcome, two.note, two.last_call_by_id is not None) == (
        CallOutcome.REACHED, "Tuleb", True)
    across = _text(organiser.get("/admin/calls"))
    assert "+372 5000 0013" in across and "+372 5000 0014" not in across
    pdf = organiser.get(f"/admin/events/{event.id}/calls.pdf")
    assert pdf.headers["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "+372 5000 0013" in text and "+372 5000 0014" not in text
    assert "Teile vabanes koht." in text


def test_the_other_partner_cannot_note_outcomes(make_event, make_registration, make_user,
                                                app):
    event = make_event(organisation=organisation("vpk"))
    registration = make_registration(event, email=None, phone="+372 5000 0015")
    db.session.add(CallTask(kind="reminder", registration_id=registration.id,
                            event_id=event.id, language="et", context={}))
    db.session.commit()
    [task] = _tasks()
    stranger = make_user(Role.ORGANISER, "tas")
    other = app.test_client()
    other.post("/login", data={"email": stranger.email, "password": "correct horse battery"})
    assert other.post(f"/admin/calls/{task.id}", data={"outcome": "reached"}).status_code == 403
    assert other.get(f"/admin/events/{event.id}/calls").status_code == 403
    assert "+372 5000 0015" not in _text(other.get("/admin/calls"))


def test_the_demo_has_two_phone_only_people_on_the_call_list(app, organiser):
    load_demo(app.instance_path, app.config["TIMEZONE"])
    db.session.commit()
    outcomes = sorted(task.outcome.value for task in _tasks())
    assert outcomes == ["no_answer", "reached"]
    voru = db.session.scalars(select(Event).where(Event.slug == "eakate-kaasamine-voru")).one()
    page = _text(organiser.get(f"/admin/events/{voru.id}/calls"))
    assert "Rõuge külast sõidab seminarile buss" in page
    assert "1 kõne on teha." in page  # the one who did not answer


def test_the_call_list_in_the_api(client, make_event, make_registration, make_user):
    event = make_event(organisation=organisation("vpk"))
    registration = make_registration(event, email=None, phone="+372 5000 0016")
    db.session.add(CallTask(kind="reminder", registration_id=registration.id,
                            event_id=event.id, language="et", context={}))
    user = make_user(Role.ORGANISER, "vpk")
    headers = {"Authorization": f"Bearer {create_api_token(user)}"}
    db.session.commit()
    [call] = client.get(f"/api/v1/events/{event.id}/calls", headers=headers).get_json()["calls"]
    assert call["phone"] == "+372 5000 0016" and call["outcome"] == "open"
    assert "Tuletame meelde" in call["words"]
    bad = client.patch(f"/api/v1/calls/{call['id']}", headers=headers, json={"outcome": "open"})
    assert bad.status_code == 422
    done = client.patch(f"/api/v1/calls/{call['id']}", headers=headers,
                        json={"outcome": "message_left", "note": "Automaatvastaja"})
    assert done.status_code == 200
    assert (done.get_json()["outcome"], done.get_json()["attempts"]) == ("message_left", 1)
    theirs = {"Authorization": f"Bearer {create_api_token(make_user(Role.ORGANISER, 'tas'))}"}
    db.session.commit()
    assert client.patch(f"/api/v1/calls/{call['id']}", headers=theirs,
                        json={"outcome": "reached"}).status_code == 403


@pytest.mark.parametrize(("large", "size"), [("", 12), ("1", 16)])
def test_a_confirmation_letter_to_post_in_the_person_s_language(
        make_event, make_registration, organiser, large, size):
    event = make_event(organisation=organisation("vpk"), title_en="Including older people")
    registration = make_registration(event, email=None, phone="+372 5000 0017", language="en",
                                     transport_needed=True, transport_pickup="Haani tee 5",
                                     consent_health_at=utcnow())
    response = organiser.get(f"/admin/registrations/{registration.id}/letter.pdf?large={large}")
    assert response.headers["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))
    assert "You are registered for “Including older people”." in text
    assert "We will phone you by" in text  # what happens about the pick-up
    sizes = set()
    reader.pages[0].extract_text(visitor_text=lambda t, cm, tm, font, fs: sizes.add(
        round(fs * tm[0])) if t.strip() else None)
    assert size in sizes
    assert db.session.scalars(select(AuditLog.action).where(
        AuditLog.action == "export.letter")).all() == ["export.letter"]
