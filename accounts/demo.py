"""The demo organisation: an admin, two managers, two teams, a dozen reps, four continents."""

import datetime as dt

from accounts.models import Role, Team, User
from accounts.services import local_today, team_create, user_create

DEMO_PASSWORD = "salesteam-demo"

ADMIN = ("anna@example.com", "Anna", "Admin", "Europe/Athens")
TEAMS = [
    {
        "name": "Aegean",
        "manager": ("mark@example.com", "Mark", "Miller", "America/New_York"),
        "reps": [
            ("eleni@example.com", "Eleni", "Papadopoulou", "Europe/Athens"),
            ("nikos@example.com", "Nikos", "Georgiou", "Europe/Athens"),
            ("sofia@example.com", "Sofia", "Dimitriou", "Europe/Athens"),
            ("james@example.com", "James", "Walker", "Europe/London"),
            ("olivia@example.com", "Olivia", "Brown", "Europe/London"),
            ("maria@example.com", "Maria", "Konstantinou", "Europe/Athens"),
        ],
    },
    {
        "name": "Pacific",
        "manager": ("grace@example.com", "Grace", "Chen", "Australia/Sydney"),
        "reps": [
            ("jack@example.com", "Jack", "Wilson", "Australia/Sydney"),
            ("chloe@example.com", "Chloe", "Taylor", "Australia/Sydney"),
            ("emily@example.com", "Emily", "Johnson", "America/New_York"),
            ("michael@example.com", "Michael", "Davis", "America/New_York"),
            ("ana@example.com", "Ana", "Garcia", "America/Los_Angeles"),
            ("kai@example.com", "Kai", "Kahale", "Pacific/Honolulu"),
        ],
    },
]


# Days since each rep started: everyone has been here a while, except the reps being
# ramped (Maria a few weeks in, Michael in his third week and behind on his ramp) and
# one who starts today (and so has a goal-setting meeting).
STARTED_DAYS_AGO = {
    "maria@example.com": 40,
    "michael@example.com": 17,
    "kai@example.com": 0,
}


def demo_person(
    *, email, first_name, last_name, zone, role, team=None, start_date=None
):
    """Get or create one demo person, leaving an existing one as it is.

    A person joined on their start date, so the sweep that books goal-setting meetings
    for people who joined recently passes over those who started months ago.
    """
    existing = User.objects.filter(email=email).first()
    if existing:
        return existing
    person = user_create(
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=role,
        team=team,
        timezone=zone,
        start_date=start_date,
        password=DEMO_PASSWORD,
    )
    if start_date and start_date < person.local_date():
        joined = dt.datetime.combine(start_date, dt.time(9), tzinfo=person.zone)
        User.objects.filter(pk=person.pk).update(date_joined=joined)
        person.date_joined = joined
    return person


def person_fields(spec: tuple[str, str, str, str]) -> dict[str, str]:
    email, first_name, last_name, zone = spec
    return {
        "email": email,
        "first_name": first_name,
        "last_name": last_name,
        "zone": zone,
    }


def seed_people() -> dict[str, list[User]]:
    """Create the demo organisation (idempotent); returns the people by role."""
    admin = demo_person(**person_fields(ADMIN), role=Role.ADMIN)
    if not admin.is_superuser:
        admin.is_superuser = admin.is_staff = True
        admin.save(update_fields=["is_superuser", "is_staff"])
    managers, reps = [], []
    for team_spec in TEAMS:
        manager = demo_person(**person_fields(team_spec["manager"]), role=Role.MANAGER)
        managers.append(manager)
        team = Team.objects.filter(name=team_spec["name"]).first() or team_create(
            name=team_spec["name"], manager=manager
        )
        for index, rep_spec in enumerate(team_spec["reps"]):
            # Staggered start dates, long ago but for the new ones, counted in the
            # rep's own calendar (Kai in Honolulu starts on his today, not UTC's).
            days_ago = STARTED_DAYS_AGO.get(rep_spec[0], 400 + 60 * index)
            start = local_today(rep_spec[3]) - dt.timedelta(days=days_ago)
            reps.append(
                demo_person(
                    **person_fields(rep_spec),
                    role=Role.REP,
                    team=team,
                    start_date=start,
                )
            )
    return {"admins": [admin], "managers": managers, "reps": reps}
