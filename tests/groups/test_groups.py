"""Group registration (issue 17.4): a community contact registers several people at once, each
with their own needs; seats are decided per person, in order, under one lock; the contact gets
one message and one link, and each person with an e-mail address their own."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from koosloome.accounts.models import Role
from koosloome.accounts.services import create_api_token
from koosloome.db import utcnow
from koosloome.extensions import db
from koosloome.groups.models import RegistrationGroup
from koosloome.messaging.delivery import render_pending
from koosloome.messaging.models import CallTask, OutgoingEmail
from koosloome.registrations.models import Registration, RegistrationStatus
from tests.factories import organisation

CONTACT = {"contact_name": "Maie Mänd", "contact_email": "maie@rougeselts.ee",
           "contact_organisation": "Rõuge Külaselts", "language": "et",
           "consent_declared": "y", "health_declared": "y"}
Status = RegistrationStatus


def group_form(*people: dict[str, Any], **contact: Any) -> dict[str, Any]:
    """Form data for a group: the contact, then each person under ``members-<n>-``."""
    data: dict[str, Any] = {**CONTACT, **contact}
    for index, person in enumerate(people):
        for key, value in person.items():
            data[f"members-{index}-{key}"] = value
    return data


FOUR = (
    {"name": "Aino Allik", "email": "aino@example.ee", "needs_mobility": "wheelchair",
     "companion": "y", "companion_name": "Peeter Allik", "companion_needs": "taimetoit"},
    {"name": "Benno Bärg", "diet": "vegetarian", "transport_needed": "y",
     "transport_pickup": "Rõuge bussijaam"},
    {"name": "Cilli Kask", "email": "cilli@example.ee"},
    {"name": "Ditta Dell"},
)


def _members() -> list[Registration]:
    return list(db.session.scalars(select(Registration).order_by(Registration.id)))


def _emails() -> list[OutgoingEmail]:
    return list(db.session.scalars(select(OutgoingEmail).order_by(OutgoingEmail.id)))


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_a_contact_registers_four_people_each_with_their_own_needs(app, client, make_event):
    event = make_event(capacity=3)
    response = client.post(f"/events/{event.slug}/group", data=group_form(*FOUR))
    assert response.status_code == 302 and "/g/" in response.headers["Location"]

    aino, benno, cilli, ditta = _members()
    # Seats in the order given: Aino and her companion take two, Benno the third.
    assert [m.status for m in (aino, benno, cilli, ditta)] == [
        Status.CONFIRMED, Status.CONFIRMED, Status.WAITLISTED, Status.WAITLISTED]
    assert aino.seats == 2 and aino.companion_needs == "taimetoit"
    assert aino.need_codes == {"wheelchair"} and benno.need_codes == {"vegetarian"}
    assert benno.transport_pickup == "Rõuge bussijaam" and benno.email is None
    group = db.session.scalars(select(RegistrationGroup)).one()
    assert {m.group_id for m in (aino, benno, cilli, ditta)} == {group.id}
    # The contact's declaration stands for each person's consents, and is kept word for word.
    assert all(m.consent_privacy_at is not None for m in (aino, benno, cilli, ditta))
    assert aino.consent_health_at and benno.consent_health_at and not cilli.consent_health_at
    assert "on nõus" in group.declaration and group.declared_at is not None

    # One message to the contact with everyone; each person with an address their own.
    emails = _emails()
    assert sorted((e.to_address, e.kind) for e in emails) == [
        ("aino@example.ee", "confirmed"), ("cilli@example.ee", "waitlisted"),
        ("maie@rougeselts.ee", "group_registered")]
    assert db.session.scalars(select(CallTask)).all() == []  # the contact speaks for the rest
    render_pending()
    to_contact = next(e for e in _emails() if e.kind == "group_registered")
    assert "Tere, Maie Mänd!" in to_contact.body_text
    for line in ("Aino Allik: registreeritud, koht on kinnitatud",
                 "Benno Bärg: registreeritud, koht on kinnitatud",
                 "Cilli Kask: ootenimekirjas, järjekorras 1",
                 "Ditta Dell: ootenimekirjas, järjekorras 2"):
        assert line in to_contact.body_text, line
    assert group.manage_url in to_contact.body_text

    page = _text(client.get(response.headers["Location"]))
    assert "Registreerisid 4 inimest" in page
    assert "Ootenimekirjas, järjekorras 2" in page and "Rõuge Külaselts" in page


def test_once_someone_waits_everyone_after_them_waits_too(client, make_event):
    event = make_event(capacity=2)
    people = ({"name": "Esimene Inimene"},
              {"name": "Teine Inimene", "companion": "y"},  # two seats: only one is free
              {"name": "Kolmas Inimene"})  # would fit, but must not overtake the second
    client.post(f"/events/{event.slug}/group", data=group_form(*people))
    first, second, third = _members()
    assert [first.status, second.status, third.status] == [
        Status.CONFIRMED, Status.WAITLISTED, Status.WAITLISTED]
    assert second.waitlisted_at <= third.waitlisted_at and second.id < third.id


def test_every_mistake_is_shown_at_once_and_nothing_is_saved(client, make_event):
    event = make_event()
    data = group_form(
        {"name": "Aino Allik", "email": "sama@example.ee", "needs_mobility": "wheelchair"},
        {"name": "", "email": "sama@example.ee"},
        {"name": "Veel Üks", "transport_needed": "y"},
        consent_declared="", health_declared="")
    response = client.post(f"/events/{event.slug}/group", data=data)
    assert response.status_code == 422
    page = _text(response)
    assert page.count("Midagi on puudu või valesti") == 1
    for message in ("Inimene 2: Sisesta inimese nimi",
                    "Inimene 2: Inimesel 1 on sama e-posti aadress",
                    "Inimene 3: Ütle, kust sind peale võtta",
                    "Kinnita, et kõik on registreerimisega nõus",
                    "kinnita, et nad on sellega nõus, või eemalda see"):
        assert message in page, message
    assert 'value="Aino Allik"' in response.get_data(as_text=True)  # nothing typed is lost
    assert _members() == [] and _emails() == []
    assert db.session.scalars(select(RegistrationGroup)).all() == []


def test_another_person_is_added_without_losing_what_was_typed(client, make_event):
    event = make_event()
    page = client.get(f"/events/{event.slug}/group?people=3").get_data(as_text=True)
    assert 'id="person-3"' in page and 'id="person-4"' not in page
    data = group_form({"name": "Aino Allik"}, {"name": "Benno Bärg"}, add_person="1")
    response = client.post(f"/events/{event.slug}/group", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Midagi on puudu või valesti" not in html
    assert 'id="person-3"' in html and 'value="Benno Bärg"' in html
    assert _members() == []


def test_a_member_without_email_is_told_through_the_contact(app, client, make_event):
    event = make_event(capacity=1)
    client.post(f"/events/{event.slug}/group", data=group_form(
        {"name": "Aino Allik", "email": "aino@example.ee"}, {"name": "Benno Bärg"}))
    aino, benno = _members()
    assert benno.status is Status.WAITLISTED
    client.post(f"/r/{aino.manage_token}/cancel")
    db.session.refresh(benno)
    assert benno.status is Status.CONFIRMED
    render_pending()
    promoted = db.session.scalars(select(OutgoingEmail).where(
        OutgoingEmail.kind == "promoted")).one()
    assert promoted.to_address == "maie@rougeselts.ee" and promoted.registration_id == benno.id
    assert "Tere, Maie Mänd!" in promoted.body_text
    assert "See kiri on inimese Benno Bärg kohta" in promoted.body_text
    assert promoted.calendar is None  # not an entry in the contact's own calendar


def test_a_member_without_contact_can_be_edited_through_their_link(client, make_event):
    event = make_event()
    client.post(f"/events/{event.slug}/group", data=group_form({"name": "Benno Bärg"}))
    [benno] = _members()
    response = client.post(f"/r/{benno.manage_token}/edit", data={
        "name": "Benno Bärg", "language": "et", "consent_privacy": "y", "consent_health": "y",
        "diet": "gluten_free"})
    assert response.status_code == 302
    db.session.refresh(benno)
    assert benno.need_codes == {"gluten_free"}


def test_the_contact_cancels_everyone_and_the_seats_go_to_the_waiting_list(
        client, make_event, make_registration):
    event = make_event(capacity=2)
    response = client.post(f"/events/{event.slug}/group",
                           data=group_form({"name": "Aino Allik"}, {"name": "Benno Bärg"}))
    group_page = response.headers["Location"].split("?")[0]
    waiting = client.post(f"/events/{event.slug}/register", data={
        "name": "Ootaja Olev", "email": "ootaja@example.ee", "language": "et",
        "consent_privacy": "y"})
    assert waiting.status_code == 200
    assert "Jah, tühista kõigi kohad" in _text(client.get(f"{group_page}/cancel"))
    client.post(f"{group_page}/cancel")
    aino, benno, other = _members()
    assert aino.status is benno.status is Status.CANCELLED
    assert other.status is Status.CONFIRMED


def test_erasing_the_last_member_takes_the_group_and_its_messages(app, client, make_event):
    event = make_event()
    client.post(f"/events/{event.slug}/group", data=group_form({"name": "Aino Allik"}))
    render_pending()
    [aino] = _members()
    client.post(f"/r/{aino.manage_token}/erase")
    assert db.session.scalars(select(RegistrationGroup)).all() == []
    assert all("Aino Allik" not in (e.body_text or "") for e in _emails())


def test_the_purge_anonymises_the_contact_with_the_members(app, runner, client, make_event):
    event = make_event()
    response = client.post(f"/events/{event.slug}/group", data=group_form({"name": "Aino Allik"}))
    token = response.headers["Location"].split("/g/")[1].split("?")[0]
    event.starts_at -= timedelta(days=3650)  # ten years ago, whatever today's date
    event.ends_at = event.starts_at + timedelta(hours=2)
    db.session.commit()
    assert "anonymised 1" in runner.invoke(args=["privacy", "purge"]).output
    group = db.session.scalars(select(RegistrationGroup)).one()
    assert (group.contact_name, group.contact_email) == ("anonymised", None)
    assert group.anonymised_at is not None
    assert client.get(f"/g/{token}").status_code == 404


def test_the_event_page_offers_group_registration_while_open(client, make_event):
    open_event, past = make_event(), make_event(starts_at=utcnow() - timedelta(days=30))
    assert "Registreeri nad grupina" in _text(client.get(f"/events/{open_event.slug}"))
    assert client.get(f"/events/{past.slug}/group").status_code == 200
    assert "Registreerimine" in _text(client.get(f"/events/{past.slug}/group"))


@pytest.fixture
def tokens(make_user):
    vpk = {"Authorization": f"Bearer {create_api_token(make_user(Role.ORGANISER, 'vpk'))}"}
    tas = {"Authorization": f"Bearer {create_api_token(make_user(Role.ORGANISER, 'tas'))}"}
    db.session.commit()
    return vpk, tas


def test_the_api_registers_and_lists_groups_for_the_event_managers(client, make_event, tokens):
    vpk, tas = tokens
    event = make_event(capacity=1, organisation=organisation("vpk"))
    body = {"contact_name": "Maie Mänd", "contact_email": "maie@rougeselts.ee",
            "consent_declared": True, "health_declared": True,
            "members": [{"name": "Aino Allik", "needs": ["wheelchair"], "companion": False},
                        {"name": "Benno Bärg", "companion_needs": ""}]}
    created = client.post(f"/api/v1/events/{event.id}/groups", json=body, headers=vpk)
    assert created.status_code == 201, created.get_json()
    group = created.get_json()
    assert [(m["name"], m["status"], m["waitlist_position"]) for m in group["members"]] == [
        ("Aino Allik", "confirmed", None), ("Benno Bärg", "waitlisted", 1)]
    assert client.get(f"/api/v1/groups/{group['id']}", headers=vpk).get_json() == group
    listed = client.get(f"/api/v1/events/{event.id}/groups", headers=vpk).get_json()["groups"]
    assert [g["id"] for g in listed] == [group["id"]]
    assert client.get(f"/api/v1/groups/{group['id']}", headers=tas).status_code == 403
    assert client.post(f"/api/v1/events/{event.id}/groups", json=body,
                       headers=tas).status_code == 403
    assert client.post(f"/api/v1/events/{event.id}/groups", json=body).status_code == 401


def test_the_api_names_each_persons_mistakes(client, make_event, tokens):
    vpk, _tas = tokens
    event = make_event(organisation=organisation("vpk"))
    body = {"contact_name": "Maie Mänd", "contact_email": "maie@rougeselts.ee",
            "consent_declared": True,
            "members": [{"name": "Aino Allik", "needs": ["wheelchair", "teleport"]},
                        {"name": "", "shoe_size": 42, "companion": "yes"}]}
    response = client.post(f"/api/v1/events/{event.id}/groups", json=body, headers=vpk)
    assert response.status_code == 422
    fields = response.get_json()["fields"]
    assert set(fields) >= {"members-0-needs", "members-1-name", "members-1-shoe_size",
                           "members-1-companion"}
    assert _members() == []


def test_organisers_see_whom_to_reach_for_a_member_without_contact(client, make_event,
                                                                   make_user, login):
    event = make_event(organisation=organisation("vpk"))
    client.post(f"/events/{event.slug}/group", data=group_form({"name": "Benno Bärg"},
                                                               contact_phone="+372 5000 0077"))
    [benno] = _members()
    organiser = login(make_user(Role.ORGANISER, "vpk"))
    page = _text(organiser.get(f"/admin/registrations/{benno.id}"))
    assert "Registreeritud grupis" in page
    assert "Maie Mänd, Rõuge Külaselts" in page and "+372 5000 0077" in page
    assert "maie@rougeselts.ee" in page
