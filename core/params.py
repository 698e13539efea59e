"""Reading ids and page numbers from query strings and forms without ever failing."""

MAX_ID = 2**63 - 1  # the largest primary key (BigAutoField)


def id_param(value: str | None, *, maximum: int = MAX_ID) -> int | None:
    """A positive id from user input, or None ("²", "-1", "9" * 40 and "" are not ids)."""
    if not value or not value.isascii() or not value.isdigit() or len(value) > 19:
        return None
    number = int(value)
    return number if 0 < number <= maximum else None
