"""The audit log viewer: admins only, filters, pagination, bounded queries."""

from __future__ import annotations

import ast
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

import koosloome
from koosloome import audit
from koosloome.accounts.models import Role
from koosloome.audit import AuditLog
from koosloome.extensions import db
from koosloome.reports.audit_log import ACTION_LABELS
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
    assert "Eksportis registreeringud koos terviseandmetega" in html and "Vorming: csv" in html
    assert "Sündmus " in html and "event " not in html


def _recorded_actions() -> set[str]:
    """Every action code the application records (read from its code)."""
    actions: set[str] = set()
    for path in Path(koosloome.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name not in ("record", "record_access"):
                continue
            first = node.args[0]
            if isinstance(first, ast.JoinedStr):  # f"board.{action}": its callers' actions
                actions |= {f"board.{action}" for action in _board_actions()}
            actions |= {c.value for c in ast.walk(first)
                        if isinstance(c, ast.Constant) and isinstance(c.value, str)
                        and not isinstance(first, ast.JoinedStr)}
    return actions


def _board_actions() -> set[str]:
    source = (Path(koosloome.__file__).parent / "boards" / "facilitation.py").read_text()
    return set(re.findall(r'_audit\(user, "([a-z_]+)"', source))


def test_every_recorded_action_reads_as_words():
    """Issue 16.10: the log shows what happened, not codes like event.create."""
    actions = _recorded_actions()
    assert {"event.create", "evidence.download", "board.merge", "feedback.hide"} <= actions
    assert actions - set(ACTION_LABELS) == set()


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
