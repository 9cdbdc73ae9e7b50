"""Self-service password reset for staff: same answer for any address, one-hour single-use
links, rate limit, autocomplete for password managers."""

from __future__ import annotations

import re

from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select

from koosloome.accounts import password_reset
from koosloome.accounts.models import Role
from koosloome.audit import AuditLog
from koosloome.extensions import db
from koosloome.messaging.models import OutgoingEmail


def _reset_emails() -> list[OutgoingEmail]:
    return list(db.session.scalars(select(OutgoingEmail).where(
        OutgoingEmail.kind == "password_reset")))


def _link_path(email: OutgoingEmail) -> str:
    match = re.search(r"http://koosloome\.test(/reset-password/\S+)", email.body_text)
    assert match, email.body_text
    return match.group(1)


def test_known_and_unknown_addresses_get_the_same_answer(client, make_user):
    user = make_user(Role.ORGANISER)
    known = client.post("/forgot-password", data={"email": user.email.upper()})
    unknown = client.post("/forgot-password", data={"email": "nobody@example.ee"})
    assert known.status_code == unknown.status_code == 200
    strip = lambda response: response.get_data(as_text=True).replace(user.email.upper(), "X")  # noqa: E731
    assert strip(known) == unknown.get_data(as_text=True).replace("nobody@example.ee", "X")
    emails = _reset_emails()
    assert [email.to_address for email in emails] == [user.email]


def test_reset_email_has_text_and_html_with_the_link(client, make_user):
    user = make_user(Role.FACILITATOR, name="Tiina Tamm")
    client.post("/forgot-password", data={"email": user.email})
    email = _reset_emails()[0]
    assert email.subject == "Määra oma Koosloome parool"
    assert "Tere, Tiina Tamm" in email.body_text
    assert _link_path(email) in email.body_html and "<a href=" in email.body_html
    assert "1 tunni" in email.body_text


def test_the_link_sets_a_new_password_once(client, make_user):
    user = make_user(Role.ORGANISER)
    client.post("/forgot-password", data={"email": user.email})
    path = _link_path(_reset_emails()[0])
    page = client.get(path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count('autocomplete="new-password"') == 2 and 'autocomplete="username"' in html
    response = client.post(path, data={"password": "uus pikk parool", "confirm": "uus pikk parool"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert client.post("/login", data={"email": user.email,
                                       "password": "uus pikk parool"}).status_code == 302
    assert client.get(path).status_code == 410  # spent: the password hash changed
    assert client.post(path, data={"password": "kolmas parool x",
                                   "confirm": "kolmas parool x"}).status_code == 410
    assert db.session.query(AuditLog).filter_by(action="password.reset").count() == 1


def test_expired_and_forged_links_do_not_work(client, make_user, app, monkeypatch):
    user = make_user(Role.ORGANISER)
    token = password_reset.reset_token(user)
    monkeypatch.setattr(password_reset, "TOKEN_MAX_AGE", -1)
    assert client.get(f"/reset-password/{token}").status_code == 410
    monkeypatch.undo()
    forged = URLSafeTimedSerializer("another key", salt="koosloome-password-reset").dumps(
        {"u": user.id, "p": "x"})
    assert client.get(f"/reset-password/{forged}").status_code == 410
    assert client.get("/reset-password/nonsense").status_code == 410
    assert client.get(f"/reset-password/{token}").status_code == 200


def test_deactivated_users_get_no_link_and_their_links_stop(client, make_user):
    user = make_user(Role.ORGANISER)
    token = password_reset.reset_token(user)
    user.active = False
    db.session.commit()
    client.post("/forgot-password", data={"email": user.email})
    assert _reset_emails() == []
    assert client.get(f"/reset-password/{token}").status_code == 410


def test_new_password_errors_keep_the_page_and_show_the_summary(client, make_user):
    user = make_user(Role.ORGANISER)
    path = f"/reset-password/{password_reset.reset_token(user)}"
    response = client.post(path, data={"password": "short", "confirm": "other"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "error-summary" in html and "Viga:" in html
    assert "Kasuta vähemalt 10 tähemärki" in html
    response = client.post(path, data={"password": "long enough pw", "confirm": "different pw"})
    assert "Paroolid ei ole samad" in response.get_data(as_text=True)


def test_forgot_password_form_errors_keep_what_was_typed(client):
    response = client.post("/forgot-password", data={"email": "not-an-address"})
    assert response.status_code == 422
    assert 'value="not-an-address"' in response.get_data(as_text=True)


def test_forgot_password_is_rate_limited(make_config, make_user):
    from koosloome import create_app
    app = create_app(make_config(RATELIMIT_ENABLED=True))
    client = app.test_client()
    codes = [client.post("/forgot-password", data={"email": "x@example.ee"}).status_code
             for _ in range(6)]
    assert codes[:5] == [200] * 5 and codes[5] == 429


def test_login_page_links_to_the_forgotten_password_page(client):
    assert 'href="/forgot-password"' in client.get("/login").get_data(as_text=True)
