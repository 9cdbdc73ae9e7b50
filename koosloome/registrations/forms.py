"""The registration form: details, access needs, reporting fields, consents, extra questions.

The same form validates the HTML form and the JSON API (which feeds it the JSON body), so both
give the same field errors. Rules that span fields live in ``registrations.services``.
"""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from collections.abc import Hashable
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    Field,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from koosloome.bilingual import localised
from koosloome.events.models import Event, ExtraQuestion, QuestionKind
from koosloome.honeypot import HoneypotMixin
from koosloome.registrations.choices import (
    AGE_BANDS,
    COUNTIES,
    EARLIER_AGE_BANDS,
    GENDERS,
    LANGUAGE_CHOICES,
    MUNICIPALITIES,
    NEED_GROUPS,
    NEEDS,
    SECTORS,
)
from koosloome.registrations.door import DOOR_NEEDS
from koosloome.registrations.fields import PERSON_FIELDS
from koosloome.registrations.models import RegistrationSource
from koosloome.registrations.services import RegistrationData, check_rules


class MultiCheckboxField(SelectMultipleField):
    """Several checkboxes for one list of choices (rendered in a fieldset by the macros)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


#: A phone number as people write it: +372 5123 4567, 5123-4567, (07) 123 456.
PHONE_PATTERN = re.compile(r"^\+?[0-9 ()\-]{5,25}$")


def options(pairs: Any, optgroup: Any = None) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label, optgroup=optgroup) for value, label in pairs]


NO_CHOICE = ("", _l("Choose…"))
YES_NO = (("yes", _l("Yes")), ("no", _l("No")))
DISABILITY_CHOICES = (("yes", _l("Yes")), ("no", _l("No")), ("", _l("I prefer not to say")))


def _has_digits(_form: Any, field: Field) -> None:
    if field.data and sum(char.isdigit() for char in field.data) < 5:
        raise ValidationError(_l("Enter a phone number with at least 5 digits"))


def _need_choices(group: str) -> list[SelectChoice]:
    return options((need.code, need.label) for need in NEEDS if need.group == group)


def _municipality_choices() -> list[SelectChoice]:
    county_names = dict(COUNTIES)
    choices = options([NO_CHOICE])
    for county, names in MUNICIPALITIES.items():
        choices += options(((name, name) for name in names), optgroup=county_names[county])
    return [*choices, *options([("other", _l("Another municipality"))])]


class RegistrationForm(HoneypotMixin, FlaskForm):
    """The fields every event asks for; ``form_for_event`` adds the event's own questions."""

    name = StringField(
        _l("Full name"), validators=[InputRequired(_l("Enter your name")), Length(max=200)]
    )
    email = EmailField(
        _l("E-mail address"),
        validators=[
            Optional(),
            Length(max=254),
            Email(_l("Enter an e-mail address in the right format, like name@example.ee")),
        ],
    )
    phone = TelField(
        _l("Phone number"),
        validators=[
            Optional(),
            Length(max=40),
            Regexp(PHONE_PATTERN, message=_l("Enter a phone number, like +372 5123 4567")),
            _has_digits,
        ],
    )
    organisation_name = StringField(_l("Organisation"), validators=[Optional(), Length(max=200)])
    sector = RadioField(
        _l("Which best describes you?"), choices=options(SECTORS), validators=[Optional()]
    )
    county = SelectField(
        _l("County"), choices=options([NO_CHOICE, *COUNTIES]), validators=[Optional()]
    )
    municipality = SelectField(
        _l("Municipality"), choices=_municipality_choices(), validators=[Optional()]
    )
    language = RadioField(
        _l("Language for our messages"),
        choices=options(LANGUAGE_CHOICES),
        default="et",
        validators=[InputRequired(_l("Choose a language"))],
    )

    needs_mobility = MultiCheckboxField(NEED_GROUPS[0][1], choices=_need_choices("mobility"))
    needs_communication = MultiCheckboxField(
        NEED_GROUPS[1][1], choices=_need_choices("communication")
    )
    needs_materials = MultiCheckboxField(NEED_GROUPS[2][1], choices=_need_choices("materials"))
    needs_wellbeing = MultiCheckboxField(NEED_GROUPS[3][1], choices=_need_choices("wellbeing"))
    needs_note = TextAreaField(
        _l("Anything else we should know or arrange"), validators=[Optional(), Length(max=1000)]
    )
    companion = BooleanField(_l("I come with a companion or personal assistant (free of charge)"))
    companion_name = StringField(_l("Companion's name"), validators=[Optional(), Length(max=200)])
    companion_needs = StringField(
        _l("Your companion's own needs, diet or allergies"),
        validators=[Optional(), Length(max=500)],
    )
    diet = MultiCheckboxField(NEED_GROUPS[4][1], choices=_need_choices("diet"))
    allergies = StringField(_l("Allergies or other diet"), validators=[Optional(), Length(max=500)])
    transport_needed = RadioField(
        _l("Do you need a lift to the event?"),
        choices=options((("no", _l("No")), ("yes", _l("Yes, from my home or a stop near me")))),
        default="no",
        validators=[Optional()],
    )
    transport_pickup = StringField(
        _l("Pick-up address or stop"), validators=[Optional(), Length(max=300)]
    )
    transport_wheelchair = BooleanField(_l("I need a wheelchair-accessible vehicle"))
    phone_me = BooleanField(_l("Please phone me to talk about what I need"))

    gender = RadioField(_l("Gender"), choices=options(GENDERS), validators=[Optional()])
    age_band = RadioField(_l("Age"), choices=options(AGE_BANDS), validators=[Optional()])
    has_disability = RadioField(
        _l("Do you have a disability?"),
        choices=options(DISABILITY_CHOICES),
        validators=[Optional()],
    )

    consent_privacy = BooleanField(_l("I have read the privacy notice"))
    consent_health = BooleanField(
        _l(
            "I agree that the organisers use what I told about my needs, diet and transport "
            "to arrange my participation"
        )
    )
    consent_photos = BooleanField(
        _l("Photos in which I appear may be published on the project's website and social media")
    )
    consent_future_events = BooleanField(_l("Tell me about future events of the project"))

    NEED_FIELDS = (
        "needs_mobility",
        "needs_communication",
        "needs_materials",
        "needs_wellbeing",
        "diet",
    )

    #: Whose rules apply (``check_rules``): a walk-in's registration needs no contact.
    rules_source: RegistrationSource = RegistrationSource.WEB
    #: A group's member needs no contact of their own (``check_rules``).
    rules_in_group: bool = False

    def validate(self, extra_validators: Any = None) -> bool:
        """Every field, then the rules across fields, in one pass: all mistakes are shown at
        once, not a few per submit."""
        fields_valid = super().validate(extra_validators)
        self.add_rule_errors(check_rules(self.to_data(), self.rules_source,
                                         in_group=self.rules_in_group))
        return fields_valid and not self.errors

    def keep_earlier_age_band(self, held: str | None) -> None:
        """Offer the answer a registration holds from the earlier age question, so that
        editing other details neither loses it nor fails as an unknown choice."""
        label = dict(EARLIER_AGE_BANDS).get(held or "")
        if label is not None:
            self.age_band.choices = [*self.age_band.choices, SelectChoice(held, label)]

    def question_fields(self) -> list[tuple[ExtraQuestion, Field]]:
        """The event's extra questions with their fields, in order."""
        return [(q, self[f"q_{q.id}"]) for q in getattr(self, "_questions", [])]

    def to_data(self) -> RegistrationData:
        """The submitted values as ``RegistrationData`` for the services."""
        needs: set[str] = set()
        for name in self.NEED_FIELDS:
            needs.update(self[name].data or [])
        return RegistrationData(
            **{detail.name: detail.from_form(self[detail.name].data) for detail in PERSON_FIELDS},
            needs=needs,
            consent_privacy=bool(self.consent_privacy.data),
            consent_health=bool(self.consent_health.data),
            answers={q.id: _answer_value(q, field) for q, field in self.question_fields()},
        )

    def add_rule_errors(self, errors: dict[str, list[str]]) -> None:
        """Show the services' cross-field errors beside their fields."""
        for name, messages in errors.items():
            field = self._fields.get(name)
            if field is None:
                self.form_errors.extend(messages)
                continue
            field.errors = [*field.errors, *messages]


def _answer_value(question: ExtraQuestion, field: Field) -> Any:
    if question.kind is QuestionKind.YES_NO:
        return {"yes": True, "no": False}.get(field.data or "")
    return field.data


def _question_field(question: ExtraQuestion, language: str) -> Field:
    label = localised(question, "label", language)
    required = InputRequired(_l("Answer this question")) if question.required else Optional()
    choices = options(
        (c["value"], c.get(language) or c.get("et") or c["value"]) for c in question.choices or []
    )
    if question.kind is QuestionKind.SHORT_TEXT:
        return StringField(label, validators=[required, Length(max=300)])
    if question.kind is QuestionKind.LONG_TEXT:
        return TextAreaField(label, validators=[required, Length(max=2000)])
    if question.kind is QuestionKind.SINGLE_CHOICE:
        return RadioField(label, choices=choices, validators=[required])
    if question.kind is QuestionKind.MULTIPLE_CHOICE:
        validators = [InputRequired(_l("Choose at least one"))] if question.required else []
        return MultiCheckboxField(label, choices=choices, validators=validators)
    if question.kind is QuestionKind.YES_NO:
        return RadioField(label, choices=options(YES_NO), validators=[required])
    return DateField(label, validators=[required], render_kw={"autocomplete": "off"})


def question_key(question: ExtraQuestion) -> tuple[object, ...]:
    """Everything about a question that its field (and its blank HTML) is made of."""
    return (
        question.id, question.position, question.kind.value, question.required,
        question.label_et, question.label_en, question.help_et, question.help_en,
        json.dumps(question.choices or [], sort_keys=True),
    )


#: Form classes kept per process, by language and questions (``form_for_event``).
MAX_FORM_CLASSES = 128
_form_classes: OrderedDict[Hashable, type[RegistrationForm]] = OrderedDict()
_form_classes_lock = threading.Lock()


def _form_class(questions: list[ExtraQuestion], language: str) -> type[RegistrationForm]:
    """The form class for these questions in ``language``, built once: WTForms collects and
    sorts a class's fields on its first use, which is most of the cost of a form made from
    scratch on every request. The key holds everything a field is made of, so an edited
    question gets a new class; the class holds no database object."""
    key = (language, tuple(question_key(question) for question in questions))
    with _form_classes_lock:
        form_class = _form_classes.get(key)
        if form_class is not None:
            _form_classes.move_to_end(key)
            return form_class
    attributes: dict[str, Any] = {f"q_{question.id}": _question_field(question, language)
                                  for question in questions}
    form_class = type("EventRegistrationForm", (RegistrationForm,), attributes)
    with _form_classes_lock:
        _form_classes[key] = form_class
        while len(_form_classes) > MAX_FORM_CLASSES:
            _form_classes.popitem(last=False)
    return form_class


def form_for_event(event: Event, language: str, **kwargs: Any) -> RegistrationForm:
    """A registration form with ``event``'s extra questions as fields ``q_<id>``."""
    questions = list(event.questions)
    form = _form_class(questions, language)(**kwargs)
    form._questions = questions
    return form


def form_data(data: RegistrationData, event: Event) -> dict[str, Any]:
    """Field values that pre-fill the form from ``RegistrationData`` (the edit page)."""
    groups = {
        group: [
            code for code in data.needs if any(n.code == code and n.group == group for n in NEEDS)
        ]
        for group, _ in NEED_GROUPS
    }
    values: dict[str, Any] = {
        detail.name: detail.to_form(getattr(data, detail.name)) for detail in PERSON_FIELDS
    }
    values.update({
        "needs_mobility": groups["mobility"],
        "needs_communication": groups["communication"],
        "needs_materials": groups["materials"],
        "needs_wellbeing": groups["wellbeing"],
        "diet": groups["diet"],
        "consent_privacy": data.consent_privacy,
        "consent_health": data.consent_health,
    })
    kinds = {question.id: question.kind for question in event.questions}
    for question_id, value in data.answers.items():
        if isinstance(value, bool):
            value = "yes" if value else "no"
        elif kinds.get(question_id) is QuestionKind.DATE and isinstance(value, str):
            value = date.fromisoformat(value)
        values[f"q_{question_id}"] = value
    return values


class LostLinkForm(HoneypotMixin, FlaskForm):
    """Ask for the manage links of an e-mail address."""

    email = EmailField(
        _l("E-mail address"),
        validators=[
            InputRequired(_l("Enter the e-mail address you registered with")),
            Length(max=254),
            Email(_l("Enter an e-mail address in the right format, like name@example.ee")),
        ],
    )


class NoteForm(FlaskForm):
    """The organisers' internal note on a registration."""

    note = TextAreaField(_l("Internal note"), validators=[Optional(), Length(max=5000)])


class WalkInForm(FlaskForm):
    """Someone at the door: a name is enough."""

    name = StringField(
        _l("Full name"), validators=[InputRequired(_l("Enter the name")), Length(max=200)]
    )
    organisation_name = StringField(_l("Organisation"), validators=[Optional(), Length(max=200)])
    phone = TelField(
        _l("Phone number"),
        validators=[
            Optional(),
            Length(max=40),
            Regexp(PHONE_PATTERN, message=_l("Enter a phone number, like +372 5123 4567")),
        ],
    )
    consent_privacy = BooleanField(_l("The person was told about the privacy notice"))
    door_needs = MultiCheckboxField(
        _l("What they need here (optional)"),
        choices=[SelectChoice(code, label) for code, label in DOOR_NEEDS.items()],
        validators=[Optional()],
    )
    consent_health = BooleanField(_l("The person agrees that we note these needs"))

    def to_data(self) -> RegistrationData:
        """The walk-in as ``RegistrationData``."""
        return RegistrationData(
            name=self.name.data or "",
            phone=(self.phone.data or "").strip() or None,
            organisation_name=self.organisation_name.data or "",
            needs=set(self.door_needs.data or []),
            consent_privacy=bool(self.consent_privacy.data),
            consent_health=bool(self.consent_health.data),
        )
