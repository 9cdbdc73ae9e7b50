"""The attendance sheet (osavõtjate nimekiri), evidence for the LEADER funder: an A4 PDF.

``sheet_for_event`` gathers plain data; ``attendance_pdf`` turns it into bytes and knows
nothing of the database. The sheet is always in Estonian.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import force_locale
from flask_babel import gettext as _

from koosloome.events.models import Event
from koosloome.i18n import format_span, format_time
from koosloome.registrations.models import Registration
from koosloome.reports.labels import SECTOR_LABELS, label
from koosloome.reports.participants import EventRegistrations
from koosloome.reports.pdf import FONT, PROJECT_NAME, ReportPDF
from koosloome.reports.tabular import Sheet

#: Empty numbered rows for people who come without registering.
BLANK_ROWS = 10


@dataclass(frozen=True)
class SheetRow:
    """One participant's line."""

    name: str
    organisation: str
    municipality: str
    #: "10:05" when the marked version is asked for and the person checked in
    checked_in: str = ""


@dataclass(frozen=True)
class AttendanceSheet:
    """Everything printed on the sheet, as text."""

    title: str
    date: str
    place: str
    organiser: str
    rows: list[SheetRow] = field(default_factory=list)
    mark_checked_in: bool = False
    blank_rows: int = BLANK_ROWS


def organisation_and_sector(organisation: str, sector: str | None) -> str:
    """``MTÜ Kodukant / Kogukond või MTÜ`` — either part may be missing."""
    return " / ".join(part for part in (organisation, label(SECTOR_LABELS, sector)) if part)


def sheet_for_event(data: EventRegistrations, *, mark_checked_in: bool) -> AttendanceSheet:
    """The sheet's texts for an event's attending registrations (in Estonian)."""
    event: Event = data.event
    with force_locale("et"):
        organisers = [event.organisation.name]
        if event.co_organiser is not None:
            organisers.append(event.co_organiser.name)
        place = ", ".join(part for part in (event.venue_name, event.venue_address) if part)
        rows = [row for reg in data.registrations
                for row in _rows_of(reg, mark_checked_in=mark_checked_in)]
        return AttendanceSheet(
            title=event.title_et,
            date=format_span(event.starts_at, event.ends_at, "et"),
            place=place,
            organiser=", ".join(organisers),
            rows=rows,
            mark_checked_in=mark_checked_in,
        )


def _rows_of(reg: Registration, *, mark_checked_in: bool) -> list[SheetRow]:
    """The participant's row, and a row for their companion (who comes and signs too)."""
    arrived = format_time(reg.checked_in_at) if mark_checked_in else ""
    rows = [SheetRow(name=reg.name,
                     organisation=organisation_and_sector(reg.organisation_name, reg.sector),
                     municipality=reg.municipality or "", checked_in=arrived)]
    if reg.companion:
        # The companion's name is health data (it says who needs one): they write it in.
        rows.append(SheetRow(name="", organisation=_("Companion, writes their own name"),
                             municipality="", checked_in=arrived))
    return rows


class _SheetPDF(ReportPDF):
    """Draws the sheet's heading and the column headings again on every page."""

    def __init__(self, sheet: AttendanceSheet, widths: list[float], headings: list[str],
                 labels: dict[str, str]) -> None:
        super().__init__(funded=True)
        self.sheet, self.widths, self.headings, self.labels = sheet, widths, headings, labels

    def header(self) -> None:
        """Logos, project, event facts and the table's column headings."""
        top = self.t_margin
        self.logos(self.w - self.r_margin - 56, top, align="R")
        self.set_xy(self.l_margin, top)
        self.set_font(FONT, "B", 14)
        self.cell(self.content_width - 60, 7, self.labels["heading"], new_x="LMARGIN",
                  new_y="NEXT")
        self.set_font(FONT, "", 9)
        self.cell(self.content_width - 60, 5, self.labels["project"], new_x="LMARGIN",
                  new_y="NEXT")
        self.ln(2)
        facts = [
            (self.labels["event"], self.sheet.title),
            (self.labels["date"], self.sheet.date),
            (self.labels["place"], self.sheet.place),
            (self.labels["organiser"], self.sheet.organiser),
        ]
        for name, value in facts:
            self.set_font(FONT, "B", 10)
            self.cell(28, 6, name)
            self.set_font(FONT, "", 10)
            self.cell(self.content_width - 28, 6, self.fitted(value, self.content_width - 28),
                      new_x="LMARGIN", new_y="NEXT")
        self.ln(3)
        self.set_fill_color(230, 230, 230)
        self.table_row(self.widths, self.headings, 8, bold=True, fill=True, size=9)

    def footer(self) -> None:
        """Page numbers and the funding statement."""
        self.page_footer(f"{PROJECT_NAME} · {self.labels['heading']}")


def sheets_for_days(sheet: AttendanceSheet, days: list[tuple[str, str]]) -> list[
        AttendanceSheet]:
    """One sheet per day of a trip, ``days`` as (date, heading): the funder wants each day's
    signatures, and the people are the same every day."""
    return [AttendanceSheet(title=f"{sheet.title} – {heading}" if heading else sheet.title,
                            date=date, place=sheet.place, organiser=sheet.organiser,
                            rows=sheet.rows, mark_checked_in=False, blank_rows=0)
            for date, heading in days]


def attendance_pdf(*sheets: AttendanceSheet) -> bytes:
    """The A4 sheets (one after another, each from a new page): registered people, then
    blank rows, then the organiser's signature."""
    sheet = sheets[0]
    with force_locale("et"):
        labels = {
            "heading": _("Attendance list"),
            "project": _("LEADER cooperation project “%(name)s”", name=PROJECT_NAME),
            "event": _("Event"),
            "date": _("Date"),
            "place": _("Place"),
            "organiser": _("Organiser"),
            "signature": _("Organiser's signature"),
            "arrived": _("Arrived"),
        }
        headings = [_("No."), _("Name"), _("Organisation / sector"), _("Municipality")]
        if sheet.mark_checked_in:
            widths = [10.0, 50, 42, 30, 18, 36]
            headings += [labels["arrived"], _("Signature")]
        else:
            widths = [10.0, 54, 50, 32, 40]
            headings += [_("Signature")]
    pdf = _SheetPDF(sheet, widths, headings, labels)
    pdf.set_title(f"{labels['heading']}: {sheet.title}")
    pdf.set_author(sheet.organiser)
    for each in sheets:
        pdf.sheet = each
        pdf.add_page()
        _draw_sheet(pdf, each, widths, labels)
    return bytes(pdf.output())


def _draw_sheet(pdf: _SheetPDF, sheet: AttendanceSheet, widths: list[float],
                labels: dict[str, str]) -> None:
    number = 0
    for number, row in enumerate(sheet.rows, start=1):
        cells = [str(number), row.name, row.organisation, row.municipality]
        if sheet.mark_checked_in:
            cells.append(row.checked_in)
        pdf.table_row(widths, [*cells, ""], 9)
    for extra in range(1, sheet.blank_rows + 1):
        pdf.table_row(widths, [str(number + extra)] + [""] * (len(widths) - 1), 9)
    if pdf.will_page_break(24):
        pdf.add_page()
    pdf.ln(10)
    pdf.set_font(FONT, "", 10)
    pdf.cell(0, 8, f"{labels['signature']}: " + "_" * 40, new_x="LMARGIN", new_y="NEXT")


def attendance_tables(*sheets: AttendanceSheet) -> list[Sheet]:
    """The same sheets as worksheets (one per day of a trip), for whoever keeps the evidence
    in a spreadsheet: each row says its event and day, the signature column is left empty."""
    with force_locale("et"):
        header = [_("No."), _("Event"), _("Date"), _("Name"), _("Organisation / sector"),
                  _("Municipality"), _("Arrived"), _("Signature")]
        tables = []
        for index, sheet in enumerate(sheets, start=1):
            rows = [[number, sheet.title, sheet.date, row.name, row.organisation,
                     row.municipality, row.checked_in, ""]
                    for number, row in enumerate(sheet.rows, start=1)]
            name = _("Day %(number)s", number=index) if len(sheets) > 1 else _("Attendance list")
            tables.append(Sheet(name, header, rows))
        return tables
