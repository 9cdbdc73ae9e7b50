"""The boards blueprint: participant pages under /b/<code>, facilitator pages under /admin/boards.

Participant views are in ``routes.py``, facilitator views in ``admin_routes.py``.
"""

from flask import Blueprint

bp = Blueprint("boards", __name__)
