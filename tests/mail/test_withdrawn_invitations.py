"""When a person loses their seat (an organiser rejects them, or they erase their registration)
the invitation leaves their calendar: a CANCEL with the same UID and a higher SEQUENCE reaches
the SMTP server. Driven through the real pages, delivered by the real worker."""

from __future__ import annotations

from koosloome.accounts.models import Role
from koosloome.messaging.delivery import send_due
from tests.factories import manage_path_of
from tests.mail.helpers import invite_of, text_body


def _register(client, event, email: str) -> str:
    response = client.post(f"/events/{event.slug}/register", data={
        "name": "Mari Tamm", "email": email, "language": "et", "consent_privacy": "y"})
    assert response.status_code == 200
    return manage_path_of(email)


def _invites(smtp_server, address: str):
    return [invite_of(received.message) for received in smtp_server.to(address)]


def test_rejecting_after_confirmation_withdraws_the_invitation(
    client, smtp_server, make_event, make_user, login
):
    event = make_event(title_et="Kaasav planeerimine")
    _register(client, event, "mari@example.ee")
    assert send_due().sent == 1
    from koosloome.extensions import db
    from koosloome.registrations.models import Registration

    registration_id = db.session.query(Registration.id).scalar()
    login(make_user(Role.ORGANISER, "vpk"))
    response = client.post(f"/admin/registrations/{registration_id}/status",
                           data={"to": "rejected"})
    assert response.status_code == 302
    assert send_due().sent == 1

    invite, cancel = _invites(smtp_server, "mari@example.ee")
    assert (invite.method, cancel.method) == ("REQUEST", "CANCEL")
    assert cancel.uid == invite.uid and cancel.sequence > invite.sequence
    text = text_body(smtp_server.messages[-1].message)
    assert "Korraldajad tühistasid sinu registreeringu" in text
    assert "Aitäh, et soovisid osaleda" not in text  # not an application


def test_erasing_after_confirmation_withdraws_the_invitation(client, smtp_server, make_event):
    event = make_event()
    manage = _register(client, event, "mari@example.ee")
    assert send_due().sent == 1
    assert client.post(f"{manage}/erase").status_code == 200
    assert send_due().sent == 1

    invite, cancel = _invites(smtp_server, "mari@example.ee")
    assert (invite.method, cancel.method) == ("REQUEST", "CANCEL")
    assert cancel.uid == invite.uid and cancel.sequence > invite.sequence
    assert client.get(manage).status_code == 404  # the registration is gone
