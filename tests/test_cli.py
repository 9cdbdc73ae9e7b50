"""The ``flask --app koosloome`` commands."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from koosloome.accounts.models import ApiToken, Role, User
from koosloome.boards.models import Board, Idea, Vote
from koosloome.db import utcnow
from koosloome.events.models import Event, EventKind, EventStatus, RegistrationMode
from koosloome.extensions import db
from koosloome.projects.models import Cost
from koosloome.projects.services import the_project
from koosloome.registrations.models import Registration, RegistrationStatus
from koosloome.reports.indicators import project_indicators
from koosloome.tokens import hash_token
from koosloome.trips.models import TravelDetails, TripReport


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_users_create_with_password(runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "Kadri@Example.ee",
            "--name",
            "Kadri Kuusk",
            "--role",
            "organiser",
            "--organisation",
            "tas",
            "--password",
            "pikk-salasona-123",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalars(select(User)).one()
    assert user.email == "kadri@example.ee"
    assert user.role is Role.ORGANISER
    assert user.organisation.slug == "tas"
    assert check_password_hash(user.password_hash, "pikk-salasona-123")
    assert "pikk-salasona-123" not in user.password_hash


def test_users_create_prompts_for_the_password(runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "a@example.ee",
            "--name",
            "A",
            "--role",
            "admin",
            "--organisation",
            "vpk",
        ],
        input="salajane-parool-1\nsalajane-parool-1\n",
    )
    assert result.exit_code == 0, result.output
    assert "Password" in result.output
    user = db.session.scalars(select(User)).one()
    assert check_password_hash(user.password_hash, "salajane-parool-1")


def test_users_create_refuses_unknown_organisation_duplicates_and_short_passwords(runner):
    base = ["users", "create", "a@example.ee", "--name", "A", "--role", "admin"]
    strong = "rukkilill põder kohvitass"
    unknown = runner.invoke(args=[*base, "--organisation", "xyz", "--password", strong])
    assert unknown.exit_code != 0
    assert "No organisation with the slug xyz" in unknown.output
    short = runner.invoke(args=[*base, "--organisation", "vpk", "--password", "short"])
    assert "vähemalt 10 tähemärki" in short.output  # the reason, in the default language
    assert (
        runner.invoke(args=[*base, "--organisation", "vpk", "--password", strong]).exit_code == 0
    )
    again = runner.invoke(args=[*base, "--organisation", "vpk", "--password", strong])
    assert again.exit_code != 0
    assert "exists already" in again.output
    assert _count(User) == 1


def test_users_create_refuses_an_unknown_role(runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "a@example.ee",
            "--name",
            "A",
            "--role",
            "king",
            "--organisation",
            "vpk",
            "--password",
            "x" * 12,
        ]
    )
    assert result.exit_code != 0
    assert _count(User) == 0


def test_tokens_create_prints_the_token_alone_and_stores_only_its_hash(runner, make_user):
    user = make_user(Role.ORGANISER, email="org@example.ee")
    result = runner.invoke(args=["tokens", "create", "org@example.ee"])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert result.output == token + "\n"
    assert len(token) >= 40
    stored = db.session.scalars(select(ApiToken)).one()
    assert stored.user_id == user.id
    assert stored.token_hash == hash_token(token)
    assert token not in stored.token_hash


def test_tokens_create_for_unknown_user_fails(runner):
    result = runner.invoke(args=["tokens", "create", "nobody@example.ee"])
    assert result.exit_code != 0
    assert "No user" in result.output


def test_demo_load_is_realistic_and_idempotent(runner, app):
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "Demo admin: admin@koosloome.example / password: demo-" in first.output
    counts = {model: _count(model) for model in (User, Event, Registration, Board, Idea, Vote)}

    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0, second.output
    assert {model: _count(model) for model in counts} == counts
    assert first.output.splitlines()[1:] == second.output.splitlines()[1:]  # same logins

    events = db.session.scalars(select(Event)).all()
    assert {e.status for e in events} == {EventStatus.PUBLISHED}
    assert any(e.registration_mode is RegistrationMode.APPLICATION for e in events)
    assert any(e.kind.value == "study_trip" and e.questions for e in events)
    assert any(e.venue.entrance is not None and e.venue.hearing_loop is not None
               for e in events)
    full = db.session.scalars(select(Event).where(Event.slug == "ligipaasetav-teenus-tartu")).one()
    confirmed_seats = db.session.scalar(
        select(func.sum(Registration.seats)).where(
            Registration.event_id == full.id, Registration.status == RegistrationStatus.CONFIRMED
        )
    )
    assert confirmed_seats == full.capacity
    assert (
        db.session.scalar(
            select(func.count()).where(
                Registration.event_id == full.id,
                Registration.status == RegistrationStatus.WAITLISTED,
            )
        )
        > 0
    )
    board = db.session.scalars(select(Board).where(Board.join_code == "KUVR24")).one()
    assert board.event is not None and len(board.columns) == 4 and _count(Vote) > 0


def _trip(slug: str) -> tuple[Event, list[Registration]]:
    trip = db.session.scalars(select(Event).where(Event.slug == slug)).one()
    people = db.session.scalars(select(Registration).where(Registration.event_id == trip.id))
    return trip, list(people)


def test_the_demo_has_the_three_trips_issue_18_names(runner):
    """Sweden takes applications, Czechia has offers out, Austria is over with its costs
    and report."""
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    now = utcnow()
    sweden, applicants = _trip("oppereis-rootsi")
    assert sweden.starts_at > sweden.registration_closes_at > now
    assert {person.status for person in applicants} == {RegistrationStatus.PENDING}
    assert len(applicants) >= 6 and all(person.answers for person in applicants)
    assert {"SE", "EE"} <= {stop.country for day in sweden.itinerary for stop in day.stops}
    _czechia, people = _trip("oppereis-tsehhi")
    assert any(person.status is RegistrationStatus.OFFERED for person in people)
    austria, travellers = _trip("oppereis-austria")
    assert austria.ends_at < now
    assert travellers and all(person.status is RegistrationStatus.CONFIRMED
                              and person.checked_in_at for person in travellers)
    costs = db.session.scalars(select(Cost).where(Cost.event_id == austria.id)).all()
    assert austria.actual_cost == sum(cost.amount for cost in costs) < 13000
    report = db.session.scalars(select(TripReport).where(TripReport.event_id == austria.id)).one()
    assert report.published_at and report.next_steps_et and report.contacts
    # Purged 14 days after the trip, so none are left.
    assert not db.session.scalars(select(TravelDetails).where(
        TravelDetails.event_id == austria.id)).all()


def _printed_logins(output: str) -> dict[str, str]:
    return {line.split()[2]: line.rsplit(" ", 1)[-1]
            for line in output.splitlines() if line.startswith("Demo ") and "/ password:" in line}


def test_each_demo_account_has_its_own_printed_password(runner, app):
    output = runner.invoke(args=["demo", "load"]).output
    logins = _printed_logins(output)
    users = db.session.scalars(select(User)).all()
    assert set(logins) == {user.email for user in users} and len(logins) == 4
    assert len(set(logins.values())) == 4  # no shared password
    for user in users:
        assert check_password_hash(user.password_hash, logins[user.email])
    kept = Path(app.instance_path) / "demo-logins"
    assert kept.stat().st_mode & 0o777 == 0o600


def test_demo_load_refuses_an_https_instance_unless_forced(runner, app):
    app.config["BASE_URL"] = "https://koosloome.example.ee"
    refused = runner.invoke(args=["demo", "load"])
    assert refused.exit_code != 0 and "--force" in refused.output
    assert _count(Event) == 0 and _count(User) == 0
    forced = runner.invoke(args=["demo", "load", "--force"])
    assert forced.exit_code == 0, forced.output
    assert _count(Event) > 0


def test_demo_load_if_empty_leaves_a_used_database_alone(runner, make_event):
    make_event()
    result = runner.invoke(args=["demo", "load", "--if-empty"])
    assert result.exit_code == 0
    assert "not loaded" in result.output
    assert _count(Event) == 1


def test_demo_project_holds_the_seeds_budget_and_a_past_season_with_costs(
        runner, app, client, login, make_user):
    """Issue 19: the LEADER report's default view (the project's period) shows real figures:
    the past season's events, participants, actions and costs against the seed's budget."""
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    project = the_project()
    assert (project.name_et, project.starts_on, project.ends_on) == (
        "Koosloomest koostööni", date(2024, 7, 1), date(2025, 6, 30))
    budgets = {p.organisation.slug: (p.budget, p.leader_support) for p in project.partners}
    assert budgets == {"vpk": (Decimal("42000.00"), None),
                       "tas": (Decimal("18000.00"), Decimal("12743.68"))}
    season = db.session.scalars(select(Event).where(
        Event.starts_at >= datetime(2024, 7, 1, tzinfo=UTC),
        Event.starts_at < datetime(2025, 7, 1, tzinfo=UTC))).all()
    assert {event.kind for event in season} == set(EventKind)
    assert all(event.actual_cost for event in season)
    with app.test_request_context():
        figures = {f.indicator.value: f for f in project_indicators(project).figures}
    assert figures["events_held"].actual == 4 < figures["events_held"].target
    assert figures["services_launched"].actual >= 1
    login(make_user(Role.ADMIN))
    report = client.get("/admin/reports/leader").get_data(as_text=True).replace("\u00a0", " ")
    assert "01.07.2024–30.06.2025" in report
    assert "Õppereis välisriiki" in report and "8420,00 €" in report
