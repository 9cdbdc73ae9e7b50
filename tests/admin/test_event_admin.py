"""Back office: creating, editing, duplicating, publishing and cancelling events."""

from __future__ import annotations

import lxml.html
from sqlalchemy import select

from koosloome.accounts.models import Role
from koosloome.audit import AuditLog
from koosloome.events.models import Event, EventStatus, ExtraQuestion
from koosloome.extensions import db
from koosloome.messaging.models import OutgoingEmail
from koosloome.registrations.models import RegistrationStatus
from koosloome.venues.models import Entrance, HearingLoop
from tests.factories import make_venue, organisation

FORM = {
    "kind": "seminar", "title_et": "Kogukonnad ja eakad", "starts_at": "2031-03-05T10:00",
    "ends_at": "2031-03-05T14:00", "capacity": "30", "registration_mode": "open",
    "reminder_days": "2",
}


def _antsla():
    venue = make_venue(name_et="Antsla rahvamaja", address="Kooli 3, Antsla",
                       entrance=Entrance.STEPS, entrance_steps=2, lift=False,
                       accessible_wc=True, hearing_loop=HearingLoop.PORTABLE)
    db.session.commit()
    return venue


def test_organiser_creates_and_publishes_an_event(login, make_user):
    venue = _antsla()
    client = login(make_user(Role.ORGANISER, "tas"))
    new = client.get("/admin/events/new").get_data(as_text=True)
    assert "Loo sündmus" in new and "Antsla rahvamaja, Kooli 3, Antsla" in new
    response = client.post("/admin/events/new", data={**FORM, "venue_id": venue.id,
                                                      "co_organiser": "vpk", "publish": "1"})
    assert response.status_code == 302
    event = db.session.scalars(select(Event)).one()
    assert event.status is EventStatus.PUBLISHED and event.organisation.slug == "tas"
    assert event.co_organiser.slug == "vpk" and event.venue is venue
    assert event.starts_at.isoformat() == "2031-03-05T08:00:00+00:00"  # 10:00 in Tallinn
    assert "sissepääsus on 2 astet" in client.get(f"/events/{event.slug}").get_data(
        as_text=True).lower()


def test_an_event_needs_a_venue_of_the_list(login, make_user):
    client = login(make_user())
    for venue_id in ("", "99999", "x"):
        response = client.post("/admin/events/new", data={**FORM, "venue_id": venue_id})
        assert response.status_code == 422
        assert 'href="#venue_id"' in response.get_data(as_text=True)
    assert db.session.scalars(select(Event)).all() == []


def test_a_new_event_gets_its_kind_chosen(login, make_user):
    client = login(make_user())
    page = lxml.html.fromstring(client.get("/admin/events/new").get_data(as_text=True))
    (first,) = page.xpath("//select[@id='kind'][@required]/option[1]")
    assert first.get("value") == "" and first.text == "Vali sündmuse liik"
    response = client.post("/admin/events/new", data={**FORM, "kind": "",
                                                      "venue_id": _antsla().id})
    assert response.status_code == 422
    assert "Vali sündmuse liik" in response.get_data(as_text=True)
    assert db.session.scalars(select(Event)).all() == []


def test_bad_event_input_keeps_what_was_typed(login, make_user):
    client = login(make_user())
    response = client.post("/admin/events/new", data={**FORM, "ends_at": "2031-03-05T09:00",
                                                      "capacity": "lots"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'href="#capacity"' in html
    assert 'value="Kogukonnad ja eakad"' in html
    assert db.session.scalars(select(Event)).all() == []


def test_moving_an_event_asks_first_then_sends_updated_invites(login, make_user, make_event,
                                                                make_registration):
    event = make_event(organisation=organisation("vpk"))
    make_registration(event)
    make_registration(event)
    client = login(make_user(Role.ORGANISER, "vpk"))
    edit = client.get(f"/admin/events/{event.id}/edit").get_data(as_text=True)
    assert f'value="{event.title_et}"' in edit
    moved_to = _antsla()
    data = {**FORM, "title_et": event.title_et, "venue_id": moved_to.id, "capacity": "20"}
    first = client.post(f"/admin/events/{event.id}/edit", data=data)
    html = first.get_data(as_text=True)
    assert "2 osalejat saavad uuendatud kutse." in html
    db.session.refresh(event)
    assert event.venue_name != "Antsla rahvamaja" and event.revision == 0
    client.post(f"/admin/events/{event.id}/edit", data={**data, "confirmed": "1"})
    db.session.refresh(event)
    assert event.venue_name == "Antsla rahvamaja" and event.revision == 1
    kinds = db.session.scalars(select(OutgoingEmail.kind)).all()
    assert kinds == ["event_changed", "event_changed"]


def test_duplicate_makes_a_draft_with_the_questions(login, make_user, make_event):
    event = make_event(organisation=organisation("vpk"))
    event.questions = [ExtraQuestion(kind="short_text", label_et="Nimi passis")]
    db.session.commit()
    client = login(make_user())
    response = client.post(f"/admin/events/{event.id}/duplicate")
    copy = db.session.scalars(select(Event).where(Event.id != event.id)).one()
    assert response.headers["Location"] == f"/admin/events/{copy.id}/edit"
    assert copy.status is EventStatus.DRAFT and copy.title_et.endswith("(koopia)")
    assert [q.label_et for q in copy.questions] == ["Nimi passis"]


def test_cancel_asks_first_and_tells_everyone(login, make_user, make_event, make_registration):
    event = make_event(organisation=organisation("vpk"))
    make_registration(event)
    make_registration(event, status=RegistrationStatus.WAITLISTED)
    client = login(make_user())
    assert "Kas jätad sündmuse ära?" in client.get(
        f"/admin/events/{event.id}/cancel").get_data(as_text=True)
    client.post(f"/admin/events/{event.id}/cancel")
    db.session.refresh(event)
    assert event.status is EventStatus.CANCELLED
    assert db.session.scalars(select(OutgoingEmail.kind)).all() == ["event_cancelled"] * 2
    actions = db.session.scalars(select(AuditLog.action)).all()
    assert "event.cancel" in actions


def test_extra_questions_are_added_moved_and_removed(login, make_user, make_event):
    event = make_event(organisation=organisation("vpk"))
    client = login(make_user())
    bad = client.post(f"/admin/events/{event.id}/questions",
                      data={"kind": "single_choice", "label_et": "Tuba", "choices_text": "Üks"})
    assert bad.status_code == 422
    client.post(f"/admin/events/{event.id}/questions",
                data={"kind": "single_choice", "label_et": "Tuba",
                      "choices_text": "Eraldi | Single\nJagatud | Shared", "required": "y"})
    client.post(f"/admin/events/{event.id}/questions",
                data={"kind": "date", "label_et": "Sünniaeg", "sensitive": "y"})
    db.session.refresh(event)
    assert [q.label_et for q in event.questions] == ["Tuba", "Sünniaeg"]
    assert event.questions[0].choices[1] == {"value": "c2", "et": "Jagatud", "en": "Shared"}
    second = event.questions[1]
    client.post(f"/admin/events/{event.id}/questions/{second.id}/move",
                data={"direction": "up"})
    db.session.expire_all()
    assert [q.label_et for q in event.questions] == ["Sünniaeg", "Tuba"]
    client.post(f"/admin/events/{event.id}/questions/{second.id}/delete")
    db.session.expire_all()
    assert [q.label_et for q in event.questions] == ["Tuba"]


def test_other_partner_and_facilitators_are_kept_out(login, make_user, make_event, client):
    event = make_event(organisation=organisation("vpk"))
    login(make_user(Role.ORGANISER, "tas"))
    assert client.get(f"/admin/events/{event.id}").status_code == 403
    assert client.post(f"/admin/events/{event.id}/cancel").status_code == 403
    client.post("/logout")
    login(make_user(Role.FACILITATOR, "vpk"))
    assert client.get("/admin/events/").status_code == 403
    assert client.get(f"/admin/events/{event.id}/edit").status_code == 403


def test_dashboard_shows_fill_rate_waiting_list_needs_and_transport(
    login, make_user, make_event, make_registration
):
    event = make_event(organisation=organisation("vpk"), capacity=4, title_et="Täituv seminar")
    make_registration(event, seats=2, transport_needed=True, transport_pickup="Rõuge")
    make_registration(event, status=RegistrationStatus.WAITLISTED)
    html = login(make_user()).get("/admin/").get_data(as_text=True)
    assert "Täituv seminar" in html
    assert "2 / 4 (50%)" in html


def test_programme_items_are_added_shown_in_order_and_removed(login, make_user, make_event,
                                                              client):
    event = make_event(organisation=organisation("vpk"))
    login(make_user())
    client.post(f"/admin/events/{event.id}/agenda",
                data={"starts_at": "2031-03-05T13:00", "title_et": "Arutelu", "room_et": "Saal"})
    client.post(f"/admin/events/{event.id}/agenda",
                data={"starts_at": "2031-03-05T10:00", "title_et": "Tervitus",
                      "speaker": "Kadri Kuusk"})
    bad = client.post(f"/admin/events/{event.id}/agenda", data={"title_et": "Ilma ajata"})
    assert bad.status_code == 422
    html = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "Programm" in html
    assert html.index("Tervitus") < html.index("Arutelu")
    assert "Kadri Kuusk" in html
    db.session.expire_all()
    first = event.agenda[0]
    client.post(f"/admin/events/{event.id}/agenda/{first.id}/delete")
    db.session.expire_all()
    assert [item.title_et for item in event.agenda] == ["Arutelu"]


def test_message_to_participants_previews_then_sends_and_is_logged(login, make_user, make_event,
                                                                   make_registration):
    event = make_event(organisation=organisation("vpk"))
    make_registration(event, name="Mari Tamm")
    make_registration(event, name="Helju Rebane", email=None, phone="+372 5000 0000")
    make_registration(event, status=RegistrationStatus.WAITLISTED)
    client = login(make_user())
    data = {"audience": ["confirmed"], "subject": "Bussi aeg", "body": "Buss väljub 9.00."}
    preview = client.post(f"/admin/events/{event.id}/message", data={**data, "preview": "1"})
    html = preview.get_data(as_text=True)
    assert "1 inimene saab selle e-postiga." in html
    assert "Helju Rebane" in html  # phone only: to be called
    assert db.session.scalars(select(OutgoingEmail)).all() == []
    client.post(f"/admin/events/{event.id}/message", data={**data, "send": "1"})
    assert db.session.scalars(select(OutgoingEmail.kind)).all() == ["organiser_message"]
    assert "event.message_sent" in db.session.scalars(select(AuditLog.action)).all()
    empty = client.post(f"/admin/events/{event.id}/message", data={"preview": "1"})
    assert empty.status_code == 422


def test_message_in_both_languages_previews_each_and_sends_each_its_own(
        login, make_user, make_event, make_registration):
    event = make_event(organisation=organisation("vpk"))
    make_registration(event, language="et")
    make_registration(event, language="en")
    client = login(make_user())
    data = {"audience": ["confirmed"], "subject": "Bussi aeg", "body": "Buss väljub 9.00.",
            "subject_en": "The bus", "body_en": "The bus leaves at 9.00."}
    html = client.post(f"/admin/events/{event.id}/message",
                       data={**data, "preview": "1"}).get_data(as_text=True)
    assert "Eesti keeles" in html and "Inglise keeles" in html
    assert "The bus leaves at 9.00." in html
    assert html.count("1 inimene saab selle versiooni e-postiga.") == 2
    client.post(f"/admin/events/{event.id}/message", data={**data, "send": "1"})
    assert sorted(tuple(row) for row in db.session.execute(
        select(OutgoingEmail.language, OutgoingEmail.subject))) == [
        ("en", "The bus"), ("et", "Bussi aeg")]
    half = client.post(f"/admin/events/{event.id}/message",
                       data={**data, "body_en": "", "preview": "1"})
    assert half.status_code == 422
