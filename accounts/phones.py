"""People's phone numbers in bulk: the ones a file names that are taken, a row's check.

The number's own form (E.164) is `accounts.validators.phone_normalised` / `validate_phone`;
its uniqueness is the `user_phone_unique` constraint, which these check ahead of it for
a whole file at once.
"""

from django.utils.translation import gettext as _

from accounts.models import User
from accounts.validators import E164, PHONE_MESSAGE, phone_normalised


def phones_taken(raw_rows, index: dict[str, int]) -> dict[str, int | None]:
    """The file's numbers people already have (number → None; one query, or none)."""
    if "phone" not in index:
        return {}
    at = index["phone"]
    numbers = {
        phone_normalised(cells[at]) for _line, cells in raw_rows if len(cells) > at
    }
    return dict.fromkeys(
        User.objects.filter(phone__in=numbers).values_list("phone", flat=True)
    )


def phone_problems(row, person: dict, *, phones: dict, line: int) -> list[str]:
    """The row's phone (optional) normalised into `person`; a taken or repeated one is
    named (`phones` gains the file's own numbers, number → line)."""
    if not row.get("phone"):
        return []
    phone = person["phone"] = phone_normalised(row["phone"])
    if not E164.fullmatch(phone):
        return [_("phone: %(message)s") % {"message": PHONE_MESSAGE}]
    if phone in phones:
        if phones[phone] is None:
            return [_("%(phone)s is someone's phone already") % {"phone": phone}]
        return [
            _("duplicate phone %(phone)s (also on line %(line)d)")
            % {"phone": phone, "line": phones[phone]}
        ]
    phones[phone] = line
    return []
