"""Receipts for the past season's costs: small PDFs that say plainly they are samples, so
that the payment claim's ZIP shows what it carries."""

from __future__ import annotations

import io

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from koosloome.extensions import db
from koosloome.files.services import store_upload
from koosloome.i18n import format_money
from koosloome.projects.labels import COST_LABELS
from koosloome.projects.models import Cost
from koosloome.reports.pdf import FONT, ReportPDF


def sample_receipt(cost: Cost) -> bytes:
    """A one-page "sample invoice" with the cost's supplier, date, purpose and amount."""
    pdf = ReportPDF()
    pdf.add_page()
    pdf.set_font(FONT, "B", 16)
    pdf.cell(0, 10, "NÄIDISARVE – ei ole päris dokument", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 12)
    lines = [f"Müüja: {cost.supplier or '–'}",
             f"Kuupäev: {cost.spent_on.strftime('%d.%m.%Y')}",
             f"Mille eest: {COST_LABELS[cost.category]}. {cost.note}",
             f"Summa: {format_money(cost.amount, 'et')}",
             f"Maksja: {cost.organisation.name}"]
    for line in lines:
        pdf.multi_cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def ensure_receipts(event_ids: list[int]) -> int:
    """A sample receipt for each cost of these events that has none yet."""
    added = 0
    for cost in db.session.scalars(select(Cost).where(
            Cost.event_id.in_(event_ids), Cost.document_id.is_(None)).order_by(Cost.id)):
        name = f"arve-{cost.spent_on.isoformat()}-{cost.id}.pdf"
        cost.document = store_upload(
            FileStorage(io.BytesIO(sample_receipt(cost)), name, content_type="application/pdf"),
            allowed={"pdf"}, uploaded_by=None)
        added += 1
    db.session.flush()
    return added
