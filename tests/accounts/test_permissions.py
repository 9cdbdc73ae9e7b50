"""Who may manage events, see health data and facilitate boards."""

from __future__ import annotations

from koosloome.accounts.models import Role
from koosloome.accounts.permissions import (
    can_facilitate_board,
    can_manage_event,
    can_see_health_data,
)
from koosloome.boards.models import Board
from koosloome.extensions import db
from tests.factories import organisation


def test_organisers_manage_their_partners_events_and_co_organised_ones(make_user, make_event):
    vpk_organiser = make_user(Role.ORGANISER, "vpk")
    tas_organiser = make_user(Role.ORGANISER, "tas")
    vpk_event = make_event(organisation=organisation("vpk"))
    joint_event = make_event(organisation=organisation("vpk"), co_organiser=organisation("tas"))

    assert can_manage_event(vpk_organiser, vpk_event)
    assert not can_manage_event(tas_organiser, vpk_event)
    assert can_manage_event(tas_organiser, joint_event)


def test_admins_manage_everything_and_facilitators_never_see_health_data(make_user, make_event):
    admin = make_user(Role.ADMIN, "tas")
    facilitator = make_user(Role.FACILITATOR, "vpk")
    event = make_event(organisation=organisation("vpk"))
    assert can_manage_event(admin, event) and can_see_health_data(admin, event)
    assert not can_manage_event(facilitator, event)
    assert not can_see_health_data(facilitator, event)


def test_facilitators_of_the_partner_facilitate_its_boards(make_user, make_event):
    facilitator = make_user(Role.FACILITATOR, "vpk")
    other = make_user(Role.FACILITATOR, "tas")
    board = Board(join_code="ABCDEF", title="T", question="Q", organisation=organisation("vpk"))
    db.session.add(board)
    db.session.commit()
    assert can_facilitate_board(facilitator, board)
    assert not can_facilitate_board(other, board)
    board.event = make_event(organisation=organisation("vpk"), co_organiser=organisation("tas"))
    assert can_facilitate_board(other, board)
