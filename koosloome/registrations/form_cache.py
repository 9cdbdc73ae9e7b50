"""The blank registration form's fields, rendered once per language and set of questions.

Most requests in a registration rush are new visitors opening a blank form, and rendering its
fields (some two hundred inputs through WTForms widgets) is four fifths of that page's work.
The HTML of blank fields depends only on the language, the site's URL root and the event's
extra questions, so it is kept under exactly that key: an edited question makes a new key, and
every process builds any entry by itself (a derived value, not shared state). Forms with data
or errors are always rendered afresh.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Hashable

from flask import render_template, request
from markupsafe import Markup

from koosloome.registrations.forms import RegistrationForm, question_key

#: Entries kept per process; one entry is ~40 KB of HTML.
MAX_ENTRIES = 128

_entries: OrderedDict[Hashable, Markup] = OrderedDict()
_INDENTATION = re.compile(r"\n\s+")
_lock = threading.Lock()


def blank_fields_html(form: RegistrationForm, language: str) -> Markup:
    """``registrations/_fields.html`` for ``form``, which must be blank (no data, no errors)."""
    key = (language, request.script_root, tuple(question_key(q) for q in form._questions))
    with _lock:
        html = _entries.get(key)
        if html is not None:
            _entries.move_to_end(key)
            return html
    # Autoescaped template output: safe HTML by construction. The templates' indentation goes
    # (a run of white space between tags renders as one space either way; a blank form has
    # no text in a textarea or pre to keep): the form is the heaviest public page.
    html = Markup(_INDENTATION.sub(  # noqa: S704
        "\n", render_template("registrations/_fields.html", form=form)))
    with _lock:
        _entries[key] = html
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return html


def clear() -> None:
    """Forget every entry (tests)."""
    with _lock:
        _entries.clear()
