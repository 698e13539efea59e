"""Demo meetings for `seed_demo`: booked once, inside work hours."""

import pytest
from django.core.management import call_command

from meetings.demo import meetings_seed
from meetings.models import Meeting, MeetingSeries

pytestmark = pytest.mark.django_db


def test_demo_meetings_are_booked_once_per_team():
    call_command("seed_demo", "--days", "1", verbosity=0)
    booked = meetings_seed()
    again = meetings_seed()

    assert (
        booked == 4 and again == 0
    )  # two teams: a weekly series and a one-on-one each
    assert MeetingSeries.objects.count() == 2
    assert Meeting.objects.filter(kind="one_on_one").count() == 2
