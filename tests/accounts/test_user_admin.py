"""Admins manage staff accounts: list, create (with a set-password e-mail), edit, send links."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from koosloome.accounts.models import Role, User
from koosloome.audit import AuditLog
from koosloome.extensions import db
from koosloome.messaging.models import OutgoingEmail
from tests.reports.conftest import counted_queries


def _user(email: str) -> User:
    return db.session.scalars(select(User).where(User.email == email)).one()


def test_list_shows_every_account_in_a_fixed_number_of_queries(staff_client, make_user):
    client = staff_client(Role.ADMIN)
    make_user(Role.FACILITATOR, "tas", name="Fiia Facilitaator")
    with counted_queries() as few:
        html = client.get("/admin/users/").get_data(as_text=True)
    assert "Fiia Facilitaator" in html and "Läbiviija" in html
    for _ in range(5):
        make_user(Role.ORGANISER)
    with counted_queries() as many:
        client.get("/admin/users/")
    assert len(many) == len(few)


def test_admin_creates_an_account_and_its_owner_gets_a_link(staff_client):
    client = staff_client(Role.ADMIN)
    response = client.post("/admin/users/new", data={
        "name": "Uus Korraldaja", "email": "Uus@Example.ee", "role": "organiser",
        "organisation": "tas", "active": "y"})
    assert response.status_code == 302
    user = _user("uus@example.ee")
    assert user.role is Role.ORGANISER and user.organisation.slug == "tas"
    assert user.password_hash is None and user.active
    email = db.session.scalars(select(OutgoingEmail)).one()
    assert email.kind == "password_reset" and email.to_address == "uus@example.ee"
    assert "administraator" in email.body_text
    assert db.session.query(AuditLog).filter_by(action="user.create").one().object_id == user.id


def test_create_form_keeps_input_and_shows_errors(staff_client, make_user):
    client = staff_client(Role.ADMIN)
    taken = make_user(Role.ORGANISER)
    response = client.post("/admin/users/new", data={
        "name": "Mari", "email": taken.email, "role": "facilitator", "organisation": "vpk"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "error-summary" in html and 'value="Mari"' in html
    assert "Sama e-posti aadressiga konto on juba olemas" in html
    response = client.post("/admin/users/new", data={"name": "", "email": "x"})
    assert response.status_code == 422
    assert "Vali roll" in response.get_data(as_text=True)


def test_admin_changes_role_organisation_and_deactivates(staff_client, make_user):
    client = staff_client(Role.ADMIN)
    user = make_user(Role.ORGANISER, "vpk")
    assert f'value="{user.email}"' in client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    response = client.post(f"/admin/users/{user.id}", data={
        "name": user.name, "email": user.email, "role": "facilitator", "organisation": "tas"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.role is Role.FACILITATOR and user.organisation.slug == "tas"
    assert not user.active
    entry = db.session.query(AuditLog).filter_by(action="user.update").one()
    assert entry.details["role"] == "facilitator" and entry.details["active"] == "False"


def test_admins_cannot_lock_themselves_out(staff_client):
    client = staff_client(Role.ADMIN)
    me = client.user
    response = client.post(f"/admin/users/{me.id}", data={
        "name": me.name, "email": me.email, "role": "organiser", "organisation": "vpk",
        "active": "y"})
    assert response.status_code == 422
    assert "administraatori rolli" in response.get_data(as_text=True)
    db.session.refresh(me)
    assert me.role is Role.ADMIN


def test_admin_sends_a_password_link(staff_client, make_user):
    client = staff_client(Role.ADMIN)
    user = make_user(Role.FACILITATOR)
    response = client.post(f"/admin/users/{user.id}/password-link")
    assert response.status_code == 302
    assert db.session.scalars(select(OutgoingEmail)).one().to_address == user.email
    assert db.session.query(AuditLog).filter_by(action="password.reset_sent").one().user_id \
        == client.user.id


@pytest.mark.parametrize(
    ("role", "partner", "expected"),
    [
        (Role.FACILITATOR, "vpk", 403),
        (Role.ORGANISER, "vpk", 403),
        (Role.ORGANISER, "tas", 403),
        (Role.ADMIN, "tas", 200),
    ],
)
def test_only_admins_manage_accounts(staff_client, make_user, role, partner, expected):
    other = make_user(Role.ORGANISER, "vpk")
    client = staff_client(role, partner)
    assert client.get("/admin/users/").status_code == expected
    assert client.get("/admin/users/new").status_code == expected
    assert client.get(f"/admin/users/{other.id}").status_code == expected
    posted = client.post(f"/admin/users/{other.id}/password-link").status_code
    assert posted == (302 if expected == 200 else 403)


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/admin/users/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
