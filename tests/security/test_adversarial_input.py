"""Adversarial input (issue #8): hostile text typed into every free-text field through the real
forms stays inert in every page, e-mail, invitation and export, and SQL is stored literally.

The corpus (``corpus.py``) is spread over each form's fields, so every payload goes through
every kind of field while each page is fetched only once or a few times.
"""

from __future__ import annotations

import io
import json
import re
import zipfile

import icalendar
from markupsafe import escape
from pypdf import PdfReader
from sqlalchemy import inspect, select

from koosloome.accounts.models import Role, User
from koosloome.accounts.services import create_api_token
from koosloome.boards.models import Board, Idea, IdeaComment
from koosloome.events.models import Event, ExtraQuestion, QuestionKind
from koosloome.extensions import db
from koosloome.feedback.models import FeedbackAnswer, FeedbackSurvey
from koosloome.messaging.models import OutgoingEmail
from koosloome.registrations.models import Registration
from koosloome.venues.models import Venue
from tests.factories import manage_path_of, organisation
from tests.security.corpus import CORPUS, Payload, spread
from tests.security.inert import (
    assert_calendar_texts,
    assert_clean_mail,
    assert_inert_cells,
    assert_inert_html,
    assert_inert_xlsx,
    calendar_event,
    csv_cells,
    flat,
    parse_mail,
)

REGISTRATION_FIELDS = ["name", "organisation_name", "needs_note", "companion_name", "allergies",
                       "transport_pickup", "short", "long"]


def ok(response, *codes: int) -> str:
    """The body of a response that must not be an error."""
    codes = codes or (200,)
    body = response.get_data(as_text=True)
    assert response.status_code in codes, (response.status_code, body[:2000])
    return body


def literal(stored: str | None, payload: Payload) -> bool:
    """The database holds the text as typed: only whitespace may be tidied (outer whitespace
    trimmed, CR LF made LF, or a one-line field's whitespace runs made one space)."""
    text = payload.stored
    lf = text.replace("\r\n", "\n")
    return stored in (text, text.strip(), lf, lf.strip(), flat(text))


def test_corpus_is_large_varied_and_fits_the_shortest_field():
    assert len(CORPUS) >= 50
    assert {p.kind for p in CORPUS} == {"calendar", "header", "markup", "template", "formula",
                                        "sql", "unicode", "control"}
    assert max(len(p.text) for p in CORPUS) <= 80
    assert len({p.text for p in CORPUS}) == len(CORPUS)


# --- Registrations ---------------------------------------------------------------------------


def _registration_event(make_event):
    event = make_event(organisation=organisation("vpk"), capacity=500)
    short = ExtraQuestion(event=event, position=1, kind=QuestionKind.SHORT_TEXT,
                          label_et="Lühike küsimus", label_en="Short question")
    long = ExtraQuestion(event=event, position=2, kind=QuestionKind.LONG_TEXT,
                         label_et="Pikk küsimus", label_en="Long question")
    db.session.add_all([short, long])
    db.session.commit()
    return event, short, long


def _register_everyone(client, event, short, long):
    """One registration per payload, every field with a different payload."""
    people = []
    for number, values in enumerate(spread(len(CORPUS), REGISTRATION_FIELDS)):
        data = {field: values[field].text for field in REGISTRATION_FIELDS[:6]}
        data.update({
            f"q_{short.id}": values["short"].text, f"q_{long.id}": values["long"].text,
            "email": f"osaleja{number}@example.ee", "language": "et" if number % 2 else "en",
            "consent_privacy": "y", "consent_health": "y", "companion": "y",
            "transport_needed": "yes",
        })
        response = client.post(f"/events/{event.slug}/register", data=data)
        ok(response, 200)
        people.append((manage_path_of(data["email"]), values))
    return people


def test_registration_texts_stay_inert_in_every_page_email_invite_and_export(
    client, make_event, make_user, login
):
    event, short, long = _registration_event(make_event)
    people = _register_everyone(client, event, short, long)
    checks = 0

    registrations = {r.email: r for r in db.session.scalars(select(Registration))}
    assert len(registrations) == len(CORPUS)
    for number, (_path, values) in enumerate(people):
        registration = registrations[f"osaleja{number}@example.ee"]
        answers = {a.question_id: a.value for a in registration.answers}
        for field in REGISTRATION_FIELDS[:6]:
            assert literal(getattr(registration, field), values[field]), (field, values[field])
        assert literal(answers[short.id], values["short"])
        assert literal(answers[long.id], values["long"])
        checks += 8

    # The participant's own pages.
    for path, values in people:
        shown = [v.stored for v in values.values()]
        checks += assert_inert_html(ok(client.get(path)), shown, path)
        checks += assert_inert_html(ok(client.get(path + "/edit")), shown, path + "/edit")
        data = json.loads(ok(client.get(path + "/data.json")))
        dumped = json.dumps(data, ensure_ascii=False)
        for value in values.values():
            assert json.dumps(value.stored, ensure_ascii=False)[1:-1] in dumped
            checks += 1

    # Confirmation e-mails with their invitations.
    emails = db.session.scalars(select(OutgoingEmail).order_by(OutgoingEmail.id)).all()
    assert len(emails) == len(people)
    by_address = {e.to_address: e for e in emails}
    for number, (path, values) in enumerate(people):
        row = by_address[f"osaleja{number}@example.ee"]
        message = parse_mail(row)
        checks += assert_clean_mail(message, values["name"].stored, [values["name"].stored],
                                    where=f"confirmation {number}")
        for data, where in ((row.calendar, "e-mail invite"),
                            (client.get(path + "/invite.ics").data, "invite.ics")):
            vevent = calendar_event(data, where)
            attendee = vevent["ATTENDEE"]
            assert str(attendee) == f"mailto:osaleja{number}@example.ee"
            checks += 3

    # The back office.
    staff = login(make_user(Role.ADMIN, "vpk"))
    for number, registration in enumerate(registrations.values()):
        note = CORPUS[number % len(CORPUS)]
        ok(staff.post(f"/admin/registrations/{registration.id}/note", data={"note": note.text}),
           302)
    names = [values["name"].stored for _path, values in people]
    pages = {
        f"/admin/events/{event.id}/registrations": names,
        f"/admin/events/{event.id}/check-in": names,
        f"/admin/events/{event.id}/needs?names=1": names + [
            v[field].stored for _p, v in people
            for field in ("needs_note", "allergies", "companion_name")],
        f"/admin/events/{event.id}/transport": names + [v["transport_pickup"].stored
                                                        for _p, v in people],
        f"/admin/events/{event.id}": [],
        "/admin/": [],
        "/admin/audit": [],
    }
    for page, shown in pages.items():
        checks += assert_inert_html(ok(staff.get(page)), shown, page)
    db.session.expire_all()
    for registration in registrations.values():
        base = f"/admin/registrations/{registration.id}"
        detail = ok(staff.get(base))
        shown = [registration.name, registration.organisation_name, registration.needs_note,
                 registration.companion_name, registration.allergies,
                 registration.transport_pickup, registration.internal_note]
        checks += assert_inert_html(detail, shown, base)
        checks += assert_inert_html(ok(staff.get(base + "/check-in")), [registration.name],
                                    base + "/check-in")
        checks += assert_inert_html(ok(staff.get(base + "/confirmation")), [registration.name],
                                    base + "/confirmation")

    # Exports: no cell a spreadsheet would run; every text in some cell.
    payloads = [v for _path, values in people for v in values.values()]
    text = ok(staff.get(f"/admin/events/{event.id}/registrations.csv"))
    checks += assert_inert_cells(csv_cells(text, ";"), payloads, "registrations.csv")
    workbook = ok_bytes(staff.get(f"/admin/events/{event.id}/registrations.xlsx"))
    checks += assert_inert_xlsx(workbook, payloads, "registrations.xlsx")
    for pdf in (f"/admin/events/{event.id}/attendance.pdf",
                f"/admin/events/{event.id}/evidence.pdf"):
        document = PdfReader(io.BytesIO(ok_bytes(staff.get(pdf))))
        text = "".join(page.extract_text() for page in document.pages)
        assert "alert(" in text, pdf  # the names are printed, as text
        checks += 1
    archive = zipfile.ZipFile(io.BytesIO(ok_bytes(staff.get(
        f"/admin/events/{event.id}/evidence.zip"))))
    for name in archive.namelist():
        if name.endswith(".csv"):
            cells = csv_cells(archive.read(name).decode("utf-8-sig"))
            checks += assert_inert_cells(cells, [], f"evidence.zip/{name}")

    # The API gives every text back exactly as stored.
    listed = staff.get(f"/api/v1/events/{event.id}/registrations",
                       headers=bearer(make_user(Role.ADMIN, "vpk"))).get_json()
    items = {item["id"]: item for item in listed["registrations"]}
    assert len(items) == len(registrations)
    for registration in registrations.values():
        item = items[registration.id]
        for field in ("name", "needs_note", "companion_name", "allergies", "transport_pickup"):
            assert item[field] == getattr(registration, field), field
        assert item["answers"] == {str(a.question_id): a.value for a in registration.answers}
        checks += 6
    assert inspect(db.engine).has_table("registration") and inspect(db.engine).has_table("event")
    print(f"registration checks: {checks}")


def bearer(user: User) -> dict[str, str]:
    """Authorization headers with a new API token of ``user``."""
    token = create_api_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def ok_bytes(response) -> bytes:
    """The bytes of a successful response."""
    assert response.status_code == 200, response.status_code
    return response.data


# --- Events ----------------------------------------------------------------------------------

EVENT_FIELDS = ["title_et", "summary_et", "description_et", "title_en", "summary_en",
                "description_en", "easy_read_et", "easy_read_en", "catering_et", "catering_en",
                "access_notes_et", "access_notes_en", "access_contact_name"]
VENUE_TEXT_FIELDS = ["name_et", "address", "name_en", "transit_stop_et", "transit_stop_en",
                     "dropoff_point_et", "dropoff_point_en", "evacuation_et", "evacuation_en",
                     "access_notes_et", "access_notes_en", "facts_checked_by"]
VENUE_FORM = {"entrance": "level", "hearing_loop": "portable", "lift": "yes",
              "accessible_wc": "yes", "facts_checked_on": "2026-11-20"}
AGENDA_FIELDS = ["title_et", "speaker", "title_en", "room_et", "room_en"]
QUESTION_FIELDS = ["label_et", "help_et", "label_en", "help_en"]
EVENT_FORM = {
    "kind": "seminar", "starts_at": "2031-03-05T10:00", "ends_at": "2031-03-05T14:00",
    "capacity": "30", "registration_mode": "open", "reminder_days": "2", "publish": "1",
}
#: Few events, each field a window of the corpus; the fields together hold all of it.
EVENT_COUNT = 6


def _create_events(staff):
    """Events, programme items and extra questions through the back-office forms."""
    created = []
    agendas = spread(EVENT_COUNT * 2, AGENDA_FIELDS, start=7)
    questions = spread(EVENT_COUNT, QUESTION_FIELDS, start=11)
    venues = spread(EVENT_COUNT, VENUE_TEXT_FIELDS, start=3)
    for number, values in enumerate(spread(EVENT_COUNT, EVENT_FIELDS)):
        venue_values = venues[number]
        ok(staff.post("/admin/venues/new", data={
            **VENUE_FORM, **{k: v.text for k, v in venue_values.items()}}), 302)
        venue_id = db.session.scalar(select(Venue.id).order_by(Venue.id.desc()).limit(1))
        response = staff.post("/admin/events/new", data={
            **EVENT_FORM, "venue_id": venue_id, **{k: v.text for k, v in values.items()}})
        ok(response, 302)
        event_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
        items = agendas[number * 2: number * 2 + 2]
        for item in items:
            ok(staff.post(f"/admin/events/{event_id}/agenda", data={
                "starts_at": "2031-03-05T11:00", **{k: v.text for k, v in item.items()}}), 302)
        question = questions[number]
        ok(staff.post(f"/admin/events/{event_id}/questions", data={
            "kind": "short_text", **{k: v.text for k, v in question.items()}}), 302)
        created.append((db.session.get(Event, event_id), {**values, **{
            f"venue.{k}": v for k, v in venue_values.items()}}, items, question))
    return created


def test_event_texts_stay_inert_in_pages_calendars_emails_and_the_api(client, make_user, login):
    staff = login(make_user(Role.ORGANISER, "vpk"))
    events = _create_events(staff)
    checks = 0
    headers = bearer(make_user(Role.ADMIN, "vpk"))
    for event, values, items, question in events:
        db.session.refresh(event)
        for field, payload in values.items():
            holder = event.venue if field.startswith("venue.") else event
            stored = getattr(holder, field.removeprefix("venue."))
            assert literal(stored, payload), (field, payload)
        for item, stored in zip(items, event.agenda, strict=True):
            for field, payload in item.items():
                assert literal(getattr(stored, field), payload), (field, payload)
        for field, payload in question.items():
            assert literal(getattr(event.questions[0], field), payload), (field, payload)
        checks += len(values) + 2 * len(AGENDA_FIELDS) + len(QUESTION_FIELDS)

        event_et = [getattr(event, f) for f in EVENT_FIELDS if not f.endswith("_en")]
        event_en = [getattr(event, f) for f in EVENT_FIELDS if not f.endswith("_et")]
        shown = [f for f in VENUE_TEXT_FIELDS if f != "facts_checked_by"]
        venue_et = [getattr(event.venue, f) for f in shown if not f.endswith("_en")]
        venue_en = [getattr(event.venue, f) for f in shown if not f.endswith("_et")]
        et, en = event_et + venue_et, event_en + venue_en
        speakers = [i.speaker for i in event.agenda]
        programme_et = [i.title_et for i in event.agenda] + speakers + [
            i.room_et for i in event.agenda]
        programme_en = [i.title_en for i in event.agenda] + speakers + [
            i.room_en for i in event.agenda]
        page = f"/events/{event.slug}"
        checks += assert_inert_html(ok(client.get(page)), et + programme_et, page)
        form = ok(client.get(page + "/register"))
        checks += assert_inert_html(form, [event.questions[0].label_et,
                                           event.questions[0].help_et], page + "/register")
        client.get("/language/en")
        checks += assert_inert_html(ok(client.get(page)), en + programme_en, page + " (en)")
        form = ok(client.get(page + "/register"))
        checks += assert_inert_html(form, [event.questions[0].label_en,
                                           event.questions[0].help_en], page + "/register (en)")
        client.get("/language/et")
        base = f"/admin/events/{event.id}"
        venue_form = [getattr(event.venue, f) for f in VENUE_TEXT_FIELDS]
        for admin_page, texts in ((base, [event.title_et]),
                                  (base + "/edit", event_et + event_en),
                                  (base + "/agenda", [i.title_et for i in event.agenda]),
                                  (base + "/questions", [event.questions[0].label_et]),
                                  (f"/admin/venues/{event.venue_id}/edit", venue_form)):
            checks += assert_inert_html(ok(staff.get(admin_page)), texts, admin_page)

        vevent = calendar_event(ok_bytes(client.get(page + ".ics")), page + ".ics")
        checks += assert_calendar_texts(vevent, {
            "SUMMARY": event.title_et, "LOCATION": event.venue_name,
            "DESCRIPTION": event.summary_et}, page + ".ics")

        api = staff.get(f"/api/v1/events/{event.id}", headers=headers).get_json()
        for field in ("title_et", "title_en", "summary_et", "summary_en"):
            assert api[field] == getattr(event, field)
        assert api["venue"]["name_et"] == event.venue_name
        venue = staff.get(f"/api/v1/venues/{event.venue_id}").get_json()
        assert [venue[f] for f in VENUE_TEXT_FIELDS] == venue_form
        checks += 6

        # A registration: the confirmation carries the event's texts and its invitation.
        ok(client.post(page + "/register", data={
            "name": "Mari Tamm", "email": f"mari{event.id}@example.ee", "language": "et",
            "consent_privacy": "y"}), 200)
        row = db.session.scalars(select(OutgoingEmail).where(
            OutgoingEmail.to_address == f"mari{event.id}@example.ee")).one()
        message = parse_mail(row)
        checks += assert_clean_mail(message, "Mari Tamm", [event.title_et, event.venue_name],
                                    subject_shows=[event.title_et], where=f"confirmation {page}")
        vevent = calendar_event(row.calendar, f"invite {page}")
        checks += assert_calendar_texts(vevent, {
            "SUMMARY": event.title_et, "LOCATION": event.venue_name,
            "DESCRIPTION": event.access_notes_et}, f"invite {page}")

    titles = [event.title_et for event, *_rest in events]
    for page in ("/", "/admin/events/", "/admin/"):
        checks += assert_inert_html(ok((staff if page != "/" else client).get(page)), titles,
                                    page)
    feed = icalendar.Calendar.from_ical(ok_bytes(client.get("/calendar.ics")))
    summaries = sorted(str(e["SUMMARY"]) for e in feed.walk("VEVENT"))
    assert summaries == sorted(t.replace("\r\n", "\n") for t in titles)
    assert not [key for e in feed.walk("VEVENT") for key in e if key.startswith("X-")]
    checks += 2
    print(f"event checks: {checks}")


# --- Idea boards -----------------------------------------------------------------------------

BOARD_FIELDS = ["title", "question", "intro_et", "intro_en"]
BOARD_COUNT = 2


def _one_line(payload: Payload) -> bool:
    return "\n" not in payload.text and "\r" not in payload.text


def test_board_texts_stay_inert_in_every_view_export_and_the_api(app, client, make_user, login):
    facilitator = make_user(Role.FACILITATOR, "vpk")
    staff = login(facilitator)
    columns = [p.text for p in CORPUS if _one_line(p) and p.text.strip()][:6]
    boards = []
    for values in spread(BOARD_COUNT, BOARD_FIELDS, start=20):
        response = staff.post("/admin/boards/new", data={
            **{k: v.text for k, v in values.items()}, "event": "", "columns": "\n".join(columns),
            "votes_per_participant": "3", "allow_anonymous": "y"})
        ok(response, 302)
        board_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
        boards.append((db.session.get(Board, board_id), values))
    board, _values = boards[0]
    code = board.join_code
    assert [c.title for c in board.columns] == [c.strip() for c in columns]

    # Each payload is a participant's name, an idea and a comment on someone else's idea.
    participants = []
    for number, payload in enumerate(CORPUS):
        person = app.test_client()
        ok(person.post(f"/b/{code}/join", data={"display_name": payload.text}), 302)
        column = board.columns[number % len(board.columns)].id
        ok(person.post(f"/b/{code}/ideas", data={"column": column, "text": payload.text}), 302)
        participants.append(person)
    ideas = db.session.scalars(select(Idea).order_by(Idea.id)).all()
    assert len(ideas) == len(CORPUS)
    for number, person in enumerate(participants):
        idea = ideas[(number + 1) % len(ideas)]
        comment = CORPUS[(number + 5) % len(CORPUS)]
        ok(person.post(f"/b/{code}/ideas/{idea.id}", data={"text": comment.text}), 302)
    themes = [p for p in CORPUS if p.text.strip()][30:38]
    for payload in themes:
        ok(staff.post(f"/admin/boards/{board.id}/themes",
                      data={"new-theme-name": payload.text}), 302)
    db.session.expire_all()
    checks = 0
    for idea, payload in zip(ideas, CORPUS, strict=True):
        assert literal(idea.text, payload) and literal(idea.participant.display_name, payload)
        checks += 2
    for theme in board.themes:
        ok(staff.post(f"/admin/boards/{board.id}/ideas/{ideas[theme.id].id}/theme",
                      data={"theme-theme": theme.id}), 302)
    hidden = ideas[-1]
    ok(staff.post(f"/admin/boards/{board.id}/ideas/{hidden.id}/hide",
                  data={"hide-reason": CORPUS[0].text}), 302)
    comments = {c.idea_id: c.text for c in db.session.scalars(select(IdeaComment))}
    texts = [p.stored for p in CORPUS[:-1]]

    for other, values in boards:
        page = f"/admin/boards/{other.id}/settings"
        checks += assert_inert_html(ok(staff.get(page)), [v.stored for v in values.values()],
                                    page)
    # The summary and the projector show the top three ideas of each column.
    top = [CORPUS[c + len(columns) * k].stored for c in range(len(columns)) for k in range(3)]
    pages = {
        f"/b/{code}": (participants[0], [*texts, board.title, board.question]),
        f"/b/{code}/live": (participants[0], texts),
        f"/b/{code}/present": (client, [board.title, board.question]),
        f"/admin/boards/{board.id}": (staff, texts),
        f"/admin/boards/{board.id}/structure": (staff, [t.name for t in board.themes]),
        f"/admin/boards/{board.id}/summary": (staff, top),
        "/admin/boards/": (staff, [b.title for b, _v in boards]),
    }
    for page, (reader, shown) in pages.items():
        checks += assert_inert_html(ok(reader.get(page)), shown, page)
    for idea in ideas[:-1]:
        page = f"/b/{code}/ideas/{idea.id}"
        shown = [idea.text] + ([comments[idea.id]] if idea.id in comments else [])
        checks += assert_inert_html(ok(participants[0].get(page)), shown, page)
    for idea in ideas[:12]:
        page = f"/admin/boards/{board.id}/ideas/{idea.id}"
        checks += assert_inert_html(ok(staff.get(page)), [idea.text], page)
    ok(staff.post(f"/admin/boards/{board.id}/phase", data={"phase-phase": "closed"}), 302)
    checks += assert_inert_html(ok(participants[0].get(f"/b/{code}/results")), texts,
                                "results")
    # Once closed, the projector shows the top three ideas of each column.
    for page in (f"/b/{code}/present", f"/b/{code}/live?view=present"):
        checks += assert_inert_html(ok(client.get(page)), top + columns, page)

    exported = ok(staff.get(f"/admin/boards/{board.id}/export.csv"))
    checks += assert_inert_cells(csv_cells(exported), CORPUS[:-1], "board export.csv")
    markdown = ok(staff.get(f"/admin/boards/{board.id}/export.md"))
    # Markdown passes raw HTML through to whatever renders it: every < and > is escaped.
    assert not re.search(r"(?<!\\)[<>]", markdown), "raw markup in the Markdown export"
    assert "\\<script\\>alert(\"xss-1\")\\</script\\>" in markdown
    checks += 2
    # The API gives every text back as stored.
    api = client.get(f"/api/v1/boards/{code}").get_json()
    listed = {idea["id"]: idea for column in api["columns"] for idea in column["ideas"]}
    db.session.expire_all()
    for idea in ideas[:-1]:
        assert listed[idea.id]["text"] == idea.text
        assert listed[idea.id]["author"] == idea.participant.display_name
        checks += 2
    assert api["title"] == board.title and api["question"] == board.question
    print(f"board checks: {checks}")


# --- Feedback, organisers' messages, staff names ---------------------------------------------

FEEDBACK_KEYS = ["most_useful", "differently", "comments"]


def test_feedback_answers_and_questions_stay_inert_in_the_summary_and_exports(
    client, make_event, make_user, login
):
    event = make_event(organisation=organisation("vpk"))
    staff = login(make_user(Role.ORGANISER, "vpk"))
    ok(staff.post(f"/admin/events/{event.id}/feedback/open"), 302)
    labels = spread(2, ["label_et", "label_en"], start=40)
    for values in labels:
        ok(staff.post(f"/admin/events/{event.id}/feedback/questions", data={
            "kind": "text", **{k: v.text for k, v in values.items()}}), 302)
    survey = db.session.scalars(select(FeedbackSurvey)).one()
    ids = {q.key: q.id for q in survey.questions}
    own = [q for q in survey.questions if not q.key]  # the organisers' own questions
    fields = [f"q_{ids[key]}" for key in FEEDBACK_KEYS] + [f"q_{own[0].id}"]
    answers = spread(15, fields)
    for values in answers:
        ok(client.post(f"/f/{survey.code}", data={k: v.text for k, v in values.items()}),
           200, 302)
    stored = {a.value for a in db.session.scalars(select(FeedbackAnswer))}
    given = [v for values in answers for v in values.values()]
    checks = 0
    for payload in given:
        assert any(literal(value, payload) for value in stored), payload
        checks += 1

    page = f"/admin/events/{event.id}/feedback"
    shown = [p.stored for p in given] + [v.stored for values in labels
                                         for k, v in values.items() if k == "label_et"]
    checks += assert_inert_html(ok(staff.get(page)), shown, page)
    client.get("/language/en")
    form = ok(client.get(f"/f/{survey.code}"))
    checks += assert_inert_html(form, [labels[0]["label_en"].stored], "feedback form (en)")
    cells = csv_cells(ok(staff.get(f"/admin/events/{event.id}/feedback.csv")))
    checks += assert_inert_cells(cells, given, "feedback.csv")
    document = PdfReader(io.BytesIO(ok_bytes(staff.get(f"/admin/events/{event.id}/evidence.pdf"))))
    assert document.pages
    print(f"feedback checks: {checks}")


def test_organiser_messages_and_staff_names_cannot_split_headers_or_inject_markup(
    make_event, make_registration, make_user, login
):
    event = make_event(organisation=organisation("vpk"))
    make_registration(event, name="Mari Tamm", email="mari@example.ee")
    admin = login(make_user(Role.ADMIN, "vpk"))
    checks = 0
    for values in spread(30, ["subject", "body"]):
        data = {"audience": ["confirmed"], "subject": values["subject"].text,
                "body": values["body"].text}
        preview = ok(admin.post(f"/admin/events/{event.id}/message",
                                data={**data, "preview": "1"}))
        checks += assert_inert_html(preview, [values["subject"].stored, values["body"].stored],
                                    "message preview")
        ok(admin.post(f"/admin/events/{event.id}/message", data={**data, "send": "1"}), 302)
        row = db.session.scalars(select(OutgoingEmail).order_by(OutgoingEmail.id.desc())).first()
        checks += assert_clean_mail(parse_mail(row), "Mari Tamm", [values["body"].stored],
                                    subject_shows=[values["subject"].stored],
                                    where=f"message {values['subject'].text!r}")

    for number, payload in enumerate(CORPUS):
        ok(admin.post("/admin/users/new", data={
            "name": payload.text, "email": f"staff-x{number}@koosloome.test",
            "role": "organiser", "organisation": "vpk", "active": "y"}), 302)
    users = {u.email: u for u in db.session.scalars(select(User))}
    mails = {e.to_address: e for e in db.session.scalars(
        select(OutgoingEmail).where(OutgoingEmail.to_address.like("staff-x%")))}
    for number, payload in enumerate(CORPUS):
        address = f"staff-x{number}@koosloome.test"
        assert literal(users[address].name, payload)
        checks += 1 + assert_clean_mail(parse_mail(mails[address]), users[address].name,
                                        [users[address].name], where=f"password link {number}")
        page = f"/admin/users/{users[address].id}"
        checks += assert_inert_html(ok(admin.get(page)), [users[address].name], page)
    checks += assert_inert_html(ok(admin.get("/admin/users/")),
                                [u.name for u in users.values()], "/admin/users/")
    print(f"message and staff checks: {checks}")


# --- SQL strings in searches -----------------------------------------------------------------


def test_searches_take_sql_and_like_wildcards_literally(make_event, make_registration, make_user,
                                                        login):
    event = make_event(organisation=organisation("vpk"))
    names = ["100% kõik", "100 kõik", "Mari_Tamm", "MariXTamm", "Back\\slash", "Backslash",
             "O'Brien", "'; DROP TABLE registration; --"]
    for name in names:
        make_registration(event, name=name)
    staff = login(make_user(Role.ORGANISER, "vpk"))
    expected = {"100%": ["100% kõik"], "_": ["Mari_Tamm"], "\\": ["Back\\slash"],
                "'": ["O'Brien", "'; DROP TABLE registration; --"],
                "'; DROP TABLE registration; --": ["'; DROP TABLE registration; --"],
                "%": ["100% kõik"], "' OR 1=1 --": []}
    for search, found in expected.items():
        page = ok(staff.get(f"/admin/events/{event.id}/check-in", query_string={"q": search}))
        shown = [name for name in names if f">{escape(name)}<" in page]
        assert shown == found, (search, shown)
    assert sorted(db.session.scalars(select(Registration.name))) == sorted(names)
