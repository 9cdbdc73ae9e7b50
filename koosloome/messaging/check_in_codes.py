"""The check-in QR code of a registration: made once, stored, attached to every message that
gives the registration a seat.

Making a code is slow for what it is (segno is pure Python: it encodes, then scores all
eight masks, as ISO/IEC 18004 asks, to pick the one scanners read best); it used to be made
for every message, more than half of a confirmation's delivery time. The worker now makes it
when it renders a registration's first message that carries it (``delivery.render_pending``)
and stores it in ``check_in_code``; building a message only reads it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

import segno
from flask import current_app
from PIL import Image
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from koosloome.db import utcnow
from koosloome.extensions import db
from koosloome.messaging.models import CheckInCode
from koosloome.registrations.models import Registration

#: Messages that give a seat carry a QR code of the check-in page, for staff to scan at the door.
CHECK_IN_KINDS = frozenset({"confirmed", "promoted", "application_accepted"})

#: Pixels per module, and modules of quiet zone around the code (the standard's four).
SCALE = 8
BORDER = 4


def check_in_url(registration_id: int) -> str:
    """Where staff who scan the participant's QR code land (sign-in required)."""
    return f"{current_app.config['BASE_URL']}/admin/registrations/{registration_id}/check-in"


def qr_png(url: str) -> bytes:
    """The QR code of ``url`` (error correction M, the best mask) as a black-and-white PNG."""
    return png_bytes(segno.make(url, error="m"))


def png_bytes(code: segno.QRCode) -> bytes:
    """``code`` as a 1-bit black-and-white PNG, ``SCALE`` pixels a module with a ``BORDER``
    quiet zone. Drawn by Pillow from one pixel a module, then scaled up: about twice as fast
    as segno's own PNG writer, which packs every pixel in Python."""
    rows = [bytes(0x00 if dark else 0xFF for dark in row)
            for row in code.matrix_iter(scale=1, border=BORDER)]
    modules = len(rows)
    picture = Image.frombytes("L", (modules, modules), b"".join(rows)).convert(
        "1", dither=Image.Dither.NONE)
    picture = picture.resize((modules * SCALE, modules * SCALE), Image.Resampling.NEAREST)
    png = io.BytesIO()
    picture.save(png, format="PNG")
    return png.getvalue()


def stored_codes(registration_ids: Iterable[int]) -> dict[int, bytes]:
    """The stored PNGs of these registrations that encode today's check-in URL."""
    wanted = set(registration_ids)
    if not wanted:
        return {}
    rows = db.session.execute(
        select(CheckInCode.registration_id, CheckInCode.url, CheckInCode.png)
        .where(CheckInCode.registration_id.in_(wanted)))
    return {registration_id: png for registration_id, url, png in rows
            if url == check_in_url(registration_id)}


def missing_codes(registration_ids: Iterable[int]) -> list[tuple[int, str, bytes]]:
    """(registration, URL, PNG) for each of these registrations without a current stored
    code, made now; only reads (run it outside any write transaction: it takes a while)."""
    wanted = set(registration_ids)
    have = stored_codes(wanted)
    return [(registration_id, url, qr_png(url)) for registration_id in sorted(wanted - set(have))
            for url in [check_in_url(registration_id)]]


def store_codes(codes: list[tuple[int, str, bytes]]) -> None:
    """Store made codes in the caller's write transaction; another worker's code for the same
    registration (made at the same time, the same picture) is replaced, not a conflict, and
    the code of a registration deleted meanwhile is dropped."""
    if not codes:
        return
    existing = set(db.session.scalars(select(Registration.id).where(
        Registration.id.in_([registration_id for registration_id, _url, _png in codes]))))
    codes = [code for code in codes if code[0] in existing]  # not one deleted meanwhile
    if not codes:
        return
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    insert = dialect.insert(CheckInCode)
    db.session.execute(
        insert.on_conflict_do_update(
            index_elements=[CheckInCode.registration_id],
            set_={"url": insert.excluded.url, "png": insert.excluded.png,
                  "created_at": insert.excluded.created_at}),
        [{"registration_id": registration_id, "url": url, "png": png, "created_at": utcnow()}
         for registration_id, url, png in codes])
