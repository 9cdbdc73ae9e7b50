"""The group registration form: the contact, one fieldset per person, the declarations.

Works without JavaScript: the number of people comes from the page's address (``?people=4``)
or grows by one with the "add a person" button, which sends what was typed and shows it again.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    FieldList,
    Form,
    FormField,
    RadioField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length, Optional, Regexp

from koosloome.groups.services import MAX_MEMBERS, GroupData, check_group, declaration_text
from koosloome.honeypot import HoneypotMixin
from koosloome.registrations.choices import AGE_BANDS, LANGUAGE_CHOICES, NEED_GROUPS
from koosloome.registrations.forms import (
    NO_CHOICE,
    PHONE_PATTERN,
    MultiCheckboxField,
    _has_digits,
    _need_choices,
    options,
)
from koosloome.registrations.services import RegistrationData

#: People shown on a new form unless the address asks for another number.
DEFAULT_PEOPLE = 2
_EMAIL_FORMAT = _l("Enter an e-mail address in the right format, like name@example.ee")
_PHONE_FORMAT = _l("Enter a phone number, like +372 5123 4567")


class MemberForm(Form):
    """One person of the group, in the contact's words (third person)."""

    name = StringField(_l("Full name"),
                       validators=[InputRequired(_l("Enter the person's name")), Length(max=200)])
    email = EmailField(_l("Their e-mail address"),
                       validators=[Optional(), Length(max=254), Email(_EMAIL_FORMAT)])
    phone = TelField(_l("Their phone number"), validators=[
        Optional(), Length(max=40), Regexp(PHONE_PATTERN, message=_PHONE_FORMAT), _has_digits])
    age_band = SelectField(_l("Age"), choices=options([NO_CHOICE, *AGE_BANDS]),
                           validators=[Optional()])
    needs_mobility = MultiCheckboxField(NEED_GROUPS[0][1], choices=_need_choices("mobility"))
    needs_communication = MultiCheckboxField(NEED_GROUPS[1][1],
                                             choices=_need_choices("communication"))
    needs_materials = MultiCheckboxField(NEED_GROUPS[2][1], choices=_need_choices("materials"))
    needs_wellbeing = MultiCheckboxField(NEED_GROUPS[3][1], choices=_need_choices("wellbeing"))
    needs_note = TextAreaField(_l("Anything else we should know or arrange"),
                               validators=[Optional(), Length(max=1000)])
    diet = MultiCheckboxField(NEED_GROUPS[4][1], choices=_need_choices("diet"))
    allergies = StringField(_l("Allergies or other diet"),
                            validators=[Optional(), Length(max=500)])
    companion = BooleanField(_l("Comes with a companion or personal assistant (free of charge)"))
    companion_name = StringField(_l("Companion's name"), validators=[Optional(), Length(max=200)])
    companion_needs = StringField(_l("The companion's own needs, diet or allergies"),
                                  validators=[Optional(), Length(max=500)])
    transport_needed = BooleanField(_l("Needs a lift to the event"))
    transport_pickup = StringField(_l("Pick-up address or stop"),
                                   validators=[Optional(), Length(max=300)])
    transport_wheelchair = BooleanField(_l("Needs a wheelchair-accessible vehicle"))

    NEED_FIELDS = ("needs_mobility", "needs_communication", "needs_materials",
                   "needs_wellbeing", "diet")

    def to_data(self) -> RegistrationData:
        """The person as ``RegistrationData`` (consents come from the contact's declaration)."""
        needs: set[str] = set()
        for name in self.NEED_FIELDS:
            needs.update(self[name].data or [])
        return RegistrationData(
            name=(self.name.data or "").strip(),
            email=(self.email.data or "").strip() or None,
            phone=(self.phone.data or "").strip() or None,
            age_band=self.age_band.data or None,
            needs=needs,
            needs_note=self.needs_note.data or "",
            allergies=self.allergies.data or "",
            companion=bool(self.companion.data),
            companion_name=self.companion_name.data or "",
            companion_needs=self.companion_needs.data or "",
            transport_needed=bool(self.transport_needed.data),
            transport_pickup=self.transport_pickup.data or "",
            transport_wheelchair=bool(self.transport_wheelchair.data),
        )


class GroupForm(HoneypotMixin, FlaskForm):
    """The contact who registers the group, the people, and the declarations."""

    contact_name = StringField(_l("Your name"),
                               validators=[InputRequired(_l("Enter your name")), Length(max=200)])
    contact_email = EmailField(_l("Your e-mail address"), validators=[
        InputRequired(_l("Enter your e-mail address: the group's link is sent there")),
        Length(max=254), Email(_EMAIL_FORMAT)])
    contact_phone = TelField(_l("Your phone number"), validators=[
        Optional(), Length(max=40), Regexp(PHONE_PATTERN, message=_PHONE_FORMAT), _has_digits])
    contact_organisation = StringField(_l("Organisation"),
                                       validators=[Optional(), Length(max=200)])
    language = RadioField(_l("Language for our messages"), choices=options(LANGUAGE_CHOICES),
                          default="et", validators=[InputRequired(_l("Choose a language"))])
    members = FieldList(FormField(MemberForm), min_entries=1, max_entries=MAX_MEMBERS)
    consent_declared = BooleanField(_l("Everyone I register agreed to it"))
    health_declared = BooleanField(_l("Everyone whose needs, diet or transport I give agreed "
                                      "that the organisers use this to arrange their "
                                      "participation"))

    def validate(self, extra_validators: Any = None) -> bool:
        """Every field, then the group's rules, in one pass: all mistakes at once."""
        fields_valid = super().validate(extra_validators)
        self.add_rule_errors(check_group(self.to_data()))
        return fields_valid and not self.has_errors()

    def has_errors(self) -> bool:
        """Any field of the form or of a person in error."""
        return bool(self.form_errors) or any(field.errors for field in self.error_fields())

    def error_fields(self) -> list[Field]:
        """Every field in error, a person's fields in their place, for the error summary."""
        fields: list[Field] = []
        for field in self:
            if field.name == "members":
                for entry in field:
                    fields += [sub for sub in entry.form if sub.errors]
                if isinstance(field.errors, list) and any(isinstance(e, str)
                                                          for e in field.errors):
                    fields.append(field)
            elif field.errors and field.type not in ("CSRFTokenField", "HiddenField"):
                fields.append(field)
        return fields

    def to_data(self) -> GroupData:
        """The submitted values as ``GroupData`` for the services."""
        members = [entry.form.to_data() for entry in self.members]
        health = bool(self.health_declared.data)
        return GroupData(
            contact_name=(self.contact_name.data or "").strip(),
            contact_email=(self.contact_email.data or "").strip(),
            contact_phone=(self.contact_phone.data or "").strip() or None,
            contact_organisation=(self.contact_organisation.data or "").strip(),
            language=self.language.data or "et",
            members=members,
            consent_declared=bool(self.consent_declared.data),
            health_declared=health,
            declaration=declaration_text(health),
        )

    def add_rule_errors(self, errors: dict[str, list[str]]) -> None:
        """Show the services' errors beside their fields (``members-0-email`` on a person)."""
        for name, messages in errors.items():
            field = self._find(name)
            if field is None:
                self.form_errors.extend(messages)
            else:
                field.errors = [*field.errors, *messages]

    def _find(self, name: str) -> Field | None:
        if name.startswith("members-"):
            _prefix, index, detail = name.split("-", 2)
            if index.isdigit() and int(index) < len(self.members.entries):
                return self.members[int(index)].form._fields.get(detail)
            return None
        if name == "members":
            return None  # a list-level message reads best in the summary
        return self._fields.get(name)
