"""The boards blueprint: participant pages under /b/<code>, facilitator pages under /admin/boards.

Participant views are in ``routes.py``, facilitator views in ``admin_routes.py``.
"""

from flask import Blueprint

from koosloome.boards.messages import votes_left

bp = Blueprint("boards", __name__)
bp.add_app_template_global(votes_left, "votes_left")
