"""Field validators for people: start dates with bounds, work days, no NUL characters."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

MONDAY_TO_FRIDAY = [1, 2, 3, 4, 5]

# Dates a person can start on: anything outside is a typo, and far-future dates overflow
# the date arithmetic of meeting booking.
START_DATE_MIN = dt.date(1970, 1, 1)
START_DATE_MAX = dt.date(2999, 12, 31)

# PostgreSQL text cannot hold NUL; refusing it here gives a form, the API and the CSV
# import the same message instead of a database error.
NO_NUL = [ProhibitNullCharactersValidator()]


def validate_start_date(value: dt.date) -> None:
    if not START_DATE_MIN <= value <= START_DATE_MAX:
        raise ValidationError(
            _("A start date lies between %(low)s and %(high)s."),
            code="start_date_out_of_range",
            params={
                "low": START_DATE_MIN.isoformat(),
                "high": START_DATE_MAX.isoformat(),
            },
        )


def default_work_days() -> list[int]:
    return list(MONDAY_TO_FRIDAY)


def validate_work_days(value) -> None:
    if (
        not isinstance(value, list)
        or not value
        or any(not isinstance(day, int) or not 1 <= day <= 7 for day in value)
        or len(set(value)) != len(value)
    ):
        raise ValidationError(
            _("Work days must be a list of distinct ISO weekday numbers (1 = Monday)."),
            code="invalid_work_days",
        )
