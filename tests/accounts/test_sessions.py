"""Sign-ins can be ended (issue 15.10): a cookie copied before signing out, before a password
change or before deactivation opens nothing afterwards; "sign out everywhere" ends every
sign-in; signing in starts a fresh session with a new CSRF token."""

from __future__ import annotations

import re

import pytest

from koosloome.accounts.models import Role
from koosloome.accounts.services import set_password
from koosloome.extensions import db

PASSWORD = "correct horse battery"


def _session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def _thief(app, cookie: str):
    """Another browser holding a copy of the cookie."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other


def _back_office(client) -> int:
    return client.get("/admin/").status_code


@pytest.fixture
def signed_in(app, make_user):
    user = make_user(Role.ORGANISER, "vpk")
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return user, client


def test_a_copied_cookie_stops_working_when_its_owner_signs_out(app, signed_in):
    _user, client = signed_in
    copy = _thief(app, _session_cookie(client))
    assert _back_office(copy) == 200
    client.post("/logout")
    assert _back_office(copy) == 302  # to the sign-in page


def test_a_new_password_ends_every_sign_in(app, signed_in):
    user, client = signed_in
    copy = _thief(app, _session_cookie(client))
    set_password(user, "uus väga pikk salasõna")
    db.session.commit()
    assert _back_office(copy) == 302 and _back_office(client) == 302


def test_deactivation_ends_every_sign_in(app, signed_in, make_user, login):
    user, client = signed_in
    admin = make_user(Role.ADMIN, "vpk")
    admin_client = login(admin)
    response = admin_client.post(f"/admin/users/{user.id}", data={
        "name": user.name, "email": user.email, "role": "organiser", "organisation": "vpk",
        "active": ""})
    assert response.status_code in (200, 302)
    db.session.refresh(user)
    assert not user.active
    user.active = True  # even reactivated at once, the old sign-in stays ended
    db.session.commit()
    assert _back_office(client) == 302


def test_sign_out_everywhere(app, signed_in):
    _user, client = signed_in
    copy = _thief(app, _session_cookie(client))
    assert "Logi välja kõigis seadmetes" in client.get("/admin/").get_data(as_text=True)
    response = client.post("/sign-out-everywhere")
    assert response.status_code == 302
    assert _back_office(copy) == 302 and _back_office(client) == 302


def test_signing_in_starts_a_fresh_session_and_csrf_token(app, make_user):
    app.config["WTF_CSRF_ENABLED"] = True
    user = make_user(Role.ORGANISER, "vpk")
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    form_token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    with client.session_transaction() as before:
        before["planted"] = "by someone else"
        token_before = before["csrf_token"]
    response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                           "csrf_token": form_token})
    assert response.status_code == 302
    with client.session_transaction() as after:
        assert "planted" not in after
        assert after.get("csrf_token") != token_before
