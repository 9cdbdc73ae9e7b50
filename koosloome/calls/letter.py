"""A confirmation letter to post to someone without e-mail: what they registered for, where
and when, what they asked for and what happens next, and whom to call. A4, in the person's
language; large print (16 pt) when asked."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from koosloome.messaging.content import message_context
from koosloome.messaging.notify import language_of
from koosloome.registrations.models import Registration, RegistrationStatus
from koosloome.registrations.summary import manage_summary, next_steps
from koosloome.reports.pdf import FONT, ReportPDF

NORMAL, LARGE = 12, 16


def _status_line(registration: Registration, title: str) -> str:
    if registration.status is RegistrationStatus.WAITLISTED:
        return _("You are on the waiting list for “%(title)s”. We will let you know if a "
                 "seat becomes free.", title=title)
    if registration.status is RegistrationStatus.PENDING:
        return _("We have received your application for “%(title)s”. We will let you know "
                 "when it is decided.", title=title)
    return _("You are registered for “%(title)s”.", title=title)


def letter_pdf(registration: Registration, *, large: bool) -> bytes:
    """The letter as a PDF."""
    language = language_of(registration)
    size = LARGE if large else NORMAL
    line = size * 0.55
    values = message_context(registration.event, language, registration.name, "")
    with force_locale(language):
        pdf = ReportPDF(language=language)
        pdf.set_title(_("Your registration: %(title)s", title=values["title"]))
        pdf.add_page()
        pdf.set_font(FONT, "", size)
        pdf.multi_cell(pdf.content_width, line, values["organiser"])
        pdf.ln(line)
        pdf.heading(_("Your registration: %(title)s", title=values["title"]), size=size + 2)
        pdf.set_font(FONT, "", size)
        pdf.multi_cell(pdf.content_width, line, _("Hello, %(name)s!", name=registration.name))
        pdf.ln(line / 2)
        pdf.multi_cell(pdf.content_width, line, _status_line(registration, values["title"]))
        pdf.ln(line / 2)
        for label, value in ((_("When"), values["when"]), (_("Where"), values["location"])):
            pdf.multi_cell(pdf.content_width, line, f"{label}: {value}")
        recap = manage_summary(registration, language)["access"]
        if recap:
            pdf.ln(line / 2)
            pdf.heading(_("What you told us you need"), size=size, level=1)
            pdf.set_font(FONT, "", size)
            for row in recap:
                pdf.multi_cell(pdf.content_width, line, f"– {row.label}: {row.value}")
        steps = next_steps(registration, language)
        if steps:
            pdf.ln(line / 2)
            pdf.heading(_("What happens next"), size=size, level=1)
            pdf.set_font(FONT, "", size)
            for step in steps:
                pdf.multi_cell(pdf.content_width, line, f"– {step}")
        pdf.ln(line / 2)
        pdf.multi_cell(pdf.content_width, line, _(
            "To change or cancel your registration, or if you have questions, call "
            "%(phone)s.", phone=values["contact_phone"]))
        return bytes(pdf.output())
