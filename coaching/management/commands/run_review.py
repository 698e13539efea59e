"""python manage.py run_review [--at ISO-DATETIME]: the periodic review, synchronously."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

from coaching.review import review_run


class Command(BaseCommand):
    help = _("Review every rep's closed periods: flags, praise, plans and one-on-ones.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--at",
            help=_("Fix 'now' (ISO 8601 with a zone, e.g. 2026-12-01T06:00:00+00:00)."),
        )
        parser.add_argument("--chunk-size", type=int, default=None)
        parser.add_argument(
            "--processes",
            type=int,
            default=1,
            help=_("Share the chunks among this many processes (PostgreSQL only)."),
        )

    def handle(self, *args, at=None, chunk_size=None, processes=1, **options):
        now = None
        if at:
            try:
                now = dt.datetime.fromisoformat(at)
            except ValueError as error:
                raise CommandError(_("--at must be an ISO date and time.")) from error
            if now.tzinfo is None:
                raise CommandError(_("--at needs a time zone, e.g. +00:00."))
        if processes > 1 and connection.vendor != "postgresql":
            raise CommandError(_("--processes needs PostgreSQL."))
        summary = review_run(now=now, chunk_size=chunk_size, processes=processes)
        self.stdout.write(
            _(
                "Reviewed %(reviewed)d reps: %(flags)d flags, %(kudos)d kudos, "
                "%(opened)d plans opened, %(closed)d closed, %(booked)d one-on-ones booked."
            )
            % {
                "reviewed": summary.reviewed,
                "flags": summary.flags,
                "kudos": summary.kudos,
                "opened": len(summary.plans_opened),
                "closed": summary.plans_closed,
                "booked": summary.meetings_booked,
            }
        )
