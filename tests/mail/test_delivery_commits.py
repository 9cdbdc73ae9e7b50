"""One commit a message (issue 20.5): the worker records a message's outcome in the same
transaction as its check that the next message is still its own, just before sending that
next one. These tests watch the database from another connection at the moment each message
is handed to the SMTP server: every earlier outcome is already committed, so a crash loses at
most the outcome of the message on the wire, and a message taken away meanwhile is not sent.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text

from koosloome.db import utcnow
from koosloome.extensions import db
from koosloome.messaging.claims import ABANDONED
from koosloome.messaging.delivery import CLAIM_LEASE, Courier, send_due
from koosloome.messaging.kinds import MessageKind
from koosloome.messaging.models import DeliveryAttempt, EmailStatus, OutgoingEmail
from koosloome.messaging.notify import notify
from koosloome.messaging.transport import SmtpTransport


class Crash(BaseException):
    """The worker process dies (nothing in the worker catches a BaseException)."""


class Watching:
    """The real SMTP transport, and a second database connection that reads every message's
    status just before each message goes out; ``crash_after`` dies once that many messages
    have reached the server, ``meanwhile`` runs before each message goes (another party)."""

    def __init__(self, app: Any, crash_after: int = 0, meanwhile: Any = None) -> None:
        self.inner = SmtpTransport(app)
        self.engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
        self.crash_after = crash_after
        self.meanwhile = meanwhile
        #: (Message-ID handed over, {Message-ID: status} as another connection saw it then)
        self.seen: list[tuple[str, dict[str, str]]] = []

    def __enter__(self) -> Watching:
        self.inner.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.inner.__exit__(*exc)
        self.engine.dispose()

    def deliver(self, data: bytes, sender: str, recipient: str, message_id: str,
                while_waiting: Any = None) -> None:
        """Look, then deliver for real."""
        if self.meanwhile is not None:
            self.meanwhile(self.engine, len(self.seen))
        with self.engine.connect() as connection:
            statuses = dict(connection.execute(
                text("SELECT message_id, status FROM outgoing_email")).all())
        self.seen.append((message_id, {key: str(value) for key, value in statuses.items()}))
        self.inner.deliver(data, sender, recipient, message_id, while_waiting)
        if len(self.seen) == self.crash_after:
            raise Crash


def _queue(make_event, make_registration, count: int) -> list[str]:
    """``count`` confirmations, rendered as the worker would; their Message-IDs in order."""
    event = make_event()
    emails = [notify(make_registration(event, email=f"p{n}@example.ee"), MessageKind.CONFIRMED)
              for n in range(count)]
    db.session.commit()
    return [email.message_id for email in emails]


def _received(smtp_server) -> Counter:
    return Counter(received.message["Message-ID"] for received in smtp_server.messages)


def test_every_earlier_outcome_is_committed_when_a_message_goes_out(
    app, smtp_server, make_event, make_registration
):
    ids = _queue(make_event, make_registration, 7)
    watching = Watching(app)
    assert send_due(transport=watching, batch_size=3).sent == 7  # three claims
    assert [message_id for message_id, _statuses in watching.seen] == ids
    for number, (message_id, statuses) in enumerate(watching.seen):
        assert [statuses[earlier] for earlier in ids[:number]] == ["sent"] * number
        assert statuses[message_id] == "sending"  # claimed, not yet recorded
    assert _received(smtp_server) == Counter(ids)


def test_a_crash_loses_the_outcome_of_the_message_on_the_wire_only(
    app, smtp_server, make_event, make_registration
):
    ids = _queue(make_event, make_registration, 6)
    with pytest.raises(Crash):  # dies as the 4th message has reached the server
        Courier(batch_size=6).send_due(transport=Watching(app, crash_after=4))
    db.session.rollback()
    statuses = dict(db.session.execute(
        select(OutgoingEmail.message_id, OutgoingEmail.status)).all())
    assert [statuses[message_id] for message_id in ids] == [EmailStatus.SENT] * 3 + [
        EmailStatus.SENDING] * 3
    assert _received(smtp_server) == Counter(ids[:4])

    # Another worker takes the dead one's messages up once the lease has run out: only the
    # message whose outcome was lost goes a second time (same Message-ID, so the receiving
    # side can drop it).
    assert send_due(now=utcnow() + CLAIM_LEASE + timedelta(seconds=1)).sent == 3
    assert _received(smtp_server) == Counter(ids) + Counter(ids[3:4])
    attempts = db.session.execute(select(OutgoingEmail.message_id, DeliveryAttempt.error)
                                  .join(DeliveryAttempt.email)).all()
    assert Counter(error for _id, error in attempts) == Counter({"": 6, ABANDONED: 3})


def test_a_message_erased_after_its_claim_is_not_sent(
    app, smtp_server, make_event, make_registration
):
    ids = _queue(make_event, make_registration, 3)

    def erase_the_second(engine, handed_over: int) -> None:
        if handed_over == 0:  # the first is going out; the second is claimed, not yet sent
            with engine.begin() as connection:
                connection.execute(text("DELETE FROM outgoing_email WHERE message_id = :id"),
                                   {"id": ids[1]})

    report = send_due(transport=Watching(app, meanwhile=erase_the_second))
    assert (report.sent, report.total) == (2, 2)
    assert _received(smtp_server) == Counter([ids[0], ids[2]])
