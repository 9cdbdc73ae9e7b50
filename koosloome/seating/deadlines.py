"""When an offered seat must be accepted by: the event's hours from now, never past its
cut-off (the booking or payment deadline of a trip)."""

from __future__ import annotations

from datetime import datetime, timedelta

from koosloome.events.models import Event


def offer_deadline(event: Event, now: datetime) -> datetime | None:
    """The deadline of an offer made at ``now``; None when the event makes no offers or the
    cut-off has passed (an offer that ends at once is none)."""
    if not event.offer_hours:
        return None
    deadline = now + timedelta(hours=event.offer_hours)
    if event.offer_cutoff_at is not None:
        deadline = min(deadline, event.offer_cutoff_at)
    return deadline if deadline > now else None
