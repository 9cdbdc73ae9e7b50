"""The payment claim: one row per cost with its line, shares and document, and the sums per
budget line, for the partner's claim to the funder."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _

from koosloome.files.services import MissingBytes, read_stored_file
from koosloome.i18n import format_date
from koosloome.projects.budget import LineFigures, money
from koosloome.projects.labels import COST_LABELS
from koosloome.projects.models import Cost, Project
from koosloome.projects.services import partner_of
from koosloome.reports.tabular import Sheet, xlsx_bytes


def _support(project: Project | None, cost: Cost) -> tuple[Decimal, Decimal] | None:
    """The partner's planned LEADER rate and the support granted, when the split is known."""
    partner = partner_of(project, cost.organisation_id) if project else None
    if partner is None or partner.leader_support is None or not partner.budget:
        return None
    return partner.leader_support / partner.budget, partner.leader_support


def document_name(number: int, cost: Cost) -> str:
    """The name of the cost's document in the claim's ZIP ("" when none): its row number
    first, so that the files sort as the rows do."""
    if cost.document is None:
        return ""
    return f"{number:03d}-{cost.document.original_name}"


def claim_sheets(project: Project | None, costs: Sequence[Cost]) -> list[Sheet]:
    """The costs, one per row (amounts as numbers), and their sums per budget line."""
    rows: list[list[Any]] = []
    per_line: dict[str, Decimal] = {}
    claimed: dict[int, Decimal] = {}  # LEADER support claimed so far, per partner
    for number, cost in enumerate(costs, start=1):
        support = _support(project, cost)
        leader = None
        if support is not None:
            # At the planned rate, and never past the support granted (as the dashboard).
            rate, granted = support
            so_far = claimed.get(cost.organisation_id, Decimal(0))
            leader = min(money(cost.amount * rate), granted - so_far)
            claimed[cost.organisation_id] = so_far + leader
        line = LineFigures(cost.budget_line, Decimal(0), Decimal(0)).name or _(
            "On no budget line")
        rows.append([number, cost.spent_on.isoformat(), cost.organisation.short_name, line,
                     str(COST_LABELS[cost.category]),
                     f"{format_date(cost.event.starts_at)} {cost.event.title_et}"
                     if cost.event else "",
                     cost.supplier, cost.note, float(cost.amount),
                     float(leader) if leader is not None else None,
                     float(cost.amount - leader) if leader is not None else None,
                     document_name(number, cost)])
        key = f"{cost.organisation.short_name}: {line}"
        per_line[key] = per_line.get(key, Decimal(0)) + cost.amount
    total = sum((cost.amount for cost in costs), Decimal(0))
    leader_total = sum(claimed.values(), Decimal(0))
    rows.append(["", "", "", _("Total"), "", "", "", "", float(total),
                 float(leader_total) if claimed else None,
                 float(sum((c.amount for c in costs if c.organisation_id in claimed), Decimal(0))
                       - leader_total) if claimed else None, ""])
    header = [_("No."), _("Date"), _("Partner"), _("Budget line"), _("What for"),
              _("Event or trip"), _("Supplier"), _("Note"), _("Amount (€)"),
              _("LEADER support (€)"), _("Own contribution (€)"), _("Document")]
    sums = [[name, float(total)] for name, total in sorted(per_line.items())]
    return [Sheet(_("Costs"), header, rows),
            Sheet(_("By budget line"), [_("Budget line"), _("Amount (€)")], sums)]


def claim_zip(project: Project | None, costs: Sequence[Cost]) -> bytes:
    """The workbook and every cost's document, named as the workbook's rows name them. A
    document whose bytes are lost is listed in a note instead of stopping the claim."""
    buffer = io.BytesIO()
    lost = []
    folder = _("documents")
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_("payment-claim") + ".xlsx", xlsx_bytes(claim_sheets(project, costs)))
        for number, cost in enumerate(costs, start=1):
            if cost.document is None:
                continue
            name = document_name(number, cost)
            try:
                archive.writestr(f"{folder}/{name}", read_stored_file(cost.document))
            except MissingBytes:
                lost.append(name)
        if lost:
            archive.writestr(_("missing-documents") + ".txt", "\n".join(lost) + "\n")
    return buffer.getvalue()
