"""Demo meetings for `seed_demo`: booked once, inside work hours."""

import pytest
from django.core.management import call_command

from meetings.demo import meetings_seed
from meetings.models import Meeting, MeetingSeries

pytestmark = pytest.mark.django_db


def test_demo_meetings_are_booked_once_per_team():
    # seed_demo books the demo meetings: a weekly series and a one-on-one per team
    call_command("seed_demo", "--days", "1", verbosity=0)
    assert MeetingSeries.objects.count() == 2
    one_on_ones = Meeting.objects.filter(kind="one_on_one").count()
    assert one_on_ones >= 2  # the review may book plan one-on-ones too

    # Booking again adds nothing
    assert meetings_seed() == 0
    call_command("seed_demo", "--days", "1", verbosity=0)
    assert MeetingSeries.objects.count() == 2
    assert Meeting.objects.filter(kind="one_on_one").count() == one_on_ones
