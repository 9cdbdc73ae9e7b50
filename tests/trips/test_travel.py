"""Travel details (issue 18.4): asked after a place is accepted and only what the trip
needs, seen only by the trip's organisers with every view and export audited, and deleted
by ``privacy purge`` some days after the trip (apart from the health-data period)."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from koosloome.accounts.models import Role
from koosloome.accounts.services import create_api_token
from koosloome.audit import AuditLog
from koosloome.db import utcnow
from koosloome.events.models import EventKind
from koosloome.extensions import db
from koosloome.registrations.models import RegistrationStatus
from koosloome.trips.models import TravelDetails

TRACES = ("Õunapuu-Kask", "5888 4321", "K1234567")


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


@pytest.fixture
def trip(make_event):
    starts = utcnow().replace(microsecond=0) + timedelta(days=30)
    return make_event(kind=EventKind.STUDY_TRIP, starts_at=starts,
                      ends_at=starts + timedelta(days=3), travel_details=True)


def _valid(trip, **changes) -> dict[str, str]:
    last_day = (trip.ends_at + timedelta(days=400)).date()
    values = {"document_name": "LIISI ÕUNAPUU-KASK", "date_of_birth": "1951-04-02",
              "document_type": "id_card", "document_expiry": last_day.isoformat(),
              "document_number": "K1234567", "emergency_name": "Aare Õunapuu-Kask",
              "emergency_phone": "+372 5888 4321", "ehic": "yes", "room": "shared",
              "room_with": "Maie Mänd", "bus_needs": "Istekoht ukse juures", "diet": "Laktoosivaba"}
    values.update(changes)
    return values


def test_a_traveller_is_asked_after_accepting_and_only_then(client, trip, make_registration):
    going = make_registration(trip)
    offered = make_registration(trip, status=RegistrationStatus.OFFERED,
                                offer_expires_at=utcnow() + timedelta(days=1))
    manage = _text(client.get(f"/r/{going.manage_token}"))
    assert "Sisesta oma reisiandmed" in manage
    assert client.get(f"/r/{offered.manage_token}/travel").status_code == 302
    assert "reisiandmed" not in _text(client.get(f"/r/{offered.manage_token}")).lower()
    saved = client.post(f"/r/{going.manage_token}/travel", data=_valid(trip))
    assert saved.status_code == 302
    details = db.session.scalars(select(TravelDetails)).one()
    assert (details.document_name, details.ehic, details.room_with) == (
        "LIISI ÕUNAPUU-KASK", True, "Maie Mänd")
    assert details.document_number == ""  # the carrier did not ask for it: not kept
    assert "Aitäh: reisiandmed on meil olemas" in _text(client.get(f"/r/{going.manage_token}"))


def test_wrong_details_are_refused_with_reasons_and_nothing_is_stored(client, trip,
                                                                     make_registration):
    going = make_registration(trip)
    expiry = trip.ends_at.date() - timedelta(days=1)
    refused = client.post(f"/r/{going.manage_token}/travel", data=_valid(
        trip, date_of_birth=(date.today() + timedelta(days=1)).isoformat(),
        document_expiry=expiry.isoformat(), room="single", emergency_phone=""))
    assert refused.status_code == 422
    html = _text(refused)
    for message in ("Sünniaeg peab olema minevikus", "Dokument peab kehtima reisi lõpuni",
                    "See väli on kohustuslik"):
        assert message in html, message
    assert db.session.scalars(select(TravelDetails)).all() == []
    trip.travel_document_number = True
    db.session.commit()
    missing = client.post(f"/r/{going.manage_token}/travel",
                          data=_valid(trip, document_number=""))
    assert missing.status_code == 422 and "dokumendi numbrit" in _text(missing)
    kept = client.post(f"/r/{going.manage_token}/travel", data=_valid(trip))
    assert kept.status_code == 302
    assert db.session.scalars(select(TravelDetails.document_number)).one() == "K1234567"


def test_only_the_trips_organisers_see_them_and_every_look_is_audited(
        client, login, make_user, trip, make_registration):
    going = make_registration(trip, name="Liisi Õunapuu")
    make_registration(trip, name="Ants Antsla")
    client.post(f"/r/{going.manage_token}/travel", data=_valid(trip))
    login(make_user(Role.ORGANISER, "tas"))
    assert client.get(f"/admin/events/{trip.id}/travel").status_code == 403
    client.post("/logout")
    leader = make_user(Role.ORGANISER, "vpk")
    trip.trip_leader_id = leader.id
    db.session.commit()
    login(leader)
    page = client.get(f"/admin/events/{trip.id}/travel")
    html = _text(page)
    assert page.headers["Cache-Control"] == "no-store"
    assert "1 reisijat 2-st on andmed andnud" in html
    assert "Aare Õunapuu-Kask, +372 5888 4321" in html and "pole veel andnud" in html
    sheet = client.get(f"/admin/events/{trip.id}/travel.xlsx")
    rows = list(load_workbook(io.BytesIO(sheet.data)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Nimi" and any("LIISI ÕUNAPUU-KASK" in row for row in rows)
    actions = list(db.session.scalars(select(AuditLog.action).where(
        AuditLog.action.like("trip.travel_details.%")).order_by(AuditLog.id)))
    assert actions == ["trip.travel_details.view", "trip.travel_details.export"]


def _rows_with_traces() -> list[str]:
    db.session.rollback()
    found = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)):
            text = " ".join(str(value) for value in row)
            found += [f"{table.name}: {trace}" for trace in TRACES if trace in text]
    return found


def test_the_purge_deletes_them_days_after_the_trip_and_not_before(
        client, runner, make_event, make_registration):
    ended = utcnow().replace(microsecond=0) - timedelta(days=15)
    old = make_event(kind=EventKind.STUDY_TRIP, starts_at=ended - timedelta(days=3),
                     ends_at=ended, travel_details=True, travel_document_number=True)
    recent = make_event(kind=EventKind.STUDY_TRIP, starts_at=ended,
                        ends_at=ended + timedelta(days=5), travel_details=True)
    for event, name in ((old, "Vana Reisija"), (recent, "Uus Reisija")):
        person = make_registration(event, name=name)
        details = _valid(event)
        details["document_expiry"] = date.fromisoformat(details["document_expiry"])
        details["date_of_birth"] = date(1951, 4, 2)
        from koosloome.trips.services import save_travel
        save_travel(person, {**details, "ehic": True}, today=date.today())
        db.session.commit()
    assert len(_rows_with_traces()) == 5  # name, phone, number in the old row; no number in the new
    result = runner.invoke(args=["privacy", "purge"])
    assert "travel details of 1 traveller(s) (14 days after the trip)" in result.output
    remaining = db.session.scalars(select(TravelDetails.event_id)).all()
    assert remaining == [recent.id]
    assert _rows_with_traces() == [f"travel_details: {TRACES[0]}", f"travel_details: {TRACES[1]}"]
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "privacy_purge",
                                                      AuditLog.event_id == old.id)).one()
    assert entry.details["travel_deleted"] == 1


def test_the_api_takes_the_travellers_own_and_shows_organisers_the_list(
        client, make_user, trip, make_registration):
    going = make_registration(trip)
    body = {**_valid(trip), "ehic": False}
    put = client.put(f"/api/v1/r/{going.manage_token}/travel", json=body)
    assert put.status_code == 200, put.get_json()
    assert put.get_json()["travel"]["ehic"] is False
    assert client.get(f"/api/v1/r/{going.manage_token}/travel").get_json()["travel"][
        "room"] == "shared"
    bad = client.put(f"/api/v1/r/{going.manage_token}/travel",
                     json={**body, "date_of_birth": 1951, "room": "suite", "extra": 1})
    assert bad.status_code == 422
    assert {"date_of_birth", "room", "extra"} <= set(bad.get_json()["fields"])
    leader = make_user(Role.ORGANISER, "vpk")
    token = create_api_token(leader)
    trip.trip_leader_id = leader.id
    db.session.commit()
    listed = client.get(f"/api/v1/events/{trip.id}/travel",
                        headers={"Authorization": f"Bearer {token}"})
    assert listed.status_code == 200
    assert listed.get_json()["travellers"][0]["travel"]["emergency_phone"] == "+372 5888 4321"
    other = create_api_token(make_user(Role.ORGANISER, "tas"))
    db.session.commit()
    assert client.get(f"/api/v1/events/{trip.id}/travel",
                      headers={"Authorization": f"Bearer {other}"}).status_code == 403


def test_the_road_lists_and_a_sheet_per_day_come_from_the_same_details(
        client, login, make_user, trip, make_registration):
    from pypdf import PdfReader

    from koosloome.events.models import TripDay
    from koosloome.events.trip_view import trip_dates

    going = make_registration(trip, name="Liisi Õunapuu", phone="+372 5000 1111")
    make_registration(trip, name="Ants Antsla")
    client.post(f"/r/{going.manage_token}/travel", data=_valid(trip))
    trip.itinerary.extend(TripDay(day=day, title_et=f"Linn {n}")
                          for n, day in enumerate(trip_dates(trip), start=1))
    leader = make_user(Role.ORGANISER, "vpk")
    trip.trip_leader_id = leader.id
    db.session.commit()
    login(leader)
    rooming = client.get(f"/admin/events/{trip.id}/travel/rooming.xlsx")
    rows = list(load_workbook(io.BytesIO(rooming.data)).active.iter_rows(values_only=True))
    assert rows[1] == ("Liisi Õunapuu", "Jagan tuba", "Maie Mänd")
    assert rows[2] == ("Ants Antsla", "pole veel andnud", None)
    manifest = client.get(f"/admin/events/{trip.id}/travel/manifest.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(manifest.data)).pages)
    assert "LIISI ÕUNAPUU-KASK" in text and "Istekoht ukse juures" in text
    emergency = client.get(f"/admin/events/{trip.id}/travel/emergency.xlsx")
    rows = list(load_workbook(io.BytesIO(emergency.data)).active.iter_rows(values_only=True))
    assert ("Liisi Õunapuu", "+372 5000 1111", "Aare Õunapuu-Kask", "+372 5888 4321",
            "Jah") in rows
    assert client.get(f"/admin/events/{trip.id}/travel/passwords.pdf").status_code == 404
    sheets = client.get(f"/admin/events/{trip.id}/attendance.pdf")
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(sheets.data)).pages]
    assert len(pages) == len(trip_dates(trip)) == 4
    for number, page in enumerate(pages, start=1):
        assert f"Päev {number}: Linn {number}" in page and "Liisi Õunapuu" in page
    # the same sheets as a workbook: a worksheet per day, each row saying its day
    book = load_workbook(io.BytesIO(client.get(f"/admin/events/{trip.id}/attendance.xlsx").data))
    assert book.sheetnames == ["Päev 1", "Päev 2", "Päev 3", "Päev 4"]
    day_two = list(book["Päev 2"].iter_rows(values_only=True))
    assert day_two[0][:4] == ("Nr", "Sündmus", "Kuupäev", "Nimi")
    assert sorted(row[3] for row in day_two[1:]) == ["Ants Antsla", "Liisi Õunapuu"]
    assert all(row[1].endswith("– Päev 2: Linn 2") and row[2] for row in day_two[1:])
    exports = db.session.scalars(select(AuditLog.details).where(
        AuditLog.action == "trip.travel_details.export")).all()
    assert [e["format"] for e in exports] == ["rooming.xlsx", "manifest.pdf", "emergency.xlsx"]


def test_only_the_trip_leader_sees_the_emergency_contacts(
        client, login, make_user, trip, make_registration):
    going = make_registration(trip, name="Liisi Õunapuu")
    client.post(f"/r/{going.manage_token}/travel", data=_valid(trip))
    organiser, leader = make_user(Role.ORGANISER, "vpk"), make_user(Role.ORGANISER, "vpk")
    outsider = make_user(Role.ORGANISER, "tas")
    token = create_api_token(organiser)
    db.session.commit()
    login(organiser)
    html = _text(client.get(f"/admin/events/{trip.id}/travel"))
    assert "LIISI ÕUNAPUU-KASK" in html  # the rest of the details, yes
    assert "+372 5888 4321" not in html and "Määra reisijuht" in html
    rows = list(load_workbook(io.BytesIO(client.get(
        f"/admin/events/{trip.id}/travel.xlsx").data)).active.iter_rows(values_only=True))
    assert "Hädaolukorra kontakt" not in rows[0] and not any("+372 5888 4321" in row
                                                               for row in rows)
    assert client.get(f"/admin/events/{trip.id}/travel/emergency.pdf").status_code == 403
    api = client.get(f"/api/v1/events/{trip.id}/travel",
                     headers={"Authorization": f"Bearer {token}"}).get_json()
    assert api["emergency_contacts"] is False
    assert "emergency_phone" not in api["travellers"][0]["travel"]
    # the co-organising partner's organiser cannot name anyone (not even themselves)
    trip.co_organiser_id = outsider.organisation_id
    db.session.commit()
    client.post("/logout")
    login(outsider)
    assert client.post(f"/admin/events/{trip.id}/travel/leader",
                       data={"leader": str(outsider.id)}).status_code == 403
    client.post("/logout")
    login(organiser)
    # someone of no partner of the trip cannot be named; the organiser names the leader
    trip.co_organiser_id = None
    db.session.commit()
    refused = client.post(f"/admin/events/{trip.id}/travel/leader",
                          data={"leader": str(outsider.id)})
    assert refused.status_code == 422 and "Viga:" in _text(refused)
    assert client.post(f"/admin/events/{trip.id}/travel/leader",
                       data={"leader": str(leader.id)}).status_code == 302
    assert f"näeb ainult reisijuht {leader.name}" in _text(
        client.get(f"/admin/events/{trip.id}/travel"))
    assert client.get(f"/admin/events/{trip.id}/travel/emergency.pdf").status_code == 403
    client.post("/logout")
    login(leader)
    assert "Aare Õunapuu-Kask, +372 5888 4321" in _text(
        client.get(f"/admin/events/{trip.id}/travel"))
    assert client.get(f"/admin/events/{trip.id}/travel/emergency.pdf").status_code == 200
    named = db.session.scalars(select(AuditLog).where(AuditLog.action == "trip.leader")).one()
    assert named.user_id == organiser.id and named.details["leader"] == leader.id
    # and by the API: null names nobody, a wrong type is refused
    headers = {"Authorization": f"Bearer {token}"}
    assert client.put(f"/api/v1/events/{trip.id}/trip-leader", headers=headers,
                      json={"user_id": "x"}).status_code == 422
    assert client.put(f"/api/v1/events/{trip.id}/trip-leader", headers=headers,
                      json={"user_id": outsider.id}).status_code == 422
    cleared = client.put(f"/api/v1/events/{trip.id}/trip-leader", headers=headers,
                         json={"user_id": None})
    assert cleared.get_json() == {"event_id": trip.id, "trip_leader_id": None}
