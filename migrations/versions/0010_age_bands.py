"""Age bands fit the target group: under 25, 25–54, 55–64, 65–74, 75–84, 85 or older.

Earlier answers move where one new band holds them exactly (under 18 → under 25, 30–54 →
25–54). "18–29" and "55 or older" span several new bands; they stay as given and are shown
as answers to the earlier question, so no report counts anyone in a band they did not choose.

Revision ID: 0010_age_bands
Revises: 0009_venues
Create Date: 2026-12-03 17:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0010_age_bands"
down_revision = "0009_venues"
branch_labels = None
depends_on = None

UP = {"under_18": "under_25", "30_54": "25_54"}
DOWN = {"under_25": "under_18", "25_54": "30_54", "55_64": "55_plus", "65_74": "55_plus",
        "75_84": "55_plus", "85_plus": "55_plus"}


def _move(mapping: dict[str, str]) -> None:
    registration = sa.table("registration", sa.column("age_band", sa.String))
    for old, new in mapping.items():
        op.execute(registration.update().where(registration.c.age_band == old)
                   .values(age_band=new))


def upgrade():
    _move(UP)


def downgrade():
    # Going back, the finer older bands fold into the earlier "55 or older".
    _move(DOWN)
