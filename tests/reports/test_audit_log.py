"""The audit log viewer: admins only, filters, pagination, bounded queries."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from koosloome import audit
from koosloome.accounts.models import Role
from koosloome.audit import AuditLog
from koosloome.extensions import db
from tests.reports.conftest import counted_queries


def _entries(count: int, **fields) -> None:
    for _ in range(count):
        audit.record(**fields)
    db.session.commit()


def test_admin_sees_entries_with_names(staff_client, make_event, make_user):
    event = make_event(title_et="Auditi seminar")
    organiser = make_user(Role.ORGANISER, name="Kadri Kuusk")
    _entries(1, action="export.health", user_id=organiser.id, event_id=event.id,
             object_type="event", object_id=event.id, format="csv")
    html = staff_client(Role.ADMIN).get("/admin/audit").get_data(as_text=True)
    assert "Kadri Kuusk" in html and "Auditi seminar" in html
    assert "Eksportis registreerimised koos terviseandmetega" in html and "format: csv" in html


def test_filters_by_user_action_event_and_dates(staff_client, make_event, make_user):
    client = staff_client(Role.ADMIN)
    event, other = make_event(), make_event()
    one, two = make_user(Role.ORGANISER), make_user(Role.ORGANISER)
    _entries(2, action="view.health", user_id=one.id, event_id=event.id)
    _entries(3, action="export.registrations", user_id=two.id, event_id=other.id)
    db.session.add(AuditLog(action="login", user_id=one.id, at=datetime(2024, 1, 5, tzinfo=UTC)))
    db.session.commit()
    assert "2 kirjet" in client.get(f"/admin/audit?user={one.id}&start=2025-01-01").get_data(
        as_text=True)
    assert "3 kirjet" in client.get("/admin/audit?action=export.registrations").get_data(
        as_text=True)
    assert "2 kirjet" in client.get(f"/admin/audit?event={event.id}").get_data(as_text=True)
    html = client.get("/admin/audit?start=2024-01-01&end=2024-01-31").get_data(as_text=True)
    assert "1 kirje" in html


def test_bad_filters_show_the_error_summary(staff_client):
    response = staff_client(Role.ADMIN).get("/admin/audit?start=2025-02-01&end=2025-01-01")
    assert response.status_code == 422
    assert "error-summary" in response.get_data(as_text=True)


def test_pages_of_fifty_with_a_fixed_number_of_queries(staff_client):
    client = staff_client(Role.ADMIN)
    _entries(10, action="login", actor="cli")
    with counted_queries() as few:
        client.get("/admin/audit")
    _entries(120, action="login", actor="cli")
    with counted_queries() as many:
        html = client.get("/admin/audit?action=login&page=2").get_data(as_text=True)
    assert len(many) == len(few)
    assert "Lehekülg 2 / 3" in html and "page=3" in html and "page=1" in html
    assert html.count("<tr>") == 51


@pytest.mark.parametrize(
    ("role", "partner", "expected"),
    [
        (Role.FACILITATOR, "vpk", 403),
        (Role.ORGANISER, "vpk", 403),
        (Role.ORGANISER, "tas", 403),
        (Role.ADMIN, "tas", 200),
    ],
)
def test_only_admins_read_the_audit_log(staff_client, role, partner, expected):
    assert staff_client(role, partner).get("/admin/audit").status_code == expected
