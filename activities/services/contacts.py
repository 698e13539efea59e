"""The light CRM: a rep's contacts."""

from django.db import transaction

from accounts.models import User
from activities.models import (
    Contact,
)
from activities.services.rules import (
    audit,
    check_actor,
)

CONTACT_FIELDS = ("name", "company", "email", "phone", "notes")


@transaction.atomic
def contact_create(
    *,
    owner: User,
    name: str,
    company: str = "",
    email: str = "",
    phone: str = "",
    notes: str = "",
    by: User | None = None,
) -> Contact:
    check_actor(by=by, rep=owner)
    contact = Contact(
        owner=owner, name=name, company=company, email=email, phone=phone, notes=notes
    )
    contact.full_clean()
    audit(contact, by)
    contact.save()
    return contact


@transaction.atomic
def contact_update(*, contact: Contact, by: User | None = None, **fields) -> Contact:
    """Change a contact's details (any of name, company, email, phone, notes)."""
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown contact fields: {sorted(unknown)}")
    check_actor(by=by, rep=contact.owner)
    for field, value in fields.items():
        setattr(contact, field, value)
    contact.full_clean()
    audit(contact, by)
    contact.save()
    return contact


@transaction.atomic
def contact_delete(*, contact: Contact, by: User | None = None) -> None:
    """Delete a contact; activities and deals that pointed to it keep their history."""
    check_actor(by=by, rep=contact.owner)
    audit(contact, by)
    contact.delete()
