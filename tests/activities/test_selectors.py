"""activities/selectors.py: entries scoped by the one visibility policy."""

import pytest
from django.core.exceptions import ValidationError

from activities.selectors import (
    activities_visible_to,
    contact_for_entry,
    contacts_visible_to,
)
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_manager_sees_their_reps_entries_and_not_a_peer_managers_reps(rep, manager):
    # Given a peer manager in the manager's team, with a rep of their own
    peer = factories.ManagerFactory(team=rep.team)
    peers_rep = factories.RepFactory(team=factories.TeamFactory(manager=peer))
    mine = factories.ActivityFactory(rep=rep)
    peers = factories.ActivityFactory(rep=peer)
    factories.ActivityFactory(rep=peers_rep)

    # Then the manager sees their rep's and the peer's own entries, not the peer's rep's
    assert set(activities_visible_to(manager)) == {mine, peers}
    assert set(activities_visible_to(peer)) >= {peers}
    assert mine not in set(activities_visible_to(peer))


def test_an_entry_may_name_only_a_contact_the_viewer_sees(rep):
    # Given a contact of the rep and one of another team's rep
    own = factories.ContactFactory(owner=rep)
    other = factories.ContactFactory()

    # Then the rep's own is found, and the other is a field error, not a leak
    assert contact_for_entry(viewer=rep, contact_id=own.pk) == own
    assert contact_for_entry(viewer=rep, contact_id=None) is None
    with pytest.raises(ValidationError) as error:
        contact_for_entry(viewer=rep, contact_id=other.pk)
    assert error.value.message_dict == {"contact": ["There is no such contact."]}
    assert list(contacts_visible_to(rep)) == [own]
