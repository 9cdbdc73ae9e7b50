"""Registering through the HTML form, and the manage link pages."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from koosloome.db import utcnow
from koosloome.events.models import ExtraQuestion, QuestionKind, RegistrationMode
from koosloome.extensions import db
from koosloome.messaging.delivery import render_pending
from koosloome.messaging.models import OutgoingEmail
from koosloome.registrations.models import Registration, RegistrationStatus
from tests.factories import manage_path_of

Status = RegistrationStatus
FORM = {"name": "Mari Tamm", "email": "mari@example.ee", "language": "et",
        "consent_privacy": "y"}


def post_form(client, event, **fields):
    data = {**FORM, **fields}
    return client.post(f"/events/{event.slug}/register", data=data)


def manage_path(response, email: str = FORM["email"]) -> str:
    """The manage link of the registration ``response`` confirmed (it went by e-mail)."""
    assert response.status_code == 200, response.status_code
    assert "Location" not in response.headers
    return manage_path_of(email)


def test_registration_form_has_every_section_and_no_ticked_consent(client, make_event):
    event = make_event()
    html = client.get(f"/events/{event.slug}/register").get_data(as_text=True)
    for text in ("Sinu andmed", "Mida vajad osalemiseks?", "Meie aruande jaoks (vabatahtlik)",
                 "Sinu nõusolek", "Kasutan ratastooli", "Eesti viipekeele tõlge",
                 "Gluteenivaba", "Saatja nimi", "Tulen koos saatja"):
        assert text in html
    assert 'autocomplete="name"' in html and 'autocomplete="email"' in html
    assert 'autocomplete="tel"' in html
    for consent in ("consent_privacy", "consent_health", "consent_photos",
                    "consent_future_events"):
        tag = re.search(rf'<input[^>]*id="{consent}"[^>]*>', html).group(0)
        assert "checked" not in tag
    assert "<legend>Liikumine</legend>" in html


def test_event_page_links_to_the_form_while_registration_is_open(client, make_event):
    event = make_event()
    html = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert f'href="/events/{event.slug}/register"' in html


def test_registering_shows_the_confirmation_and_queues_an_email(client, make_event):
    event = make_event(capacity=5)
    response = post_form(client, event, needs_mobility=["wheelchair"], diet=["vegan"],
                         consent_health="y", companion="y", companion_name="Peeter Tamm")
    path = manage_path(response)
    html = response.get_data(as_text=True)
    assert "Oled registreeritud" in html
    assert "Kasutan ratastooli" in html and "Vegan" in html
    assert "Peeter Tamm" in html
    assert "mari@example.ee" in html and path not in html  # the link goes by e-mail only
    assert response.headers["Cache-Control"] == "no-store"  # it shows health data
    registration = db.session.scalars(select(Registration)).one()
    assert registration.status is Status.CONFIRMED and registration.seats == 2
    email = db.session.scalars(select(OutgoingEmail)).one()
    assert email.kind == "confirmed" and email.to_address == "mari@example.ee"
    assert path.split("?")[0] in email.body_text  # the manage link is in the message


def test_full_event_puts_people_on_the_waiting_list_with_their_position(client, make_event,
                                                                       make_registration):
    event = make_event(capacity=1)
    make_registration(event)
    response = post_form(client, event)
    assert "Oled ootenimekirjas, järjekorras 1" in response.get_data(as_text=True)
    html = client.get(manage_path(response)).get_data(as_text=True)
    assert "Ootenimekirjas, järjekorras 1" in html


def test_application_mode_says_application_received(client, make_event):
    event = make_event(registration_mode=RegistrationMode.APPLICATION)
    html = post_form(client, event).get_data(as_text=True)
    assert "Taotlus on kätte saadud" in html


def test_phone_only_registration(client, make_event):
    event = make_event()
    response = post_form(client, event, email="", phone="+372 5123 4567")
    # No e-mail to carry the link: the manage page is the confirmation.
    assert response.status_code == 302 and response.headers["Location"].startswith("/r/")
    assert "Oled registreeritud" in client.get(response.headers["Location"]).get_data(
        as_text=True)
    assert db.session.scalars(select(Registration.phone)).one() == "+372 5123 4567"


def test_bad_input_is_shown_beside_each_field_and_nothing_is_lost(client, make_event):
    event = make_event()
    response = post_form(client, event, email="not-an-email", phone="12",
                         consent_privacy="", needs_note="Vajan pausi kell 12",
                         name="x" * 201, county="mars")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<title>Viga:" in html
    assert 'class="error-summary" role="alert"' in html
    for field in ("name", "email", "phone", "county"):
        assert f'href="#{field}"' in html
        assert f'aria-describedby="{field}-error"' in html or f'{field}-error' in html
    assert "Vajan pausi kell 12" in html  # what was typed is kept
    assert db.session.scalars(select(Registration)).all() == []


def test_rules_across_fields_show_their_messages(client, make_event):
    event = make_event()
    response = post_form(client, event, email="", phone="", needs_mobility=["wheelchair"],
                         consent_privacy="")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Sisesta e-posti aadress või telefoninumber" in html
    assert "Registreerumiseks nõustu privaatsusteatega" in html
    assert "Kirjutasid oma vajadustest" in html
    assert 'href="#consent_health"' in html
    assert 'value="wheelchair" checked' in html or 'checked value="wheelchair"' in html \
        or re.search(r'<input[^>]*checked[^>]*value="wheelchair"', html)


def _page_text(response) -> str:
    """The page's words without its per-request tokens (CSRF, nonces)."""
    html = response.get_data(as_text=True)
    html = re.sub(r'name="csrf_token" value="[^"]*"', "", html)
    return re.sub(r'nonce="[^"]*"', "", html)


def test_same_email_again_is_answered_as_a_new_registration_and_mails_the_link(
    client, make_event
):
    """Nobody can learn from the answer whether an address attends (issue 15.3)."""
    event = make_event(capacity=1)
    post_form(client, event, email="mari@example.ee")   # confirmed
    post_form(client, event, email="jaan@example.ee")   # waiting, number 1
    again = post_form(client, event, email="MARI@example.ee")      # registered already
    stranger = post_form(client, event, email="kati@example.ee")   # a new address: number 2
    assert again.status_code == stranger.status_code == 200
    # The page a new address gets at that moment, but for the address itself.
    assert _page_text(again) == _page_text(stranger).replace("kati@example.ee",
                                                             "MARI@example.ee")
    assert "Oled ootenimekirjas, järjekorras 2" in _page_text(again)
    assert db.session.query(Registration).count() == 3
    kinds = db.session.scalars(
        select(OutgoingEmail.kind).where(OutgoingEmail.to_address == "mari@example.ee")
        .order_by(OutgoingEmail.id)).all()
    assert kinds == ["confirmed", "already_registered"]
    # Submitting again and again sends the link once in a while, not every time.
    post_form(client, event, email="mari@example.ee")
    assert db.session.query(OutgoingEmail).filter_by(kind="already_registered").count() == 1


def test_a_request_that_cannot_succeed_answers_the_same_for_a_registered_address(
    client, make_event
):
    """No privacy consent, or needs without health consent: 422 whoever the address is."""
    event = make_event()
    post_form(client, event, email="mari@example.ee")
    for broken in ({"consent_privacy": ""},
                   {"needs_mobility": ["wheelchair"]}):
        known = post_form(client, event, email="mari@example.ee", **broken)
        unknown = post_form(client, event, email="jaan@example.ee", **broken)
        assert known.status_code == unknown.status_code == 422
        assert _page_text(known) == _page_text(unknown).replace("jaan@example.ee",
                                                                "mari@example.ee")
    assert db.session.query(Registration).count() == 1
    assert db.session.query(OutgoingEmail).count() == 1


def test_closed_registration_offers_no_form(client, make_event):
    event = make_event(registration_opens_at=utcnow() + timedelta(days=2))
    html = client.get(f"/events/{event.slug}/register").get_data(as_text=True)
    assert "Registreerimine algab" in html
    assert "<form" not in html.split("<main")[1].split("</main>")[0]
    assert post_form(client, event).status_code == 200
    assert db.session.query(Registration).count() == 0


def test_extra_questions_are_asked_validated_and_stored(client, make_event):
    event = make_event()
    event.questions = [
        ExtraQuestion(kind=QuestionKind.SHORT_TEXT, label_et="Nimi dokumendis",
                      label_en="Name in ID", required=True, position=0),
        ExtraQuestion(kind=QuestionKind.DATE, label_et="Sünniaeg", required=True, position=1),
        ExtraQuestion(kind=QuestionKind.SINGLE_CHOICE, label_et="Tuba", required=True,
                      position=2, choices=[{"value": "single", "et": "Eraldi", "en": "Single"},
                                           {"value": "shared", "et": "Jagatud", "en": "Shared"}]),
        ExtraQuestion(kind=QuestionKind.YES_NO, label_et="Taimetoitlane?", position=3),
    ]
    db.session.commit()
    q = [question.id for question in event.questions]
    missing = post_form(client, event)
    assert missing.status_code == 422
    assert "Vasta sellele küsimusele" in missing.get_data(as_text=True)
    bad_choice = post_form(client, event, **{f"q_{q[0]}": "Mari Tamm", f"q_{q[1]}": "1960-05-01",
                                             f"q_{q[2]}": "penthouse"})
    assert bad_choice.status_code == 422
    ok = post_form(client, event, **{f"q_{q[0]}": "Mari Tamm", f"q_{q[1]}": "1960-05-01",
                                     f"q_{q[2]}": "shared", f"q_{q[3]}": "no"})
    html = client.get(manage_path(ok)).get_data(as_text=True)
    assert "01.05.1960" in html and "Jagatud" in html
    registration = db.session.scalars(select(Registration)).one()
    answers = {a.question_id: a.value for a in registration.answers}
    assert answers == {q[0]: "Mari Tamm", q[1]: "1960-05-01", q[2]: "shared", q[3]: False}


def test_manage_link_edit_keeps_details_and_saves_changes(client, make_event):
    event = make_event()
    path = manage_path(post_form(client, event, organisation_name="Rõuge Külaselts"))
    token_path = path.split("?")[0]
    edit = client.get(f"{token_path}/edit").get_data(as_text=True)
    assert 'value="Rõuge Külaselts"' in edit
    response = client.post(f"{token_path}/edit", data={**FORM, "name": "Mari Kask",
                                                       "organisation_name": "Rõuge Külaselts"})
    assert response.status_code == 302
    html = client.get(token_path).get_data(as_text=True)
    assert "Mari Kask" in html and "Muudatused on salvestatud." in html


def test_the_age_bands_fit_older_people_and_an_earlier_answer_survives_an_edit(client,
                                                                              make_event):
    event = make_event()
    form = client.get(f"/events/{event.slug}/register").get_data(as_text=True)
    offered = re.findall(r'name="age_band"[^>]*value="([^"]+)"', form)
    assert offered == ["under_25", "25_54", "55_64", "65_74", "75_84", "85_plus"]
    assert post_form(client, event, age_band="55_plus").status_code == 422  # not offered now

    path = manage_path(post_form(client, event, age_band="75_84")).split("?")[0]
    registration = db.session.scalars(select(Registration)).one()
    registration.age_band = "55_plus"  # given on the earlier form
    db.session.commit()
    edit = client.get(f"{path}/edit").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*value="55_plus"', edit)
    assert "55 või vanem (varasem küsimus)" in edit
    response = client.post(f"{path}/edit", data={**FORM, "name": "Mari Kask",
                                                 "age_band": "55_plus"})
    assert response.status_code == 302
    db.session.refresh(registration)
    assert (registration.name, registration.age_band) == ("Mari Kask", "55_plus")


def test_cancel_needs_confirmation_and_promotes_the_waiting(client, make_event,
                                                            make_registration):
    event = make_event(capacity=1)
    path = manage_path(post_form(client, event)).split("?")[0]
    waiting = make_registration(event, status=Status.WAITLISTED, waitlisted_at=utcnow())
    confirm = client.get(f"{path}/cancel").get_data(as_text=True)
    assert "Kas soovid registreeringu tühistada?" in confirm
    assert db.session.scalars(select(Registration.status).where(
        Registration.email == "mari@example.ee")).one() is Status.CONFIRMED
    client.post(f"{path}/cancel")
    db.session.refresh(waiting)
    assert waiting.status is Status.CONFIRMED
    assert "Tühistatud" in client.get(path).get_data(as_text=True)


def test_a_cancelled_registration_says_so_plainly_with_a_way_back(app, client, make_event):
    """Issue 16.5: no seats, needs or change links for what is over; "register again"."""
    event = make_event(capacity=5)
    path = manage_path(post_form(client, event, needs_mobility=["wheelchair"],
                                 consent_health="y", companion="y",
                                 companion_name="Peeter Tamm"))
    client.post(f"{path}/cancel")
    html = client.get(path).get_data(as_text=True)
    assert "See registreering on tühistatud." in html
    assert f'href="/events/{event.slug}/register"' in html  # register again
    assert "sina ja saatja" not in html and "Kasutan ratastooli" not in html
    assert "Peeter Tamm" not in html and f"{path}/edit" not in html
    headings = re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", html)
    assert len(headings) == len(set(headings)), headings
    render_pending()
    cancellation = db.session.scalars(select(OutgoingEmail).where(
        OutgoingEmail.kind == "cancelled")).one()
    for body in (cancellation.body_text, cancellation.body_html):
        assert "muuda või tühista" not in body
        assert path in body  # the record and the person's data stay reachable


def test_withdrawing_health_consent_deletes_needs(client, make_event):
    event = make_event()
    path = manage_path(post_form(client, event, needs_mobility=["wheelchair"],
                                 consent_health="y")).split("?")[0]
    client.post(f"{path}/health-consent")
    registration = db.session.scalars(select(Registration)).one()
    assert registration.need_codes == set() and registration.consent_health_at is None


def test_unknown_manage_token_is_404_and_pages_are_not_cached(client, make_event):
    assert client.get("/r/not-a-real-token").status_code == 404
    path = manage_path(post_form(client, make_event())).split("?")[0]
    response = client.get(path)
    assert response.headers["Cache-Control"] == "no-store"


def test_lost_link_answers_the_same_for_known_and_unknown_addresses(client, make_event):
    post_form(client, make_event())
    known = client.post("/lost-link", data={"email": "mari@example.ee"})
    unknown = client.post("/lost-link", data={"email": "keegi@example.ee"})
    assert known.status_code == unknown.status_code == 200
    strip = lambda r, e: r.get_data(as_text=True).replace(e, "")  # noqa: E731
    assert strip(known, "mari@example.ee") == strip(unknown, "keegi@example.ee")
    kinds = db.session.scalars(select(OutgoingEmail.kind).order_by(OutgoingEmail.id)).all()
    assert kinds == ["confirmed", "lost_link"]


def test_manage_page_offers_the_calendar_entry_and_the_events_board(client, make_event):
    from koosloome.boards.models import Board
    from koosloome.boards.services import add_default_columns
    from tests.factories import organisation

    event = make_event()
    board = Board(join_code="MNGB24", title="Töötoa tahvel", question="Kuidas?",
                  organisation=organisation("vpk"), event=event)
    add_default_columns(board)
    db.session.add(board)
    db.session.commit()
    path = manage_path(post_form(client, event)).split("?")[0]
    html = client.get(path).get_data(as_text=True)
    token = path.rsplit("/", 1)[-1]
    assert f'href="/b/MNGB24/join?r={token}"' in html
    response = client.get(f"{path}/invite.ics")
    assert response.mimetype == "text/calendar"
    body = response.get_data(as_text=True)
    assert "BEGIN:VEVENT" in body and "TZID=Europe/Tallinn" in body
    assert "UID:koosloome-registration-" in body


def test_participant_downloads_their_data_and_erases_the_registration(client, make_event,
                                                                      make_registration):
    import json

    from koosloome.audit import AuditLog

    event = make_event(capacity=1)
    path = manage_path(post_form(client, event, needs_mobility=["wheelchair"],
                                 consent_health="y")).split("?")[0]
    waiting = make_registration(event, status=Status.WAITLISTED, waitlisted_at=utcnow())
    data = client.get(f"{path}/data.json")
    assert data.mimetype == "application/json"
    body = json.loads(data.get_data(as_text=True))
    assert body["name"] == "Mari Tamm" and body["needs"] == ["wheelchair"]
    assert "Kas kustutad selle registreeringu" in client.get(f"{path}/erase").get_data(
        as_text=True)
    done = client.post(f"{path}/erase")
    assert "Sinu registreering on kustutatud" in done.get_data(as_text=True)
    assert db.session.scalars(select(Registration.email)).all() == [waiting.email]
    db.session.refresh(waiting)
    assert waiting.status is Status.CONFIRMED  # the freed seat went to the waiting list
    assert client.get(path).status_code == 404
    entry = db.session.scalars(select(AuditLog).where(
        AuditLog.action == "registration.erase")).one()
    assert "Mari" not in json.dumps(entry.details)


def _fields_part(html: str) -> str:
    return html[html.index('<form method="post"'):html.index("</form>")]


def test_blank_form_fields_are_reused_until_a_question_changes(client, make_event):
    event = make_event()
    question = ExtraQuestion(kind=QuestionKind.SHORT_TEXT, label_et="Särgi suurus", position=0)
    event.questions = [question]
    db.session.commit()
    path = f"/events/{event.slug}/register"
    first = _fields_part(client.get(path).get_data(as_text=True))
    assert "Särgi suurus" in first
    assert _fields_part(client.get(path).get_data(as_text=True)) == first

    question.label_et = "Pluusi suurus"
    db.session.commit()
    changed = _fields_part(client.get(path).get_data(as_text=True))
    assert "Pluusi suurus" in changed and "Särgi suurus" not in changed

    english = _fields_part(client.get(path, headers={"Accept-Language": "en"}).get_data(
        as_text=True))
    assert "Your details" in english and "Sinu andmed" not in english


def test_a_form_with_errors_keeps_what_was_typed_after_blank_ones_were_served(client,
                                                                              make_event):
    event = make_event()
    client.get(f"/events/{event.slug}/register")  # a blank form, now kept
    response = post_form(client, event, name="Mari Tamm", email="not-an-address")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="not-an-address"' in html and 'value="Mari Tamm"' in html
    again = client.get(f"/events/{event.slug}/register").get_data(as_text=True)
    assert "not-an-address" not in again and "Mari Tamm" not in again


def test_every_mistake_is_shown_at_once_and_the_summary_comes_first(client, make_event):
    """Issue 16.2: only "wheelchair" ticked gives the name, contact, privacy-consent and
    health-consent errors in one answer, not one submit after another."""
    event = make_event()
    response = client.post(f"/events/{event.slug}/register",
                           data={"language": "et", "needs_mobility": ["wheelchair"]})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<title>Viga:" in html
    summary = html.split('class="error-summary"')[1].split("</div>")[0]
    for field in ("name", "email", "consent_privacy", "consent_health"):
        assert f'href="#{field}"' in summary, field
    # With JavaScript off, the skip link leads to the summary before anything else.
    main = html.split('<main id="main"')[1]
    assert main.index('class="error-summary"') < main.index("<h1")
    assert main.index('class="error-summary"') < main.index('href="/events/')


def test_the_api_answers_every_mistake_at_once(client, make_event):
    event = make_event()
    response = client.post(f"/api/v1/events/{event.id}/registrations",
                           json={"needs": ["wheelchair"]})
    assert response.status_code == 422
    assert set(response.get_json()["fields"]) >= {"name", "email", "consent_privacy",
                                                  "consent_health"}
