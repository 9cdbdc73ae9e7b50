"""The PDF base: A4, the shipped DejaVu Sans fonts (õ ä ö ü š ž on any machine), helpers.

For organisers who read with a screen reader, every document states its language and title,
and its headings are sections: they become the PDF's outline (bookmarks) and structure tags.
Evidence for the funder (``funded=True``) carries the installation's logos and funding
statement (``koosloome.branding``).
"""

from __future__ import annotations

import logging
from pathlib import Path

from fpdf import FPDF, TextStyle
from fpdf.errors import FPDFException

from koosloome.branding import Branding, Logo, current_branding, readable_logos

log = logging.getLogger(__name__)

FONT_DIR = Path(__file__).resolve().parent.parent.parent / "static" / "fonts"
FONT = "DejaVu"
PROJECT_NAME = "Koosloomest koostööni"


#: Room at the foot of a page for the page number (and, on evidence, the funding statement).
FOOTER_ROOM = 16
FUNDED_FOOTER_ROOM = 24
#: The logos' slot: at most this wide and high (mm), as the boxed labels are.
LOGO_SLOT_WIDTH = 56
LOGO_HEIGHT = 12
LOGO_GAP = 2


class ReportPDF(FPDF):
    """An A4 document with our fonts; subclasses draw their own header. ``funded``
    documents (LEADER evidence) print the funding statement in their page footer."""

    def __init__(self, orientation: str = "portrait", language: str = "et", *,
                 funded: bool = False, branding: Branding | None = None) -> None:
        super().__init__(orientation=orientation, unit="mm", format="A4")
        self.language = language
        self.funded = funded
        self.branding = branding if branding is not None else current_branding()
        self._logos: list[Logo] | None = None
        self.set_lang(language)
        self.set_display_mode("fullwidth")
        # Fonts come with the project (static/fonts, DejaVu licence) rather than the system,
        # so Estonian letters render the same on a fresh server.
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_margins(12, 12, 12)
        self.set_auto_page_break(auto=True,
                                 margin=FUNDED_FOOTER_ROOM if funded else FOOTER_ROOM)
        self.set_font(FONT, "", 10)
        self.set_creator("Koosloome")

    @property
    def content_width(self) -> float:
        """Width between the margins."""
        return self.w - self.l_margin - self.r_margin

    def fitted(self, text: str, width: float, size: float = 10, smallest: float = 7) -> str:
        """Set the largest font size (down to ``smallest``) at which ``text`` fits ``width``;
        shorten the text with an ellipsis if even that is too wide. A cell holds one line:
        line breaks (which the font has no glyph for) become spaces."""
        text = " ".join(text.split())
        room = width - 2 * self.c_margin
        while size > smallest and self._width_at(text, size) > room:
            size -= 0.5
        self.set_font_size(size)
        if self.get_string_width(text) <= room:
            return text
        while text and self.get_string_width(text + "…") > room:
            text = text[:-1]
        return text + "…"

    def _width_at(self, text: str, size: float) -> float:
        self.set_font_size(size)
        return self.get_string_width(text)

    def heading(self, text: str, size: float = 11, level: int = 0,
                centred: bool = False) -> None:
        """A heading that is also a section of the outline and the structure tree."""
        self.section_title_styles = {level: TextStyle(
            font_family=FONT, font_style="B", font_size_pt=size, t_margin=0,
            l_margin="C" if centred else 0, b_margin=1)}
        self.start_section(" ".join(text.split()), level=level, strict=False)
        self.set_font(FONT, "", 10)

    def logos(self, x: float, y: float, align: str = "L") -> None:
        """The configured logos in a slot at (x, y), aligned left, centred ("C") or right
        ("R") in it; boxed LEADER and EU labels where no logo can be printed."""
        if self._logos is None:
            self._logos = readable_logos(self.branding.logo_files)
        if not self._logos or not self._draw_logos(self._logos, x, y, align):
            self._logo_labels(x, y)

    def _draw_logos(self, logos: list[Logo], x: float, y: float, align: str) -> bool:
        """Draw ``logos`` side by side, as high as the slot unless that makes them too wide;
        False (nothing drawn) when the PDF library cannot take one of them."""
        gaps = LOGO_GAP * (len(logos) - 1)
        natural = sum(LOGO_HEIGHT * logo.aspect for logo in logos)
        height = LOGO_HEIGHT * min(1.0, (LOGO_SLOT_WIDTH - gaps) / natural)
        widths = [height * logo.aspect for logo in logos]
        room = LOGO_SLOT_WIDTH - sum(widths) - gaps
        left = x + {"R": room, "C": room / 2}.get(align, 0)
        try:
            for logo, width in zip(logos, widths, strict=True):
                self.image(str(logo.path), x=left, y=y, w=width, h=height,
                           alt_text=f"Logo: {logo.path.stem}")
                left += width + LOGO_GAP
        except (OSError, ValueError, RuntimeError, FPDFException) as error:
            log.warning("A logo could not be printed, printing the labels instead: %s", error)
            self._logos = []
            return False
        return True

    def _logo_labels(self, x: float, y: float) -> None:
        """Boxed LEADER and EU labels where the printed logos go."""
        self.set_font(FONT, "B", 8)
        self.set_xy(x, y)
        self.cell(24, 12, "LEADER", border=1, align="C")
        self.set_xy(x + 26, y)
        self.multi_cell(30, 6, "Euroopa Liit\nEAFRD", border=1, align="C")

    def table_row(self, widths: list[float], cells: list[str], height: float,
                  bold: bool = False, fill: bool = False, size: float = 10) -> None:
        """One row of bordered cells; texts shrink to fit their column."""
        style = "B" if bold else ""
        for width, text in zip(widths, cells, strict=True):
            self.set_font(FONT, style, size)
            self.cell(width, height, self.fitted(text, width, size), border=1, fill=fill)
        self.ln(height)

    def page_footer(self, text: str = "") -> None:
        """Page x / y at the bottom, with an optional note; above them on evidence, the
        funding statement."""
        if self.funded:
            self.funding_footer()
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.cell(self.content_width / 2, 6, text)
        self.cell(self.content_width / 2, 6, f"{self.page_no()} / {{nb}}", align="R")

    def funding_footer(self) -> None:
        """The installation's funding statement, small and centred above the page number."""
        statement = self.branding.statement(self.language)
        if not statement:
            return
        self.set_y(-FUNDED_FOOTER_ROOM + 3)
        self.set_font(FONT, "", 7)
        self.multi_cell(self.content_width, 3.5, " ".join(statement.split()), align="C",
                        new_x="LMARGIN", new_y="NEXT")
