"""Relative times ("3 minutes ago") in every language we serve.

Django's own Greek catalogue leaves the units of `timesince` untranslated, so a Greek
page read "πριν από 3 minutes". The same messages, word for word, are marked here so
that `makemessages` keeps them in our catalogue, which Django reads before its own;
`timesince` and the `timesince` filter then find our Greek.
"""

from django.utils.translation import ngettext_lazy

TIME_STRINGS = {
    "year": ngettext_lazy("%(num)d year", "%(num)d years", "num"),
    "month": ngettext_lazy("%(num)d month", "%(num)d months", "num"),
    "week": ngettext_lazy("%(num)d week", "%(num)d weeks", "num"),
    "day": ngettext_lazy("%(num)d day", "%(num)d days", "num"),
    "hour": ngettext_lazy("%(num)d hour", "%(num)d hours", "num"),
    "minute": ngettext_lazy("%(num)d minute", "%(num)d minutes", "num"),
}
