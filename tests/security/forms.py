"""Read the POST forms of a rendered page, and generate adversarial bodies for them.

The fuzzing tests post to every form as a browser would (real field names, the CSRF token
the page carries) but fill it with what a careless or hostile client might send.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from hypothesis import strategies as st


@dataclass
class FormField:
    """One named control of a form, with the values the page offers for it."""

    name: str
    values: list[str] = field(default_factory=list)


@dataclass
class PostForm:
    """A ``<form method="post">``: where it posts and its named controls."""

    action: str
    fields: dict[str, FormField] = field(default_factory=dict)

    def add(self, name: str, value: str | None) -> None:
        """Record a control (several controls may share a name: radios, checkboxes)."""
        entry = self.fields.setdefault(name, FormField(name))
        if value is not None and value not in entry.values:
            entry.values.append(value)


class _FormParser(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[PostForm] = []
        self._form: PostForm | None = None
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form":
            if (attributes.get("method") or "get").lower() == "post":
                action = attributes.get("action") or self.page_url
                self._form = PostForm(action)
                self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = attributes.get("name")
        if tag in ("input", "button") and name:
            kind = (attributes.get("type") or "text").lower()
            value = attributes.get("value")
            if value is None and kind in ("checkbox", "radio"):
                value = "on"
            self._form.add(name, value)
        elif tag == "select" and name:
            self._select = name
            self._form.add(name, None)
        elif tag == "option" and self._select:
            self._form.add(self._select, attributes.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea and self._form is not None:
            self._form.add(self._textarea, "".join(self._text).removeprefix("\n"))
            self._textarea = None


def post_forms(html: str, page_url: str) -> list[PostForm]:
    """Every POST form of the page."""
    parser = _FormParser(page_url)
    parser.feed(html)
    return parser.forms


def path_of(action: str) -> tuple[str, str]:
    """(path, query string) of a form's action."""
    parts = urlsplit(action)
    return parts.path, parts.query


# --- values --------------------------------------------------------------------------------

_NUMBERS = st.sampled_from([
    "0", "-1", "2147483647", "2147483648", "-2147483649", "9223372036854775808",
    "99999999999999999999999999", "1e309", "-1e309", "1e-400", "NaN", "nan", "Infinity",
    "-Infinity", "sNaN", "-0", "0x1F", "1_000", "１２", "٣", "3.5", "1,5", "+7", " 4 ",
    "99999999.999", "12345678901.23",
])
_DATES = st.sampled_from([
    "0001-01-01T00:00", "0001-01-01", "9999-12-31T23:59", "9999-12-31T23:59:59-14:00",
    "0001-01-01T00:00+14:00", "2026-02-30T10:00", "2026-12-08T25:00", "2026-12-08T10:00+02:00",
    "2026-12-08T10:00:00.123456", "2026-12-08", "2026-12-08T10:00Z", "10000-01-01T00:00",
    "1969-12-31T23:59", "2026-W50-1", "20261208T1000",
])
_AWKWARD = st.sampled_from([
    "", " ", "\t\n", "\x00", "a\x00b", "\r\n\r\n", "\u202e", "\ufeff", "\u00a0", "🙂" * 3,
    "<script>alert(1)</script>", "' OR 1=1 --", "%00", "{{7*7}}", "${7*7}", "=cmd|' /C calc'!A0",
    "../../etc/passwd", "null", "None", "true", "[]", "{}", "y", "on", "yes", "no",
])


def _long(alphabet: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    sizes = st.sampled_from([31, 41, 61, 101, 121, 201, 255, 301, 501, 1001, 2001, 5001, 20001])
    return st.builds(lambda text, size: (text * size)[:size], alphabet, sizes)


def adversarial_text() -> st.SearchStrategy[str]:
    """Text a form should refuse or store safely, never choke on."""
    return st.one_of(
        st.text(max_size=40),
        _long(st.text(min_size=1, max_size=4)),
        st.builds(lambda a, b: f"{a}\x00{b}", st.text(max_size=10), st.text(max_size=10)),
        _NUMBERS,
        _DATES,
        _AWKWARD,
    )


def field_values(form_field: FormField) -> st.SearchStrategy[list[str]]:
    """Nothing, one value, or several values (a valid one from the page or a hostile one)."""
    one = st.one_of(st.sampled_from(form_field.values), adversarial_text()) \
        if form_field.values else adversarial_text()
    return st.one_of(
        st.just([]),
        one.map(lambda value: [value]),
        st.lists(one, min_size=2, max_size=3),
    )


def bodies(
    form: PostForm, valid: dict[str, str] | None = None
) -> st.SearchStrategy[list[tuple[str, str]]]:
    """Form bodies for ``form``, mostly with a valid CSRF token. Half of them keep every field
    valid (``valid``, else the page's first value) but one or two, to get past validation into
    the services and the database; the other half are chaos: any field missing, hostile or
    repeated. Both may carry extra fields."""
    valid = valid or {}
    tokens = {name: f.values[0] for name, f in form.fields.items()
              if name.endswith("csrf_token") and f.values}
    names = [name for name in form.fields if name not in tokens]
    names += [name for name in valid if name not in form.fields]

    def valid_value(name: str) -> list[str]:
        if name in valid:
            return [valid[name]]
        values = form.fields[name].values
        return values[:1]

    def hostile(name: str) -> st.SearchStrategy[list[str]]:
        return field_values(form.fields.get(name) or FormField(name))

    @st.composite
    def build(draw: st.DrawFn) -> list[tuple[str, str]]:
        pairs = []
        for name, token in tokens.items():
            pairs += [(name, value) for value in draw(
                st.sampled_from([[token]] * 9 + [[], ["forged"], [token, "forged"]]))]
        chaos = draw(st.booleans())
        attacked = set(names) if chaos else draw(
            st.sets(st.sampled_from(names), max_size=2) if names else st.just(set())
        )
        for name in names:
            values = draw(hostile(name)) if name in attacked else valid_value(name)
            pairs += [(name, value) for value in values]
        extras = draw(st.lists(st.tuples(st.text(min_size=1, max_size=12), adversarial_text()),
                               max_size=2))
        return pairs + extras

    return build()
