"""The project's indicators: actuals computed from the data over the project's period,
against the targets the project set.

Counting rules (stated on the dashboard too):
- events held and participants as in the LEADER report (``reports.leader``);
- target-group participants: 65 or older by the age band given, or a self-declared
  disability; once an event's health answers are deleted, the count kept at the purge;
- organisations: the different organisation names participants gave (case and spaces
  ignored), counted once over the period, and per sector;
- actions started: the actions of the period's workshops that are started, running or done;
  services launched: those running or done.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from koosloome.outcomes.models import ActionStatus
from koosloome.privacy import tally
from koosloome.projects.models import Indicator, Project
from koosloome.reports.leader import (
    Inputs,
    ParticipantRow,
    ReportFilter,
    counted_participants,
    load_inputs,
)

STARTED = {ActionStatus.STARTED.value, ActionStatus.RUNNING.value, ActionStatus.DONE.value}
LAUNCHED = {ActionStatus.RUNNING.value, ActionStatus.DONE.value}


@dataclass(frozen=True)
class IndicatorFigure:
    """One indicator: its actual, and its target when one is set."""

    indicator: Indicator
    actual: int
    target: int | None

    @property
    def percent(self) -> int | None:
        """How much of the target is reached, in whole per cent (may pass 100)."""
        if not self.target:
            return None
        return round(self.actual * 100 / self.target)


@dataclass(frozen=True)
class Indicators:
    """The figures, and the organisations reached per sector (None: not stated)."""

    figures: list[IndicatorFigure]
    organisations_by_sector: dict[str | None, int]
    start: date
    end: date


def _target_group(inputs: Inputs, participants: list[ParticipantRow]) -> int:
    """Participations by people of the target groups: from the rows while the answers are
    kept, from the purge's counts after."""
    check_in_used = {row.event_id for row in participants if row.checked_in}
    counted = sum(1 for row in participants if not row.health_purged
                  and tally.in_target_group(row.age_band, row.has_disability))
    kept_events = set()
    for row in inputs.tallies:
        if row.dimension == tally.TARGET_GROUP:
            kept_events.add(row.event_id)
            if row.value == "yes":
                counted += row.checked_in if row.event_id in check_in_used else row.count
    # Purged before the target group was counted at the purge: its age band is still known.
    counted += sum(1 for row in participants if row.health_purged
                   and row.event_id not in kept_events and row.age_band in tally.OLDER_AGE_BANDS)
    return counted


def _organisations(participants: list[ParticipantRow]) -> tuple[int, dict[str | None, int]]:
    names: dict[str, str | None] = {}
    for row in participants:
        name = " ".join(row.organisation.split()).casefold()
        if name:
            names.setdefault(name, row.sector)
    by_sector: dict[str | None, int] = defaultdict(int)
    for sector in names.values():
        by_sector[sector] += 1
    return len(names), dict(by_sector)


def project_indicators(project: Project, partner: str = "all") -> Indicators:
    """The indicators over the project's period (a fixed number of queries)."""
    inputs = load_inputs(ReportFilter(project.starts_on, project.ends_on, partner))
    participants = counted_participants(inputs.participants)
    organisations, by_sector = _organisations(participants)
    actual = {
        Indicator.EVENTS_HELD: sum(1 for event in inputs.events if event.held),
        Indicator.PARTICIPANTS: len(participants),
        Indicator.TARGET_GROUP_PARTICIPANTS: _target_group(inputs, participants),
        Indicator.ORGANISATIONS: organisations,
        Indicator.ACTIONS_STARTED: sum(1 for a in inputs.actions if a[0] in STARTED),
        Indicator.SERVICES_LAUNCHED: sum(1 for a in inputs.actions if a[0] in LAUNCHED),
    }
    targets = {target.indicator: target.target for target in project.targets}
    return Indicators([IndicatorFigure(i, actual[i], targets.get(i)) for i in Indicator],
                      by_sector, project.starts_on, project.ends_on)
