"""The confirmation repeats what the person asked for — needs, companion, diet, pick-up — and
says what happens next, on the confirmation page and in the e-mail (issue 16.4)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from koosloome.extensions import db
from koosloome.i18n import format_date
from koosloome.messaging.models import OutgoingEmail
from tests.registrations.test_pages import manage_path, post_form

ASKED = {
    "needs_mobility": ["wheelchair"], "needs_communication": ["sign_language"],
    "diet": ["vegetarian"], "companion": "y", "companion_name": "Tiit Mets",
    "companion_needs": "Taimetoit ka saatjale",
    "transport_needed": "yes", "transport_pickup": "Rõuge bussijaam", "consent_health": "y",
}


def _expected(event) -> list[str]:
    call_by = format_date(event.starts_at - timedelta(days=2), "et")
    return ["Kasutan ratastooli", "Eesti viipekeele tõlge", "Taimetoit", "Tiit Mets",
            "Taimetoit ka saatjale",
            "Rõuge bussijaam",
            f"Helistame sulle hiljemalt {call_by}, et leppida kokku, mis kell ja kust sind "
            "peale võtame.",
            "Korraldame selle, mida palusid.", "Sinu saatja koht on tasuta."]


def test_the_confirmation_page_and_email_repeat_the_needs_and_what_happens_next(
    app, client, make_event
):
    event = make_event(capacity=10)
    response = post_form(client, event, **ASKED)
    confirmation = response.get_data(as_text=True)
    page = client.get(manage_path(response)).get_data(as_text=True)
    email = db.session.scalars(select(OutgoingEmail)).one()
    with app.test_request_context():
        expected = _expected(event)
    for text in expected:
        assert text in confirmation, text
        assert text in page, text
        assert text in email.body_text, text
        assert text in email.body_html.replace("&#39;", "'"), text
    assert "Mida sa ütlesid endal vaja olevat" in email.body_text


def test_without_needs_there_is_nothing_to_repeat(client, make_event):
    event = make_event(capacity=10)
    post_form(client, event)
    email = db.session.scalars(select(OutgoingEmail)).one()
    assert "Mida sa ütlesid endal vaja olevat" not in email.body_text
    assert "Mis edasi saab" not in email.body_text
