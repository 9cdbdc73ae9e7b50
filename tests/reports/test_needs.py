"""The needs overview: minimised counts, the audited named list, the transport list."""

from __future__ import annotations

import pytest

from koosloome.accounts.models import Role
from koosloome.audit import AuditLog
from koosloome.extensions import db
from koosloome.registrations.models import RegistrationStatus
from koosloome.reports.needs import named_list, summarise, transport_list
from tests.factories import organisation
from tests.reports.conftest import add_registrations, counted_queries


@pytest.fixture
def needy_event(make_event):
    event = make_event(title_et="Kaasamise seminar")
    add_registrations(event, 2, needs=("wheelchair", "gluten_free"), name="Mari Mets",
                      phone="+372 5000 0001", transport_needed=True, transport_wheelchair=True,
                      transport_pickup="Antsla bussijaam", companion=True, seats=2)
    add_registrations(event, 1, needs=("sign_language", "gluten_free"), name="Viipe Vello",
                      allergies="pähklid")
    add_registrations(event, 1, needs=("gluten_free",), name="Gluteen Gerda")
    add_registrations(event, 1, needs=("vegan",), status=RegistrationStatus.WAITLISTED,
                      name="Ootel Olga")
    add_registrations(event, 1, name="Tavaline Tiit")
    return event


def test_counts_for_the_venue_and_catering_without_names(staff_client, needy_event):
    response = staff_client(Role.ORGANISER).get(f"/admin/events/{needy_event.id}/needs")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Mari Mets" not in html and "Viipe Vello" not in html and "pähklid" not in html
    summary_texts = " ".join(html.split())
    assert "Ratastooli kasutajad</th><td class=\"num\" data-label=\"Inimesi\">2" in summary_texts
    assert "Eesti viipekeele tõlge</th><td class=\"num\" data-label=\"Inimesi\">1" in summary_texts
    assert "Gluteenivaba</th><td class=\"num\" data-label=\"Inimesi\">4" in summary_texts
    assert "Vegan" not in html  # only confirmed registrations count
    assert db.session.query(AuditLog).filter_by(action="view.health").count() == 0


def test_summary_counts_companions_transport_and_allergies(needy_event):
    from koosloome.reports import participants
    data = participants.load(needy_event, statuses=[RegistrationStatus.CONFIRMED],
                             with_needs=True)
    summary = summarise(data.registrations, data.needs)
    assert (summary.people, summary.seats) == (5, 7)
    assert summary.companions == 2 and summary.transport == 2
    assert summary.transport_wheelchair == 2 and summary.allergies == 1
    assert {line.code: line.count for line in summary.catering} == {"gluten_free": 4}
    people = named_list(data.registrations, data.needs)
    assert [person.name for person in people] == ["Gluteen Gerda", "Mari Mets", "Mari Mets",
                                                  "Viipe Vello"]
    rows = transport_list(data.registrations)
    assert [(row.pickup, row.companion, row.wheelchair) for row in rows] == [
        ("Antsla bussijaam", True, True), ("Antsla bussijaam", True, True)]


def test_named_list_is_shown_on_request_and_audited(staff_client, needy_event):
    client = staff_client(Role.ORGANISER)
    html = client.get(f"/admin/events/{needy_event.id}/needs?names=1").get_data(as_text=True)
    assert "Viipe Vello" in html and "pähklid" in html and "Tavaline Tiit" not in html
    entry = db.session.query(AuditLog).filter_by(action="view.health").one()
    assert entry.user_id == client.user.id and entry.event_id == needy_event.id
    assert entry.details == {"people": 4}


def test_transport_list_has_pickups_phones_and_flags_and_is_audited(staff_client, needy_event):
    client = staff_client(Role.ADMIN)
    html = client.get(f"/admin/events/{needy_event.id}/transport").get_data(as_text=True)
    assert "Antsla bussijaam" in html and "+372 5000 0001" in html
    assert "Viipe Vello" not in html and "Gluteenivaba" not in html
    assert db.session.query(AuditLog).filter_by(action="view.transport").count() == 1


def test_needs_pages_are_not_cached(staff_client, needy_event):
    response = staff_client(Role.ADMIN).get(f"/admin/events/{needy_event.id}/needs?names=1")
    assert response.headers["Cache-Control"] == "no-store"


def test_needs_overview_runs_a_fixed_number_of_queries(staff_client, make_event):
    event = make_event()
    client = staff_client(Role.ADMIN)
    add_registrations(event, 3, needs=("wheelchair",), transport_needed=True)
    url = f"/admin/events/{event.id}/needs?names=1"
    with counted_queries() as few:
        client.get(url)
    add_registrations(event, 500, needs=("wheelchair", "vegan"), transport_needed=True)
    with counted_queries() as many:
        client.get(url)
    assert len(many) == len(few)
    with counted_queries() as few:
        client.get(f"/admin/events/{event.id}/transport")
    assert len(few) < 12


@pytest.mark.parametrize(
    ("role", "partner", "co_organised", "expected"),
    [
        (Role.FACILITATOR, "vpk", False, 403),
        (Role.ORGANISER, "tas", False, 403),
        (Role.ORGANISER, "vpk", False, 200),
        (Role.ORGANISER, "tas", True, 200),
        (Role.ADMIN, "tas", False, 200),
    ],
)
def test_who_may_see_needs(staff_client, make_event, role, partner, co_organised, expected):
    event = make_event(organisation=organisation("vpk"),
                       co_organiser=organisation("tas") if co_organised else None)
    client = staff_client(role, partner)
    for path in ("needs", "needs?names=1", "transport"):
        assert client.get(f"/admin/events/{event.id}/{path}").status_code == expected


def test_named_list_is_refused_without_health_permission(staff_client, make_event, monkeypatch):
    event = make_event()
    monkeypatch.setattr("koosloome.reports.routes.can_see_health_data", lambda user, ev: False)
    client = staff_client(Role.ORGANISER)
    html = client.get(f"/admin/events/{event.id}/needs").get_data(as_text=True)
    assert "names=1" not in html
    assert client.get(f"/admin/events/{event.id}/needs?names=1").status_code == 403
    assert client.get(f"/admin/events/{event.id}/transport").status_code == 403
