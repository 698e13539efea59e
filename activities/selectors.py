"""Reads of what reps did, scoped by the viewer with the one visibility policy.

Pages and the API read activities, deals and contacts only through these, so an entry
outside the viewer's scope is never found (a 404), whichever door it is asked through.
"""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import records_q
from activities.models import Activity, Contact, Deal


def activities_visible_to(viewer: User) -> QuerySet[Activity]:
    """Activities the viewer may see and change, newest first, with their metric."""
    return (
        Activity.objects.filter(records_q(viewer))
        .select_related("metric")
        .order_by("-occurred_at", "-id")
    )


def deals_visible_to(viewer: User) -> QuerySet[Deal]:
    return Deal.objects.filter(records_q(viewer)).order_by("-closed_at", "-id")


def contacts_visible_to(viewer: User) -> QuerySet[Contact]:
    return Contact.objects.filter(records_q(viewer, rep_field="owner"))


def contact_for_entry(*, viewer: User, contact_id: int | None) -> Contact | None:
    """The contact an entry names, if the viewer may see it; a field error otherwise."""
    if contact_id is None:
        return None
    contact = contacts_visible_to(viewer).filter(pk=contact_id).first()
    if contact is None:
        raise ValidationError({"contact": [_("There is no such contact.")]})
    return contact
