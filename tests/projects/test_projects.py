"""The project record, budgets and lines (issue 19.2): admins change them, the reports read
them, and a wrong value is refused with nothing saved."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select

from koosloome.accounts.models import Role
from koosloome.accounts.services import create_api_token
from koosloome.db import utcnow
from koosloome.events.models import EventKind
from koosloome.extensions import db
from koosloome.privacy.services import RetentionPolicy, purge
from koosloome.projects.models import (
    BudgetLine,
    Cost,
    CostCategory,
    Indicator,
    ProjectPartner,
)
from koosloome.projects.services import the_project
from koosloome.registrations.models import Registration
from koosloome.reports.indicators import project_indicators
from tests.factories import organisation, writing
from tests.reports.conftest import counted_queries


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def _words(response) -> str:
    """The page's text without its tags, spaces as one."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def _partner(slug: str) -> ProjectPartner:
    project = the_project()
    return next(p for p in project.partners if p.organisation.slug == slug)


def test_an_admin_enters_the_project_and_its_partners_follow(client, login, make_user):
    login(make_user(Role.ADMIN))
    assert "Projekti pole veel sisestatud" in _text(client.get("/admin/project"))
    page = client.get("/admin/project/settings")
    assert page.status_code == 200
    wrong = client.post("/admin/project/settings", data={
        "name_et": "Koosloomest koostööni", "starts_on": "2025-06-30", "ends_on": "2024-07-01"})
    assert wrong.status_code == 422 and the_project() is None
    assert "Viimane päev peab olema sama või hilisem kui esimene" in _text(wrong)
    assert 'value="Koosloomest koostööni"' in wrong.get_data(as_text=True)  # kept
    saved = client.post("/admin/project/settings", data={
        "name_et": "Koosloomest koostööni", "starts_on": "2024-07-01",
        "ends_on": "2025-06-30", "lead_partner_id": str(organisation("vpk").id)})
    assert saved.status_code == 302
    project = the_project()
    assert {p.organisation.slug for p in project.partners} == {"vpk", "tas"}
    assert project.lead_partner.slug == "vpk"


def test_leader_support_above_the_budget_is_refused_and_nothing_changes(
        client, login, make_user, make_project):
    make_project()
    tas = _partner("tas")
    login(make_user(Role.ADMIN))
    response = client.post(f"/admin/project/partners/{tas.id}", data={
        f"p{tas.id}-budget": "10000", f"p{tas.id}-leader_support": "12743.68"})
    assert response.status_code == 422
    assert "LEADER-toetus ei saa olla eelarvest suurem" in _text(response)
    db.session.expire_all()
    assert (_partner("tas").budget, _partner("tas").leader_support) == (
        Decimal("18000.00"), Decimal("12743.68"))
    client.post(f"/admin/project/partners/{tas.id}", data={
        f"p{tas.id}-budget": "19000", f"p{tas.id}-leader_support": "13000"})
    db.session.expire_all()
    assert _partner("tas").own_contribution == Decimal("6000.00")


def test_a_removed_line_asks_first_and_its_costs_stay_on_no_line(
        client, login, make_user, make_project, make_event):
    make_project()
    seminar_line = next(line for line in _partner("tas").lines
                        if line.event_kind is EventKind.SEMINAR)
    line_id = seminar_line.id
    event = make_event(organisation=organisation("tas"))
    db.session.add(Cost(organisation_id=event.organisation_id, event_id=event.id,
                        budget_line_id=seminar_line.id, spent_on=date(2025, 3, 1),
                        amount=Decimal("300"), category=CostCategory.VENUE))
    db.session.commit()
    login(make_user(Role.ADMIN))
    ask = _text(client.get(f"/admin/project/lines/{seminar_line.id}/delete"))
    assert "Eemaldada eelarverida „TAS: Inspiratsiooniseminarid“?" in ask
    assert "Sellele kirjendatud 1 kulu jääb alles, ilma reata." in ask
    assert client.post(f"/admin/project/lines/{line_id}/delete").status_code == 302
    db.session.expire_all()
    cost = db.session.scalars(select(Cost)).one()
    assert cost.budget_line_id is None and cost.amount == Decimal("300.00")
    assert db.session.get(BudgetLine, line_id) is None


def test_organisers_may_not_change_the_project(client, login, make_user, make_project):
    make_project()
    login(make_user(Role.ORGANISER, "tas"))
    assert client.get("/admin/project/settings").status_code == 403
    assert client.get("/admin/project").status_code == 200  # both partners see the dashboard


def test_the_dashboard_shows_budgets_and_indicators_against_targets(
        client, login, make_user, make_project, make_event, make_registration):
    make_project()
    tas = organisation("tas")
    seminar = make_event(organisation=tas, starts_at=datetime(2025, 3, 5, 8, tzinfo=UTC))
    for index, (age, disability) in enumerate(
            [("75_84", None), ("25_54", True), ("25_54", False), (None, None)]):
        make_registration(seminar, age_band=age, has_disability=disability,
                          organisation_name=["Kastre  selts", "kastre selts", "Elva OÜ", ""][index],
                          sector=["community", "community", "entrepreneur", None][index])
    db.session.add(Cost(organisation_id=tas.id, event_id=seminar.id, spent_on=date(2025, 3, 6),
                        amount=Decimal("1000"), category=CostCategory.SPEAKERS,
                        budget_line_id=_partner("tas").lines[0].id))
    db.session.commit()
    login(make_user(Role.ORGANISER, "vpk"))
    page = _words(client.get("/admin/project")).replace("\u00a0", " ")
    assert "Toimunud sündmused 1 12 8 %" in page
    assert "Osalejad 4 250 2 %" in page
    assert "Osalejad sihtrühmadest 2 60 3 %" in page  # 75–84, and a disability
    assert "Organisatsioonid, kelleni jõuti 2 40 5 %" in page  # "Kastre selts" once
    assert "Inspiratsiooniseminarid 5000,00 € 1000,00 € 4000,00 €" in page.replace("\u00a0", " ")
    assert "LEADER-toetus 12 743,68 € 707,98 €" in page.replace("\u00a0", " ")


def test_the_api_reads_the_project_and_only_admins_change_it(client, make_user, make_project):
    make_project()
    organiser = create_api_token(make_user(Role.ORGANISER, "tas", email="o@example.ee"))
    admin = create_api_token(make_user(Role.ADMIN, email="a@example.ee"))
    db.session.commit()
    as_organiser = {"Authorization": f"Bearer {organiser}"}
    as_admin = {"Authorization": f"Bearer {admin}"}
    body = client.get("/api/v1/project", headers=as_organiser).get_json()
    tas = next(p for p in body["partners"] if p["organisation"] == "TAS")
    assert (tas["budget"], tas["leader_support"], tas["own_contribution"]) == (
        "18000.00", "12743.68", "5256.32")
    assert client.patch("/api/v1/project", json={"code": "X"},
                        headers=as_organiser).status_code == 403
    wrong = client.patch("/api/v1/project", json={"ends_on": "2020-01-01"}, headers=as_admin)
    assert wrong.status_code == 422 and "ends_on" in wrong.get_json()["fields"]
    assert client.patch("/api/v1/project", json={"code": "LEADER-2024-17"},
                        headers=as_admin).get_json()["code"] == "LEADER-2024-17"
    line = client.post(f"/api/v1/project/partners/{tas['id']}/lines", headers=as_admin,
                       json={"name_et": "Töötoad", "planned": "1500", "event_kind": "workshop"})
    assert line.status_code == 201 and line.get_json()["planned"] == "1500.00"
    targets = client.put("/api/v1/project/indicators", headers=as_admin,
                         json={"events_held": 20, "participants": None})
    assert targets.get_json() == {"events_held": 20}  # PUT: the others are not set now
    assert client.put("/api/v1/project/indicators", headers=as_admin,
                      json={"events_held": -1}).status_code == 422
    indicators = client.get("/api/v1/project/indicators", headers=as_organiser).get_json()
    held = next(i for i in indicators["indicators"] if i["indicator"] == "events_held")
    assert held == {"indicator": "events_held", "actual": 0, "target": 20}
    budget = client.get("/api/v1/project/budget", headers=as_organiser).get_json()
    assert {p["planned"] for p in budget["partners"]} == {"42000.00", "18000.00"}


def test_the_target_group_indicator_survives_the_purge_of_health_answers(
        make_project, make_event, make_registration, app):
    project = make_project()
    seminar = make_event(starts_at=datetime(2025, 3, 5, 8, tzinfo=UTC),
                         ends_at=datetime(2025, 3, 5, 12, tzinfo=UTC))
    make_registration(seminar, age_band="25_54", has_disability=True, consent_health_at=utcnow())
    make_registration(seminar, age_band="85_plus", email="vanem@example.ee")
    make_registration(seminar, age_band="25_54", has_disability=False, email="noor@example.ee",
                      consent_health_at=utcnow())
    with app.test_request_context():
        before = {f.indicator: f.actual for f in project_indicators(project).figures}
    assert before[Indicator.TARGET_GROUP_PARTICIPANTS] == 2
    with writing():
        purge(utcnow(), RetentionPolicy(health_days=30, personal_months=84))
        db.session.commit()
    assert db.session.scalars(select(Registration).where(
        Registration.has_disability.is_not(None))).all() == []
    with app.test_request_context():
        after = {f.indicator: f.actual for f in project_indicators(the_project()).figures}
    assert after == before


def test_the_dashboard_runs_a_fixed_number_of_queries(
        client, login, make_user, make_project, make_event, make_registration):
    make_project()
    login(make_user(Role.ADMIN))
    seminar = make_event(starts_at=datetime(2025, 3, 5, 8, tzinfo=UTC))
    make_registration(seminar)
    with counted_queries() as few:
        assert client.get("/admin/project").status_code == 200
    for number in range(4):
        other = make_event(starts_at=datetime(2025, 4, 5, 8, tzinfo=UTC))
        for person in range(5):
            make_registration(other, email=f"p{number}-{person}@example.ee",
                              organisation_name=f"Selts {number}-{person}")
        db.session.add(Cost(organisation_id=other.organisation_id, event_id=other.id,
                            spent_on=date(2025, 4, 5), amount=Decimal(10),
                            category=CostCategory.VENUE))
    db.session.commit()
    with counted_queries() as many:
        assert client.get("/admin/project").status_code == 200
    assert len(many) == len(few)
