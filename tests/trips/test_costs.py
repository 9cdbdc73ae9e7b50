"""A trip's money (issue 18.5): the cost per traveller and their own part are said before
they accept; the actual costs by category add up to the event's actual cost, which the LEADER
report reads."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from koosloome.accounts.models import Role
from koosloome.accounts.services import create_api_token
from koosloome.db import utcnow
from koosloome.events.models import Event, EventKind
from koosloome.extensions import db
from koosloome.messaging.delivery import render_pending
from koosloome.messaging.models import OutgoingEmail
from koosloome.registrations.models import RegistrationStatus


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_the_price_and_own_part_are_said_before_accepting(client, make_event, make_registration):
    trip = make_event(kind=EventKind.STUDY_TRIP, capacity=1, offer_hours=48,
                      cost_per_person=Decimal("650.00"), own_contribution=Decimal("50.00"))
    seated = make_registration(trip)
    waiting = make_registration(trip, status=RegistrationStatus.WAITLISTED,
                                waitlisted_at=utcnow())
    assert "Reis maksab 650,00 € reisija kohta." in _text(client.get(f"/events/{trip.slug}"))
    client.post(f"/r/{seated.manage_token}/cancel")
    accept = _text(client.get(f"/r/{waiting.manage_token}/accept"))
    assert "Sellest maksad ise 50,00 €; ülejäänu maksab projekt." in accept
    render_pending()
    offer = db.session.scalars(select(OutgoingEmail).where(
        OutgoingEmail.kind == "offer_made")).one()
    assert "Reis maksab 650,00\u00a0€ reisija kohta." in offer.body_text
    free = make_event(kind=EventKind.STUDY_TRIP, cost_per_person=Decimal("400"),
                      own_contribution=Decimal("0"))
    assert "Projekt maksab kõik: sina ei maksa midagi." in _text(client.get(f"/events/{free.slug}"))


def test_costs_by_category_make_the_events_actual_cost(client, login, make_user, make_event):
    trip = make_event(kind=EventKind.STUDY_TRIP,
                      starts_at=utcnow() - timedelta(days=10), ends_at=utcnow() - timedelta(days=7))
    login(make_user(Role.ORGANISER, "vpk"))
    for category, amount in (("transport", "4200.00"), ("accommodation", "3150.50"),
                             ("transport", "300")):
        assert client.post(f"/admin/events/{trip.id}/costs", data={
            "category": category, "amount": amount, "supplier": "Reisibüroo"}).status_code == 302
    html = _text(client.get(f"/admin/events/{trip.id}/costs"))
    assert "Transport</dt><dd>4500,00 €" in html and "7650,50 €" in html
    db.session.expire_all()
    assert db.session.get(Event, trip.id).actual_cost == Decimal("7650.50")
    refused = client.post(f"/admin/events/{trip.id}/costs", data={"category": "meals",
                                                                  "amount": "-5"})
    assert refused.status_code == 422 and "Viga:" in _text(refused)
    token = create_api_token(make_user(Role.ORGANISER, "vpk", email="api@example.ee"))
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    listed = client.get(f"/api/v1/events/{trip.id}/costs", headers=headers).get_json()
    assert listed["total"] == "7650.50" and listed["by_category"]["transport"] == "4500.00"
    added = client.post(f"/api/v1/events/{trip.id}/costs", headers=headers,
                        json={"category": "insurance", "amount": 99.5})
    assert added.status_code == 201 and added.get_json()["total"] == "7750.00"
    first = listed["costs"][0]["id"]
    assert client.delete(f"/api/v1/events/{trip.id}/costs/{first}",
                         headers=headers).status_code == 204
    db.session.expire_all()
    assert db.session.get(Event, trip.id).actual_cost == Decimal("3550.00")
    bad = client.post(f"/api/v1/events/{trip.id}/costs", headers=headers,
                      json={"category": "yacht", "amount": "lots"})
    assert bad.status_code == 422 and {"category", "amount"} <= set(bad.get_json()["fields"])
