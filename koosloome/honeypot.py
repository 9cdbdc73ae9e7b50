"""A honeypot field for public forms: hidden from people, filled in by form-filling bots.

Use ``HoneypotMixin`` first among a form's bases and render it with the ``honeypot(form)``
macro of ``templates/_macros/forms.html``. A filled honeypot makes ``validate()`` fail
quietly: no message names the field, nothing is saved, and the form is shown again.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from flask import has_request_context, request
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import Optional

log = logging.getLogger(__name__)

#: The field's name: attractive to bots, not one that browsers' autofill recognises.
HONEYPOT_FIELD = "homepage"


class HoneypotField(StringField):
    """A text field that people never see; any value in it marks the submission as a bot's."""

    def __init__(self, label: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("validators", [Optional()])
        super().__init__(label or _l("Leave this field empty"), **kwargs)


class HoneypotMixin:
    """Adds the honeypot field and makes validation fail quietly when it is filled."""

    homepage = HoneypotField()
    #: Set by ``validate()``: the honeypot was filled in.
    caught_in_honeypot: bool = False

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        """Validate as usual, then refuse the whole form if the honeypot holds anything."""
        valid = super().validate(extra_validators)  # type: ignore[misc]
        field = getattr(self, HONEYPOT_FIELD)
        if field.data and str(field.data).strip():
            self.caught_in_honeypot = True
            field.data = ""  # never echo the bot's text back into the page
            # The endpoint, not the path: a path such as /r/<token>/feedback holds a secret.
            log.info(
                "honeypot filled on %s; submission ignored",
                request.endpoint if has_request_context() else type(self).__name__,
            )
            return False
        return valid
