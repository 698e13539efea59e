"""python manage.py seed_demo: a demo organisation to click around in (idempotent).

`--reps N --days D` scales it up for benchmarks: benchmark reps are added until there are
N reps, and every rep gets D days of history written in bulk.
"""

import datetime as dt
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.demo import DEMO_PASSWORD, seed_people
from accounts.models import Role, User
from activities.demo import bench_reps_ensure, history_seed
from activities.seeds import metrics_ensure
from coaching.history_replay import history_replay
from meetings.demo import meetings_seed
from targets.demo import targets_seed

DEFAULT_DAYS = 90
# The newest rep of each demo team has not agreed to their targets yet.
UNAGREED_DEMO_REPS = {"maria@example.com", "kai@example.com"}


def history_first_day(*, days: int) -> dt.date:
    """The demo's history begins on the first of a month, the same day for everyone:
    a first, partial month would put reps on quota every day below it."""
    return (timezone.now().date() - dt.timedelta(days=days)).replace(day=1)


class Command(BaseCommand):
    help = _("Create demo people, teams, targets and history (safe to run again).")

    def add_arguments(self, parser):
        parser.add_argument(
            "--reps",
            type=int,
            default=0,
            help=_("Add benchmark reps until there are this many reps."),
        )
        parser.add_argument(
            "--days",
            type=int,
            default=DEFAULT_DAYS,
            help=_("Days of history for reps that have none yet."),
        )

    def handle(self, *args, reps: int = 0, days: int = DEFAULT_DAYS, **options):
        started = time.monotonic()
        with transaction.atomic():
            metrics_ensure()
            people = seed_people()
        bench_reps_ensure(total=reps, password=DEMO_PASSWORD)
        all_reps = list(
            User.objects.filter(role=Role.REP, is_active=True)
            .select_related("team")
            .order_by("pk")
        )
        unagreed = {rep.pk for rep in all_reps if rep.email in UNAGREED_DEMO_REPS}
        since = None if reps else history_first_day(days=days)
        targets_seed(reps=all_reps, days=days, unagreed=unagreed, since=since)
        written = history_seed(reps=all_reps, days=days, since=since)
        if not reps:
            # Levels, streaks and plans follow the seeded numbers, as if the jobs had
            # run all along; then the meetings fill in around the plans' one-on-ones.
            replayed = history_replay()
            meetings_seed()
        # Planner statistics for what was just written: without them PostgreSQL plans
        # the first queries on a fresh database blind (see docs/deployment.md).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        elapsed = time.monotonic() - started

        self.stdout.write(self.style.SUCCESS(_("Demo data is ready. Log in with:")))
        for role in ("admins", "managers", "reps"):
            for person in people[role][:3] if role == "reps" else people[role]:
                self.stdout.write(
                    f"  {person.email:<24} {DEMO_PASSWORD}   ({person.role})"
                )
        self.stdout.write(
            _("  … and %(count)d more reps, all with the same password.")
            % {"count": len(all_reps) - 3}
        )
        if not reps:
            self.stdout.write(
                _("Results review: %(flags)d flags, %(kudos)d kudos, %(plans)d plans.")
                % {
                    "flags": replayed.flags,
                    "kudos": replayed.kudos,
                    "plans": replayed.plans_opened,
                }
            )
        if written:
            self.stdout.write(
                _("Wrote %(count)d activities in %(seconds).1f s (%(rate)d a second).")
                % {
                    "count": written,
                    "seconds": elapsed,
                    "rate": written / max(elapsed, 0.001),
                }
            )
