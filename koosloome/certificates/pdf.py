"""The certificate of participation as an A4 PDF page: plain data in, bytes out.

Each certificate is one page in its own language, with the installation's logos and funding
statement (``ReportPDF(funded=True)``); the organisers' bundle is the same pages one after
another, so any one of them can be printed alone.
"""

from __future__ import annotations

from flask import Response
from flask_babel import force_locale
from flask_babel import gettext as _

from koosloome.certificates.services import Certificate
from koosloome.downloads import content_disposition
from koosloome.reports.pdf import FONT, LOGO_SLOT_WIDTH, PROJECT_NAME, ReportPDF


class _CertificatePDF(ReportPDF):
    """No running header; the funding statement and the project at the foot of each page."""

    def footer(self) -> None:
        """The funding statement in the page's language, then the project's name."""
        self.funding_footer()
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.cell(self.content_width, 6, PROJECT_NAME, align="C")


def certificates_pdf(certificates: list[Certificate]) -> bytes:
    """One page per certificate (at least one certificate)."""
    first = certificates[0]
    pdf = _CertificatePDF(language=first.language, funded=True)
    with force_locale(first.language):
        heading = _("Certificate of participation")
    pdf.set_title(f"{heading}: {first.name}" if len(certificates) == 1
                  else f"{heading}: {first.title}")
    pdf.set_author(first.organisers)
    for certificate in certificates:
        pdf.add_page()
        # After add_page, which drew the previous page's footer in that page's language.
        pdf.language = certificate.language
        with force_locale(certificate.language):
            _draw(pdf, certificate)
    return bytes(pdf.output())


def _centred(pdf: ReportPDF, text: str, size: float, bold: bool = False,
             line: float | None = None) -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.multi_cell(pdf.content_width, line or size * 0.5, " ".join(text.split()), align="C",
                   new_x="LMARGIN", new_y="NEXT")


def _draw(pdf: ReportPDF, certificate: Certificate) -> None:
    """One certificate, in the current locale (its language)."""
    pdf.logos((pdf.w - LOGO_SLOT_WIDTH) / 2, pdf.t_margin + 4, align="C")
    pdf.set_y(50)
    pdf.heading(_("Certificate of participation"), size=24, centred=True)
    pdf.ln(2)
    _centred(pdf, _("LEADER cooperation project “%(name)s”", name=PROJECT_NAME), 12)
    pdf.ln(18)
    _centred(pdf, _("This is to certify that"), 13)
    pdf.ln(4)
    _centred(pdf, certificate.name, 22, bold=True, line=11)
    pdf.ln(4)
    _centred(pdf, _("took part in"), 13)
    pdf.ln(4)
    _centred(pdf, certificate.title, 17, bold=True, line=8.5)
    pdf.ln(12)
    for label, value in ((_("Date"), certificate.dates), (_("Place"), certificate.place),
                         (_("Organiser"), certificate.organisers)):
        if value:
            _centred(pdf, f"{label}: {value}", 12, line=7)
    pdf.set_y(pdf.h - 70)
    pdf.set_font(FONT, "", 11)
    pdf.cell(pdf.content_width / 2, 7, _("Issued on %(date)s", date=certificate.issued))
    signature = _("Organiser's signature")
    pdf.cell(pdf.content_width / 2, 7, f"{signature}: " + "_" * 22, align="R",
             new_x="LMARGIN", new_y="NEXT")


def pdf_response(body: bytes, file_name: str) -> Response:
    """A certificate PDF to download; personal, so never cached or indexed."""
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": content_disposition(file_name),
        "Cache-Control": "no-store",
        "X-Robots-Tag": "noindex",
    })
