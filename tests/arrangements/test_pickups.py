"""Pick-ups from home (issue 17.1): time, the way back, the vehicle, the driver (staff or a
volunteer), and each driver's route in pick-up order; audited as health reads, and gone with
the rest of the health data."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from koosloome.accounts.models import Role
from koosloome.arrangements.models import Pickup, Volunteer
from koosloome.audit import AuditLog
from koosloome.extensions import db
from koosloome.registrations.models import RegistrationStatus
from koosloome.registrations.personal_data import withdraw_health_consent
from tests.factories import writing


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


@pytest.fixture
def world(make_event, make_registration, make_user, login):
    # 2030-05-14 10:00 in Tallinn (UTC+3 in summer)
    event = make_event(starts_at=datetime(2030, 5, 14, 7, tzinfo=UTC),
                       ends_at=datetime(2030, 5, 14, 12, tzinfo=UTC))
    organiser = make_user(Role.ORGANISER, "vpk", name="Kadri Kuusk")
    ants = make_registration(event, name="Ants Allik", phone="+372 5000 0001",
                             transport_needed=True, transport_pickup="Haani tee 5, Rõuge",
                             transport_wheelchair=True)
    liis = make_registration(event, name="Liis Laas", transport_needed=True,
                             transport_pickup="Kirikuküla 2", companion=True)
    make_registration(event, name="Ootel Olev", transport_needed=True, transport_pickup="X",
                      status=RegistrationStatus.WAITLISTED)
    volunteer = Volunteer(organisation_id=organiser.organisation_id, name="Jaan Jõgi",
                          phone="+372 5000 0099")
    db.session.add(volunteer)
    db.session.commit()
    return {"event": event, "client": login(organiser), "organiser": organiser, "ants": ants,
            "liis": liis, "volunteer": volunteer}


def test_an_organiser_plans_rides_and_each_driver_gets_a_route_in_order(world):
    client, event = world["client"], world["event"]
    page = _text(client.get(f"/admin/events/{event.id}/pickups"))
    assert "Ants Allik" in page and "Liis Laas" in page and "Ootel Olev" not in page
    assert "ratastoolile sobiv" in page  # from the registration until someone decides
    form = client.get(f"/admin/events/{event.id}/pickups/{world['ants'].id}")
    assert "Jaan Jõgi (vabatahtlik)" in form.get_data(as_text=True)
    for rider, at in ((world["liis"], "08:15"), (world["ants"], "08:40")):
        response = client.post(f"/admin/events/{event.id}/pickups/{rider.id}", data={
            "pickup_time": at, "return_trip": "y", "return_time": "15:30",
            "accessible_vehicle": "y" if rider is world["ants"] else "",
            "driver": f"volunteer-{world['volunteer'].id}", "note": "Helista väravast"})
        assert response.status_code == 302
    ants = db.session.get(Pickup, world["ants"].id)
    assert ants.pickup_at == datetime(2030, 5, 14, 5, 40, tzinfo=UTC)  # 08:40 in Tallinn
    assert ants.return_at == datetime(2030, 5, 14, 12, 30, tzinfo=UTC)
    routes = _text(client.get(f"/admin/events/{event.id}/pickups/routes"))
    assert "Juht: Jaan Jõgi, +372 5000 0099" in routes
    assert routes.index("08:15 · Liis Laas") < routes.index("08:40 · Ants Allik")
    assert "Ratastool: vaja on ratastoolile sobivat sõidukit" in routes
    assert "Tagasi koju: väljub kell 15:30" in routes
    reads = db.session.scalars(select(AuditLog.action).where(
        AuditLog.action == "view.pickups")).all()
    assert len(reads) == 2


def test_the_driver_must_be_one_of_the_partners_people(world, make_user):
    client, event = world["client"], world["event"]
    stranger = make_user(Role.ORGANISER, "tas")
    response = client.post(f"/admin/events/{event.id}/pickups/{world['ants'].id}",
                           data={"pickup_time": "08:00", "driver": f"staff-{stranger.id}"})
    assert response.status_code == 422
    assert db.session.get(Pickup, world["ants"].id) is None
    assert client.get(f"/admin/events/{event.id}/pickups/999999").status_code == 404


def test_facilitators_see_no_pickups(world, make_user, app):
    facilitator = make_user(Role.FACILITATOR, "vpk")
    other = app.test_client()
    other.post("/login", data={"email": facilitator.email, "password": "correct horse battery"})
    assert other.get(f"/admin/events/{world['event'].id}/pickups").status_code == 403


def test_the_planned_ride_goes_with_the_health_data(world):
    client, event, ants = world["client"], world["event"], world["ants"]
    client.post(f"/admin/events/{event.id}/pickups/{ants.id}",
                data={"pickup_time": "08:40", "note": "Värav on sinine"})
    assert db.session.get(Pickup, ants.id) is not None
    with writing():
        withdraw_health_consent(db.session.merge(ants))
        db.session.commit()
    assert db.session.get(Pickup, ants.id) is None
