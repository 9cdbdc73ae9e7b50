"""Security headers on every response; cookie flags that follow BASE_URL."""

from __future__ import annotations

import re

import pytest
from flask_login import login_user

from koosloome.accounts.models import Role
from koosloome.accounts.services import create_api_token


def _directives(policy: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


@pytest.mark.parametrize("path", ["/", "/help", "/login", "/no-such-page", "/healthz",
                                  "/static/css/koosloome.css"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    response.close()  # static files are streamed from an open file
    headers = response.headers
    policy = _directives(headers["Content-Security-Policy"])
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["base-uri"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert "unsafe-eval" not in headers["Content-Security-Policy"]
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in headers["Permissions-Policy"]
    assert "geolocation=()" in headers["Permissions-Policy"]


def test_error_and_redirect_responses_carry_them_too(client):
    assert "Content-Security-Policy" in client.post("/help").headers  # 405
    assert "Content-Security-Policy" in client.get("/admin/").headers  # 302 to login


def test_pages_have_no_inline_scripts_styles_or_event_handlers(client, make_event):
    make_event(slug="avatud-seminar")
    for path in ("/", "/events/avatud-seminar", "/help", "/login", "/no-such-page"):
        html = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), path
        assert "<style" not in html, path
        assert not re.search(r"\sstyle=", html), path
        assert not re.search(r"\son[a-z]+=", html), path


def test_no_hsts_over_plain_http(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


@pytest.fixture
def https_app(make_app):
    return make_app(BASE_URL="https://koosloome.example.ee")


def test_hsts_when_base_url_is_https(https_app):
    response = https_app.test_client().get("/", base_url="https://koosloome.example.ee")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_hsts_includes_subdomains_only_when_configured(make_app):
    app = make_app(BASE_URL="https://koosloome.example.ee", HSTS_INCLUDE_SUBDOMAINS=True)
    response = app.test_client().get("/", base_url="https://koosloome.example.ee")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_hsts_can_be_turned_off(make_app):
    app = make_app(BASE_URL="https://koosloome.example.ee", HSTS_MAX_AGE=0)
    assert "Strict-Transport-Security" not in app.test_client().get("/").headers


def _session_cookie(response, name: str = "session") -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith(f"{name}=")]
    assert cookies, response.headers
    return cookies[0]


def test_session_cookie_is_httponly_and_samesite_lax_over_http(client, make_user):
    user = make_user(Role.ORGANISER)
    response = client.post("/login", data={"email": user.email,
                                           "password": "correct horse battery"})
    cookie = _session_cookie(response)
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_session_and_remember_cookies_are_secure_when_base_url_is_https(https_app, make_user):
    assert https_app.config["REMEMBER_COOKIE_SECURE"] is True
    assert https_app.config["REMEMBER_COOKIE_HTTPONLY"] is True
    assert https_app.config["REMEMBER_COOKIE_SAMESITE"] == "Lax"
    user = make_user(Role.ORGANISER)
    response = https_app.test_client().post(
        "/login",
        data={"email": user.email, "password": "correct horse battery"},
        base_url="https://koosloome.example.ee",
    )
    cookie = _session_cookie(response, "__Host-session")
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_login_with_csrf_works_over_https_with_the_referrer_policy(make_app, make_user):
    # Flask-WTF checks the Referer of HTTPS form posts; "same-origin" still sends it.
    app = make_app(BASE_URL="https://koosloome.example.ee", WTF_CSRF_ENABLED=True)
    user = make_user(Role.ORGANISER)
    client = app.test_client()
    base = "https://koosloome.example.ee"
    html = client.get("/login", base_url=base).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    response = client.post("/login", base_url=base, headers={"Referer": base + "/login"},
                           data={"csrf_token": token, "email": user.email,
                                 "password": "correct horse battery"})
    assert response.status_code == 302


def test_staff_pages_are_not_cached(login, make_user):
    client = login(make_user(Role.ORGANISER))
    assert client.get("/admin/").headers["Cache-Control"] == "no-store"


def test_public_pages_stay_cacheable(client):
    assert client.get("/help").headers.get("Cache-Control") != "no-store"


def test_session_cookie_takes_the_host_prefix_under_https(https_app, make_user):
    # __Host-: the browser refuses it unless Secure, Path=/ and without Domain, so no sibling
    # subdomain can plant a session (fixation) or overwrite this one.
    user = make_user(Role.ORGANISER)
    client = https_app.test_client()
    response = client.post("/login", base_url="https://koosloome.example.ee",
                           data={"email": user.email, "password": "correct horse battery"})
    cookie = _session_cookie(response, "__Host-session")
    assert "Secure" in cookie
    assert "Path=/;" in cookie or cookie.endswith("Path=/")
    assert "Domain=" not in cookie
    admin = client.get("/admin/", base_url="https://koosloome.example.ee")
    assert admin.status_code == 200  # the renamed cookie signs the person in


def test_remember_cookie_takes_the_host_prefix_under_https(https_app, make_user):
    user = make_user(Role.ORGANISER)
    with https_app.test_request_context(base_url="https://koosloome.example.ee"):
        login_user(user, remember=True)
        response = https_app.process_response(https_app.response_class())
    cookies = response.headers.getlist("Set-Cookie")
    remember = [c for c in cookies if c.startswith("__Host-remember_token=")]
    assert remember, cookies
    assert "Secure" in remember[0]
    assert "Path=/" in remember[0]
    assert "Domain=" not in remember[0]


def test_cookies_keep_their_plain_names_over_http(client, make_user):
    user = make_user(Role.ORGANISER)
    response = client.post("/login", data={"email": user.email,
                                           "password": "correct horse battery"})
    assert _session_cookie(response).startswith("session=")


def test_a_registration_form_shown_again_with_errors_is_not_cached(client, make_event):
    event = make_event()
    response = client.post(f"/events/{event.slug}/register",
                           data={"name": "Mari", "needs_note": "ratastool, pähkliallergia"})
    assert response.status_code == 422
    assert "pähkliallergia" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"


def test_the_empty_registration_form_stays_cacheable(client, make_event):
    event = make_event()
    response = client.get(f"/events/{event.slug}/register")
    assert response.status_code == 200
    assert response.headers.get("Cache-Control") != "no-store"


def test_api_answers_for_a_staff_token_are_not_cached(client, make_user, make_event,
                                                      make_registration):
    user = make_user(Role.ORGANISER)
    event = make_event()
    make_registration(event, needs_note="ratastool")
    headers = {"Authorization": f"Bearer {create_api_token(user)}"}
    listing = client.get(f"/api/v1/events/{event.id}/registrations", headers=headers)
    assert listing.status_code == 200
    assert "ratastool" in listing.get_data(as_text=True)
    assert listing.headers["Cache-Control"] == "no-store"
    detail = client.get(f"/api/v1/events/{event.id}", headers=headers)
    assert detail.headers["Cache-Control"] == "no-store"


def test_public_api_answers_stay_cacheable(client, make_event):
    event = make_event()
    response = client.get(f"/api/v1/events/{event.id}")
    assert response.status_code == 200
    assert response.headers.get("Cache-Control") != "no-store"
