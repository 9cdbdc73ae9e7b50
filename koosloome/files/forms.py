"""The upload form of an event's files, and the words for their kinds."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, SelectChoice

from koosloome.files.models import EventFileKind
from koosloome.form_fields import text_field

KIND_LABELS = {
    EventFileKind.MATERIAL: _l("Material (slides, handouts)"),
    EventFileKind.PHOTO: _l("Photos"),
    EventFileKind.ATTENDANCE_SCAN: _l("Signed attendance sheet (scan)"),
}
#: Headings of the list of files, by kind.
KIND_HEADINGS = {
    EventFileKind.MATERIAL: _l("Materials"),
    EventFileKind.PHOTO: _l("Photos"),
    EventFileKind.ATTENDANCE_SCAN: _l("Signed attendance sheets"),
}


class EventFileForm(FlaskForm):
    """One file for an event: what it is, its title, the file; for a material whether the
    participants get it, for a photo the uploader's word about photo consent."""

    kind = RadioField(_l("What is the file?"), default=EventFileKind.MATERIAL.value,
                      choices=[SelectChoice(kind.value, label)
                               for kind, label in KIND_LABELS.items()])
    title = text_field(_l("Title"), 200)
    file = FileField(_l("File"))
    shared = BooleanField(_l("Share with the participants (on their registration page and "
                             "in the thank-you message)"))
    nobody_refused = BooleanField(_l("No one in these photos refused photo consent"))

    def values(self) -> dict[str, Any]:
        """What ``add_event_file`` takes besides the upload."""
        return {"kind": EventFileKind(self.kind.data), "title": self.title.data or "",
                "shared": bool(self.shared.data),
                "nobody_refused": bool(self.nobody_refused.data)}
