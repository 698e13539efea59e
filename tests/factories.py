"""factory-boy factories for every model the tests build."""

import datetime as dt

import factory
from django.utils import timezone

from accounts.models import Role, Team, User

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    timezone = "Europe/Athens"
    role = Role.REP

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])


class ManagerFactory(UserFactory):
    role = Role.MANAGER
    timezone = "America/New_York"


class AdminFactory(UserFactory):
    role = Role.ADMIN
    is_staff = True
    is_superuser = True


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    manager = factory.SubFactory(ManagerFactory)


class RepFactory(UserFactory):
    role = Role.REP
    team = factory.SubFactory(TeamFactory)


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accounts.Invitation"

    user = factory.SubFactory(RepFactory)
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))


# --- Meetings -------------------------------------------------------------------------


class MeetingFactory(factory.django.DjangoModelFactory):
    """A one-on-one between a rep and their manager, a week from now (UTC)."""

    class Meta:
        model = "meetings.Meeting"
        skip_postgeneration_save = True

    kind = "one_on_one"
    title = factory.Sequence(lambda n: f"Meeting {n}")
    rep = factory.SubFactory(RepFactory)
    organiser = factory.LazyAttribute(lambda meeting: meeting.rep.team.manager)
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + dt.timedelta(days=7)).replace(
            minute=0, second=0, microsecond=0
        )
    )
    duration_minutes = 30
    video_url = factory.Sequence(lambda n: f"https://meet.jit.si/salesteam-test-{n}")

    @factory.post_generation
    def participants(self, create, extracted, **kwargs):
        """The organiser and the rep, or the people given."""
        if not create:
            return
        from meetings.models import Participant

        people = list(extracted) if extracted else [self.organiser, self.rep]
        Participant.objects.bulk_create(
            [Participant(meeting=self, user=person) for person in people if person]
        )


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.ActionItem"

    meeting = factory.SubFactory(MeetingFactory)
    owner = factory.LazyAttribute(lambda item: item.meeting.rep)
    text = factory.Sequence(lambda n: f"Follow up on lead {n}")


# --- Activities and targets -----------------------------------------------------------


def metric(slug: str = "calls"):
    """A seeded metric; re-seeds the defaults if a transactional test flushed them."""
    from activities.models import Metric
    from activities.seeds import metrics_ensure

    found = Metric.objects.filter(slug=slug).first()
    if found is None:
        metrics_ensure()
        found = Metric.objects.get(slug=slug)
    return found


def standard_template():
    from targets.seeds import templates_ensure

    metric("calls")
    return templates_ensure()


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "activities.Contact"

    owner = factory.SubFactory(RepFactory)
    name = factory.Faker("name")
    company = factory.Faker("company")


class ActivityFactory(factory.Factory):
    """An activity logged through the service, so the day tally stays in step."""

    class Meta:
        model = "activities.Activity"

    rep = factory.SubFactory(RepFactory)
    metric = factory.LazyFunction(lambda: metric("calls"))
    quantity = 1
    occurred_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from activities.services import activity_log

        return activity_log(**kwargs)


class DealFactory(factory.Factory):
    """A deal logged through the service (it feeds the deals and revenue tallies)."""

    class Meta:
        model = "activities.Deal"

    rep = factory.SubFactory(RepFactory)
    title = factory.Sequence(lambda n: f"Deal {n}")
    amount = 1000
    closed_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from activities.services import deal_log

        return deal_log(**kwargs)


class TargetFactory(factory.django.DjangoModelFactory):
    """A plain target row (use targets.services.target_set to test history rules)."""

    class Meta:
        model = "targets.Target"

    rep = factory.SubFactory(RepFactory)
    metric = factory.LazyFunction(lambda: metric("calls"))
    period = "day"
    amount = 25
    effective_from = dt.date(2020, 1, 1)
