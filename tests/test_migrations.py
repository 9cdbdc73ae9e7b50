"""The migrations build exactly the schema the models describe, and tear it down again."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from koosloome import create_app
from koosloome.db import utcnow
from koosloome.events.models import Event, EventKind, ExtraQuestion, QuestionKind
from koosloome.extensions import db
from koosloome.registrations.models import Answer, RegistrationNeed
from tests import factories


@pytest.fixture
def empty_database_url(fresh_database) -> str:
    """A database with nothing in it, of the same kind as the suite's."""
    return fresh_database("migrations")


def test_upgrade_head_matches_the_models_and_downgrade_base_empties(empty_database_url,
                                                                    make_config):
    app = create_app(make_config(SQLALCHEMY_DATABASE_URI=empty_database_url))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True}
            )
            differences = compare_metadata(context, db.metadata)
            partners = connection.execute(text("SELECT slug FROM organisation ORDER BY slug"))
            assert [row.slug for row in partners] == ["tas", "vpk"]
        assert differences == []

        downgrade(revision="base")
        remaining = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert remaining == set()
        db.engine.dispose()


def test_partial_unique_index_exists_after_migration(empty_database_url, make_config):
    app = create_app(make_config(SQLALCHEMY_DATABASE_URI=empty_database_url))
    with app.app_context():
        upgrade()
        indexes = {ix["name"]: ix for ix in inspect(db.engine).get_indexes("registration")}
        assert indexes["uq_registration_active_email"]["unique"]
        db.engine.dispose()


def test_venue_facts_move_from_the_events_to_venues_of_their_own(empty_database_url,
                                                                  make_config):
    """Migration 0009: each distinct (name, address) becomes one venue with its own facts;
    the event table keeps its other rules."""
    app = create_app(make_config(SQLALCHEMY_DATABASE_URI=empty_database_url))
    with app.app_context():
        upgrade(revision="0008_health_tally")
        columns = ("slug, kind, status, organisation_id, title_et, title_en, summary_et, "
                   "summary_en, easy_read_et, easy_read_en, description_et, description_en, "
                   "starts_at, ends_at, capacity, registration_mode, revision, reminder_days, "
                   "feedback_url, venue_name, venue_address, venue_map_url, transit_stop, "
                   "dropoff_point, entrance, entrance_steps, hearing_loop, catering_et, "
                   "catering_en, evacuation_et, evacuation_en, access_notes_et, access_notes_en, "
                   "access_contact_name, access_contact_phone, created_at, updated_at")
        rows = [("voru-1", "Kannel", "Liiva 13", "Võru bussijaam", "ramp", None, "fixed"),
                ("voru-2", "Kannel", "Liiva 13", "Võru bussijaam", "ramp", None, "fixed"),
                ("tartu", "LMK", "Kastani 42", "Kastani", "steps", 2, "portable")]
        with db.engine.begin() as connection:
            for number, (slug, name, address, stop, entrance, steps, loop) in enumerate(rows):
                connection.execute(text(
                    f"INSERT INTO event ({columns}) VALUES (:slug, 'seminar', 'published', "
                    "(SELECT id FROM organisation WHERE slug = 'vpk'), 'T', '', '', '', '', '', "
                    "'', '', :starts, :ends, 10, 'open', 0, 2, '', :name, :address, '', :stop, "
                    "'', :entrance, :steps, :loop, 'Lõuna', 'Lunch', '', '', 'Märkus', '', '', "
                    "'', :starts, :starts)"),
                    {"slug": slug, "name": name, "address": address, "stop": stop,
                     "entrance": entrance, "steps": steps, "loop": loop,
                     "starts": f"2030-01-0{number + 1} 10:00:00+00:00",
                     "ends": f"2030-01-0{number + 1} 12:00:00+00:00"})
        upgrade()
        with db.engine.connect() as connection:
            venues = connection.execute(text(
                "SELECT name_et, address, transit_stop_et, transit_stop_en, entrance, "
                "entrance_steps, hearing_loop FROM venue ORDER BY name_et")).all()
            events = connection.execute(text(
                "SELECT event.slug, venue.name_et, event.catering_en, event.access_notes_et "
                "FROM event JOIN venue ON venue.id = event.venue_id ORDER BY event.slug")).all()
        assert [tuple(row) for row in venues] == [
            ("Kannel", "Liiva 13", "Võru bussijaam", "Võru bussijaam", "ramp", None, "fixed"),
            ("LMK", "Kastani 42", "Kastani", "Kastani", "steps", 2, "portable")]
        assert [tuple(row) for row in events] == [("tartu", "LMK", "Lunch", "Märkus"),
                                                  ("voru-1", "Kannel", "Lunch", "Märkus"),
                                                  ("voru-2", "Kannel", "Lunch", "Märkus")]
        checks = {check["name"] for check in inspect(db.engine).get_check_constraints("event")}
        assert {"ck_event_capacity_not_negative", "ck_event_eventkind"} <= checks
        downgrade(revision="0008_health_tally")
        with db.engine.connect() as connection:
            back = connection.execute(text(
                "SELECT slug, venue_name, transit_stop, entrance FROM event ORDER BY slug")).all()
        assert [tuple(row) for row in back] == [("tartu", "LMK", "Kastani", "steps"),
                                                ("voru-1", "Kannel", "Võru bussijaam", "ramp"),
                                                ("voru-2", "Kannel", "Võru bussijaam", "ramp")]
        downgrade(revision="base")
        db.engine.dispose()


def test_age_bands_move_where_one_new_band_holds_them(empty_database_url, make_config):
    """Migration 0010: under 18 → under 25 and 30–54 → 25–54; the answers that span several
    new bands (18–29, 55 or older) stay as given rather than be guessed."""
    app = create_app(make_config(SQLALCHEMY_DATABASE_URI=empty_database_url))
    with app.app_context():
        upgrade()
        event = factories.make_event()
        earlier = ["under_18", "18_29", "30_54", "55_plus", None]
        for number, band in enumerate(earlier):
            factories.make_registration(event, email=f"p{number}@example.org", age_band=band)
        db.session.commit()
        downgrade(revision="0009_venues")
        with db.engine.begin() as connection:  # the answers as the earlier form stored them
            for number, band in enumerate(earlier):
                connection.execute(text("UPDATE registration SET age_band = :band "
                                        "WHERE email = :email"),
                                   {"band": band, "email": f"p{number}@example.org"})
        upgrade()
        with db.engine.connect() as connection:
            bands = connection.execute(text("SELECT email, age_band FROM registration "
                                            "ORDER BY email")).all()
        assert [band for _email, band in bands] == ["under_25", "18_29", "25_54", "55_plus",
                                                    None]
        db.session.remove()
        downgrade(revision="base")
        db.engine.dispose()


def test_rebuilding_tables_keeps_every_row_that_points_at_them(empty_database_url, make_config):
    """SQLite rebuilds a table to change it (copy, DROP, rename): with foreign keys on, the
    DROP would delete what points at the rows (0016 rebuilds ``event`` and ``registration``:
    every registration, need and answer would go). The migrations hold foreign keys off."""
    app = create_app(make_config(SQLALCHEMY_DATABASE_URI=empty_database_url))
    with app.app_context():
        upgrade()
        event = factories.make_event()
        question = ExtraQuestion(event_id=event.id, kind=QuestionKind.SHORT_TEXT,
                                 label_et="Ootused")
        db.session.add(question)
        db.session.commit()
        person = factories.make_registration(event, email="p@example.org",
                                             needs=[RegistrationNeed(code="wheelchair")])
        db.session.add(Answer(registration_id=person.id, question_id=question.id, value="x"))
        db.session.commit()
        downgrade(revision="0012_call_tasks")
        upgrade()
        with db.engine.connect() as connection:
            counts = [connection.execute(text(f"SELECT count(*) FROM {table}")).scalar()
                      for table in ("event", "registration", "registration_need", "answer")]
            keys_on = connection.exec_driver_sql("PRAGMA foreign_keys").scalar() \
                if connection.dialect.name == "sqlite" else 1
        assert counts == [1, 1, 1, 1]
        assert keys_on == 1
        downgrade(revision="base")
        db.engine.dispose()


def test_costs_kept_elsewhere_move_into_the_ledger_and_back(empty_database_url, make_config):
    """Migration 0023: a trip's costs (meals → catering), an arrangement's cost and the rest
    of an event's typed actual cost become costs of the ledger; going back, the trip's own
    costs return."""
    app = create_app(make_config(SQLALCHEMY_DATABASE_URI=empty_database_url))
    with app.app_context():
        upgrade()
        trip = factories.make_event(kind=EventKind.STUDY_TRIP)
        seminar = factories.make_event()
        trip_id, seminar_id = trip.id, seminar.id
        db.session.commit()
        db.session.remove()
        downgrade(revision="0022_actions")
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO trip_cost (event_id, category, amount, supplier, note, created_at,"
                " updated_at) VALUES (:trip, 'meals', 300, 'Kohvik', 'Arve 1', :now, :now),"
                " (:trip, 'transport', 1200.5, 'Buss', '', :now, :now)"),
                {"trip": trip_id, "now": utcnow()})
            connection.execute(text(
                "INSERT INTO arrangement (event_id, kind, status, supplier, cost, note, reason,"
                " created_at, updated_at) VALUES (:seminar, 'sign_language', 'confirmed',"
                " 'Tõlk', 180, '', '', :now, :now)"), {"seminar": seminar_id, "now": utcnow()})
            connection.execute(text("UPDATE event SET actual_cost = 250 WHERE id = :seminar"),
                               {"seminar": seminar_id})
        upgrade()
        with db.engine.connect() as connection:
            costs = connection.execute(text(
                "SELECT event_id, category, amount, arrangement_id IS NOT NULL AS arranged "
                "FROM cost ORDER BY event_id, amount")).all()
        with db.engine.connect() as connection:
            actual = dict(connection.execute(text(
                "SELECT id, actual_cost FROM event WHERE id IN (:trip, :seminar)"),
                {"trip": trip_id, "seminar": seminar_id}).all())
        assert {key: float(value) for key, value in actual.items()} == {
            trip_id: 1500.5, seminar_id: 250.0}  # each event's costs' sum
        assert [(row.event_id, row.category, float(row.amount), bool(row.arranged))
                for row in costs] == [
            (trip_id, "catering", 300.0, False), (trip_id, "transport", 1200.5, False),
            (seminar_id, "other", 70.0, False), (seminar_id, "interpreting", 180.0, True)]
        downgrade(revision="0022_actions")
        with db.engine.connect() as connection:
            back = connection.execute(text("SELECT category, amount FROM trip_cost "
                                           "ORDER BY amount")).all()
        assert [(row.category, float(row.amount)) for row in back] == [
            ("meals", 300.0), ("transport", 1200.5)]
        downgrade(revision="base")
        db.engine.dispose()


def test_seats_taken_is_filled_from_the_registrations_then_kept(empty_database_url,
                                                                make_config):
    """Migration 0027: the figure starts as the count of confirmed and offered seats (here:
    registrations made before it, kept through a downgrade), and the triggers keep it from
    then on, on either database."""
    from koosloome.registrations.models import RegistrationStatus as Status

    app = create_app(make_config(SQLALCHEMY_DATABASE_URI=empty_database_url))
    with app.app_context():
        upgrade()
        event = factories.make_event(capacity=10)
        for status, seats in [(Status.CONFIRMED, 2), (Status.OFFERED, 1),
                              (Status.WAITLISTED, 1), (Status.CANCELLED, 1)]:
            factories.make_registration(event, status=status, seats=seats, name=status.value)
        event_id = event.id
        db.session.remove()

        def run(sql: str) -> list:
            with db.engine.begin() as connection:
                result = connection.execute(text(sql))
                return [tuple(row) for row in result] if result.returns_rows else []

        downgrade(revision="0026_cost_documents")
        assert "seats_taken" not in {c["name"] for c in inspect(db.engine).get_columns("event")}
        upgrade()
        taken = f"SELECT seats_taken FROM event WHERE id = {event_id}"
        assert run(taken) == [(3,)]
        run("UPDATE registration SET status = 'confirmed' WHERE name = 'waitlisted'")
        run("DELETE FROM registration WHERE name = 'confirmed'")
        assert run(taken) == [(2,)]
        downgrade(revision="base")
        db.engine.dispose()


def test_the_calendar_revision_is_kept_by_the_triggers_of_0030(empty_database_url, make_config):
    """Migration 0030: the counter row exists, and the triggers raise it for a change of
    any table the feed shows, by plain SQL too, but not for the seat counter's own writes;
    the same triggers as the models' (``events.calendar_revision``)."""
    from koosloome.events.calendar_revision import sqlite_triggers

    app = create_app(make_config(SQLALCHEMY_DATABASE_URI=empty_database_url))
    with app.app_context():
        upgrade(revision="0029_venue_county")
        event = factories.make_event(capacity=10)
        event_id, venue_id = event.id, event.venue_id
        db.session.remove()
        upgrade()

        def run(sql: str) -> list:
            with db.engine.begin() as connection:
                result = connection.execute(text(sql))
                return [tuple(row) for row in result] if result.returns_rows else []

        revision = "SELECT value FROM content_revision WHERE name = 'calendar'"
        assert run(revision) == [(0,)]
        factories.make_registration(db.session.get(Event, event_id))  # seats taken: 0 -> 1
        db.session.remove()
        assert run(f"SELECT seats_taken FROM event WHERE id = {event_id}") == [(1,)]
        assert run(revision) == [(0,)]
        run(f"UPDATE venue SET name_et = 'Uus' WHERE id = {venue_id}")
        run(f"UPDATE event SET title_et = 'Uus' WHERE id = {event_id}")
        run("UPDATE organisation SET name = 'Uus' WHERE slug = 'vpk'")
        assert run(revision) == [(3,)]
        if db.engine.dialect.name == "sqlite":
            created = {row[0]: row[1] for row in run(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE 'calendar_revision_%'")}
            expected = [s for table in ("event", "venue", "organisation", "trip_day",
                                        "trip_stop") for s in sqlite_triggers(table)]
            assert sorted(created.values()) == sorted(expected)
        downgrade(revision="0029_venue_county")
        assert "content_revision" not in inspect(db.engine).get_table_names()
        run(f"UPDATE event SET title_et = 'Vana' WHERE id = {event_id}")  # no trigger left
        downgrade(revision="base")
        db.engine.dispose()
