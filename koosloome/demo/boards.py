"""The demo's co-creation boards: the Rõuge workshop's board, voting, and a second one
still collecting ideas."""

from __future__ import annotations

from sqlalchemy import select

from koosloome.accounts.models import Organisation
from koosloome.accounts.services import user_by_email
from koosloome.boards.models import Board, BoardParticipant, BoardPhase, Idea, Theme, Vote
from koosloome.boards.services import add_default_columns
from koosloome.events.models import Event
from koosloome.extensions import db

DEMO_BOARD_CODE = "KUVR24"
#: A second board, still collecting ideas, to try posting (and for the accessibility tests).
DEMO_COLLECTING_BOARD_CODE = "TUBA25"

BOARD_IDEAS = [
    (0, "Transport päevakeskusesse neile, kes ise ei sõida", 5),
    (0, "Koht, kus saab lihtsalt koos kohvi juua ja rääkida", 4),
    (1, "Nutitelefoni kursus koos noortega", 3),
    (1, "Ühine aiamaa ja kasvuhoone", 2),
    (1, "Mälestuste õhtud ja küla ajaloo kogumine", 2),
    (2, "Rahvamaja saal on hommikuti vaba", 1),
    (2, "Noorte vabatahtlike grupp on valmis aitama", 1),
    (3, "Küsida vallalt bussi kolmapäeviti", 0),
]


def ensure_board(events: dict[str, Event], orgs: dict[str, Organisation]) -> int:
    """The Rõuge workshop's board in the voting phase, with ideas and votes, once."""
    if db.session.scalars(select(Board).where(Board.join_code == DEMO_BOARD_CODE)).first():
        return 0
    facilitator = user_by_email("margus.facilitator@koosloome.example")
    board = Board(
        join_code=DEMO_BOARD_CODE,
        title="Rõuge päevakeskus",
        question="Kuidas me saaksime teha päevakeskusest koha, kuhu eakad tahavad tulla?",
        intro_et="Kirjuta iga mõte eraldi kaardile. Hääletada saab kolm korda.",
        intro_en="Write each thought on its own card. You have three votes.",
        phase=BoardPhase.VOTING,
        event=events["koosloome-tootuba-rouge"],
        organisation=orgs["vpk"],
        created_by_id=facilitator.id if facilitator else None,
    )
    add_default_columns(board)
    db.session.add(board)
    voters = [
        BoardParticipant(board=board, display_name=name)
        for name in ("Mari", "Jaan", "Aino", "Ene", "Rein")
    ]
    db.session.add_all(voters)
    db.session.flush()
    for position, (column, text, votes) in enumerate(BOARD_IDEAS):
        idea = Idea(
            board=board,
            column=board.columns[column],
            text=text,
            participant=voters[position % len(voters)],
        )
        db.session.add(idea)
        db.session.flush()
        for voter in voters[:votes]:
            db.session.add(Vote(board_id=board.id, idea=idea, participant_id=voter.id))
    db.session.flush()
    return 1


def ensure_collecting_board(orgs: dict[str, Organisation]) -> int:
    """A small board in the collecting phase, with two ideas and a theme."""
    code = DEMO_COLLECTING_BOARD_CODE
    if db.session.scalars(select(Board).where(Board.join_code == code)).first():
        return 0
    facilitator = user_by_email("margus.facilitator@koosloome.example")
    board = Board(
        join_code=code,
        title="Kogukonnabuss",
        question="Kuidas me saaksime aidata eakatel külast linna asju ajama sõita?",
        intro_et="Kirjuta iga mõte eraldi. Hääletama hakkame pärast kohvipausi.",
        intro_en="Write each thought separately. We vote after the coffee break.",
        phase=BoardPhase.COLLECTING,
        organisation=orgs["vpk"],
        created_by_id=facilitator.id if facilitator else None,
    )
    add_default_columns(board)
    board.themes.append(Theme(name="Transport", position=0))
    db.session.add(board)
    writer = BoardParticipant(board=board, display_name="Helju")
    db.session.add(writer)
    db.session.flush()
    db.session.add_all([
        Idea(board=board, column=board.columns[0], participant=writer,
             text="Bussi trepp on liiga kõrge", theme=board.themes[0]),
        Idea(board=board, column=board.columns[1], participant=writer,
             text="Vabatahtlikud autojuhid külas", theme=board.themes[0]),
    ])
    db.session.flush()
    return 1
