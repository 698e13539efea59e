"""Query-string filters every API list shares."""

import django_filters
from django import forms

from core.params import MAX_ID


class IdFilter(django_filters.NumberFilter):
    """An id: a whole number from 1 to the largest primary key, or a 400.

    A plain NumberFilter takes any decimal, and one beyond the database's integers made
    the list's count query fail (a 500) instead of finding nothing.
    """

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)
