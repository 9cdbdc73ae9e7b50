"""The words for an action's status, target group and funding, in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from koosloome.outcomes.models import ActionStatus, FundingSource, TargetGroup

STATUS_LABELS = {
    ActionStatus.PLANNED: _l("Planned"),
    ActionStatus.STARTED: _l("Started"),
    ActionStatus.RUNNING: _l("Running"),
    ActionStatus.DONE: _l("Done"),
    ActionStatus.DROPPED: _l("Dropped"),
}
TARGET_GROUP_LABELS = {
    TargetGroup.OLDER: _l("Older people"),
    TargetGroup.DISABLED: _l("People with disabilities"),
    TargetGroup.BOTH: _l("Older and disabled people"),
    TargetGroup.COMMUNITY: _l("The whole community"),
}
FUNDING_LABELS = {
    FundingSource.LEADER: _l("LEADER"),
    FundingSource.ESF: _l("ESF+"),
    FundingSource.MUNICIPALITY: _l("Municipality"),
    FundingSource.OWN: _l("Own funds"),
    FundingSource.OTHER: _l("Other"),
}
