"""Every detail a registration holds about a person, listed once.

The form, the JSON API (input and output), the edit page's pre-filling, the person's data
download and the clearing of health data all walk this table, so a new field is added here
and nowhere else can forget it. What is not a plain copy (access needs, consents kept as
timestamps, answers to the event's questions) is handled beside the table by each user.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any


class Shape(enum.Enum):
    """How a field's value looks, and how it travels between a form, JSON and the model."""

    TEXT = "text"  #: a string, "" when not given
    OPTIONAL_TEXT = "optional_text"  #: a string or None (codes: sector, county, …)
    FLAG = "flag"  #: a checkbox: True or False
    YES_NO = "yes_no"  #: True or False, asked as a yes/no radio
    YES_NO_UNSAID = "yes_no_unsaid"  #: True, False or None (the person did not say)


@dataclass(frozen=True)
class PersonField:
    """One detail: its attribute name (the same on the model, the data, the form and in
    JSON), its shape, and whether it is health data (GDPR art. 9: shown only to those allowed
    to see health data, cleared when consent is withdrawn or the retention period ends)."""

    name: str
    shape: Shape
    health: bool = False
    default: Any = None

    def empty(self) -> Any:
        """The value meaning "not given"."""
        if self.default is not None:
            return self.default
        return {Shape.TEXT: "", Shape.FLAG: False, Shape.YES_NO: False}.get(self.shape)

    def clean(self, value: Any) -> Any:
        """A submitted value as it is stored: text trimmed, empty codes as None."""
        if self.shape is Shape.TEXT:
            return (value or "").strip() or self.empty()
        if self.shape is Shape.OPTIONAL_TEXT:
            return (value or "").strip() or None
        if self.shape is Shape.YES_NO_UNSAID:
            return value if isinstance(value, bool) else None
        return bool(value)

    def from_form(self, raw: Any) -> Any:
        """The value of this field's form input (radios post "yes"/"no")."""
        if self.shape is Shape.YES_NO:
            return raw == "yes"
        if self.shape is Shape.YES_NO_UNSAID:
            return {"yes": True, "no": False}.get(raw or "")
        return self.clean(raw)

    def to_form(self, value: Any) -> Any:
        """The form input's value for a stored value (to pre-fill the edit page)."""
        if self.shape is Shape.YES_NO:
            return "yes" if value else "no"
        if self.shape is Shape.YES_NO_UNSAID:
            return {True: "yes", False: "no"}.get(value, "")
        if self.shape is Shape.OPTIONAL_TEXT:
            return value or ""
        return value


T, OPT, FLAG = Shape.TEXT, Shape.OPTIONAL_TEXT, Shape.FLAG

PERSON_FIELDS: tuple[PersonField, ...] = (
    PersonField("name", T),
    PersonField("email", OPT),
    PersonField("phone", OPT),
    PersonField("organisation_name", T),
    PersonField("sector", OPT),
    PersonField("county", OPT),
    PersonField("municipality", OPT),
    PersonField("language", T, default="et"),
    PersonField("needs_note", T, health=True),
    PersonField("companion", FLAG),
    PersonField("companion_name", T, health=True),
    PersonField("companion_needs", T, health=True),
    PersonField("allergies", T, health=True),
    PersonField("transport_needed", Shape.YES_NO, health=True),
    PersonField("transport_pickup", T, health=True),
    PersonField("transport_wheelchair", FLAG, health=True),
    PersonField("phone_me", FLAG, health=True),
    PersonField("gender", OPT),
    PersonField("age_band", OPT),
    PersonField("has_disability", Shape.YES_NO_UNSAID, health=True),
    PersonField("consent_photos", FLAG),
    PersonField("consent_future_events", FLAG),
)

#: The consents kept as the moment they were given; the data and the API say yes or no.
TIMED_CONSENTS = ("consent_privacy", "consent_health")

#: A registration's own record, beside the person's details: shown to organisers and in the
#: person's data download.
RECORD_TIMES = ("created_at", "confirmed_at", "waitlisted_at", "offer_expires_at", "cancelled_at",
                "checked_in_at", "health_purged_at")

HEALTH_FIELDS = tuple(f for f in PERSON_FIELDS if f.health)

#: What withdrawing consent and the health-data retention clear (the LEADER report keeps the
#: counts it needs in ``privacy.tally``, taken before the retention purge).
CLEARED_HEALTH_FIELDS = HEALTH_FIELDS


def by_shape(*shapes: Shape) -> tuple[str, ...]:
    """The names of the fields of these shapes, in table order."""
    return tuple(f.name for f in PERSON_FIELDS if f.shape in shapes)


def person_values(source: Any, *, with_health: bool = True) -> dict[str, Any]:
    """Every detail of ``source`` (a registration or its data), health data only if asked."""
    return {f.name: getattr(source, f.name) for f in PERSON_FIELDS if with_health or not f.health}
