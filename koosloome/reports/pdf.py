"""The PDF base: A4, the shipped DejaVu Sans fonts (õ ä ö ü š ž on any machine), helpers.

For organisers who read with a screen reader, every document states its language and title,
and its headings are sections: they become the PDF's outline (bookmarks) and structure tags.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF, TextStyle

FONT_DIR = Path(__file__).resolve().parent.parent.parent / "static" / "fonts"
FONT = "DejaVu"
PROJECT_NAME = "Koosloomest koostööni"


class ReportPDF(FPDF):
    """An A4 document with our fonts; subclasses draw their own header."""

    def __init__(self, orientation: str = "portrait", language: str = "et") -> None:
        super().__init__(orientation=orientation, unit="mm", format="A4")
        self.set_lang(language)
        self.set_display_mode("fullwidth")
        # Fonts come with the project (static/fonts, DejaVu licence) rather than the system,
        # so Estonian letters render the same on a fresh server.
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_margins(12, 12, 12)
        self.set_auto_page_break(auto=True, margin=16)
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

    def heading(self, text: str, size: float = 11, level: int = 0) -> None:
        """A heading that is also a section of the outline and the structure tree."""
        self.section_title_styles = {level: TextStyle(
            font_family=FONT, font_style="B", font_size_pt=size, t_margin=0, l_margin=0,
            b_margin=1)}
        self.start_section(" ".join(text.split()), level=level, strict=False)
        self.set_font(FONT, "", 10)

    def logo_placeholders(self, x: float, y: float) -> None:
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
        """Page x / y at the bottom, with an optional note."""
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.cell(self.content_width / 2, 6, text)
        self.cell(self.content_width / 2, 6, f"{self.page_no()} / {{nb}}", align="R")
