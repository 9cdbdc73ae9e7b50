"""The vocabulary domain code uses to ask for a message: its kind and its calendar action."""

from __future__ import annotations

import enum


class MessageKind(enum.StrEnum):
    """Every message Koosloome sends; the value names the templates in ``email/``."""

    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    PROMOTED = "promoted"
    APPLICATION_RECEIVED = "application_received"
    APPLICATION_ACCEPTED = "application_accepted"
    APPLICATION_REJECTED = "application_rejected"
    #: Not chosen this time, but on the reserve list (``position=``): a seat may still come.
    APPLICATION_RESERVE = "application_reserve"
    #: The organisers cancelled a registration of an ordinary (not application) event.
    REGISTRATION_DECLINED = "registration_declined"
    #: A seat is held for the person until a deadline (``deadline=`` ISO time): accept it.
    OFFER_MADE = "offer_made"
    OFFER_ACCEPTED = "offer_accepted"
    #: The deadline passed without a yes; the seat went to the next in line.
    OFFER_LAPSED = "offer_lapsed"
    CHANGED = "changed"
    CANCELLED = "cancelled"
    #: The person erased their registration: confirms it and withdraws the invitation.
    ERASED = "erased"
    LOST_LINK = "lost_link"
    #: Someone registered again with an address that has a registration: its link, and no
    #: word on the page about it (the page answers as for a new registration).
    ALREADY_REGISTERED = "already_registered"
    EVENT_CHANGED = "event_changed"
    EVENT_CANCELLED = "event_cancelled"
    REMINDER = "reminder"
    THANK_YOU = "thank_you"
    ORGANISER_MESSAGE = "organiser_message"
    #: Something the person asked for cannot be arranged (issue 17.1); takes ``arrangement=`` (an
    #: arrangement kind) and ``reason=``.
    ARRANGEMENT_IMPOSSIBLE = "arrangement_impossible"
    #: To staff: the arrangements of an event still open, some days before it.
    ARRANGEMENT_DIGEST = "arrangement_digest"
    #: To a group's contact: everyone they registered, with the group's link (issue 17.4).
    GROUP_REGISTERED = "group_registered"
    PASSWORD_RESET = "password_reset"  # noqa: S105 (a template name, not a secret)
    #: To a board's participant who asked for news: an action from its ideas moved on.
    ACTION_UPDATE = "action_update"
    #: News of future events to a consented person (``announcements``); takes ``subject=``,
    #: ``body=``, ``name=`` and ``unsubscribe_url=``, and carries the one-click unsubscribe
    #: headers.
    ANNOUNCEMENT = "announcement"
    #: The double opt-in: "confirm that you want announcements" (``url=``, ``days=``).
    SUBSCRIPTION_CONFIRM = "subscription_confirm"


#: Messages about a person the database must not keep once they are delivered: only that
#: they were (the erasure confirmation: the person's data is gone everywhere else).
FORGOTTEN_ONCE_SENT = frozenset({MessageKind.ERASED.value})


class CalendarAction(enum.StrEnum):
    """What a message does to the entry in the person's calendar (iTIP, RFC 5546)."""

    #: Add or update it (METHOD:REQUEST).
    REQUEST = "REQUEST"
    #: Remove it (METHOD:CANCEL), if an invitation was ever sent.
    CANCEL = "CANCEL"
    NONE = "NONE"
