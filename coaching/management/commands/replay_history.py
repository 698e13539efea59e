"""python manage.py replay_history [--since DATE]: autonomy and streaks over history."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from coaching.history_replay import history_replay


class Command(BaseCommand):
    help = _(
        "Replay the autonomy job and the review over past weeks and months, so levels, "
        "streaks and plans match imported or seeded history."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--since",
            help=_("The first day to replay (ISO date; default: the history's start)."),
        )

    def handle(self, *args, since=None, **options):
        first_day = None
        if since:
            try:
                first_day = dt.date.fromisoformat(since)
            except ValueError as error:
                raise CommandError(
                    _("--since must be a date like 2026-06-01.")
                ) from error
        summary = history_replay(since=first_day)
        self.stdout.write(
            _(
                "Replayed %(weeks)d weeks and %(months)d months: %(changes)d autonomy "
                "changes, %(flags)d flags, %(kudos)d kudos, %(opened)d plans opened, "
                "%(closed)d closed."
            )
            % {
                "weeks": summary.weeks,
                "months": summary.months,
                "changes": summary.autonomy_changes,
                "flags": summary.flags,
                "kudos": summary.kudos,
                "opened": summary.plans_opened,
                "closed": summary.plans_closed,
            }
        )
