"""python manage.py seed_demo: a demo organisation to click around in (idempotent)."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.demo import DEMO_PASSWORD, seed_people


class Command(BaseCommand):
    help = _("Create demo people and teams (safe to run again).")

    def handle(self, *args, **options):
        with transaction.atomic():
            people = seed_people()
        self.stdout.write(self.style.SUCCESS(_("Demo data is ready. Log in with:")))
        for role in ("admins", "managers", "reps"):
            for person in people[role][:3] if role == "reps" else people[role]:
                self.stdout.write(
                    f"  {person.email:<24} {DEMO_PASSWORD}   ({person.role})"
                )
        self.stdout.write(
            _("  … and %(count)d more reps, all with the same password.")
            % {"count": len(people["reps"]) - 3}
        )
