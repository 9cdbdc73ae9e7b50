"""Board rules, called directly: codes, ideas, votes and the budget, merging, phases."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from koosloome.accounts.models import Role
from koosloome.boards import facilitation, services
from koosloome.boards.models import BoardPhase, Idea, Vote
from koosloome.extensions import db
from tests.factories import join, make_idea, make_user


def _votes(participant) -> int:
    return db.session.scalar(select(func.count(Vote.id)).where(
        Vote.participant_id == participant.id)) or 0


def test_join_codes_avoid_ambiguous_characters(make_board):
    codes = {make_board().join_code for _ in range(5)}
    assert all(len(code) == 6 for code in codes)
    assert not set("".join(codes)) & set("0O1IlL")


def test_code_is_found_in_any_case_and_with_spaces(make_board):
    board = make_board()
    spaced = f" {board.join_code[:3].lower()} {board.join_code[3:]} "
    assert services.board_by_code(spaced) == board
    with pytest.raises(services.UnknownJoinCode):
        services.board_by_code("ZZZZZZ")


def test_new_board_gets_the_four_default_columns(make_board):
    board = make_board()
    assert [c.title for c in board.columns] == list(services.DEFAULT_COLUMNS)


def test_empty_and_over_long_ideas_are_refused(make_board):
    board = make_board()
    mari, _token = join(board)
    for text in ("", "   ", "x" * 501):
        with pytest.raises(services.InvalidText):
            services.post_idea(board, mari, board.columns[0].id, text)
    assert services.post_idea(board, mari, board.columns[0].id, "x" * 500).text == "x" * 500


def test_a_name_is_required_when_anonymous_is_not_allowed(make_board):
    board = make_board(allow_anonymous=False)
    with pytest.raises(services.NameRequired):
        services.join_board(board, "  ")


def test_votes_stay_within_the_budget(make_board):
    board = make_board(votes_per_participant=2, phase=BoardPhase.VOTING)
    mari, _ = join(board)
    ideas = [make_idea(board, mari, f"Mõte {i}") for i in range(3)]
    assert services.cast_vote(board, mari, ideas[0])[1] == 1
    assert services.cast_vote(board, mari, ideas[1])[1] == 0
    with pytest.raises(services.BudgetExhausted):
        services.cast_vote(board, mari, ideas[2])
    assert _votes(mari) == 2
    assert services.take_back_vote(board, mari, ideas[0]) == 1
    assert services.cast_vote(board, mari, ideas[2])[1] == 0


def test_one_vote_per_idea_unless_the_board_allows_more(make_board):
    board = make_board(phase=BoardPhase.VOTING)
    mari, _ = join(board)
    idea = make_idea(board, mari)
    services.cast_vote(board, mari, idea)
    with pytest.raises(services.AlreadyVoted):
        services.cast_vote(board, mari, idea)
    board.multiple_votes_per_idea = True
    vote, left = services.cast_vote(board, mari, idea)
    assert (vote.slot, left) == (1, 1)


def test_votes_are_refused_in_the_wrong_phase_and_on_hidden_ideas(make_board):
    board = make_board()
    mari, _ = join(board)
    idea = make_idea(board, mari)
    with pytest.raises(services.WrongPhase):
        services.cast_vote(board, mari, idea)
    board.phase = BoardPhase.VOTING
    idea.hidden = True
    with pytest.raises(services.IdeaNotVotable):
        services.cast_vote(board, mari, idea)
    board.phase = BoardPhase.CLOSED
    with pytest.raises(services.BoardClosed):
        services.cast_vote(board, mari, idea)
    assert _votes(mari) == 0


def test_taking_back_a_vote_that_does_not_exist_is_refused(make_board):
    board = make_board(phase=BoardPhase.VOTING)
    mari, _ = join(board)
    with pytest.raises(services.NoVoteToTakeBack):
        services.take_back_vote(board, mari, make_idea(board, mari))


def test_closed_board_refuses_joining_and_posting(make_board):
    board = make_board()
    mari, _ = join(board)
    services.set_phase(board, BoardPhase.CLOSED)
    assert board.closed_at is not None
    with pytest.raises(services.BoardClosed):
        services.join_board(board, "Jaan")
    with pytest.raises(services.BoardClosed):
        services.post_idea(board, mari, board.columns[0].id, "Mõte")


def test_every_change_raises_the_revision(make_board):
    board = make_board()
    before = board.revision
    mari, _ = join(board)
    services.post_idea(board, mari, board.columns[0].id, "Mõte")
    assert board.revision == before + 2


def test_own_idea_edit_keeps_history_and_others_cannot_edit(make_board):
    board = make_board()
    mari, _ = join(board)
    jaan, _ = join(board, "Jaan")
    idea = make_idea(board, mari, "Esimene")
    services.edit_own_idea(idea, mari, "Teine")
    assert [r.text for r in idea.revisions] == ["Esimene"]
    with pytest.raises(services.NotAllowed):
        services.edit_own_idea(idea, jaan, "Kolmas")
    with pytest.raises(services.NotAllowed):
        services.delete_own_idea(idea, jaan)


def test_merge_moves_votes_and_returns_duplicates(make_board):
    board = make_board(votes_per_participant=3, phase=BoardPhase.VOTING)
    user = make_user(Role.FACILITATOR)
    mari, _ = join(board)
    jaan, _ = join(board, "Jaan")
    first, second = make_idea(board, mari, "Buss"), make_idea(board, jaan, "Transport")
    services.cast_vote(board, mari, first)
    services.cast_vote(board, mari, second)
    services.cast_vote(board, jaan, second)
    returned = facilitation.merge_ideas(second, user, first.id)
    db.session.commit()
    assert returned == 1  # Mari had a vote on both: one is returned to her budget
    assert db.session.scalar(select(func.count(Vote.id)).where(Vote.idea_id == first.id)) == 2
    assert _votes(mari) == 1 and services.votes_left(board, mari) == 2
    assert second.merged_into_id == first.id
    with pytest.raises(facilitation.CannotMerge):
        facilitation.merge_ideas(first, user, first.id)


def test_merge_keeps_both_votes_when_several_per_idea_are_allowed(make_board):
    board = make_board(multiple_votes_per_idea=True, phase=BoardPhase.VOTING)
    user = make_user(Role.FACILITATOR)
    mari, _ = join(board)
    first, second = make_idea(board, mari, "A"), make_idea(board, mari, "B")
    services.cast_vote(board, mari, first)
    services.cast_vote(board, mari, second)
    assert facilitation.merge_ideas(second, user, first.id) == 0
    slots = db.session.scalars(select(Vote.slot).where(Vote.idea_id == first.id)).all()
    assert sorted(slots) == [0, 1]


def test_paper_votes_can_be_set_up_and_down(make_board):
    board = make_board(phase=BoardPhase.VOTING)
    user = make_user(Role.FACILITATOR)
    mari, _ = join(board)
    idea = make_idea(board, mari)
    facilitation.set_paper_votes(idea, user, 7)
    assert facilitation.paper_votes(idea) == 7
    facilitation.set_paper_votes(idea, user, 2)
    assert facilitation.paper_votes(idea) == 2


def test_hide_keeps_the_reason_and_edit_keeps_history(make_board):
    board = make_board()
    user = make_user(Role.FACILITATOR)
    mari, _ = join(board)
    idea = make_idea(board, mari, "Vana tekst")
    facilitation.hide_idea(idea, user, "Isikuandmed")
    facilitation.edit_idea(idea, user, "Uus tekst")
    assert (idea.hidden, idea.hidden_reason) == (True, "Isikuandmed")
    assert idea.revisions[0].text == "Vana tekst"
    assert idea.revisions[0].edited_by_user_id == user.id


def test_move_theme_and_columns(make_board):
    board = make_board()
    user = make_user(Role.FACILITATOR)
    mari, _ = join(board)
    idea = make_idea(board, mari)
    facilitation.move_idea(idea, user, board.columns[2].id)
    theme = facilitation.add_theme(board, "Liikumine")
    facilitation.set_theme(idea, user, theme.id)
    assert (idea.column_id, idea.theme_id) == (board.columns[2].id, theme.id)
    with pytest.raises(facilitation.ColumnNotEmpty):
        facilitation.delete_column(board.columns[2])
    last = board.columns[3]
    facilitation.move_column(last, -1)
    db.session.commit()
    db.session.expire_all()
    assert board.columns[2] is last
    facilitation.delete_theme(theme)
    db.session.commit()
    assert db.session.get(Idea, idea.id).theme_id is None


def test_a_closed_board_is_read_only_for_facilitators_too(make_board):
    board = make_board(phase=BoardPhase.CLOSED)
    user = make_user(Role.FACILITATOR)
    mari, _ = join_closed(board)
    idea = make_idea(board, mari)
    with pytest.raises(services.BoardClosed):
        facilitation.hide_idea(idea, user, "x")
    with pytest.raises(services.BoardClosed):
        facilitation.move_idea(idea, user, board.columns[1].id)


def join_closed(board):
    """A participant added to a board that is closed (written directly)."""
    from koosloome.boards.models import BoardParticipant

    participant = BoardParticipant(board=board, display_name="Mari")
    db.session.add(participant)
    db.session.commit()
    return participant, ""


def test_a_board_links_only_to_events_its_creator_may_link(app, make_event):
    """Staff link boards to their own partner's events; a link set by an admin may stay when
    someone else edits the board."""
    from koosloome.errors import NotAllowed
    from tests.factories import organisation

    vpk_event, tas_event = make_event(), make_event(organisation=organisation("tas"))
    tas_facilitator = make_user(Role.FACILITATOR, "tas")
    settings = services.BoardSettings(title="Tuba", question="Kuidas?", event_id=vpk_event.id)
    with pytest.raises(NotAllowed):
        services.create_board(tas_facilitator, settings)
    board = services.create_board(make_user(Role.ADMIN, "vpk"), settings)
    tas_organiser = make_user(Role.ORGANISER, "tas")
    services.update_settings(board, settings, tas_organiser)  # the admin's link stays
    mine = services.BoardSettings(title="Tuba", question="Kuidas?", event_id=tas_event.id)
    services.update_settings(board, mine, tas_organiser)
    assert board.event_id == tas_event.id
    with pytest.raises(NotAllowed):
        services.update_settings(board, settings, tas_organiser)
