"""Onboarding options that higher layers supply (accounts may not import them).

`targets` registers the names of its target templates at start-up, so the "Add rep" page
and the CSV import can offer a template column without `accounts` knowing about targets.
"""

from collections.abc import Callable

_template_names: Callable[[], list[str]] | None = None


def register_template_names(provider: Callable[[], list[str]]) -> None:
    global _template_names
    _template_names = provider


def template_names() -> list[str]:
    """The target templates a new rep may start with (empty when none are registered)."""
    return _template_names() if _template_names else []
