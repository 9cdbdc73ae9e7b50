"""Help page, health check, error pages and the base template's landmarks."""

from __future__ import annotations

import pytest
from flask import abort

from koosloome import create_app


def test_base_template_has_landmarks_skip_link_and_help_link(client):
    html = client.get("/").get_data(as_text=True)
    assert 'class="skip-link" href="#main"' in html
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in html
    assert 'href="/help"' in html
    assert "Vajad abi?" in html


def test_help_page_has_contact_details(client, app):
    html = client.get("/help").get_data(as_text=True)
    assert app.config["CONTACT_EMAIL"] in html
    assert "Abi ja kontakt" in html


def test_healthz_reports_a_database_round_trip(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


@pytest.fixture
def app_without_database(make_config, tmp_path):
    unreachable = f"sqlite:///{tmp_path}/missing-folder/koosloome.sqlite3"
    return create_app(make_config(SQLALCHEMY_DATABASE_URI=unreachable))


def test_healthz_says_503_when_the_database_is_unreachable(app_without_database):
    response = app_without_database.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_pages_give_a_translated_503_when_the_database_is_unreachable(app_without_database):
    client = app_without_database.test_client()
    response = client.get("/")
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert "Teenus ei ole ajutiselt kättesaadav" in html
    assert "Traceback" not in html
    client.set_cookie("lang", "en")
    assert "temporarily unavailable" in client.get("/").get_data(as_text=True)


def test_unexpected_errors_give_the_translated_500_page(make_config):
    app = create_app(make_config(PROPAGATE_EXCEPTIONS=False))

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret detail")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Vabandame, meie poolel läks midagi valesti" in html
    assert "secret detail" not in html


@pytest.mark.parametrize(("code", "text"), [(403, "Sul ei ole sellele lehele ligipääsu"),
                                            (429, "Liiga palju katseid")])
def test_error_pages_are_translated(make_config, code, text):
    app = create_app(make_config())

    @app.get("/fail")
    def fail():
        abort(code)

    response = app.test_client().get("/fail")
    assert response.status_code == code
    assert text in response.get_data(as_text=True)


def test_csrf_failure_gives_the_translated_400_page(make_config):
    app = create_app(make_config(WTF_CSRF_ENABLED=True))

    @app.post("/form")
    def form():
        return "saved"

    response = app.test_client().post("/form", data={"name": "Mari"})
    assert response.status_code == 400
    assert "Midagi ei salvestatud" in response.get_data(as_text=True)


def test_method_not_allowed_is_translated(client):
    response = client.post("/help")
    assert response.status_code == 405
    assert "See tegevus ei ole siin võimalik" in response.get_data(as_text=True)


def test_larger_text_and_high_contrast_are_remembered(client):
    response = client.get("/display/large?next=/help")
    assert response.headers["Location"] == "/help"
    assert "display=large" in response.headers["Set-Cookie"]
    client.get("/display/contrast")
    html = client.get("/").get_data(as_text=True)
    assert 'class="display-contrast display-large"' in html
    assert "Tavaline kirja suurus" in html and "Tavalised värvid" in html
    client.get("/display/large")
    assert 'class="display-contrast"' in client.get("/").get_data(as_text=True)
    client.get("/display/bogus")
    assert 'class="display-contrast"' in client.get("/").get_data(as_text=True)


def test_accessibility_statement_is_linked_from_every_footer(client):
    assert 'href="/accessibility"' in client.get("/help").get_data(as_text=True)
    html = client.get("/accessibility").get_data(as_text=True)
    assert "Ligipääsetavuse teatis" in html and "axe-core" in html
