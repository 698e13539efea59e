"""Field validators for people: start dates with bounds, work days, phones, no NUL."""

import datetime as dt
import re

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


# A phone number is stored as E.164: "+", the country code and the number, digits only
# (at most 15). Dialers send numbers this way, so a stored number matches theirs exactly.
E164 = re.compile(r"\+[1-9][0-9]{6,14}")
# What people type between the digits: spaces, dots, dashes, slashes and brackets.
PHONE_PUNCTUATION = re.compile(r"[\s().\-/]")
PHONE_TAKEN = _("Someone else already has this phone number.")
PHONE_MESSAGE = _(
    "Write the number with its country code, e.g. +30 210 123 4567 (7 to 15 digits)."
)


def phone_normalised(value: str) -> str:
    """The number as stored (E.164), or the text as given when it is no phone number.

    Punctuation goes and a leading international "00" becomes "+", so "+30 (210)
    123-4567" and "0030 210 1234567" are both "+302101234567". Text that is still not
    E.164 comes back stripped but otherwise unchanged, for `validate_phone` to refuse
    with its message.
    """
    text = (value or "").strip()
    compact = PHONE_PUNCTUATION.sub("", text)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    return compact if E164.fullmatch(compact) else text


def validate_phone(value: str) -> None:
    if value and not E164.fullmatch(value):
        raise ValidationError(PHONE_MESSAGE, code="invalid_phone")
