"""Imports every domain's models so that the metadata (and Alembic) sees all tables."""

import koosloome.registrations.seat_counter  # noqa: F401  (its triggers come with the table)
from koosloome.accounts.models import ApiToken, Organisation, Role, User
from koosloome.announcements.models import Announcement, Subscriber
from koosloome.arrangements.models import Arrangement, ArrangementDigest, Pickup, Volunteer
from koosloome.audit import AuditLog
from koosloome.boards.models import (
    Board,
    BoardColumn,
    BoardParticipant,
    BoardPhase,
    Idea,
    IdeaComment,
    IdeaRevision,
    Theme,
    Vote,
)
from koosloome.events.calendar_revision import ContentRevision  # its triggers come too
from koosloome.events.models import (
    AgendaItem,
    Event,
    EventKind,
    EventStatus,
    ExtraQuestion,
    RegistrationMode,
    TripDay,
    TripStop,
)
from koosloome.feedback.models import (
    FeedbackAnswer,
    FeedbackQuestion,
    FeedbackResponse,
    FeedbackSurvey,
)
from koosloome.files.models import EventFile, EventFileKind, StoredFile
from koosloome.groups.models import RegistrationGroup
from koosloome.messaging.models import (
    CallTask,
    CheckInCode,
    DeliveryAttempt,
    OutgoingEmail,
    OutgoingSms,
    RegistrationNotice,
)
from koosloome.outcomes.models import Action
from koosloome.privacy.tally import HealthTally
from koosloome.projects.models import (
    BudgetLine,
    Cost,
    IndicatorTarget,
    Project,
    ProjectPartner,
)
from koosloome.registrations.models import Answer, Registration, RegistrationNeed
from koosloome.selection.models import (
    ApplicationReview,
    ApplicationScore,
    PartnerQuota,
    SelectionCriterion,
)
from koosloome.trips.models import TravelDetails, TripReport
from koosloome.venues.models import Venue

__all__ = [
    "Action",
    "AgendaItem",
    "Announcement",
    "Answer",
    "ApiToken",
    "ApplicationReview",
    "ApplicationScore",
    "Arrangement",
    "ArrangementDigest",
    "AuditLog",
    "Board",
    "BoardColumn",
    "BoardParticipant",
    "BoardPhase",
    "BudgetLine",
    "CallTask",
    "CheckInCode",
    "ContentRevision",
    "Cost",
    "DeliveryAttempt",
    "Event",
    "EventFile",
    "EventFileKind",
    "EventKind",
    "EventStatus",
    "ExtraQuestion",
    "FeedbackAnswer",
    "FeedbackQuestion",
    "FeedbackResponse",
    "FeedbackSurvey",
    "HealthTally",
    "Idea",
    "IdeaComment",
    "IdeaRevision",
    "IndicatorTarget",
    "Organisation",
    "OutgoingEmail",
    "OutgoingSms",
    "PartnerQuota",
    "Pickup",
    "Project",
    "ProjectPartner",
    "Registration",
    "RegistrationGroup",
    "RegistrationMode",
    "RegistrationNeed",
    "RegistrationNotice",
    "Role",
    "SelectionCriterion",
    "StoredFile",
    "Subscriber",
    "Theme",
    "TravelDetails",
    "TripDay",
    "TripReport",
    "TripStop",
    "User",
    "Venue",
    "Volunteer",
    "Vote",
]
