"""python manage.py verify_tallies [--fix]: check the day tallies against a recount."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from activities.tallies import tallies_rebuild, tallies_verify

SHOWN = 20


class Command(BaseCommand):
    help = _(
        "Compare every day tally with a recount of activities and deals; exit 1 on a "
        "mismatch. With --fix, rebuild the tallies from the recount."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fix", action="store_true", help=_("Rebuild the tallies from a recount.")
        )

    def handle(self, *args, fix: bool = False, **options):
        mismatches = tallies_verify()
        if not mismatches:
            self.stdout.write(self.style.SUCCESS(_("All day tallies match.")))
            return
        for mismatch in mismatches[:SHOWN]:
            rep_id, metric_id, local_date = mismatch.key
            self.stdout.write(
                _(
                    "rep %(rep)s, metric %(metric)s, %(date)s: stored %(stored)s, "
                    "recount %(expected)s"
                )
                % {
                    "rep": rep_id,
                    "metric": metric_id,
                    "date": local_date,
                    "stored": mismatch.stored,
                    "expected": mismatch.expected,
                }
            )
        if fix:
            rows = tallies_rebuild()
            self.stdout.write(
                self.style.SUCCESS(
                    _("Rebuilt the tallies: %(rows)d rows.") % {"rows": rows}
                )
            )
            return
        raise CommandError(
            _("%(count)d day tallies do not match; run with --fix to rebuild them.")
            % {"count": len(mismatches)}
        )
