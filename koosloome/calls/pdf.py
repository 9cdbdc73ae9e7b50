"""The call list as a PDF, for a volunteer who calls from a landline."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from koosloome.calls.services import Call
from koosloome.events.models import Event
from koosloome.i18n import format_long_date
from koosloome.reports.pdf import FONT, PROJECT_NAME, ReportPDF


class _CallsPDF(ReportPDF):
    def footer(self) -> None:
        self.page_footer(f"{PROJECT_NAME} · {_('Call list')}")


def call_list_pdf(event: Event, calls: list[Call]) -> bytes:
    """One block per call: whom, the number, what to say, and boxes for the outcome."""
    with force_locale("et"):
        pdf = _CallsPDF()
        pdf.set_title(f"{_('Call list')}: {event.title_et}")
        pdf.add_page()
        pdf.heading(f"{_('Call list')}: {event.title_et}", size=14)
        pdf.multi_cell(pdf.content_width, 6, format_long_date(event.starts_at, "et"))
        pdf.multi_cell(pdf.content_width, 6, _(
            "Read the words as they stand, then tick what came of the call and give the page "
            "back to the organisers."))
        pdf.ln(2)
        for number, call in enumerate(calls, start=1):
            pdf.heading(f"{number}. {call.registration.name} · {call.registration.phone}",
                        size=11, level=1)
            language = _("Speaks: Estonian") if call.task.language == "et" else _(
                "Speaks: English")
            pdf.multi_cell(pdf.content_width, 5.5, language)
            pdf.set_font(FONT, "", 12)  # large enough to read aloud from
            pdf.multi_cell(pdf.content_width, 6.5, call.words)
            pdf.set_font(FONT, "", 10)
            pdf.multi_cell(pdf.content_width, 6, "☐ " + "   ☐ ".join((
                _("Reached"), _("No answer"), _("Left a message"), _("Wrong number"))))
            pdf.ln(3)
        if not calls:
            pdf.multi_cell(pdf.content_width, 6, _("Nobody to call."))
        return bytes(pdf.output())
