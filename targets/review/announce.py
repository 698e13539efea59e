"""Telling people what the review found: managers hear of flags, reps of praise."""

from collections.abc import Iterable
from itertools import groupby
from typing import NamedTuple

from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Notification, User
from accounts.notifications import notify_many
from activities.metric_cache import metrics_in_order
from activities.models import Metric
from targets.amounts import amount_text
from targets.models import Flag, FlagKind, Kudos


def announce(*, flags: list[Flag], kudos: list[Kudos], reps: list[User]) -> None:
    """Tell managers about flags and reps about praise, each in their own language.

    Drafts are written one language at a time: switching language per message would
    cost more than writing it.
    """
    manager_of = {rep.pk: rep.team.manager_id for rep in reps}
    rep_by_id = {rep.pk: rep for rep in reps}
    manager_language = dict(
        User.objects.filter(pk__in=set(manager_of.values())).values_list(
            "pk", "language"
        )
    )
    # (language, recipient, flag or kudos) for every message to write
    messages = [
        (manager_language[manager_of[flag.rep_id]], flag)
        for flag in flags
        if manager_of.get(flag.rep_id)
    ] + [(rep_by_id[praise.rep_id].language, praise) for praise in kudos]
    messages.sort(key=lambda message: message[0])
    drafts = []
    for language, group in groupby(messages, key=lambda message: message[0]):
        with translation.override(language):
            attention_url = reverse("targets:needs_attention")
            kudos_url = reverse("targets:kudos")
            texts = flag_texts(metrics_in_order())
            for _language, item in group:
                if isinstance(item, Flag):
                    drafts.append(
                        flag_notification(
                            item,
                            manager_id=manager_of[item.rep_id],
                            rep=rep_by_id[item.rep_id],
                            url=attention_url,
                            texts=texts,
                        )
                    )
                else:
                    drafts.append(
                        Notification(
                            user_id=item.rep_id,
                            key=f"kudos:{item.pk}",
                            kind="kudos",
                            title=_("Kudos: %(message)s") % {"message": item.message},
                            body=_("Well done. Keep it up!"),
                            url=kudos_url,
                        )
                    )
    notify_many(drafts)


class FlagTexts(NamedTuple):
    """What a flag's notification says, in one language: translated once a language,
    not once a flag (a review chunk announces hundreds)."""

    title: str
    body: str
    kinds: dict[str, str]  # flag kind -> label
    metrics: dict[int, str]  # metric id -> label
    units: dict[int, str]  # metric id -> unit, for amounts as the dashboard shows them
    # period start -> the date as written in this language: a chunk's flags start on a
    # handful of days, and localising a date costs more than the rest of the message
    dates: dict

    def date_text(self, day) -> str:
        if day not in self.dates:
            self.dates[day] = date_format(day, "j M Y")
        return self.dates[day]


def flag_texts(metrics: Iterable[Metric]) -> FlagTexts:
    """The texts of flag notifications in the active language."""
    return FlagTexts(
        title=_("%(kind)s: %(rep)s at %(percent)d%% of %(metric)s"),
        body=_("Target %(target)s, actual %(actual)s, for the period from %(start)s."),
        kinds={kind: str(label) for kind, label in FlagKind.choices},
        metrics={metric.pk: metric.label for metric in metrics},
        units={metric.pk: metric.unit for metric in metrics},
        dates={},
    )


def flag_notification(
    flag: Flag, *, manager_id: int, rep: User, url: str, texts: FlagTexts
) -> Notification:
    """The manager's notification of a flag, in the language of `texts`."""
    return Notification(
        user_id=manager_id,
        key=f"flag:{flag.pk}",
        kind=f"flag.{flag.kind}",
        title=texts.title
        % {
            "kind": texts.kinds[flag.kind],
            "rep": rep,
            "percent": flag.percent,
            "metric": texts.metrics[flag.metric_id],
        },
        body=texts.body
        % {
            "target": amount_text(flag.target, texts.units[flag.metric_id]),
            "actual": amount_text(flag.actual, texts.units[flag.metric_id]),
            "start": texts.date_text(flag.period_start),
        },
        url=url,
    )
