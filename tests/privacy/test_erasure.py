"""Erasure erases (issue 15.1): after a person erases their registration from the manage
link, no text column of any table and no file in the mail folder holds their name, e-mail
address or phone number — only the confirmation of the erasure itself went to them, and the
database keeps of it only that it was sent."""

from __future__ import annotations

from email import message_from_bytes
from email.policy import default
from pathlib import Path

from sqlalchemy import select

from koosloome.boards.models import BoardParticipant
from koosloome.db import utcnow
from koosloome.extensions import db
from koosloome.messaging.delivery import send_due
from koosloome.messaging.models import EmailStatus, OutgoingEmail
from koosloome.registrations.models import Registration, RegistrationStatus
from tests.factories import manage_path_of

PERSON = {"name": "Liisi Õunapuu", "email": "liisi.ounapuu@example.ee",
          "phone": "+372 5999 1234"}
TRACES = ("Õunapuu", "ounapuu@example", "5999 1234")


def _register(client, event) -> str:
    response = client.post(f"/events/{event.slug}/register", data={
        **PERSON, "language": "et", "consent_privacy": "y", "consent_health": "y",
        "needs_mobility": ["wheelchair"], "companion": "y", "companion_name": "Aare Õunapuu"})
    assert response.status_code == 200
    return manage_path_of(PERSON["email"])


def _rows_with_traces() -> list[str]:
    """Every row of every table whose values (any type, as text) hold a trace."""
    db.session.rollback()
    found = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)):
            text = " ".join(value.decode("utf-8", "replace") if isinstance(value, bytes)
                            else str(value) for value in row)
            found += [f"{table.name}: {trace}" for trace in TRACES if trace in text]
    return found


def test_erasure_leaves_the_person_in_no_table_and_no_sent_mail(
    app, client, make_event, make_registration
):
    event = make_event(capacity=1)
    manage = _register(client, event)
    registration = db.session.scalars(select(Registration)).one()
    db.session.add(BoardParticipant(board_id=_board(event).id, registration_id=registration.id,
                                    display_name="Liisi Õunapuu"))
    db.session.commit()
    assert client.post(f"{manage}/edit", data={
        **PERSON, "language": "et", "consent_privacy": "y", "consent_health": "y",
        "needs_mobility": ["wheelchair"]}).status_code == 302  # a "changed" message too
    make_registration(event, status=RegistrationStatus.WAITLISTED, waitlisted_at=utcnow())
    assert send_due().sent >= 2  # the confirmation and the change, as .eml files
    mail = Path(app.instance_path) / "mail"
    assert [path for path in mail.glob("*.eml") if _mail_traces(path)]  # there before
    assert _rows_with_traces()  # and in the database

    assert client.post(f"{manage}/erase").status_code == 200
    assert send_due().sent >= 1  # the confirmation of the erasure (and the promotion)

    assert _rows_with_traces() == []
    confirmation = db.session.scalars(select(OutgoingEmail).where(
        OutgoingEmail.kind == "erased")).one()
    assert confirmation.status is EmailStatus.SENT  # kept: that it went, not to whom
    local = confirmation.message_id.strip("<>").split("@")[0]
    leftovers = [path.name for path in mail.glob("*.eml")
                 if local not in path.name and _mail_traces(path)]
    assert leftovers == []
    assert [path for path in mail.glob("*.eml") if local in path.name]  # it was sent


def _mail_traces(path: Path) -> list[str]:
    """The traces in a message as a reader sees it: headers decoded, every part decoded."""
    message = message_from_bytes(path.read_bytes(), policy=default)
    texts = [str(value) for value in message.values()]
    for part in message.walk():
        if not part.is_multipart():
            payload = part.get_payload(decode=True) or b""
            texts.append(payload.decode("utf-8", "replace"))
    text = " ".join(texts)
    return [trace for trace in TRACES if trace in text]


def _board(event):
    from tests.factories import make_board

    return make_board(event=event)
