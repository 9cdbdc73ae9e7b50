"""Schemathesis against /api/v1/openapi.json, in-process: no 5xx, and every answer is one the
document promises (status code, content type, body schema).

Each operation is a test of its own with a fresh database holding an event, registrations
and two boards. Valid and invalid (negative) requests are generated from the document;
ids in the path and body point at real rows half of the time, so the requests get past the
404s into the rules and the database. Staff operations carry an admin's API token, the
participants' ones a participant token.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from schemathesis.core.parameters import ParameterLocation

from config import TestConfig
from koosloome.accounts.models import Role
from koosloome.accounts.services import create_api_token
from koosloome.api.openapi import openapi_document
from koosloome.boards import services as boards
from koosloome.boards.models import BoardPhase
from koosloome.events.models import EventStatus
from koosloome.extensions import db
from koosloome.messaging.models import CallTask
from koosloome.registrations.models import RegistrationStatus
from tests import factories
from tests.security.conftest import FUZZ_COUNTS

EXAMPLES = 10
#: CI replays the same examples every run (a new failure then means new code, not new luck);
#: KOOSLOOME_FUZZ_RANDOM=1 explores with fresh random examples.
DERANDOMIZE = not os.environ.get("KOOSLOOME_FUZZ_RANDOM")
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.response_headers_conformance,
    schemathesis.checks.negative_data_rejection,
]


@pytest.fixture
def api_world(app: Flask, fast_passwords: None) -> dict[str, Any]:
    """The rows the operations act on, and the tokens that act."""
    admin = factories.make_user(Role.ADMIN, "vpk")
    staff_token = create_api_token(admin)
    event = factories.make_event(capacity=3)
    factories.make_event(status=EventStatus.DRAFT)
    registration = factories.make_registration(event, status=RegistrationStatus.PENDING)
    by_phone = factories.make_registration(event, email=None, phone="+372 5000 0043")
    call = CallTask(kind="reminder", registration_id=by_phone.id, event_id=event.id,
                    language="et", context={})
    db.session.add(call)
    db.session.commit()
    collecting = factories.make_board(title="Kogume", created_by=admin)
    voting = factories.make_board(title="Hääletame", created_by=admin)
    participant, participant_token = factories.join(collecting, "Mari")
    idea = factories.make_idea(collecting, participant, "Ühine aiamaa")
    factories.make_idea(collecting, participant, "Küla pink", column=1)
    voter, _token = factories.join(voting, "Jaan")
    factories.make_idea(voting, voter, "Hääleta mind")
    with factories.writing():
        boards.set_phase(voting, BoardPhase.VOTING)
        db.session.commit()
    return {
        "staff": staff_token, "participant": participant_token,
        "path": {"event_id": event.id, "registration_id": registration.id,
                 "venue_id": event.venue_id,
                 "code": collecting.join_code, "idea_id": idea.id, "vote_id": 1,
                 "task_id": call.id},
        "body": {"column_id": collecting.columns[1].id, "idea_id": idea.id,
                 "into_idea_id": idea.id + 1, "theme_id": None, "event_id": event.id,
                 "venue_id": event.venue_id},
    }


def _document() -> dict[str, Any]:
    """The document as the app serves it (it only needs BASE_URL from the configuration)."""
    holder = Flask(__name__)
    holder.config["BASE_URL"] = TestConfig.BASE_URL
    with holder.app_context():
        return openapi_document()


schema = schemathesis.openapi.from_dict(_document())
schema.config.generation.update(
    modes=[schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE],
)


def _real_half_the_time(values: dict[str, Any], real: dict[str, Any]) -> None:
    """Point an id at a real row when the generated one is even (deterministic, so Hypothesis
    can replay and shrink), else keep the generated one."""
    for key, value in list(values.items()):
        if key not in real:
            continue
        if isinstance(value, bool):
            continue
        even = value % 2 == 0 if isinstance(value, int) else \
            isinstance(value, str) and key == "code" and (not value or ord(value[0]) % 2 == 0)
        if even:
            values[key] = real[key]


def _auth_headers(case: Any, world: dict[str, Any]) -> dict[str, str]:
    """The participant's token where the operation takes one, else the admin's where it
    needs staff, else none."""
    schemes = {name for requirement in case.operation.definition.raw.get("security", [])
               for name in requirement}
    if "participantToken" in schemes:
        return {"Authorization": f"Bearer {world['participant']}"}
    if schemes:
        return {"Authorization": f"Bearer {world['staff']}"}
    return {}


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=DERANDOMIZE,
          suppress_health_check=list(HealthCheck))
def test_api_answers_as_documented_and_never_with_a_server_error(case, app, api_world):
    # Only where the values are meant to be valid: a negative case must stay invalid.
    if case.path_parameters and not case.meta.is_negative_at(ParameterLocation.PATH):
        _real_half_the_time(case.path_parameters, api_world["path"])
    if isinstance(case.body, dict) and not case.meta.is_negative_at(ParameterLocation.BODY):
        _real_half_the_time(case.body, api_world["body"])
    FUZZ_COUNTS["API calls"] += 1
    case.call_and_validate(app=app, session=app.test_client(),
                           headers=_auth_headers(case, api_world), checks=CHECKS)
