"""Every write about people: creating users and teams."""

import datetime as dt

from django.db import transaction

from accounts.models import Role, Team, User


@transaction.atomic
def team_create(*, name: str, manager: User, description: str = "") -> Team:
    team = Team(name=name, manager=manager, description=description)
    team.full_clean()
    team.save()
    return team


@transaction.atomic
def user_create(
    *,
    email: str,
    first_name: str = "",
    last_name: str = "",
    role: str = Role.REP,
    team: Team | None = None,
    timezone: str = "UTC",
    start_date: dt.date | None = None,
    password: str | None = None,
    **profile,
) -> User:
    """Create a person; without a password they cannot log in until invited."""
    user = User(
        email=email.strip().lower(),
        first_name=first_name,
        last_name=last_name,
        role=role,
        team=team,
        timezone=timezone,
        start_date=start_date,
        **profile,
    )
    user.set_password(password) if password else user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user
