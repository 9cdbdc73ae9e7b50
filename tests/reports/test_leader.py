"""The LEADER report: counting rules, small-number suppression, budget, outputs, access."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from koosloome.accounts.models import Role
from koosloome.boards.models import Board, BoardParticipant, Idea, Vote
from koosloome.boards.services import add_default_columns
from koosloome.db import utcnow
from koosloome.events.models import EventKind, EventStatus
from koosloome.extensions import db
from koosloome.outcomes.models import Action, ActionStatus, FundingSource, TargetGroup
from koosloome.privacy.services import RetentionPolicy, purge
from koosloome.projects.models import Cost, CostCategory
from koosloome.projects.services import default_line, the_project
from koosloome.registrations.models import Registration, RegistrationSource, RegistrationStatus
from koosloome.registrations.personal_data import withdraw_health_consent
from koosloome.reports.leader import suppress
from tests.factories import organisation, writing
from tests.reports.conftest import add_registrations, counted_queries, pdf_text

PERIOD = "start=2025-01-01&end=2025-06-30"
MARCH = datetime(2025, 3, 5, 8, 0, tzinfo=UTC)


def test_suppress_hides_small_numbers_and_one_more_when_only_one_is_hidden():
    assert suppress([10, 5, 0]) == [10, "x", "<3"]
    assert suppress([10, 2, 1]) == [10, "<3", "<3"]
    assert suppress([4, 5]) == [4, 5]
    assert suppress([2]) == ["<3"]


def _cost(event, amount, spent_on=None, **fields):
    """A cost of the event, on its organiser's usual line."""
    line = default_line(the_project(), event.organisation_id, event.kind)
    db.session.add(Cost(organisation_id=event.organisation_id, event_id=event.id,
                        budget_line_id=line.id if line else None,
                        spent_on=spent_on or event.starts_at.date(), amount=Decimal(amount),
                        category=CostCategory.OTHER, **fields))


@pytest.fixture
def project(make_event, make_project):
    """A TAS seminar and study trip and a VPK workshop in the period, and events outside it;
    the project record with the seed's budget."""
    make_project()
    tas, vpk = organisation("tas"), organisation("vpk")
    seminar = make_event(title_et="Inspiratsiooniseminar", organisation=tas, starts_at=MARCH)
    trip = make_event(title_et="Õppereis Austriasse", kind=EventKind.STUDY_TRIP,
                      organisation=tas, starts_at=datetime(2025, 5, 10, 5, tzinfo=UTC))
    _cost(seminar, "1200.50")
    _cost(trip, "6000")
    _cost(trip, "3000", spent_on=datetime(2025, 4, 1).date())
    workshop = make_event(title_et="Koosloome töötuba", kind=EventKind.WORKSHOP,
                          organisation=vpk, starts_at=datetime(2025, 4, 2, 9, tzinfo=UTC))
    make_event(title_et="Tühistatud", organisation=tas, starts_at=MARCH,
               status=EventStatus.CANCELLED)
    make_event(title_et="Mustand", organisation=tas, starts_at=MARCH, status=EventStatus.DRAFT)
    make_event(title_et="Hiljem", organisation=tas, starts_at=datetime(2025, 9, 1, tzinfo=UTC))
    add_registrations(seminar, 6, county="tartu", municipality="Elva vald", sector="community",
                      gender="female", age_band="65_74", has_disability=True,
                      checked_in_at=MARCH, needs=("sign_language",))
    add_registrations(seminar, 2, county="voru", gender="male", checked_in_at=MARCH,
                      age_band="55_plus",  # an answer to the earlier age question
                      transport_needed=True, companion=True)
    add_registrations(seminar, 3, county="tartu")  # registered, did not come
    add_registrations(seminar, 1, status=RegistrationStatus.CANCELLED,
                      source=RegistrationSource.WALK_IN,
                      checked_in_at=MARCH, county="harju")  # walk-in at the door
    add_registrations(seminar, 4, status=RegistrationStatus.WAITLISTED)
    add_registrations(trip, 5, county="tartu", sector="local_government")
    add_registrations(workshop, 4, county="voru", sector="entrepreneur")
    board = Board(join_code="LEADR1", title="Mida teha koos?", question="Kuidas?",
                  organisation=vpk, event=workshop)
    add_default_columns(board)
    db.session.add(board)
    db.session.flush()
    people = [BoardParticipant(board=board, display_name=f"P{i}") for i in range(3)]
    db.session.add_all(people)
    db.session.flush()
    ideas = [Idea(board=board, column=board.columns[0], text=f"Idee {i}",
                  participant=people[0]) for i in range(4)]
    ideas.append(Idea(board=board, column=board.columns[0], text="Peidetud", hidden=True))
    db.session.add_all(ideas)
    db.session.flush()
    db.session.add_all([Vote(board_id=board.id, idea=ideas[i % 4], participant_id=people[i % 3].id)
                        for i in range(3)])
    db.session.commit()
    return {"seminar": seminar, "trip": trip, "workshop": workshop}


def _csv(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def test_report_page_shows_every_section(staff_client, project):
    client = staff_client(Role.ORGANISER, "tas")
    response = client.get(f"/admin/reports/leader?{PERIOD}&partner=all")
    assert response.status_code == 200
    html = " ".join(response.get_data(as_text=True).split())
    for heading in ("Sündmused liigiti", "Registreeringud ja osalemine", "Maakonniti",
                    "Omavalitsuseti", "Valdkonniti", "Sihtrühmade kaasatus",
                    "Pakutud kohandused", "Ideetahvlite tulemused", "Eelarve"):
        assert heading in html, heading
    assert "Tühistatud" not in html.split("Registreeringud ja osalemine")[1].split("Maakonniti")[0]
    assert "Mustand" not in html and "Hiljem" not in html
    assert "12 743,68 €" in html and "70,8 %" in html.replace("\u00a0", " ")
    assert "5000,00 €" in html and "13 000,00 €" in html


def test_csv_has_counts_by_kind_attendance_and_breakdowns(staff_client, project):
    text = _csv(staff_client(Role.ADMIN).get(f"/admin/reports/leader.csv?{PERIOD}&partner=all"))
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    as_text = [";".join(row) for row in rows]
    assert "Inspiratsiooniseminar;1;0;1" in as_text  # one held, none planned, one cancelled
    assert "Õppereis;1;0;0" in as_text and "Koosloome töötuba;1;0;0" in as_text
    seminar = next(row for row in rows if len(row) > 1 and row[1] == "Inspiratsiooniseminar")
    assert seminar[-2:] == ["12", "9"]  # 11 confirmed + 1 walk-in; 9 checked in
    assert "Tartumaa;14;6" in as_text  # seminar 6 came + 3 did not; trip 5
    assert "Elva vald;6;6" in as_text
    assert "Kohalik omavalitsus;5;0" in as_text


def test_reach_is_counted_over_participants_and_small_numbers_hidden(staff_client, project):
    text = _csv(staff_client(Role.ADMIN).get(f"/admin/reports/leader.csv?{PERIOD}&partner=tas"))
    lines = text.splitlines()
    # Seminar: 9 checked in (6 women, 2 men, 1 walk-in); trip: 5 confirmed, no check-in used.
    assert "Sugu;Naine;6" in lines
    assert "Sugu;Mees;<3" in lines
    assert "Vanus;65–74;6" in lines
    bands = [line.split(";")[1] for line in lines if line.startswith("Vanus;")]
    assert bands[:6] == ["Alla 25", "25–54", "55–64", "65–74", "75–84", "85 või vanem"]
    # An earlier answer is shown as given, not guessed into a band; an unused one not at all.
    assert "Vanus;55 või vanem (varasem küsimus);<3" in lines
    assert not any(line.startswith("Vanus;18–29") for line in lines)
    assert "Puue;jah;x" in lines and "Puue;ei;<3" in lines  # 0 hidden, so 6 hidden too
    assert "Sugu;Muul viisil;<3" in lines


def test_accommodations_count_interpreters_transport_and_companions(staff_client, project):
    text = _csv(staff_client(Role.ADMIN).get(f"/admin/reports/leader.csv?{PERIOD}&partner=all"))
    lines = text.splitlines()
    assert "Eesti viipekeele tõlge;1;6" in lines
    assert "Transport kodust;1;<3" in lines
    assert "Saatjad või isiklikud abistajad (tasuta koht);1;<3" in lines


def test_the_report_is_the_same_after_the_health_data_is_purged(staff_client, project):
    """Issue 15.2: the purge deletes the self-declared disability and the needs; the report
    keeps its counts from the tally taken just before."""
    client = staff_client(Role.ADMIN)
    before = _csv(client.get(f"/admin/reports/leader.csv?{PERIOD}&partner=all"))
    with writing():
        result = purge(utcnow(), RetentionPolicy(health_days=30, personal_months=84))
        db.session.commit()
    assert result.health_purged_total == 25
    left = db.session.scalars(select(Registration).where(
        (Registration.has_disability.is_not(None)) | (Registration.transport_needed.is_(True))
        | Registration.needs.any())).all()
    assert left == []
    after = _csv(client.get(f"/admin/reports/leader.csv?{PERIOD}&partner=all"))
    assert after == before
    assert "Eesti viipekeele tõlge;1;6" in after.splitlines()
    # Running the purge again counts nobody twice.
    with writing():
        purge(utcnow(), RetentionPolicy(health_days=30, personal_months=84))
        db.session.commit()
    assert _csv(client.get(f"/admin/reports/leader.csv?{PERIOD}&partner=all")) == before


def test_a_withdrawn_consent_is_counted_as_not_stated(staff_client, make_event):
    event = make_event(starts_at=MARCH)
    add_registrations(event, 4, has_disability=True, needs=("sign_language",))
    withdrawn = db.session.scalars(select(Registration)).first()
    with writing():
        withdraw_health_consent(withdrawn)
        purge(utcnow(), RetentionPolicy(health_days=30, personal_months=84))
        db.session.commit()
    lines = _csv(staff_client(Role.ADMIN).get(
        f"/admin/reports/leader.csv?{PERIOD}&partner=all")).splitlines()
    assert "Puue;jah;3" in lines and "Puue;Märkimata;<3" in lines
    assert "Eesti viipekeele tõlge;1;3" in lines


def test_board_outcomes_count_visible_ideas_votes_and_participants(staff_client, project):
    text = _csv(staff_client(Role.ADMIN).get(f"/admin/reports/leader.csv?{PERIOD}&partner=vpk"))
    assert "Mida teha koos?;Koosloome töötuba;4;3;3" in text.splitlines()


def test_the_actions_the_ideas_became_are_counted_by_status_group_and_funding(
        staff_client, project):
    board = db.session.scalars(select(Board).where(Board.join_code == "LEADR1")).one()
    db.session.add_all([
        Action(board_id=board.id, title="Vallabuss", status=ActionStatus.RUNNING,
               target_group=TargetGroup.OLDER, funding=FundingSource.MUNICIPALITY),
        Action(board_id=board.id, title="Aiamaa", status=ActionStatus.RUNNING,
               target_group=TargetGroup.BOTH),
        Action(board_id=board.id, title="Õhtud", status=ActionStatus.DROPPED,
               dropped_reason="Ruumi polnud", target_group=TargetGroup.OLDER,
               funding=FundingSource.LEADER),
    ])
    db.session.commit()
    lines = _csv(staff_client(Role.ADMIN).get(
        f"/admin/reports/leader.csv?{PERIOD}&partner=vpk")).splitlines()
    for expected in ("Olek;Käib;2", "Olek;Loobutud;1", "Kellele;Eakad;2",
                     "Kellele;Eakad ja puudega inimesed;1", "Rahastus;Omavalitsus;1",
                     "Rahastus;LEADER;1", "Rahastus;Veel teadmata;1", "Kokku;;3"):
        assert expected in lines, expected
    tas = _csv(staff_client(Role.ADMIN).get(f"/admin/reports/leader.csv?{PERIOD}&partner=tas"))
    assert "Olek;Käib" not in tas  # the other partner's workshop


def test_budget_for_tas_has_lines_planned_actual_and_leader_share(staff_client, project):
    text = _csv(staff_client(Role.ADMIN).get(f"/admin/reports/leader.csv?{PERIOD}&partner=tas"))
    lines = [line.replace("\u00a0", " ") for line in text.splitlines()]
    assert "TAS;Inspiratsiooniseminarid;5000,00 €;1200,50 €;3799,50 €" in lines
    assert "TAS;Õppereis välisriiki;13 000,00 €;9000,00 €;4000,00 €" in lines
    assert "TAS;Kokku;18 000,00 €;10 200,50 €;7799,50 €" in lines
    assert any(line.startswith("TAS;LEADER-toetus;12 743,68 €;7221,77 €;70,8 %")
               for line in lines), [line for line in lines if line.startswith("TAS")]
    assert not any(line.startswith("VPK;") for line in lines)


def test_xlsx_has_one_sheet_per_table_with_numbers(staff_client, project):
    response = staff_client(Role.ADMIN).get(f"/admin/reports/leader.xlsx?{PERIOD}&partner=tas")
    workbook = load_workbook(io.BytesIO(response.data), read_only=True)
    assert len(workbook.sheetnames) == 10
    budget = list(workbook.worksheets[-1].iter_rows(values_only=True))
    assert budget[-2][:3] == ("TAS", "LEADER-toetus", 12743.68)


def test_pdf_has_the_tables_in_estonian(staff_client, project):
    response = staff_client(Role.ADMIN).get(f"/admin/reports/leader.pdf?{PERIOD}&partner=tas")
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    for expected in ("LEADER-aruanne", "Tartumaa Arendusselts", "01.01.2025–30.06.2025",
                     "Koosloomest koostööni", "Sündmused liigiti", "Õppereis Austriasse",
                     "12 743,68 €", "Eelarve"):
        assert expected in text.replace("\u00a0", " "), expected


def test_report_runs_a_fixed_number_of_queries(staff_client, make_event):
    client = staff_client(Role.ADMIN)
    event = make_event(starts_at=MARCH)
    add_registrations(event, 3, needs=("sign_language",), county="tartu")
    period = f"{PERIOD}&partner=all"
    with counted_queries() as few:
        assert client.get(f"/admin/reports/leader.csv?{period}").status_code == 200
    for number in range(3):
        other = make_event(starts_at=MARCH, kind=EventKind.WORKSHOP)
        add_registrations(other, 180, needs=("sign_language", "captions"), checked_in_at=MARCH,
                          county="voru", municipality=f"Vald {number}")
    with counted_queries() as many:
        assert client.get(f"/admin/reports/leader.csv?{period}").status_code == 200
        assert client.get(f"/admin/reports/leader?{period}").status_code == 200
    assert len(many) == 2 * len(few)


def test_default_period_is_the_projects_else_from_the_first_event_to_today(staff_client,
                                                                          project):
    client = staff_client(Role.ADMIN)
    html = client.get("/admin/reports/leader").get_data(as_text=True)
    assert 'value="2024-07-01"' in html and 'value="2025-06-30"' in html
    assert "Õppereis Austriasse" in html  # the project's season, not zeros
    db.session.delete(the_project())
    db.session.commit()
    html = client.get("/admin/reports/leader").get_data(as_text=True)
    first = min(event.starts_at for event in project.values()).date()
    today = datetime.now(ZoneInfo("Europe/Tallinn")).date()
    assert f'value="{first.isoformat()}"' in html and f'value="{today.isoformat()}"' in html


def test_an_event_still_to_come_is_planned_not_held(staff_client, make_event):
    ended = make_event(title_et="Möödunud", starts_at=utcnow() - timedelta(days=3))
    coming = make_event(title_et="Tulemas", starts_at=utcnow() + timedelta(days=3))
    add_registrations(ended, 4)
    add_registrations(coming, 5)
    today = datetime.now(ZoneInfo("Europe/Tallinn")).date()
    period = f"start={today - timedelta(days=10)}&end={today + timedelta(days=10)}&partner=all"
    text = _csv(staff_client(Role.ADMIN).get(f"/admin/reports/leader.csv?{period}"))
    rows = [";".join(row) for row in csv.reader(io.StringIO(text[1:]), delimiter=";")]
    assert "Inspiratsiooniseminar;1;1;0" in rows  # one held, one planned
    assert not any("Tulemas" in row for row in rows)  # no attendance for what is to come
    assert any(row.startswith(("Kokku;;;;4;", "Kokku;;;;4")) for row in rows), rows


def test_invalid_period_shows_the_error_summary_and_keeps_input(staff_client):
    client = staff_client(Role.ORGANISER)
    response = client.get("/admin/reports/leader?start=2025-06-30&end=2025-01-01&partner=tas")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "error-summary" in html and "Viga:" in html
    assert 'value="2025-06-30"' in html
    assert re.search(r'<input checked[^>]*value="tas"', html)
    assert client.get("/admin/reports/leader.csv?start=x&end=2025-01-01").status_code == 400


@pytest.mark.parametrize(
    ("role", "partner", "expected"),
    [
        (Role.FACILITATOR, "vpk", 403),
        (Role.ORGANISER, "tas", 200),
        (Role.ORGANISER, "vpk", 200),
        (Role.ADMIN, "tas", 200),
    ],
)
def test_who_may_see_the_leader_report(staff_client, role, partner, expected):
    client = staff_client(role, partner)
    for suffix in ("", ".csv", ".xlsx", ".pdf"):
        assert client.get(f"/admin/reports/leader{suffix}").status_code == expected
