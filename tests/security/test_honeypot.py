"""The honeypot: invisible to people and assistive technology; a filled one fails quietly."""

from __future__ import annotations

import logging
import re

from flask import render_template_string
from flask_wtf import FlaskForm
from wtforms import StringField

from koosloome.accounts.models import Role
from koosloome.audit import AuditLog
from koosloome.extensions import db
from koosloome.honeypot import HoneypotMixin


def _honeypot_html(html: str) -> str:
    match = re.search(r'<div class="hp-field".*?</div>', html, re.S)
    assert match, html
    return match.group(0)


def test_login_form_renders_the_honeypot_hidden_from_people_and_assistive_tech(client):
    block = _honeypot_html(client.get("/login").get_data(as_text=True))
    assert 'aria-hidden="true"' in block
    assert 'tabindex="-1"' in block
    assert 'autocomplete="off"' in block
    assert 'name="homepage"' in block
    assert '<label for="homepage">Jäta see väli tühjaks</label>' in block
    assert "display:none" not in block.replace(" ", "")


def test_honeypot_is_moved_off_screen_by_the_stylesheet(client):
    response = client.get("/static/css/koosloome.css")
    css = response.get_data(as_text=True)
    response.close()
    rule = re.search(r"\.hp-field \{([^}]*)\}", css).group(1)
    assert "left: -10000px" in rule and "position: absolute" in rule


def test_a_filled_honeypot_refuses_the_login_quietly(client, make_user):
    user = make_user(Role.ORGANISER)
    response = client.post("/login", data={"email": user.email,
                                           "password": "correct horse battery",
                                           "homepage": "http://spam.example"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "error-summary" not in html  # nothing tells the bot why
    assert "spam.example" not in html
    assert not any(c.startswith("session=") for c in response.headers.getlist("Set-Cookie"))
    assert client.get("/admin/").status_code == 302
    assert db.session.query(AuditLog).count() == 0


def test_an_empty_honeypot_lets_people_sign_in(client, make_user):
    user = make_user(Role.ORGANISER)
    response = client.post("/login", data={"email": user.email,
                                           "password": "correct horse battery",
                                           "homepage": ""})
    assert response.status_code == 302


class ContactForm(HoneypotMixin, FlaskForm):
    name = StringField("Name")


def test_the_mixin_works_on_any_form_and_keeps_other_errors(app):
    with app.test_request_context(method="POST", data={"name": "Mari", "homepage": "x"}):
        form = ContactForm()
        assert not form.validate()
        assert form.caught_in_honeypot
        assert form.errors == {}
        html = render_template_string(
            '{% from "_macros/forms.html" import honeypot %}{{ honeypot(form) }}', form=form
        )
        assert 'value=""' in html
    with app.test_request_context(method="POST", data={"name": "Mari"}):
        form = ContactForm()
        assert form.validate()
        assert not form.caught_in_honeypot


def test_the_note_of_a_filled_honeypot_names_the_page_without_its_token(app, caplog):
    caplog.set_level(logging.INFO, logger="koosloome.honeypot")
    token = "secret-manage-token-1234567890"
    with app.test_request_context(f"/r/{token}/feedback", method="POST",
                                  data={"name": "Bot", "homepage": "x"}):
        assert not ContactForm().validate()
    assert "honeypot filled on feedback.personal" in caplog.text
    assert token not in caplog.text
