"""Venues become records of their own: facts kept once per place, in both languages, with
when and by whom they were checked; events choose one. The agenda's room is bilingual.

Each distinct (name, address) among the events becomes a venue, with the facts of its most
recently changed event (Estonian texts copied to both languages until someone translates
them). Catering, the event's own access notes and its contact stay on the event.

Revision ID: 0009_venues
Revises: 0008_health_tally
Create Date: 2026-12-03 10:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0009_venues"
down_revision = "0008_health_tally"
branch_labels = None
depends_on = None

ENTRANCE = sa.Enum("level", "ramp", "steps", name="entrance", native_enum=False,
                   create_constraint=True)
HEARING_LOOP = sa.Enum("none", "fixed", "portable", name="hearingloop", native_enum=False,
                       create_constraint=True)

#: Facts that move from the event to the venue under the same name.
SAME = ("transit_stop_distance_m", "accessible_parking_spaces", "accessible_parking_distance_m",
        "entrance", "entrance_steps", "door_width_cm", "automatic_door", "lift",
        "step_free_rooms", "accessible_wc", "seats_with_armrests", "wheelchair_spaces",
        "hearing_loop", "quiet_room", "assistance_dog_area", "evacuation_et", "evacuation_en")
#: One-language texts of the event that become two on the venue.
BOTH = ("transit_stop", "dropoff_point")
#: Event columns that go (the venue holds them now).
DROPPED = ("venue_name", "venue_address", "venue_map_url", "transit_stop", "dropoff_point",
           *SAME)


def upgrade():
    op.create_table(
        "venue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name_et", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("map_url", sa.String(length=500), nullable=False),
        sa.Column("transit_stop_et", sa.String(length=200), nullable=False),
        sa.Column("transit_stop_en", sa.String(length=200), nullable=False),
        sa.Column("transit_stop_distance_m", sa.Integer(), nullable=True),
        sa.Column("dropoff_point_et", sa.String(length=300), nullable=False),
        sa.Column("dropoff_point_en", sa.String(length=300), nullable=False),
        sa.Column("accessible_parking_spaces", sa.Integer(), nullable=True),
        sa.Column("accessible_parking_distance_m", sa.Integer(), nullable=True),
        sa.Column("entrance", ENTRANCE, nullable=True),
        sa.Column("entrance_steps", sa.Integer(), nullable=True),
        sa.Column("door_width_cm", sa.Integer(), nullable=True),
        sa.Column("automatic_door", sa.Boolean(), nullable=True),
        sa.Column("lift", sa.Boolean(), nullable=True),
        sa.Column("step_free_rooms", sa.Boolean(), nullable=True),
        sa.Column("accessible_wc", sa.Boolean(), nullable=True),
        sa.Column("seats_with_armrests", sa.Boolean(), nullable=True),
        sa.Column("wheelchair_spaces", sa.Integer(), nullable=True),
        sa.Column("hearing_loop", HEARING_LOOP, nullable=True),
        sa.Column("quiet_room", sa.Boolean(), nullable=True),
        sa.Column("assistance_dog_area", sa.Boolean(), nullable=True),
        sa.Column("evacuation_et", sa.String(length=500), nullable=False),
        sa.Column("evacuation_en", sa.String(length=500), nullable=False),
        sa.Column("access_notes_et", sa.Text(), nullable=False),
        sa.Column("access_notes_en", sa.Text(), nullable=False),
        sa.Column("facts_checked_on", sa.Date(), nullable=True),
        sa.Column("facts_checked_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_venue")),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("venue_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_event_venue_id"), ["venue_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_event_venue_id_venue"), "venue",
                                    ["venue_id"], ["id"])
    _move_facts_to_venues()
    with op.batch_alter_table("event", schema=None) as batch_op:
        # The enum columns' CHECK constraints go first (SQLite recreates the table).
        batch_op.drop_constraint(op.f("ck_event_entrance"), type_="check")
        batch_op.drop_constraint(op.f("ck_event_hearingloop"), type_="check")
        for column in DROPPED:
            batch_op.drop_column(column)
    with op.batch_alter_table("agenda_item", schema=None) as batch_op:
        batch_op.alter_column("room", new_column_name="room_et",
                              existing_type=sa.String(length=100), existing_nullable=False)
        batch_op.add_column(sa.Column("room_en", sa.String(length=100), nullable=False,
                                      server_default=""))


def _move_facts_to_venues():
    connection = op.get_bind()
    columns = ", ".join(("id", "venue_name", "venue_address", "venue_map_url", *BOTH, *SAME,
                         "updated_at"))
    events = connection.execute(sa.text(
        f"SELECT {columns} FROM event ORDER BY updated_at DESC, id DESC")).mappings().all()
    venues: dict[tuple[str, str], int] = {}
    venue = sa.table("venue", *(sa.column(name) for name in (
        "id", "name_et", "name_en", "address", "map_url", "transit_stop_et", "transit_stop_en",
        "dropoff_point_et", "dropoff_point_en", "access_notes_et", "access_notes_en",
        "facts_checked_by", "created_at", "updated_at", *SAME)))
    for event in events:
        key = (event["venue_name"], event["venue_address"])
        if key not in venues:  # the most recently changed event's facts win
            values = {name: event[name] for name in SAME}
            values.update(
                name_et=event["venue_name"], name_en="", address=event["venue_address"],
                map_url=event["venue_map_url"],
                transit_stop_et=event["transit_stop"], transit_stop_en=event["transit_stop"],
                dropoff_point_et=event["dropoff_point"], dropoff_point_en=event["dropoff_point"],
                access_notes_et="", access_notes_en="", facts_checked_by="",
                created_at=event["updated_at"], updated_at=event["updated_at"])
            result = connection.execute(venue.insert().values(**values).returning(venue.c.id))
            venues[key] = result.scalar_one()
        connection.execute(sa.text("UPDATE event SET venue_id = :venue WHERE id = :event"),
                           {"venue": venues[key], "event": event["id"]})


def downgrade():
    with op.batch_alter_table("agenda_item", schema=None) as batch_op:
        batch_op.drop_column("room_en")
        batch_op.alter_column("room_et", new_column_name="room",
                              existing_type=sa.String(length=100), existing_nullable=False)
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("venue_name", sa.String(length=200), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column("venue_address", sa.String(length=300), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column("venue_map_url", sa.String(length=500), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column("transit_stop", sa.String(length=200), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column("dropoff_point", sa.String(length=300), nullable=False,
                                      server_default=""))
        for name in ("transit_stop_distance_m", "accessible_parking_spaces",
                     "accessible_parking_distance_m", "entrance_steps", "door_width_cm",
                     "wheelchair_spaces"):
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=True))
        for name in ("automatic_door", "lift", "step_free_rooms", "accessible_wc",
                     "seats_with_armrests", "quiet_room", "assistance_dog_area"):
            batch_op.add_column(sa.Column(name, sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("entrance", ENTRANCE, nullable=True))
        batch_op.add_column(sa.Column("hearing_loop", HEARING_LOOP, nullable=True))
        batch_op.add_column(sa.Column("evacuation_et", sa.String(length=500), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column("evacuation_en", sa.String(length=500), nullable=False,
                                      server_default=""))
    connection = op.get_bind()
    copied = ", ".join(f"{name} = (SELECT {name} FROM venue WHERE venue.id = event.venue_id)"
                       for name in SAME)
    connection.execute(sa.text(
        "UPDATE event SET venue_name = (SELECT name_et FROM venue WHERE venue.id = event.venue_id),"
        " venue_address = (SELECT address FROM venue WHERE venue.id = event.venue_id),"
        " venue_map_url = (SELECT map_url FROM venue WHERE venue.id = event.venue_id),"
        " transit_stop = (SELECT transit_stop_et FROM venue WHERE venue.id = event.venue_id),"
        " dropoff_point = (SELECT dropoff_point_et FROM venue WHERE venue.id = event.venue_id),"
        f" {copied} WHERE venue_id IS NOT NULL"))
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_event_venue_id_venue"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_event_venue_id"))
        batch_op.drop_column("venue_id")
    op.drop_table("venue")
