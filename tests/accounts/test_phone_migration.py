"""accounts 0007 stores the numbers people typed as E.164 before they must be unique."""

import importlib

import pytest
from django.apps import apps

from accounts.models import User
from tests import factories

pytestmark = pytest.mark.django_db
migration = importlib.import_module("accounts.migrations.0007_user_phone")


def test_typed_numbers_become_e164_and_clashes_are_kept_as_typed(team):
    people = [factories.RepFactory(team=team) for _ in range(5)]
    typed = [
        "+30 210 123 4567",  # → +302101234567
        "0030 210 1234567",  # the same number: kept as typed
        "call me",  # no number: kept as typed
        "+1 (415) 555-0100",  # → +14155550100
        "",
    ]
    for person, phone in zip(people, typed, strict=True):
        User.objects.filter(pk=person.pk).update(phone=phone)
    migration.normalise_phones(apps, None)
    stored = [User.objects.get(pk=person.pk).phone for person in people]
    assert stored == [
        "+302101234567",
        "0030 210 1234567",
        "call me",
        "+14155550100",
        "",
    ]
