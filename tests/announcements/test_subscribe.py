"""The public sign-up: double opt-in, a link that works once and expires, no spam, no leaks."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from koosloome import create_app
from koosloome.accounts.models import Role
from koosloome.announcements import services
from koosloome.announcements.models import Subscriber
from koosloome.db import utcnow
from koosloome.extensions import db
from koosloome.messaging.kinds import MessageKind
from tests.announcements.helpers import confirmed_subscriber, draft, outbox, recipients

SIGN_UP = {"email": "Mari.Maasikas@Example.ee", "name": "Mari", "language": "en",
           "county": "voru"}


def _link_path(url: str) -> str:
    return url.removeprefix("http://koosloome.test")


def _confirmation_path() -> str:
    [message] = outbox(MessageKind.SUBSCRIPTION_CONFIRM)
    line = next(line for line in message.body_text.splitlines() if "/subscribe/confirm/" in line)
    return _link_path(line.strip())


def test_signing_up_sends_a_confirmation_link_and_nothing_else(client, make_user):
    response = client.post("/subscribe", data=SIGN_UP)
    assert response.status_code == 200
    assert "Vaata oma e-posti" in response.get_data(as_text=True)
    [message] = outbox(MessageKind.SUBSCRIPTION_CONFIRM)
    assert message.to_address == "Mari.Maasikas@Example.ee"
    assert message.language == "en"
    assert "Confirm it here" in message.body_text
    # Not confirmed: no announcement reaches the address.
    assert recipients(draft(make_user(Role.ORGANISER))) == []


def test_the_confirmation_link_shows_a_button_and_only_the_button_confirms(client, make_user):
    client.post("/subscribe", data=SIGN_UP)
    path = _confirmation_path()
    page = client.get(path)
    assert page.status_code == 200 and "<button" in page.get_data(as_text=True)
    assert recipients(draft(make_user(Role.ORGANISER))) == []  # opening the link: nothing
    assert client.post(path).status_code == 200
    assert recipients(draft(make_user(Role.ORGANISER))) == ["Mari.Maasikas@Example.ee"]


def test_the_confirmation_link_works_once(client):
    client.post("/subscribe", data=SIGN_UP)
    path = _confirmation_path()
    assert client.post(path).status_code == 200
    assert client.post(path).status_code == 404
    assert client.get(path).status_code == 404


def test_the_confirmation_link_expires_after_a_week(client, make_user):
    client.post("/subscribe", data=SIGN_UP)
    path = _confirmation_path()
    subscriber = db.session.scalars(select(Subscriber)).one()
    subscriber.confirm_sent_at = utcnow() - timedelta(days=services.CONFIRM_DAYS, minutes=1)
    db.session.commit()
    response = client.post(path)
    assert response.status_code == 410
    assert "nädal" in response.get_data(as_text=True)
    assert recipients(draft(make_user(Role.ORGANISER))) == []


def test_signing_up_again_when_confirmed_sends_nothing_and_says_the_same(client):
    confirmed_subscriber("mari.maasikas@example.ee")
    before = len(outbox(MessageKind.SUBSCRIPTION_CONFIRM))
    again = client.post("/subscribe", data=SIGN_UP)
    new = client.post("/subscribe", data={**SIGN_UP, "email": "jaan@example.ee"})
    assert len(outbox(MessageKind.SUBSCRIPTION_CONFIRM)) == before + 1  # only the new one
    assert again.status_code == new.status_code == 200
    # The same words either way: the page does not tell whether the address was known.
    assert again.get_data(as_text=True).replace("Mari.Maasikas@Example.ee", "X") == \
        new.get_data(as_text=True).replace("jaan@example.ee", "X")


def test_a_bad_address_keeps_what_was_typed_and_says_what_is_wrong(client):
    response = client.post("/subscribe", data={**SIGN_UP, "email": "mari at example"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="mari at example"' in page and 'value="Mari"' in page
    assert "Viga:" in page and "õigel kujul" in page
    assert outbox(MessageKind.SUBSCRIPTION_CONFIRM) == []


def test_sign_ups_are_rate_limited_per_address(app, make_config):
    # (``app``: its teardown empties the tables this second app writes to)
    limited = create_app(make_config(RATELIMIT_ENABLED=True))
    client = limited.test_client()
    codes = [client.post("/subscribe", data={**SIGN_UP, "email": f"{n}@example.ee"},
                         environ_base={"REMOTE_ADDR": f"10.0.0.{n}"}).status_code
             for n in range(3)]
    same = [client.post("/subscribe", data=SIGN_UP,
                        environ_base={"REMOTE_ADDR": f"10.0.1.{n}"}).status_code
            for n in range(4)]
    assert codes == [200] * 3
    assert same[:3] == [200] * 3 and same[3] == 429


def test_unconfirmed_sign_ups_are_forgotten_after_a_week(app):
    from tests import factories
    with factories.writing():
        services.subscribe("vana@example.ee", "", "et", None,
                           utcnow() - timedelta(days=services.CONFIRM_DAYS + 1))
        services.subscribe("uus@example.ee", "", "et", None, utcnow())
        assert services.forget_unconfirmed(utcnow()) == 1
        db.session.commit()
    assert [s.email for s in db.session.scalars(select(Subscriber))] == ["uus@example.ee"]
