"""factory-boy factories for every model the tests build."""

import factory

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
