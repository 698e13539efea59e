"""A person's phone: stored as E.164, unique when set, the same rule in every path."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.people_import import parse_people
from accounts.services import user_update
from accounts.validators import phone_normalised
from tests import factories
from tests.helpers import api_client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("+30 210 123 4567", "+302101234567"),
        ("0030 (210) 123-4567", "+302101234567"),
        ("+1.415.555.0100", "+14155550100"),
        ("", ""),
        ("210 123 4567", "210 123 4567"),  # no country code: refused by the validator
    ],
)
def test_numbers_are_normalised_to_e164(typed, stored):
    assert phone_normalised(typed) == stored


def test_a_profile_change_stores_the_normalised_number(rep):
    user_update(user=rep, by=rep, phone="+30 210 123 4567")
    rep.refresh_from_db()
    assert rep.phone == "+302101234567"


def test_a_number_without_country_code_is_refused_beside_the_field(rep):
    with pytest.raises(ValidationError) as caught:
        user_update(user=rep, by=rep, phone="210 123 4567")
    assert "country code" in caught.value.message_dict["phone"][0]


def test_a_number_someone_has_is_refused_beside_the_field(rep, team):
    factories.RepFactory(team=team, phone="+302101234567")
    with pytest.raises(ValidationError) as caught:
        user_update(user=rep, by=rep, phone="+30 210 1234567")
    assert caught.value.message_dict == {
        "phone": ["Someone else already has this phone number."]
    }
    # and many people may have none
    factories.RepFactory(team=team, phone="")
    user_update(user=rep, by=rep, phone="")


def test_the_profile_form_normalises_and_names_a_taken_number(rep, team):
    factories.RepFactory(team=team, phone="+302101234567")
    client = api_client_for(rep)
    answer = client.patch(
        f"/api/v1/users/{rep.pk}/", {"phone": "+30 210 123 4567"}, format="json"
    )
    assert answer.status_code == 400
    assert answer.json() == {"phone": ["Someone else already has this phone number."]}
    answer = client.patch(
        f"/api/v1/users/{rep.pk}/", {"phone": "+44 20 7946 0000"}, format="json"
    )
    assert answer.status_code == 200, answer.content
    rep.refresh_from_db()
    assert rep.phone == "+442079460000"


def test_the_edit_page_stores_the_normalised_number(rep):
    from django.test import Client

    client = Client()
    client.force_login(rep)
    page = client.get(reverse("person-edit", args=[rep.pk]))
    form = page.context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name in form.fields
    }
    data.update(phone="0030 210 123 4567", work_start="09:00", work_end="17:00")
    answer = client.post(reverse("person-edit", args=[rep.pk]), data)
    assert answer.status_code == 302, answer.context["form"].errors
    rep.refresh_from_db()
    assert rep.phone == "+302101234567"


def test_the_people_import_reads_an_optional_phone_column(team):
    factories.RepFactory(team=team, phone="+302101111111")
    header = "email,first_name,last_name,team,timezone,start_date,role,phone\n"
    rows = (
        f"a@example.com,A,One,{team.name},Europe/Athens,,rep,+30 210 222 2222\n"
        f"b@example.com,B,Two,{team.name},Europe/Athens,,rep,+302102222222\n"
        f"c@example.com,C,Three,{team.name},Europe/Athens,,rep,+30 210 111 1111\n"
        f"d@example.com,D,Four,{team.name},Europe/Athens,,rep,12345\n"
        f"e@example.com,E,Five,{team.name},Europe/Athens,,rep,\n"
    )
    people, errors = parse_people(header + rows)
    assert [person["email"] for person in people] == ["a@example.com", "e@example.com"]
    assert people[0]["phone"] == "+302102222222"
    assert [error.line for error in errors] == [3, 4, 5]
    assert "also on line 2" in errors[0].message
    assert "phone already" in errors[1].message
    assert "country code" in errors[2].message
