"""Staff sign-in and sign-out; access to the back office."""

from __future__ import annotations

from sqlalchemy import select

from koosloome.accounts.models import Role
from koosloome.audit import AuditLog
from koosloome.extensions import db


def test_login_page_works_with_password_managers(client):
    html = client.get("/login").get_data(as_text=True)
    assert 'autocomplete="username"' in html
    assert 'autocomplete="current-password"' in html
    assert "captcha" not in html.lower()


def test_staff_signs_in_and_lands_in_the_back_office(client, make_user):
    user = make_user(Role.ORGANISER, name="Kadri Kuusk")
    response = client.post("/login", data={"email": user.email.upper(),
                                           "password": "correct horse battery"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"
    html = client.get("/admin/").get_data(as_text=True)
    assert "Kadri Kuusk" in html
    assert db.session.scalars(select(AuditLog.action)).all() == ["login"]


def test_wrong_password_and_unknown_email_get_the_same_answer(client, make_user):
    user = make_user()
    wrong = client.post("/login", data={"email": user.email, "password": "wrong password!"})
    unknown = client.post("/login", data={"email": "nobody@example.ee", "password": "whatever1"})
    assert wrong.status_code == unknown.status_code == 200
    text = "E-posti aadress või parool ei ole õige."
    assert text in wrong.get_data(as_text=True)
    assert text in unknown.get_data(as_text=True)
    assert 'value="nobody@example.ee"' in unknown.get_data(as_text=True)  # typed text kept


def test_empty_login_form_shows_an_error_summary_linked_to_fields(client):
    html = client.post("/login", data={}).get_data(as_text=True)
    assert "<title>Viga:" in html
    assert 'class="error-summary" role="alert"' in html
    assert 'href="#email"' in html
    assert 'aria-describedby="email-error"' in html


def test_inactive_user_cannot_sign_in(client, make_user):
    user = make_user(active=False)
    response = client.post("/login", data={"email": user.email,
                                           "password": "correct horse battery"})
    assert response.status_code == 200


def test_back_office_needs_sign_in(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_login_redirects_only_to_local_next(client, make_user):
    user = make_user()
    response = client.post("/login?next=https://evil.example/",
                           data={"email": user.email, "password": "correct horse battery"})
    assert response.headers["Location"] == "/admin/"


def test_sign_out(login, make_user):
    client = login(make_user())
    response = client.post("/logout")
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 302
