"""The trip report (issue 18.5): written stop by stop after the trip, in the evidence pack,
and published as the trip's public "what we learned" page without the contacts."""

from __future__ import annotations

import io
import re
from datetime import time, timedelta

from pypdf import PdfReader

from koosloome.accounts.models import Role
from koosloome.accounts.services import create_api_token
from koosloome.db import utcnow
from koosloome.events.models import EventKind, TripDay, TripStop
from koosloome.events.trip_view import trip_dates
from koosloome.extensions import db


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def _done_trip(make_event):
    starts = utcnow().replace(microsecond=0) - timedelta(days=20)
    trip = make_event(kind=EventKind.STUDY_TRIP, starts_at=starts,
                      ends_at=starts + timedelta(days=2), title_et="Õppereis Austriasse")
    day = TripDay(day=trip_dates(trip)[1], title_et="Steiermark")
    day.stops.append(TripStop(at=time(9, 30), place_et="Eakate keskus", country="AT",
                              host="Kohalik tegevusgrupp"))
    trip.itinerary.append(day)
    db.session.commit()
    return trip, day.stops[0]


def test_the_report_is_written_stop_by_stop_and_published_without_contacts(
        client, login, make_user, make_event):
    trip, stop = _done_trip(make_event)
    assert client.get(f"/events/{trip.slug}/learned").status_code == 404
    login(make_user(Role.ORGANISER, "vpk"))
    form = _text(client.get(f"/admin/events/{trip.id}/report"))
    assert "Eakate keskus" in form
    saved = client.post(f"/admin/events/{trip.id}/report", data={
        f"stop_{stop.id}_et": "Eakad kavandavad keskuse päeva ise, kord nädalas.",
        "summary_et": "Koosloome töötab, kui eakad on algusest peale laua taga.",
        "next_steps_et": "Rõuge külaselts proovib sama talvel.",
        "contacts": "Maria Huber, keskuse juhataja, +43 660 000000", "publish": "y"})
    assert saved.status_code == 302
    page = client.get(f"/events/{trip.slug}/learned")
    html = _text(page)
    assert page.status_code == 200
    for text in ("Eakad kavandavad keskuse päeva ise", "laua taga",
                 "Rõuge külaselts proovib sama talvel", "Päev 2"):
        assert text in html, text
    assert "Maria Huber" not in html and "+43" not in html
    assert "Mida me sellel reisil õppisime" in _text(client.get(f"/events/{trip.slug}"))
    pack = client.get(f"/admin/events/{trip.id}/evidence.pdf")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pack.data)).pages)
    assert "Reisi aruanne" in text and "Eakate keskus: Eakad kavandavad" in text
    assert "Maria Huber" in text  # the contacts are for the evidence
    client.post(f"/admin/events/{trip.id}/report", data={"summary_et": "Mustand"})
    assert client.get(f"/events/{trip.slug}/learned").status_code == 404  # taken down


def test_the_api_writes_and_reads_the_report(client, make_user, make_event):
    trip, stop = _done_trip(make_event)
    token = create_api_token(make_user(Role.ORGANISER, "vpk"))
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    put = client.put(f"/api/v1/events/{trip.id}/report", headers=headers, json={
        "summary_et": "Õppisime palju.", "contacts": "Hr Huber", "publish": True,
        "stops": {str(stop.id): {"learned_et": "Ise kavandamine", "learned_en": "Self-planning"}}})
    assert put.status_code == 200, put.get_json()
    public = client.get(f"/api/v1/events/{trip.id}/report").get_json()
    assert public["summary_et"] == "Õppisime palju." and "contacts" not in public
    assert public["stops"][0]["learned_en"] == "Self-planning"
    bad = client.put(f"/api/v1/events/{trip.id}/report", headers=headers,
                     json={"publish": "yes", "stops": {"999": {"learned_et": "x"}}, "x": 1})
    assert bad.status_code == 422
    assert {"publish", "stops-999", "x"} <= set(bad.get_json()["fields"])
    other = create_api_token(make_user(Role.ORGANISER, "tas"))
    db.session.commit()
    assert client.put(f"/api/v1/events/{trip.id}/report", json={},
                      headers={"Authorization": f"Bearer {other}"}).status_code == 403
