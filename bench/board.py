"""Idea board (issue 9, 1b): a board with 500 ideas and 5 000 votes, rendered and polled.

    .venv/bin/python bench/board.py [--db sqlite|postgres|both] [--ideas 500] [--votes 5000]
        [--clients 16] [--seconds 6] [--rounds 2] [--paths trivial,poll] [--app-dir DIR]
        [--json results.json]

One Koosloome gunicorn (docs/deploy/gunicorn.conf.py, 2 workers × 8 threads) serves a board in
the voting phase, filled with bulk inserts: ``--ideas`` ideas over the four default columns,
``--votes`` votes from 100 participants (50 each), a comment on every tenth idea. wrk (2
threads, bench/lua/get.lua) then GETs, interleaved and repeated ``--rounds`` times:

- ``trivial``: /healthz, the cheapest request that reaches the app and the database;
- ``home``: the public home page, the baseline for a full page;
- ``board``: /b/<code> as a participant (the signed cookie a participant gets on joining);
- ``facilitator``: /admin/boards/<id> as a signed-in facilitator (hidden ideas, every count);
- ``live``: /b/<code>/live without an ETag — the fragment board.js fetches after a change;
- ``poll``: /b/<code>/live with ``If-None-Match`` — what board.js sends every few seconds
  while nothing changes; it must answer 304.

Ratios: board, facilitator and live against home; poll against trivial (target: at least
90 %, a no-change poll should cost no more than a trivial request). ``--paths`` measures only
some of them (a ratio's baseline is always measured too); ``--app-dir`` serves and seeds
Koosloome from another checkout (``git archive <commit> | tar -x -C DIR`` plus the compiled
``.mo`` files) to compare before and after a change in the same conditions.

Exit 1 on any 5xx, any answer other than the expected one (a poll that is not 304, a page
that redirects to the login), or a page that does not show every idea.
"""

from __future__ import annotations

import argparse
import http.client
import re
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _harness as h

PARTICIPANTS = 100
VOTES_EACH = 50  # services.MAX_VOTES_PER_PARTICIPANT
USER_AGENT = "koosloome-bench"  # the facilitator's session is tied to it (strong protection)
PASSWORD = "correct horse battery staple"
POLL_TARGET = 0.9  # a 304 poll within 10 % of a trivial request
PATHS = ("trivial", "home", "board", "facilitator", "live", "poll")
#: What each path's rate is divided by.
BASES = {"board": "home", "facilitator": "home", "live": "home", "poll": "trivial"}


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--ideas", type=int, default=500)
    parser.add_argument("--votes", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=16, help="wrk connections")
    parser.add_argument("--seconds", type=float, default=6, help="length of one wrk run")
    parser.add_argument("--rounds", type=int, default=2, help="repeat every run; best-of shown")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--paths", default=",".join(PATHS),
                        help="comma-separated paths to measure (their baselines come along)")
    parser.add_argument("--app-dir", type=Path, default=h.REPO,
                        help="serve (and seed with) Koosloome from another checkout")
    parser.add_argument("--json", help="also write raw results here")
    args = parser.parse_args()
    wanted = set(args.paths.split(","))
    unknown = wanted - set(PATHS)
    if unknown:
        parser.error(f"unknown paths: {', '.join(sorted(unknown))}")
    wanted |= {BASES[name] for name in wanted if name in BASES}
    args.paths = [name for name in PATHS if name in wanted]
    return args


IDEA_TEXT = ("Külaplatsile varjualune ja pingid, kus eakad saavad bussi oodata; "
             "noortele töötuba, kuidas taotleda LEADER-toetust; ühine kogukonnaaed "
             "kooli juurde ning jagamisriiul raamatutele ja tööriistadele")


def idea_text(number: int) -> str:
    """A plausible idea of 60–200 characters (the length varies, as on a real board)."""
    all_words = IDEA_TEXT.split(" ")
    words = all_words[number % 7:] + all_words[: number % 7]
    return f"{number}. " + " ".join(words[: 8 + number % 20])


def seed_board(app: Any, ideas: int, votes: int) -> dict[str, Any]:
    """A facilitator and a voting board filled with bulk inserts; returns what wrk needs."""
    from sqlalchemy import insert, select, update

    from koosloome.accounts.models import Role
    from koosloome.accounts.services import create_user
    from koosloome.boards import services
    from koosloome.boards.identity import _serializer, cookie_name
    from koosloome.boards.models import Board, BoardParticipant, BoardPhase, Idea, IdeaComment, Vote
    from koosloome.db import utcnow, write_intent
    from koosloome.extensions import db
    from koosloome.tokens import hash_token, new_token

    if votes > ideas * PARTICIPANTS or votes > PARTICIPANTS * VOTES_EACH:
        raise SystemExit(f"at most {min(ideas, VOTES_EACH) * PARTICIPANTS} votes")
    with app.app_context(), write_intent():
        user = create_user("fasilitaator@koosloome.test", "Fasi Litaator", Role.FACILITATOR,
                           "vpk", PASSWORD)
        board = services.create_board(user, services.BoardSettings(
            title="Võrumaa külade arengukava 2027", question="Mida meie küla vajab?",
            votes_per_participant=VOTES_EACH))
        now = utcnow()
        tokens = [new_token() for _ in range(PARTICIPANTS)]
        db.session.execute(insert(BoardParticipant), [
            {"board_id": board.id, "display_name": f"Osaleja {i}", "proxy": False,
             "joined_at": now, "token_hash": hash_token(token)}
            for i, token in enumerate(tokens)])
        people = list(db.session.scalars(select(BoardParticipant.id)
                                         .where(BoardParticipant.board_id == board.id)
                                         .order_by(BoardParticipant.id)))
        columns = [column.id for column in board.columns]
        db.session.execute(insert(Idea), [
            {"board_id": board.id, "column_id": columns[i % len(columns)],
             "text": idea_text(i), "participant_id": people[i % len(people)],
             "anonymous": i % 5 == 0, "hidden": False, "hidden_reason": "",
             "pinned": i < 3, "created_at": now, "updated_at": now}
            for i in range(ideas)])
        idea_ids = list(db.session.scalars(select(Idea.id).where(Idea.board_id == board.id)
                                           .order_by(Idea.id)))
        rows = []
        for p, person in enumerate(people):  # each participant: 50 different ideas
            for k in range(VOTES_EACH):
                if len(rows) == votes:
                    break
                rows.append({"board_id": board.id, "participant_id": person, "slot": 0,
                             "idea_id": idea_ids[(p * 37 + k * 11) % len(idea_ids)],
                             "created_at": now})
        assert len({(r["idea_id"], r["participant_id"]) for r in rows}) == len(rows)
        db.session.execute(insert(Vote), rows)
        db.session.execute(insert(IdeaComment), [
            {"idea_id": idea_id, "participant_id": people[n % len(people)],
             "text": "Hea mõte, aitan kaasa!", "hidden": False, "created_at": now}
            for n, idea_id in enumerate(idea_ids[::10])])
        db.session.execute(update(Board).where(Board.id == board.id)
                           .values(phase=BoardPhase.VOTING, revision=Board.revision + 1))
        db.session.commit()
        with app.test_request_context():
            cookie = f"{cookie_name(board.join_code)}={_serializer().dumps(tokens[0])}"
        seeded = {"board_id": board.id, "code": board.join_code, "cookie": cookie,
                  "ideas": len(idea_ids), "votes": len(rows)}
        db.session.remove()
    return seeded


def get(url: str, path: str, headers: dict[str, str] | None = None,
        body: bytes | None = None) -> tuple[int, dict[str, str], str]:
    """One request without following redirects: status, headers (lower-case), text."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        connection.request("POST" if body is not None else "GET", path, body,
                           {"User-Agent": USER_AGENT, **(headers or {})})
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text
    finally:
        connection.close()


def facilitator_cookie(url: str) -> str:
    """Sign in through the login form (CSRF on) and return the session cookie."""
    status, headers, html = get(url, "/login")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    cookie = headers.get("set-cookie", "").split(";", 1)[0]
    if status != 200 or token is None or not cookie:
        raise SystemExit(f"login page: {status}")
    body = (f"csrf_token={token.group(1)}&email=fasilitaator%40koosloome.test"
            f"&password={PASSWORD.replace(' ', '+')}").encode()
    status, headers, _ = get(url, "/login", {
        "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}, body)
    if status != 302:
        raise SystemExit(f"login failed: {status}")
    return headers["set-cookie"].split(";", 1)[0]


def prepare_paths(url: str, seeded: dict[str, Any], names: list[str]
                  ) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """What each path in ``names`` sends and expects; checks each once by hand first."""
    code, board_id = seeded["code"], seeded["board_id"]
    participant = {"Cookie": seeded["cookie"]}
    staff = ({"Cookie": facilitator_cookie(url), "User-Agent": USER_AGENT}
             if "facilitator" in names else {})
    problems = []
    status, headers, _ = get(url, f"/b/{code}/live", participant)
    etag = headers.get("etag", "")
    if status != 200 or not etag:
        problems.append(f"live fragment: {status}, ETag {etag!r}")
    paths: dict[str, dict[str, Any]] = {
        "trivial": {"path": "/healthz", "expect": "200", "headers": {}},
        "home": {"path": "/", "expect": "200", "headers": {}},
        "board": {"path": f"/b/{code}", "expect": "200", "headers": participant},
        "facilitator": {"path": f"/admin/boards/{board_id}", "expect": "200",
                        "headers": staff},
        "live": {"path": f"/b/{code}/live", "expect": "200", "headers": participant},
        "poll": {"path": f"/b/{code}/live", "expect": "304",
                 "headers": {**participant, "If-None-Match": etag}},
    }
    paths = {name: spec for name, spec in paths.items() if name in names}
    for name, spec in paths.items():
        status, _headers, text = get(url, spec["path"], spec["headers"])
        spec["bytes"] = len(text.encode())
        if str(status) != spec["expect"]:
            problems.append(f"{name}: {status}, expected {spec['expect']}")
        if name in ("board", "facilitator", "live"):
            shown = len(set(re.findall(r'id="idea-(\d+)"', text)))
            spec["ideas_shown"] = shown
            if shown != seeded["ideas"]:
                problems.append(f"{name}: shows {shown} ideas of {seeded['ideas']}")
    return paths, problems


def bench_database(kind: str, args: argparse.Namespace) -> tuple[list[list[object]], list[str],
                                                                 dict[str, Any]]:
    """All runs on one database: rows for the table, problems, raw results."""
    problems: list[str] = []
    results: dict[str, list[h.Run]] = {}
    with tempfile.TemporaryDirectory(prefix="koosloome-board-") as instance, \
            h.database(kind, "koosloome_board") as url:
        app = h.koosloome_app(url, instance)
        h.migrate(app)
        seeded = seed_board(app, args.ideas, args.votes)
        port = h.free_port()
        server = h.Gunicorn("wsgi:app", h.koosloome_env(url, instance, port), port=port,
                            workers=args.workers, threads=args.threads, name="koosloome",
                            cwd=args.app_dir)
        with server:
            paths, found = prepare_paths(server.url, seeded, args.paths)
            problems += [f"FAILED {kind}: {p}" for p in found]
            for name, spec in paths.items():  # warm up every worker and template
                h.wrk(name, "get.lua", server.url, args.clients, 1, path=spec["path"],
                      headers=spec["headers"], done_status=spec["expect"])
            for _round in range(args.rounds):
                for name, spec in paths.items():
                    run = h.wrk(name, "get.lua", server.url, args.clients, args.seconds,
                                path=spec["path"], headers=spec["headers"],
                                done_status=spec["expect"])
                    results.setdefault(name, []).append(run)
                    wrong = run.unexpected({spec["expect"]}) + run.socket_errors + run.timeouts
                    if wrong or run.server_errors:
                        problems.append(f"FAILED {kind} {name}: {run.counts}, "
                                        f"{run.socket_errors} socket errors")
        if server.errors_logged():
            problems.append(f"FAILED {kind}: server logged {server.errors_logged()[:3]}")
    bases = BASES
    rows = []
    for name, runs in results.items():
        run = h.best(runs)
        base = h.best(results[bases.get(name, name)])
        ratio = run.done_per_second / base.done_per_second if base.done else 0.0
        rows.append([
            name, "SQLite" if kind == "sqlite" else "PostgreSQL", paths[name]["path"],
            paths[name]["expect"], f"{run.done_per_second:.0f}",
            " / ".join(f"{r.done_per_second:.0f}" for r in runs),
            f"{ratio:.0%} of {bases[name]}" if name in bases else "baseline",
            f"{run.p50_ms:.1f}", f"{run.p95_ms:.1f}", f"{paths[name]['bytes']:,}",
        ])
        if name == "poll" and ratio < POLL_TARGET:
            problems.append(f"{kind}: the 304 poll runs at {ratio:.0%} of a trivial request "
                            f"(target ≥ {POLL_TARGET:.0%})")
    raw = {"seeded": {k: v for k, v in seeded.items() if k != "cookie"},
           "runs": {name: [r.__dict__ for r in runs] for name, runs in results.items()}}
    return rows, problems, raw


HEADER = ["path", "DB", "URL", "status", "req/s (best)", "req/s (each round)", "ratio",
          "p50 ms", "p95 ms", "bytes"]


def main() -> None:
    """Seed, serve, measure, print the machine, the table and any missed target."""
    args = parse_args()
    h.use_app_dir(args.app_dir)
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    info = h.machine()
    print("## Machine")
    h.print_machine(info)
    rows: list[list[object]] = []
    problems: list[str] = []
    raw: dict[str, Any] = {}
    for kind in kinds:
        found_rows, found, raw[kind] = bench_database(kind, args)
        rows += found_rows
        problems += found
    print(f"\n## Idea board: {args.ideas} ideas, {args.votes} votes ({args.workers} workers × "
          f"{args.threads} threads, wrk 2 threads × {args.clients} connections, "
          f"{args.seconds:g} s runs, best of {args.rounds})\n")
    print(h.markdown_table(HEADER, rows))
    print("\n## Checks and targets")
    print("\n".join(f"- {p}" for p in problems) if problems else "- all met")
    h.write_json(args.json, {"machine": info, "header": HEADER, "rows": rows,
                             "problems": problems, "raw": raw})
    sys.exit(1 if any(p.startswith("FAILED") for p in problems) else 0)


if __name__ == "__main__":
    main()
