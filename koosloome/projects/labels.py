"""The words for cost categories, shared by pages, exports and the report."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from koosloome.events.models import EventKind
from koosloome.projects.models import CostCategory, Indicator

COST_LABELS = {
    CostCategory.VENUE: _l("Venue"),
    CostCategory.CATERING: _l("Catering"),
    CostCategory.INTERPRETING: _l("Interpreting and captioning"),
    CostCategory.TRANSPORT: _l("Transport"),
    CostCategory.SPEAKERS: _l("Speakers"),
    CostCategory.TRAVEL: _l("Travel"),
    CostCategory.ACCOMMODATION: _l("Lodging"),
    CostCategory.HOSTS: _l("Hosts' fees"),
    CostCategory.INSURANCE: _l("Insurance"),
    CostCategory.MATERIALS: _l("Materials"),
    CostCategory.OTHER: _l("Other"),
}

INDICATOR_LABELS = {
    Indicator.EVENTS_HELD: _l("Events held"),
    Indicator.PARTICIPANTS: _l("Participants"),
    Indicator.TARGET_GROUP_PARTICIPANTS: _l("Participants from the target groups"),
    Indicator.ORGANISATIONS: _l("Organisations reached"),
    Indicator.ACTIONS_STARTED: _l("New actions started"),
    Indicator.SERVICES_LAUNCHED: _l("Services launched"),
}
KIND_CHOICES = [
    SelectChoice("", _l("None in particular")),
    SelectChoice(EventKind.SEMINAR.value, _l("Inspiration seminars")),
    SelectChoice(EventKind.WORKSHOP.value, _l("Co-creation workshops")),
    SelectChoice(EventKind.STUDY_TRIP.value, _l("Study trips")),
]
