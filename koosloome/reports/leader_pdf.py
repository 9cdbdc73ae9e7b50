"""The LEADER report as an A4 landscape PDF: the same tables as the page."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import gettext as _

from koosloome.reports.leader import (
    LeaderReport,
    ReportTable,
    cell_text,
    is_number,
    period_text,
)
from koosloome.reports.pdf import FONT, PROJECT_NAME, ReportPDF


class _ReportPDF(ReportPDF):
    def __init__(self, heading: str, language: str) -> None:
        super().__init__(orientation="landscape", language=language, funded=True)
        self.running_title = heading

    def header(self) -> None:
        """The logos and the report's name on every page."""
        self.logos(self.w - self.r_margin - 56, self.t_margin, align="R")
        self.set_xy(self.l_margin, self.t_margin)
        self.set_font(FONT, "B", 12)
        self.cell(self.content_width - 60, 7, self.running_title, new_x="LMARGIN", new_y="NEXT")
        self.set_y(self.t_margin + 16)

    def footer(self) -> None:
        """Page numbers and the funding statement."""
        self.page_footer(PROJECT_NAME)


def _widths(pdf: ReportPDF, table: ReportTable) -> list[float]:
    """Numeric columns are narrow; text columns share what is left."""
    count = len(table.header)
    numeric = [all(is_number(row[i]) for row in table.rows) for i in range(count)]
    text_columns = [i for i in range(count) if not numeric[i]] or [0]
    narrow = 34.0
    free = pdf.content_width - narrow * (count - len(text_columns))
    return [free / len(text_columns) if i in text_columns else narrow for i in range(count)]


def get_locale_language() -> str:
    """The language the report is rendered in ("et" or "en")."""
    locale = get_locale()
    return locale.language if locale else "et"


def leader_pdf(report: LeaderReport) -> bytes:
    """Render every table with its title and note; headings repeat after a page break."""
    heading = _("LEADER report") + f": {report.partner_name}, {period_text(report.filter)}"
    pdf = _ReportPDF(heading, get_locale_language())
    pdf.set_title(heading)
    pdf.add_page()
    pdf.set_font(FONT, "", 9)
    pdf.cell(0, 5, _("LEADER cooperation project “%(name)s”", name=PROJECT_NAME),
             new_x="LMARGIN", new_y="NEXT")
    for table in report.tables:
        widths = _widths(pdf, table)
        if pdf.will_page_break(24):
            pdf.add_page()
        pdf.ln(4)
        pdf.heading(table.title, size=11)
        pdf.set_fill_color(230, 230, 230)
        pdf.table_row(widths, table.header, 7, bold=True, fill=True, size=9)
        for row in table.rows:
            if pdf.will_page_break(7):
                pdf.add_page()
                pdf.table_row(widths, table.header, 7, bold=True, fill=True, size=9)
            pdf.table_row(widths, [cell_text(cell) for cell in row], 7, size=9)
        if table.note:
            pdf.set_font(FONT, "", 8)
            pdf.multi_cell(0, 4, table.note, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
