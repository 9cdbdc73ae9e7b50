"""Computed figures in the JSON API: the project's indicators (admins and organisers)."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from koosloome.extensions import csrf
from koosloome.json_api import ApiProblem
from koosloome.projects.api import recorded_project, staff_token_user
from koosloome.reports.indicators import project_indicators

bp = Blueprint("reports_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
bp.register_error_handler(ApiProblem, lambda problem: problem.response())


@bp.get("/project/indicators")
def get_indicators() -> ResponseReturnValue:
    """The indicators over the project's period: actual and target, and the organisations
    reached per sector."""
    staff_token_user()
    result = project_indicators(recorded_project())
    return jsonify({"starts_on": result.start.isoformat(), "ends_on": result.end.isoformat(),
                    "indicators": [{"indicator": f.indicator.value, "actual": f.actual,
                                    "target": f.target} for f in result.figures],
                    "organisations_by_sector": {sector or "not_stated": count for sector, count
                                                in result.organisations_by_sector.items()}})
