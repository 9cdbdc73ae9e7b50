"""Writing, previewing and sending an announcement, and the one-click unsubscribe every
message carries (RFC 8058), checked in the messages a real SMTP server receives."""

from __future__ import annotations

from datetime import timedelta

from koosloome import create_app
from koosloome.accounts.models import Role
from koosloome.announcements import services
from koosloome.announcements.models import Announcement, AnnouncementStatus
from koosloome.db import utcnow
from koosloome.extensions import db
from koosloome.messaging.delivery import send_due
from koosloome.messaging.kinds import MessageKind
from tests import factories
from tests.announcements.helpers import confirmed_subscriber, consenting, draft, outbox, recipients
from tests.mail.helpers import text_body

FORM = {"subject_et": "Kevadseminar Võrus", "body_et": "Tule kevadseminarile!\n\nOotame sind.",
        "subject_en": "Spring seminar in Võru", "body_en": "Come to the spring seminar!"}


def _unsubscribe_path(message) -> str:
    return message["List-Unsubscribe"].strip("<>").removeprefix("http://koosloome.test")


def test_an_organiser_writes_previews_and_sends(login, make_user, make_event):
    consenting(make_event(), email="mari@example.ee", language="et")
    consenting(make_event(), email="john@example.ee", language="en")
    client = login(make_user(Role.ORGANISER))
    response = client.post("/admin/announcements/new", data=FORM)
    assert response.status_code == 302
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Selle saab e-postiga 2 inimest" in preview
    assert "1 eesti keeles" in preview and "1 inglise keeles" in preview
    assert "Tule kevadseminarile!" in preview and "Come to the spring seminar!" in preview
    announcement = db.session.scalars(db.select(Announcement)).one()
    sent = client.post(f"/admin/announcements/{announcement.id}/send")
    assert sent.status_code == 302
    assert "Teade on teel 2 inimeseni." in client.get(sent.headers["Location"]).get_data(
        as_text=True)
    by_address = {m.to_address: m for m in outbox(MessageKind.ANNOUNCEMENT)}
    assert by_address["mari@example.ee"].subject == "Kevadseminar Võrus"
    assert "Ootame sind." in by_address["mari@example.ee"].body_text
    assert by_address["john@example.ee"].subject == "Spring seminar in Võru"
    assert "Come to the spring seminar!" in by_address["john@example.ee"].body_text


def test_english_readers_get_the_estonian_text_when_there_is_no_english_one(
        login, make_user, make_event):
    consenting(make_event(), email="john@example.ee", language="en")
    announcement = draft(make_user(), subject_et="Ainult eesti keeles")
    client = login(make_user(Role.ORGANISER))
    assert "Ingliskeelset teksti ei ole" in client.get(
        f"/admin/announcements/{announcement.id}/preview").get_data(as_text=True)
    client.post(f"/admin/announcements/{announcement.id}/send")
    [message] = outbox(MessageKind.ANNOUNCEMENT)
    assert message.subject == "Ainult eesti keeles"
    assert "Hello!" in message.body_text or "Hello, " in message.body_text  # English frame


def test_every_message_carries_the_one_click_unsubscribe_headers(
        smtp_server, login, make_user, make_event):
    consenting(make_event(), email="mari@example.ee")
    announcement = draft(make_user())
    login(make_user(Role.ORGANISER)).post(f"/admin/announcements/{announcement.id}/send")
    assert send_due().sent == 1
    [received] = smtp_server.to("mari@example.ee")
    message = received.message
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Unsubscribe"].startswith("<http://koosloome.test/u/")
    assert message["List-Unsubscribe"].strip("<>") in text_body(message)


def test_one_click_unsubscribes_at_once_and_opening_the_link_does_not(
        smtp_server, login, make_user, make_event, client):
    consenting(make_event(), email="mari@example.ee")
    organiser = make_user(Role.ORGANISER)
    first = draft(organiser)
    login(organiser).post(f"/admin/announcements/{first.id}/send")
    send_due()
    path = _unsubscribe_path(smtp_server.to("mari@example.ee")[0].message)
    second = draft(organiser)
    login(organiser).post(f"/admin/announcements/{second.id}/send")  # queued, not yet sent
    page = client.get(path)
    assert page.status_code == 200 and "<button" in page.get_data(as_text=True)
    assert recipients(draft(organiser)) == ["mari@example.ee"]  # a GET changes nothing
    response = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert recipients(draft(organiser)) == []
    assert send_due().sent == 0  # the queued one is dropped too
    assert len(smtp_server.to("mari@example.ee")) == 1


def test_the_one_click_post_needs_no_csrf_token_but_erasing_does(make_config, app):
    consenting_app = create_app(make_config(WTF_CSRF_ENABLED=True))
    confirmed_subscriber("mari@example.ee")
    token = services.subscriber_by_email("mari@example.ee").unsubscribe_token
    client = consenting_app.test_client()
    assert client.post(f"/u/{token}/erase").status_code == 400
    assert client.post(f"/u/{token}", data={"List-Unsubscribe": "One-Click"}).status_code == 200
    db.session.commit()  # end the test's read transaction: see what the request wrote
    assert services.subscriber_by_email("mari@example.ee").unsubscribed_at is not None


def test_a_subscriber_can_erase_their_address(client, make_event):
    registration = consenting(make_event(), email="mari@example.ee")
    subscriber = confirmed_subscriber("Mari@example.ee")
    token = subscriber.unsubscribe_token
    response = client.post(f"/u/{token}/erase")
    assert response.status_code == 200
    assert services.subscriber_by_email("mari@example.ee") is None
    db.session.refresh(registration)
    assert registration.consent_future_events is False
    assert client.get(f"/u/{token}").status_code == 404


def test_an_unknown_unsubscribe_link_opens_nothing(client):
    assert client.get("/u/not-a-token").status_code == 404
    assert client.post("/u/not-a-token", data={"List-Unsubscribe": "One-Click"}).status_code \
        == 404


def test_sending_twice_sends_once(login, make_user, make_event):
    consenting(make_event(), email="mari@example.ee")
    announcement = draft(make_user())
    client = login(make_user(Role.ORGANISER))
    assert client.post(f"/admin/announcements/{announcement.id}/send").status_code == 302
    again = client.post(f"/admin/announcements/{announcement.id}/send", follow_redirects=True)
    assert "See teade on juba saadetud." in again.get_data(as_text=True)
    assert len(outbox(MessageKind.ANNOUNCEMENT)) == 1
    db.session.refresh(announcement)
    assert announcement.status is AnnouncementStatus.SENT and announcement.recipients == 1


def test_a_sent_announcement_cannot_be_changed(login, make_user, make_event):
    consenting(make_event(), email="mari@example.ee")
    announcement = draft(make_user())
    client = login(make_user(Role.ORGANISER))
    client.post(f"/admin/announcements/{announcement.id}/send")
    response = client.post(f"/admin/announcements/{announcement.id}", data=FORM)
    assert response.status_code == 302 and response.headers["Location"].endswith("/preview")
    db.session.refresh(announcement)
    assert announcement.subject_et == "Uued üritused"


def test_the_other_partners_organiser_cannot_send_or_change_it(login, make_user, make_event):
    consenting(make_event(), email="mari@example.ee")
    announcement = draft(make_user(Role.ORGANISER, "vpk"))
    client = login(make_user(Role.ORGANISER, "tas"))
    assert client.post(f"/admin/announcements/{announcement.id}/send").status_code == 403
    assert client.get(f"/admin/announcements/{announcement.id}/preview").status_code == 403
    assert client.post(f"/admin/announcements/{announcement.id}", data=FORM).status_code == 403
    assert outbox(MessageKind.ANNOUNCEMENT) == []
    # It is on their list, without a link to open it.
    listing = client.get("/admin/announcements").get_data(as_text=True)
    assert "Uued üritused" in listing
    assert f"/admin/announcements/{announcement.id}/preview" not in listing


def test_a_bad_form_keeps_the_typed_text_and_says_what_is_wrong(login, make_user):
    client = login(make_user(Role.ORGANISER))
    response = client.post("/admin/announcements/new", data={
        **FORM, "body_et": "", "body_en": "", "counties": ["voru", "atlantis"]})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Viga:" in page and 'value="Kevadseminar Võrus"' in page
    assert 'value="Spring seminar in Võru"' in page
    assert db.session.scalars(db.select(Announcement)).all() == []


def test_half_an_english_text_is_refused_beside_its_field(login, make_user):
    client = login(make_user(Role.ORGANISER))
    response = client.post("/admin/announcements/new", data={**FORM, "body_en": ""})
    assert response.status_code == 422
    assert "Kirjuta nii ingliskeelne pealkiri kui ka tekst" in response.get_data(as_text=True)


def test_a_sent_link_outlives_the_purge_of_an_unconfirmed_sign_up(make_user, make_event):
    """An address with a registration's consent and an unconfirmed site sign-up: the mail
    carries that row's link, so the purge of unconfirmed sign-ups must not take it."""
    consenting(make_event(), email="mari@example.ee")
    with factories.writing():
        services.subscribe("mari@example.ee", "", "et", None, utcnow() - timedelta(days=30))
        db.session.commit()
    user = make_user(Role.ORGANISER)
    announcement = draft(user)
    with factories.writing():
        services.send_announcement(announcement, user, utcnow())
        db.session.commit()
    with factories.writing():
        assert services.forget_unconfirmed(utcnow()) == 0
        db.session.commit()
    assert services.subscriber_by_email("mari@example.ee") is not None


def test_erasing_the_registration_drops_the_address_row_its_consent_made(
        client, make_user, make_event):
    person = consenting(make_event(), email="mari@example.ee")
    user = make_user(Role.ORGANISER)
    announcement = draft(user)
    with factories.writing():
        services.send_announcement(announcement, user, utcnow())
        db.session.commit()
    assert services.subscriber_by_email("mari@example.ee") is not None
    client.post(f"/r/{person.manage_token}/erase")
    db.session.expire_all()
    assert services.subscriber_by_email("mari@example.ee") is None
