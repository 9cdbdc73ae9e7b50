"""Two past co-creation workshops and what came of their ideas: the Antsla one's top idea is
a running municipal bus for older people (and a smartphone course still planned), the Elva
one's memory evenings were dropped, with why. Created after every other event, so the ids of
the others stay as they were."""

from __future__ import annotations

import secrets
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from koosloome.accounts.models import Organisation
from koosloome.accounts.services import user_by_email
from koosloome.boards.models import Board, BoardParticipant, BoardPhase, Idea, Vote
from koosloome.boards.services import add_default_columns
from koosloome.db import utcnow
from koosloome.demo.common import (
    ANTSLA_WORKSHOP_DAY,
    ELVA_WORKSHOP_DAY,
    days_from_today,
    local_time,
)
from koosloome.demo.people import PEOPLE, add_registration
from koosloome.events.models import Event, EventKind, EventStatus, RegistrationMode
from koosloome.extensions import db
from koosloome.outcomes.models import Action, ActionStatus, FundingSource, TargetGroup
from koosloome.registrations.models import RegistrationStatus
from koosloome.venues.models import Venue

#: (slug, partner, venue, days ago, title et, title en, board code, board title, question,
#:  ideas as (text, votes), people (PEOPLE indexes))
WORKSHOPS = (
    ("koosloome-tootuba-antsla", "vpk", "kannel", -days_from_today(ANTSLA_WORKSHOP_DAY),
     "Koosloome töötuba: kuidas eakad külast linna saavad",
     "Co-creation workshop: how older people get from the village to town",
     "ANTS24", "Külast linna",
     "Kuidas me saaksime aidata eakatel külast linna asju ajama sõita?",
     (("Vallabuss kord nädalas kolmapäeviti, kui on turupäev", 5),
      ("Nutitelefoni kursus, et tellida sõitu ise", 3),
      ("Naabrid võtavad autoga kaasa", 2)),
     (0, 2, 6, 9, 1)),
    ("koosloome-tootuba-elva", "tas", "elva", -days_from_today(ELVA_WORKSHOP_DAY),
     "Koosloome töötuba: mälestuste õhtud",
     "Co-creation workshop: evenings of memories",
     "ELVA24", "Mälestuste õhtud",
     "Kuidas tuua eakate lood ja noored kokku?",
     (("Mälestuste õhtud, kus noored salvestavad eakate lugusid", 4),
      ("Vanade fotode näitus", 2)),
     (3, 4, 8, 10)),
)


#: Who came by the workshop's bus with a lift (its cost is among the season's).
RIDERS = {("koosloome-tootuba-antsla", 6): {
    "needs": ["wheelchair"], "transport_needed": True,
    "transport_pickup": "Obinitsa bussipeatus", "has_disability": True},
          ("koosloome-tootuba-antsla", 2): {
    "transport_needed": True, "transport_pickup": "Kraavi küla, kaupluse juures"}}


def _workshop(spec: tuple, tz: ZoneInfo, orgs: dict[str, Organisation],
              venues: dict[str, Venue]) -> Board:
    (slug, partner, venue_key, days_ago, title_et, title_en, code, board_title, question,
     ideas, people) = spec
    venue = venues[venue_key]
    event = Event(slug=slug, kind=EventKind.WORKSHOP, status=EventStatus.PUBLISHED,
                  published_at=utcnow() - timedelta(days=days_ago + 30),
                  registration_mode=RegistrationMode.OPEN, organisation=orgs[partner],
                  title_et=title_et, title_en=title_en,
                  starts_at=local_time(tz, -days_ago, 11), ends_at=local_time(tz, -days_ago, 15),
                  capacity=25, venue=venue)
    db.session.add(event)
    db.session.flush()
    for index in people:
        add_registration(event, index, RegistrationStatus.CONFIRMED,
                         sent_at=event.starts_at - timedelta(days=14),
                         checked_in_at=event.starts_at, **RIDERS.get((slug, index), {}))
    facilitator = user_by_email("margus.facilitator@koosloome.example")
    board = Board(join_code=code, title=board_title, question=question,
                  phase=BoardPhase.CLOSED, closed_at=event.ends_at, event=event,
                  organisation=orgs[partner],
                  created_by_id=facilitator.id if facilitator else None)
    add_default_columns(board)
    db.session.add(board)
    voters = [BoardParticipant(board=board, display_name=f"Osaleja {n}") for n in range(1, 6)]
    # The first asked, when joining, to hear by e-mail what comes of the ideas.
    first = PEOPLE[people[0]][0]
    voters[0].display_name = first.split()[0]
    voters[0].updates_email = first.lower().replace(" ", ".").translate(
        str.maketrans("äöüõš", "aouos")) + "@example.ee"
    voters[0].updates_consent_at = event.starts_at
    voters[0].updates_nonce = secrets.token_hex(16)
    db.session.add_all(voters)
    db.session.flush()
    for position, (text, votes) in enumerate(ideas):
        idea = Idea(board=board, column=board.columns[0], text=text,
                    participant=voters[position % len(voters)])
        db.session.add(idea)
        db.session.flush()
        db.session.add_all(Vote(board_id=board.id, idea=idea, participant_id=voter.id)
                           for voter in voters[:votes])
    db.session.flush()
    return board


def ensure_outcomes(tz: ZoneInfo, orgs: dict[str, Organisation],
                    venues: dict[str, Venue]) -> int:
    """The two past workshops, their closed boards and their actions, once."""
    if db.session.scalars(select(Board).where(Board.join_code == "ANTS24")).first():
        return 0
    antsla, elva = (_workshop(spec, tz, orgs, venues) for spec in WORKSHOPS)
    today = utcnow().date()
    db.session.add_all([
        Action(board_id=antsla.id, title="Vallabuss eakatele kolmapäeviti",
               description="Buss sõidab turupäeval kolme küla kaudu linna ja tagasi; "
                           "ratastooliga inimesele on tõstuk.",
               ideas=[antsla.ideas[0]], owner="Antsla vallavalitsus (näidis)",
               partner_id=orgs["vpk"].id, target_group=TargetGroup.OLDER,
               status=ActionStatus.RUNNING, funding=FundingSource.MUNICIPALITY,
               next_step="Sõiduplaan külade kaupa vallalehte",
               next_step_on=today + timedelta(days=14),
               status_changed_at=utcnow() - timedelta(days=10)),
        Action(board_id=antsla.id, title="Nutitelefoni kursus koos noortega",
               ideas=[antsla.ideas[1]], owner="Külaselts (näidis)", partner_id=orgs["vpk"].id,
               target_group=TargetGroup.OLDER, status=ActionStatus.PLANNED,
               funding=FundingSource.LEADER, next_step="Leida noored juhendajad",
               next_step_on=today + timedelta(days=30)),
        Action(board_id=elva.id, title="Mälestuste õhtud, kus noored salvestavad lugusid",
               ideas=[elva.ideas[0]], owner="Eakate ühendus (näidis)",
               partner_id=orgs["tas"].id, target_group=TargetGroup.BOTH,
               status=ActionStatus.DROPPED, funding=FundingSource.OWN,
               dropped_reason="Valitud saal ei olnud ratastooliga ligipääsetav ja teist "
                              "sobivat ruumi sel hooajal ei leitud; proovime uuesti, kui "
                              "rahvamaja kaldtee on valmis.",
               status_changed_at=utcnow() - timedelta(days=5)),
    ])
    db.session.flush()
    return 1
