"""Reading call events: the person a call names, the admins' lists of sources and calls."""

from django.db.models import Count, Q, QuerySet

from accounts.models import User
from integrations.models import CallSource, InboundCall, InboundCallStatus


def person_for_call(*, phone: str = "", email: str = "") -> User | None:
    """The active person a call event names, by phone (E.164) or else by email."""
    if phone:
        return User.objects.filter(phone=phone, is_active=True).first()
    if email:
        return User.objects.filter(email=email, is_active=True).first()
    return None


def call_source_for_key(*, key: str, kind: str) -> CallSource | None:
    """The active source whose endpoint this is, or None (the endpoint then 404s)."""
    return CallSource.objects.filter(key=key, kind=kind, is_active=True).first()


def call_sources() -> QuerySet[CallSource]:
    """Every source, with how many of its calls wait to be assigned."""
    return CallSource.objects.annotate(
        unmatched_count=Count(
            "calls", filter=Q(calls__status=InboundCallStatus.UNMATCHED)
        ),
        call_count=Count("calls"),
    ).order_by("name")


def inbound_calls(*, status: str | None = None) -> QuerySet[InboundCall]:
    """Calls as they arrived, newest first, with their source and rep."""
    calls = InboundCall.objects.select_related("source", "rep", "resolved_by")
    if status:
        calls = calls.filter(status=status)
    return calls.order_by("-received_at", "-id")


def unmatched_count() -> int:
    return InboundCall.objects.filter(status=InboundCallStatus.UNMATCHED).count()


def assignable_people() -> QuerySet[User]:
    """Whom an admin may assign a call to: everyone active."""
    return User.objects.filter(is_active=True).order_by(
        "first_name", "last_name", "email"
    )
