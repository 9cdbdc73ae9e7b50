"""Short messages by SMS, for people without e-mail: a reminder, a new time or place, a
cancelled event, a seat that became theirs. Optional: without ``SMS_PROVIDER`` nothing is
queued and nothing changes.

Like e-mail, an SMS is a row queued in the caller's transaction (``queue_sms``, from
``notify``) and sent later by the worker (``send_due_sms``), which claims rows with a token so
that two workers never send the same one, renders the text in the person's language, and
records the provider's answer only on rows still its own. A refusal (a number the provider
will not take) fails the message; an outage puts it back for a later try. The call task is
made all the same: the SMS is quick, the call is sure.

One provider is implemented, Messente's Omnimessage API (used by Estonian organisations),
through its own client library; tests run it against a stand-in that speaks the same API.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

import phonenumbers
from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import or_, select, update

from koosloome.db import utcnow
from koosloome.extensions import db
from koosloome.messaging.kinds import MessageKind
from koosloome.messaging.models import OutgoingSms, SmsStatus
from koosloome.registrations.models import Registration

log = logging.getLogger(__name__)

#: What is worth an SMS: short, and something the person must act on or know in time.
SMS_KINDS = frozenset({MessageKind.REMINDER, MessageKind.EVENT_CHANGED,
                       MessageKind.EVENT_CANCELLED, MessageKind.PROMOTED,
                       MessageKind.OFFER_MADE})
#: Tries before a message that keeps meeting an outage is given up.
MAX_ATTEMPTS = 5
#: How long a claim holds a message; a worker that died frees it after this.
CLAIM = timedelta(minutes=5)
#: The most an SMS text may be (two concatenated GSM parts, roughly).
MAX_TEXT = 306


class SmsRefused(Exception):
    """The provider refused the message (4xx): sending it again would not help."""


class SmsUnavailable(Exception):
    """The provider could not be reached or failed (5xx, network): try again later."""


class SmsGateway(Protocol):
    """Sends one SMS; returns the provider's id for it."""

    def send(self, to: str, text: str) -> str: ...

    def close(self) -> None: ...


def sms_enabled() -> bool:
    """Whether an SMS provider is configured."""
    return bool(current_app.config.get("SMS_PROVIDER"))


def mobile_number(raw: str | None, region: str = "EE") -> str | None:
    """The number in E.164 when it is a mobile one (a landline takes no SMS), else None."""
    if not raw:
        return None
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    kinds = (phonenumbers.PhoneNumberType.MOBILE,
             phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
    if not phonenumbers.is_valid_number(number) or phonenumbers.number_type(number) not in kinds:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def queue_sms(registration: Registration, kind: MessageKind, language: str,
              context: dict[str, Any]) -> OutgoingSms | None:
    """An SMS for ``registration`` when SMS is on, the kind is worth one and the person has
    a mobile number; flushes."""
    if not sms_enabled() or kind not in SMS_KINDS:
        return None
    number = mobile_number(registration.phone)
    if number is None:
        return None
    sms = OutgoingSms(kind=kind.value, registration_id=registration.id,
                      event_id=registration.event_id, to_number=number, language=language,
                      pending=dict(context), status=SmsStatus.QUEUED, next_attempt_at=utcnow())
    db.session.add(sms)
    db.session.flush()
    return sms


def sms_text(sms: OutgoingSms, registration: Registration) -> str:
    """The words of the SMS, in the person's language, from the event as it is now."""
    from koosloome.messaging.content import message_context, offer_deadline_text

    values = message_context(registration.event, sms.language, registration.name, "")
    values.update(sms.pending or {})
    values["deadline"] = offer_deadline_text(registration, sms.language)
    with force_locale(sms.language):
        text = render_template("sms/message.txt", kind=sms.kind, **values)
    return " ".join(text.split())[:MAX_TEXT]


@dataclass
class SmsReport:
    """What one round of sending did."""

    sent: int = 0
    failed: int = 0
    deferred: int = 0


def _claim(batch_size: int) -> tuple[str, list[int]]:
    """Claim due messages for this worker (its token on each); commits."""
    now = utcnow()
    token = secrets.token_hex(16)
    due = select(OutgoingSms.id).where(or_(
        (OutgoingSms.status == SmsStatus.QUEUED) & (OutgoingSms.next_attempt_at <= now),
        (OutgoingSms.status == SmsStatus.SENDING) & (OutgoingSms.claimed_until < now),
    )).order_by(OutgoingSms.id).limit(batch_size)
    ids = list(db.session.scalars(due))
    if ids:
        db.session.execute(update(OutgoingSms).where(
            OutgoingSms.id.in_(ids),
            or_(OutgoingSms.status == SmsStatus.QUEUED,
                (OutgoingSms.status == SmsStatus.SENDING) & (OutgoingSms.claimed_until < now)),
        ).values(status=SmsStatus.SENDING, claim_token=token, claimed_until=now + CLAIM)
            .execution_options(synchronize_session=False))
    db.session.commit()
    mine = select(OutgoingSms.id).where(OutgoingSms.claim_token == token)
    return token, list(db.session.scalars(mine)) if ids else []


def _record(sms_id: int, token: str, **values: Any) -> None:
    """Store an outcome on a message still claimed by ``token``; commits."""
    db.session.execute(update(OutgoingSms).where(
        OutgoingSms.id == sms_id, OutgoingSms.claim_token == token,
    ).values(claim_token=None, claimed_until=None, **values)
        .execution_options(synchronize_session=False))
    db.session.commit()


def send_due_sms(gateway: SmsGateway, batch_size: int = 20) -> SmsReport:
    """Send the SMS messages that are due, each at most once (see the module's docstring)."""
    report = SmsReport()
    token, ids = _claim(batch_size)
    for sms_id in ids:
        sms = db.session.get(OutgoingSms, sms_id)
        registration = (db.session.get(Registration, sms.registration_id)
                        if sms and sms.registration_id else None)
        if sms is None or registration is None:
            _record(sms_id, token, status=SmsStatus.FAILED,
                    last_error="The registration of this message no longer exists")
            report.failed += 1
            continue
        text = sms.text or sms_text(sms, registration)
        attempts = sms.attempts + 1
        try:
            provider_id = gateway.send(sms.to_number, text)
        except SmsRefused as refusal:
            _record(sms_id, token, status=SmsStatus.FAILED, text=text, attempts=attempts,
                    last_error=str(refusal)[:1000])
            report.failed += 1
        except SmsUnavailable as outage:
            gave_up = attempts >= MAX_ATTEMPTS
            _record(sms_id, token, text=text, attempts=attempts,
                    status=SmsStatus.FAILED if gave_up else SmsStatus.QUEUED,
                    next_attempt_at=utcnow() + timedelta(minutes=2 ** attempts),
                    last_error=str(outage)[:1000])
            report.failed += gave_up
            report.deferred += not gave_up
        else:
            _record(sms_id, token, status=SmsStatus.SENT, text=text, attempts=attempts,
                    provider_id=provider_id[:64], sent_at=utcnow(), pending=None,
                    last_error="")
            report.sent += 1
    return report


class MessenteGateway:
    """Messente's Omnimessage API (``POST /omnimessage``, HTTP Basic), through its client."""

    def __init__(self, url: str, username: str, password: str, sender: str | None) -> None:
        import messente_api

        self._api_module = messente_api
        configuration = messente_api.Configuration(host=url.rstrip("/"), username=username,
                                                   password=password)
        self._client = messente_api.ApiClient(configuration)
        self._api = messente_api.OmnimessageApi(self._client)
        self._sender = sender

    def close(self) -> None:
        """Close the client's connections (its own ``__exit__`` leaves them open)."""
        self._client.rest_client.pool_manager.clear()

    def send(self, to: str, text: str) -> str:
        """Send one SMS; the omnimessage id the provider gave it."""
        api = self._api_module
        message = api.SMS(text=text, sender=self._sender, channel="sms")
        omnimessage = api.Omnimessage(to=to, messages=[api.OmnimessageMessagesInner(message)])
        try:
            answer = self._api.send_omnimessage(omnimessage, _request_timeout=30)
        except api.ApiException as error:
            if error.status is not None and 400 <= error.status < 500:
                raise SmsRefused(f"{error.status}: {error.body}") from error
            raise SmsUnavailable(f"{error.status}: {error.reason}") from error
        except OSError as error:  # urllib3's connection errors are OSErrors
            raise SmsUnavailable(str(error)) from error
        return str(answer.omnimessage_id)


def configured_gateway() -> SmsGateway | None:
    """The gateway of ``SMS_PROVIDER``, or None when SMS is off."""
    config = current_app.config
    provider = config.get("SMS_PROVIDER")
    if not provider:
        return None
    if provider != "messente":
        raise ValueError(f"unknown SMS_PROVIDER {provider!r} (known: messente)")
    return MessenteGateway(config["SMS_API_URL"], config.get("SMS_USERNAME") or "",
                           config.get("SMS_PASSWORD") or "", config.get("SMS_SENDER"))
