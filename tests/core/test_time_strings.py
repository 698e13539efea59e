"""core.time_strings: relative times read in Greek ("πριν από 3 λεπτά")."""

import datetime as dt

from django.utils import timesince as django_timesince
from django.utils import timezone, translation
from django.utils.timesince import timesince

from core.time_strings import TIME_STRINGS


def test_the_messages_are_djangos_own_word_for_word():
    with translation.override("en"):
        for unit, message in TIME_STRINGS.items():
            for num in (1, 3):
                ours = message % {"num": num}
                assert ours == django_timesince.TIME_STRINGS[unit] % {"num": num}


def test_relative_times_read_in_greek():
    now = timezone.now()

    def ago(**delta) -> str:  # Django puts a no-break space between number and unit
        return timesince(now - dt.timedelta(**delta), now).replace("\xa0", " ")

    with translation.override("el"):
        assert ago(minutes=3) == "3 λεπτά"
        assert ago(minutes=1) == "1 λεπτό"
        assert ago(days=1, hours=2) == "1 ημέρα, 2 ώρες"
        assert ago(days=400) == "1 έτος, 1 μήνας"
    with translation.override("en"):
        assert ago(minutes=3) == "3 minutes"
