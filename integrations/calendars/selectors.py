"""Reads of the two-way calendars: always the viewer's own connection."""

from accounts.models import User
from integrations.models import CalendarConnection


def connection_for(*, person: User) -> CalendarConnection | None:
    return CalendarConnection.objects.filter(person=person).first()


def written_count(*, connection: CalendarConnection | None) -> int:
    """How many of Salesteam's events the server has confirmed in this calendar."""
    return connection.links.count() if connection else 0
