"""The lists a trip needs on the road, from the travellers' details: the rooming list for
the hotel, the passenger manifest for the bus, the emergency-contact sheet for the trip
leader. Each is a table (``Sheet``) that becomes an XLSX sheet or a PDF page alike."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from koosloome.events.models import Event
from koosloome.i18n import format_day
from koosloome.reports.pdf import FONT, ReportPDF
from koosloome.reports.tabular import Sheet
from koosloome.trips.forms import DOCUMENT_LABELS, ROOM_LABELS
from koosloome.trips.models import RoomChoice
from koosloome.trips.services import Traveller

#: list name → what it is for (the route's ``<name>``)
LISTS = ("rooming", "manifest", "emergency")


def rooming_sheet(people: list[Traveller], language: str) -> Sheet:
    """Who sleeps how: single rooms first, then who asked to share with whom, then the rest."""
    with force_locale(language):
        order = {RoomChoice.SINGLE: 0, RoomChoice.SHARED: 1, RoomChoice.EITHER: 2}
        given = sorted((p for p in people if p.details),
                       key=lambda p: (order[p.details.room], p.registration.name))
        rows = [[p.registration.name, str(ROOM_LABELS[p.details.room]), p.details.room_with]
                for p in given]
        rows += [[p.registration.name, _("not given yet"), ""]
                 for p in people if p.details is None]
        return Sheet(_("Rooming list"), [_("Traveller"), _("Room"), _("Shares with")], rows)


def manifest_sheet(people: list[Traveller], language: str) -> Sheet:
    """The bus's passenger list: names as in the documents, and what each needs on board."""
    with force_locale(language):
        rows = []
        for number, person in enumerate(people, start=1):
            d = person.details
            rows.append([str(number), d.document_name if d else person.registration.name,
                         format_day(d.date_of_birth, language) if d else "",
                         str(DOCUMENT_LABELS[d.document_type]) if d else "",
                         d.bus_needs if d else _("not given yet")])
        return Sheet(_("Passenger manifest"), [_("No."), _("Name as in the document"),
                                                _("Date of birth"), _("Travel document"),
                                                _("On the bus")], rows)


def emergency_sheet(people: list[Traveller], language: str) -> Sheet:
    """For the trip leader: whom to call for each traveller, and their insurance card."""
    with force_locale(language):
        yes_no = {True: _("Yes"), False: _("No"), None: ""}
        rows = [[p.registration.name, p.registration.phone or "",
                 p.details.emergency_name if p.details else _("not given yet"),
                 p.details.emergency_phone if p.details else "",
                 yes_no[p.details.ehic] if p.details else ""] for p in people]
        return Sheet(_("Emergency contacts"), [_("Traveller"), _("Phone"),
                                                _("Emergency contact"), _("Their phone"),
                                                _("EHIC")], rows)


BUILDERS = {"rooming": rooming_sheet, "manifest": manifest_sheet, "emergency": emergency_sheet}


def sheet_pdf(event: Event, sheet: Sheet, language: str) -> bytes:
    """One table as an A4 PDF with the trip's title, for printing."""
    pdf = ReportPDF(language=language)
    pdf.set_title(f"{sheet.title}: {event.title_et}")
    pdf.add_page()
    pdf.heading(f"{sheet.title}: {event.title_et}", size=13)
    header = list(sheet.header)
    widths = [pdf.content_width / len(header)] * len(header)
    pdf.set_fill_color(230, 230, 230)
    pdf.table_row(widths, header, 8, bold=True, fill=True, size=9)
    for row in sheet.rows:
        pdf.table_row(widths, [str(cell) for cell in row], 8, size=9)
    pdf.set_font(FONT, "", 8)
    return bytes(pdf.output())
