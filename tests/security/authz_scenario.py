"""The data of the authorization matrix: one event with health data, a board, a survey, and
the seven kinds of visitor; plus snapshots of every table, to prove a refused request changed
nothing and to put the scenario back after an allowed one did.

Health fields hold distinctive markers, so a page, file or e-mail that shows them is found by
a plain substring search (also inside PDFs, spreadsheets and ZIP files: ``readable_text``).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import time
from typing import Any

from flask import Flask, Response
from pypdf import PdfReader
from sqlalchemy import bindparam, select
from sqlalchemy import event as sa_event
from werkzeug.datastructures import FileStorage
from werkzeug.security import generate_password_hash

from koosloome.accounts.models import Role, User
from koosloome.accounts.services import create_api_token
from koosloome.announcements.models import Announcement
from koosloome.arrangements.models import Volunteer
from koosloome.boards import facilitation
from koosloome.boards import services as boards
from koosloome.boards.identity import remember_participant
from koosloome.boards.models import BoardPhase
from koosloome.db import utcnow
from koosloome.events.calendar_revision import ContentRevision
from koosloome.events.models import (
    AgendaItem,
    Event,
    ExtraQuestion,
    QuestionKind,
    TripDay,
    TripStop,
)
from koosloome.events.trip_view import trip_dates
from koosloome.extensions import db
from koosloome.feedback import services as feedback
from koosloome.feedback.models import FeedbackKind, ResponseSource
from koosloome.files import services as files
from koosloome.files.models import EventFileKind
from koosloome.messaging.models import CallTask
from koosloome.outcomes.models import Action
from koosloome.projects.models import Cost, CostCategory
from koosloome.registrations.models import Answer, RegistrationNeed
from koosloome.selection.models import SelectionCriterion
from koosloome.trips.models import TripReport
from tests import factories
from tests.files.samples import pdf_bytes

ANONYMOUS = "anonymous"
PARTICIPANT = "participant"  # holds the manage link of a registration without health data
BOARD_PARTICIPANT = "board_participant"  # joined the board (cookie on the web, token in the API)
FACILITATOR = "facilitator"
OTHER_ORGANISER = "other_organiser"  # organiser of the partner that does not own the event
ORGANISER = "organiser"
ADMIN = "admin"
ROLES = (ANONYMOUS, PARTICIPANT, BOARD_PARTICIPANT, FACILITATOR, OTHER_ORGANISER, ORGANISER,
         ADMIN)
STAFF_ROLES = {FACILITATOR: (Role.FACILITATOR, "vpk"), OTHER_ORGANISER: (Role.ORGANISER, "tas"),
               ORGANISER: (Role.ORGANISER, "vpk"), ADMIN: (Role.ADMIN, "vpk")}
#: Who may see the health data of the event's registrations (``can_see_health_data``).
HEALTH_ROLES = frozenset({ORGANISER, ADMIN})
PASSWORD = "correct horse battery"

#: Mari's health data; none of these strings occurs anywhere else in the app.
MARKERS = {
    "needs_note": "QXNOTE417",
    "allergies": "QXALLERGY417",
    "transport_pickup": "QXPICKUP417",
    "companion_name": "QXCOMPANION417",
    "sensitive_answer": "QXSENSITIVE417",
}


@dataclass
class Scenario:
    """What the matrix needs to address: object ids, codes, and each role's credentials."""

    ids: dict[str, int] = field(default_factory=dict)
    board_code: str = ""
    survey_code: str = ""
    event_slug: str = ""
    #: manage-link tokens: "mari" (health data) and "peeter" (the participant role's own)
    manage_tokens: dict[str, str] = field(default_factory=dict)
    #: the group link of the participant's group (Peeter's village society)
    group_token: str = ""
    #: role → bearer token for the JSON API (staff API tokens; the board participant's token)
    bearer: dict[str, str] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)
    #: the board participant's signed web cookie: (name, value, path)
    board_cookie: tuple[str, str, str] = ("", "", "")


def build(app: Flask) -> Scenario:
    """Create the scenario in the app's (empty) database; committed."""
    s = Scenario()
    users = {}
    # A cheap hash: signing in is not what is tested here, and scrypt costs 0.3 s a check.
    password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    for role, (kind, partner) in STAFF_ROLES.items():
        user = User(email=f"{role}@koosloome.test", name=role.replace("_", " ").title(),
                    role=kind, organisation=factories.organisation(partner),
                    password_hash=password_hash)
        db.session.add(user)
        users[role] = user
        s.emails[role] = user.email
        s.bearer[role] = create_api_token(user, label="matrix")
    db.session.commit()

    event = factories.make_event(organisation=factories.organisation("vpk"),
                                 slug="maatriksi-seminar", travel_details=True)
    question = ExtraQuestion(event_id=event.id, kind=QuestionKind.SHORT_TEXT,
                             label_et="Ootused", position=0)
    sensitive = ExtraQuestion(event_id=event.id, kind=QuestionKind.SHORT_TEXT,
                              label_et="Sünniaeg", position=1, sensitive=True)
    item = AgendaItem(event_id=event.id, starts_at=event.starts_at, title_et="Avamine")
    trip_day = TripDay(event_id=event.id, day=trip_dates(event)[0], title_et="Võru")
    trip_day.stops.append(TripStop(at=time(10), place_et="Kannel", country="EE"))
    project = factories.make_project()
    line = project.partners[1].lines[0]
    cost = Cost(event_id=event.id, organisation_id=event.organisation_id,
                spent_on=event.starts_at.date(), category=CostCategory.TRANSPORT, amount=100)
    report = TripReport(event_id=event.id, summary_et="Õppisime", published_at=utcnow())
    criterion = SelectionCriterion(event_id=event.id, name_et="Motivatsioon")
    db.session.add_all([question, sensitive, item, trip_day, cost, report, criterion])
    db.session.commit()

    mari = factories.make_registration(
        event, name="Mari Maasikas", email="mari@example.ee", phone="+372 5555 0001",
        needs_note=MARKERS["needs_note"], allergies=MARKERS["allergies"],
        transport_needed=True, transport_pickup=MARKERS["transport_pickup"],
        transport_wheelchair=True, companion=True, companion_name=MARKERS["companion_name"],
        phone_me=True, seats=2, consent_health_at=utcnow(),
    )
    db.session.add_all([RegistrationNeed(registration_id=mari.id, code="wheelchair"),
                        Answer(registration_id=mari.id, question_id=question.id,
                               value="Uued ideed"),
                        Answer(registration_id=mari.id, question_id=sensitive.id,
                               value=MARKERS["sensitive_answer"])])
    peeter = factories.make_registration(event, name="Peeter Pihlakas",
                                         email="peeter@example.ee")
    db.session.commit()
    s.manage_tokens = {"mari": mari.manage_token, "peeter": peeter.manage_token}
    # Peeter came with his village society: the participant holds the group's link too.
    group = factories.make_group(event, peeter)
    s.group_token = group.manage_token

    with factories.writing():
        survey = feedback.enable_survey(event, users[ORGANISER])
        text_question = next(q for q in survey.questions if q.kind is FeedbackKind.TEXT)
        response = feedback.submit(survey, {text_question.id: "Väga hea päev"},
                                   ResponseSource.PAPER)
        db.session.commit()
    answer = next(a for a in response.answers if a.question_id == text_question.id)

    board = factories.make_board(created_by=users[FACILITATOR], event_id=event.id,
                                 title="Päevakeskuse tuba", votes_per_participant=3)
    kati, kati_token = factories.join(board, "Kati")
    jaan, _jaan_token = factories.join(board, "Jaan")
    own_idea = factories.make_idea(board, kati, "Kati mõte")
    others_idea = factories.make_idea(board, jaan, "Jaani mõte", column=1)
    with factories.writing():
        comment = boards.add_comment(own_idea, jaan, "Hea mõte")
        theme = facilitation.add_theme(board, "Liikumine")
        board.phase = BoardPhase.VOTING
        db.session.flush()
        vote, _left = boards.cast_vote(board, kati, others_idea)
        db.session.commit()
    s.bearer[BOARD_PARTICIPANT] = kati_token
    with app.test_request_context():
        cookie = Response()
        remember_participant(cookie, board, kati_token)
        name, _sep, rest = cookie.headers["Set-Cookie"].partition("=")
        s.board_cookie = (name, rest.split(";")[0], f"/b/{board.join_code}")

    # The other partner's event and board, whose parts must not be reachable through ours.
    theirs = factories.make_event(organisation=factories.organisation("tas"),
                                  slug="teise-partneri-seminar")
    their_question = ExtraQuestion(event_id=theirs.id, kind=QuestionKind.SHORT_TEXT,
                                   label_et="Ootused")
    their_item = AgendaItem(event_id=theirs.id, starts_at=theirs.starts_at, title_et="Avamine")
    db.session.add_all([their_question, their_item])
    their_board = factories.make_board(created_by=users[OTHER_ORGANISER], title="Tartu tuba")
    tiit, _tiit_token = factories.join(their_board, "Tiit")
    their_idea = factories.make_idea(their_board, tiit, "Tiidu mõte")
    with factories.writing():
        their_comment = boards.add_comment(their_idea, tiit, "Hea")
        their_theme = facilitation.add_theme(their_board, "Teema")
        their_board.phase = BoardPhase.VOTING
        db.session.flush()
        their_vote, _left = boards.cast_vote(their_board, tiit, their_idea)
        db.session.commit()

    pille = factories.make_registration(event, name="Pille Põld", email=None,
                                        phone="+372 5555 0010")
    task = CallTask(kind="reminder", registration_id=pille.id, event_id=event.id,
                    language="et", context={})
    db.session.add(task)
    volunteer = Volunteer(organisation_id=users[ORGANISER].organisation_id,
                          name="Vello Vabatahtlik", phone="+372 5555 0009")
    db.session.add(volunteer)
    action = Action(board_id=board.id, title="Kogukonnabuss", owner="Rõuge vald")
    db.session.add(action)
    announcement = Announcement(organisation_id=users[ORGANISER].organisation_id,
                                subject_et="Uued üritused", body_et="Tule!")
    db.session.add(announcement)
    db.session.commit()
    # A material shared with the participants, and a spare file for the deletes (its bytes
    # are gone after the first allowed delete; restoring the rows does not bring them back).
    with app.test_request_context():
        material, spare = (files.add_event_file(
            event, FileStorage(io.BytesIO(pdf_bytes(title)), f"{title}.pdf"),
            kind=EventFileKind.MATERIAL, title=title, shared=True, by=users[ORGANISER])
            for title in ("Slaidid", "Varu"))
        # A cost with its receipt, which no delete in the matrix takes away.
        receipt_cost = Cost(event_id=event.id, organisation_id=event.organisation_id,
                            spent_on=event.starts_at.date(), category=CostCategory.VENUE,
                            amount=50, document=files.store_upload(
                                FileStorage(io.BytesIO(pdf_bytes("Arve")), "arve.pdf"),
                                allowed={"pdf"}, uploaded_by=users[ORGANISER]))
        db.session.add(receipt_cost)
        db.session.commit()

    s.ids = {
        "volunteer_id": volunteer.id, "task_id": task.id,
        "their_question_id": their_question.id, "their_item_id": their_item.id,
        "their_idea_id": their_idea.id, "their_comment_id": their_comment.id,
        "their_column_id": their_board.columns[0].id, "their_theme_id": their_theme.id,
        "their_vote_id": their_vote.id,
        "event_id": event.id, "registration_id": mari.id, "peeter_id": peeter.id,
        "question_id": question.id, "item_id": item.id, "answer_id": answer.id,
        "board_id": board.id, "idea_id": own_idea.id, "others_idea_id": others_idea.id,
        "comment_id": comment.id, "column_id": board.columns[0].id, "theme_id": theme.id,
        "vote_id": vote.id, "user_id": users[FACILITATOR].id, "venue_id": event.venue_id,
        "group_id": group.id, "day_id": trip_day.id, "stop_id": trip_day.stops[0].id,
        "cost_id": cost.id, "criterion_id": criterion.id, "action_id": action.id,
        "line_id": line.id, "partner_id": project.partners[0].id,
        "receipt_cost_id": receipt_cost.id,
        "file_id": material.id, "spare_file_id": spare.id,
        "announcement_id": announcement.id,
    }
    s.board_code, s.survey_code, s.event_slug = board.join_code, survey.code, event.slug
    return s


# --- snapshots --------------------------------------------------------------------------------

Snapshot = dict[str, list[tuple[Any, ...]]]


class WriteWatch:
    """Notes whether any statement other than a read ran on the app's engine: only then can
    the data have changed, and only then is a (slower) snapshot worth comparing."""

    READS = ("SELECT", "BEGIN", "PRAGMA", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT")

    def __init__(self) -> None:
        self.wrote = False
        sa_event.listen(db.engine, "before_cursor_execute", self._note)

    def _note(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(self.READS):
            self.wrote = True

    def close(self) -> None:
        """Stop listening."""
        sa_event.remove(db.engine, "before_cursor_execute", self._note)


def snapshot() -> Snapshot:
    """Every row of every table (ordered, so two snapshots compare equal when nothing
    changed)."""
    rows = {}
    for table in db.metadata.sorted_tables:
        result = db.session.execute(select(table)).all()
        rows[table.name] = sorted((tuple(row) for row in result), key=repr)
    db.session.commit()
    return rows


def changed_tables(before: Snapshot, after: Snapshot) -> list[str]:
    """The names of the tables whose rows differ."""
    return [name for name in before if before[name] != after[name]]


def restore(rows: Snapshot) -> None:
    """Put every table back to ``rows`` (children emptied first, parents filled first)."""
    db.session.commit()
    tables = db.metadata.sorted_tables
    with db.engine.begin() as connection:
        for table in reversed(tables):
            connection.execute(table.delete())
        for table in tables:
            if rows[table.name]:
                names = [column.name for column in table.columns]
                connection.execute(table.insert(),
                                    [dict(zip(names, row, strict=True))
                                     for row in rows[table.name]])
    _undo_trigger_writes(rows)
    db.session.expire_all()


def _undo_trigger_writes(rows: Snapshot) -> None:
    """Put back what the database's own triggers wrote while the rows went back in: the
    seats taken (triggers on registration add the restored registrations' seats again) and
    the calendar's revision (triggers on the events, venues… raise it). A transaction of its
    own, after the others: on PostgreSQL the revision's triggers run at their commits."""
    event_table, revisions = Event.__table__, ContentRevision.__table__
    names = [column.name for column in event_table.columns]
    seats, updated = names.index("seats_taken"), names.index("updated_at")
    if rows["event"]:
        with db.engine.begin() as connection:  # (an UPDATE would set updated_at anew)
            connection.execute(
                event_table.update().where(event_table.c.id == bindparam("event_id"))
                .values(seats_taken=bindparam("seats"), updated_at=bindparam("updated")),
                [{"event_id": row[0], "seats": row[seats], "updated": row[updated]}
                 for row in rows["event"]])
    with db.engine.begin() as connection:
        connection.execute(revisions.delete())
        if rows["content_revision"]:
            connection.execute(revisions.insert(),
                               [dict(zip(("name", "value"), row, strict=True))
                                for row in rows["content_revision"]])


# --- reading what a response shows ------------------------------------------------------------


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def _zip_text(data: bytes) -> str:
    parts = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            parts.append(readable_bytes(archive.read(name)))
    return "\n".join(parts)


def readable_bytes(data: bytes) -> str:
    """The text inside ``data``: a PDF's extracted text, a ZIP's (or XLSX's) members, or the
    bytes decoded."""
    if data.startswith(b"%PDF"):
        return _pdf_text(data)
    if data.startswith(b"PK\x03\x04"):
        return _zip_text(data)
    return data.decode("utf-8", errors="replace")


def readable_text(response: Any) -> str:
    """The text a response shows to whoever receives it."""
    return readable_bytes(response.get_data())


def markers_in(text: str) -> list[str]:
    """The health markers that occur in ``text``."""
    return [name for name, marker in MARKERS.items() if marker in text]
