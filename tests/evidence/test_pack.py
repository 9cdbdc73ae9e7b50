"""The evidence pack: one PDF with every part, a ZIP of the parts, downloads logged."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

from pypdf import PdfReader
from sqlalchemy import select

from koosloome.accounts.models import Role
from koosloome.audit import AuditLog
from koosloome.boards.models import Board
from koosloome.boards.services import add_default_columns
from koosloome.db import utcnow
from koosloome.events.models import AgendaItem
from koosloome.extensions import db
from koosloome.feedback import services as feedback
from koosloome.outcomes.models import Action, ActionStatus, FundingSource, TargetGroup
from koosloome.privacy.services import RetentionPolicy, purge
from koosloome.registrations.models import Registration
from tests.factories import organisation, writing


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _seminar(make_event, make_registration, make_user):
    start = utcnow().replace(microsecond=0) - timedelta(days=3)
    event = make_event(
        organisation=organisation("vpk"),
        co_organiser=organisation("tas"),
        title_et="Ligipääsetavuse seminar",
        starts_at=start,
        ends_at=start + timedelta(hours=4),
    )
    event.agenda = [AgendaItem(starts_at=start, title_et="Tervitus", speaker="Kadri Kuusk")]
    for number, county in enumerate(("voru", "voru", "voru", "tartu")):
        make_registration(
            event,
            name=f"Osaleja Number{number}",
            county=county,
            checked_in_at=start,
            consent_photos=number != 0,
        )
    survey = feedback.enable_survey(event, make_user(Role.ADMIN))
    for value in (4, 5, 5):
        feedback.submit(survey, {survey.questions[0].id: value}, feedback.ResponseSource.PAPER)
    board = Board(
        join_code="EVID24",
        title="Päevakeskus",
        question="Kuidas me saaksime…?",
        organisation=organisation("vpk"),
        event=event,
    )
    add_default_columns(board)
    db.session.add(board)
    db.session.commit()
    return event


def test_pack_pdf_holds_every_part(login, make_user, make_event, make_registration):
    event = _seminar(make_event, make_registration, make_user)
    client = login(make_user(Role.ORGANISER, "vpk"))
    response = client.get(f"/admin/events/{event.id}/evidence.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    for part in (
        "Koosloomest koostööni",
        "Võrumaa Partnerluskogu",
        "Tartumaa Arendusselts",
        "Ligipääsetavuse seminar",
        "LEADER",
        "Euroopa Liit",
        "Programm",
        "Tervitus",
        "Osavõtt",
        "Osaleja Number1",
        "Võrumaa: 3",
        "Tartumaa: <3",
        "Osalejate tagasiside",
        "keskmine 4,7",
        "Päevakeskus",
        "Inimesed, kes ei nõustunud fotode avaldamisega",
        "Osaleja Number0",
    ):
        assert part in text, part
    actions = db.session.scalars(select(AuditLog.action)).all()
    assert "evidence.download" in actions


def test_pack_zip_has_the_parts(login, make_user, make_event, make_registration):
    event = _seminar(make_event, make_registration, make_user)
    client = login(make_user(Role.ORGANISER, "tas"))  # co-organiser
    response = client.get(f"/admin/events/{event.id}/evidence.zip")
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert {"toendid.pdf", "osavotjate-nimekiri.pdf", "tagasiside.csv", "ideetahvel.txt"} <= set(
        names
    )


def test_the_pack_says_what_came_of_the_boards_ideas(
        login, make_user, make_event, make_registration):
    event = _seminar(make_event, make_registration, make_user)
    board = db.session.scalars(select(Board).where(Board.join_code == "EVID24")).one()
    db.session.add_all([
        Action(board_id=board.id, title="Vallabuss", status=ActionStatus.RUNNING,
               target_group=TargetGroup.OLDER, funding=FundingSource.MUNICIPALITY),
        Action(board_id=board.id, title="Teeõhtud", status=ActionStatus.DROPPED,
               dropped_reason="Ruumi polnud"),
    ])
    db.session.commit()
    client = login(make_user(Role.ORGANISER, "vpk"))
    archive = zipfile.ZipFile(io.BytesIO(client.get(
        f"/admin/events/{event.id}/evidence.zip").data))
    text = archive.read("ideetahvel.txt").decode()
    assert "Mis ideedest sündis: Käib 1, Loobutud 1" in text
    assert "Vallabuss (Käib; Eakad; Omavalitsus)" in text
    assert "Teeõhtud (Loobutud; Eakad ja puudega inimesed; loobuti, sest: Ruumi polnud)" in text


def test_event_without_check_ins_or_feedback_still_gets_a_pack(
    login, make_user, make_event, make_registration
):
    event = make_event(organisation=organisation("vpk"))
    make_registration(event, name="Registreerunud Inimene")
    client = login(make_user())
    text = pdf_text(client.get(f"/admin/events/{event.id}/evidence.pdf").data)
    assert "Sellel sündmusel ei märgitud kedagi kohalolijaks" in text
    assert "Tagasisideküsitlust ei korraldatud" in text
    assert "Programmi ei sisestatud" in text


def test_facilitators_and_the_other_partner_get_no_pack(client, login, make_user, make_event):
    event = make_event(organisation=organisation("vpk"))
    login(make_user(Role.FACILITATOR, "vpk"))
    assert client.get(f"/admin/events/{event.id}/evidence.pdf").status_code == 403
    client.post("/logout")
    login(make_user(Role.ORGANISER, "tas"))
    assert client.get(f"/admin/events/{event.id}/evidence.zip").status_code == 403


def test_feedback_csv_in_the_zip_neutralises_every_formula_trigger(
    login, make_user, make_event, make_registration
):
    event = _seminar(make_event, make_registration, make_user)
    survey = feedback.survey_for_event(event)
    feedback.submit(
        survey, {survey.questions[5].id: "\t=cmd|' /C calc'!A0"}, feedback.ResponseSource.PAPER
    )
    db.session.commit()
    client = login(make_user(Role.ORGANISER, "vpk"))
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/admin/events/{event.id}/evidence.zip").data))
    text = archive.read("tagasiside.csv").decode("utf-8-sig")
    assert "'=cmd|" in text  # stored stripped of the tab, then made inert
    assert not any(cell.startswith(("=", "+", "-", "@", "\t"))
                   for line in text.splitlines() for cell in line.split(","))


def test_the_disability_figures_survive_the_health_data_purge(
    login, make_user, make_event, make_registration
):
    """Issue 15.2: the purge deletes the answers; the pack counts them from the tally."""
    start = utcnow().replace(microsecond=0) - timedelta(days=40)
    event = make_event(starts_at=start, ends_at=start + timedelta(hours=4))
    for number in range(4):
        make_registration(event, has_disability=number < 3, checked_in_at=start)
    client = login(make_user(Role.ORGANISER, "vpk"))
    before = pdf_text(client.get(f"/admin/events/{event.id}/evidence.pdf").data)
    with writing():
        purge(utcnow(), RetentionPolicy(health_days=30, personal_months=84))
        db.session.commit()
    assert db.session.scalars(select(Registration.has_disability)).all() == [None] * 4
    after = pdf_text(client.get(f"/admin/events/{event.id}/evidence.pdf").data)
    assert "Jah: 3" in before
    assert after.split("Puudega osalejad")[1][:60] == before.split("Puudega osalejad")[1][:60]
