"""seed_demo's meetings (meetings/demo.py): goal settings for new reps, check-ins
no more often than each rep's cadence."""

import datetime as dt
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Role, User
from meetings.cadence import cadence_days_for
from meetings.models import Meeting, MeetingKind, MeetingStatus

pytestmark = pytest.mark.django_db


def test_only_reps_who_start_now_have_a_goal_setting_meeting():
    # When the demo is seeded
    call_command("seed_demo", verbosity=0)
    # Then the one rep who starts today has a goal setting, and nobody else
    goal_settings = Meeting.objects.filter(kind=MeetingKind.GOAL_SETTING)
    assert list(goal_settings.values_list("rep__email", flat=True)) == [
        "kai@example.com"
    ]
    # And seeding again books none twice
    call_command("seed_demo", verbosity=0)
    assert goal_settings.count() == 1


def test_no_rep_has_more_check_ins_than_their_cadence():
    # When the demo is seeded
    call_command("seed_demo", verbosity=0)
    # Then two upcoming check-ins of a rep are at least the rep's cadence apart
    for rep in User.objects.filter(role=Role.REP):
        starts = sorted(
            Meeting.objects.filter(
                rep=rep, status=MeetingStatus.SCHEDULED, starts_at__gte=timezone.now()
            ).values_list("starts_at", flat=True)
        )
        cadence = dt.timedelta(days=cadence_days_for(rep.autonomy_level))
        gaps = [later - earlier for earlier, later in pairwise(starts)]
        assert all(gap >= cadence for gap in gaps), (rep.email, starts)
