"""Serializer fields every API shares: datetimes that carry their offset, bounded text.

A datetime without an offset names no instant (09:00 where?), so the API refuses it
instead of guessing UTC. Free text is bounded so that one request cannot store a
megabyte of note.
"""

import datetime as dt

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

# The longest note, description or other free text an API write may store.
FREE_TEXT_MAX_LENGTH = 5000


class OffsetDateTimeField(serializers.DateTimeField):
    """An ISO 8601 datetime that must carry a UTC offset ("Z" or "+02:00")."""

    default_error_messages = {
        "offset_required": _(
            "Include a UTC offset in this datetime, e.g. 2026-03-02T09:00:00+02:00 "
            "or 2026-03-02T07:00:00Z."
        ),
    }

    def to_internal_value(self, value):
        if isinstance(value, dt.datetime):
            naive = value.tzinfo is None
        elif isinstance(value, str):
            try:
                parsed = parse_datetime(value.strip())
            except ValueError:
                parsed = None  # out-of-range parts: DRF's own message below
            naive = parsed is not None and parsed.tzinfo is None
        else:
            naive = False
        if naive:
            self.fail("offset_required")
        return super().to_internal_value(value)


class FreeTextField(serializers.CharField):
    """A note or other free text, at most FREE_TEXT_MAX_LENGTH characters."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", FREE_TEXT_MAX_LENGTH)
        super().__init__(**kwargs)


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$",
        "example": "09:00",
        "description": "A wall-clock time in the person's own zone (no offset).",
    }
)
class WallClockTimeField(serializers.TimeField):
    """A time of day in someone's own zone, such as the start of their work hours.

    OpenAPI's "time" format demands an offset, which a wall-clock time has none of; the
    schema says what the field really holds.
    """
