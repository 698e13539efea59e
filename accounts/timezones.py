"""IANA time zones: validation and the choices offered in forms."""

import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@cache
def available_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


@cache
def timezone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(available_timezones())]


def validate_timezone(value: str) -> None:
    """Reject anything that is not an IANA zone name such as "Europe/Athens"."""
    if value not in available_timezones():
        raise ValidationError(
            _(
                '"%(value)s" is not a known time zone; use an IANA name such as '
                '"Europe/Athens" or "America/New_York".'
            ),
            code="invalid_timezone",
            params={"value": value},
        )
