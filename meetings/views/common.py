"""What every meetings page shares: the viewer's zone, staff-only, scoped look-ups.

Every page runs in the viewer's time zone (`in_viewer_zone`), so times render and parse
as the viewer's wall clock. Objects outside the viewer's scope are 404s.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.permissions import is_staff_member
from meetings import selectors

PAGE_SIZE = 20


def in_viewer_zone(view):
    """Log-in required; render and parse times in the viewer's own time zone."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        with timezone.override(request.user.zone):
            return view(request, *args, **kwargs)

    return wrapper


def staff_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_staff_member(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def visible_meeting(request, pk: int):
    return get_object_or_404(
        selectors.with_details(selectors.meetings_visible_to(request.user)), pk=pk
    )


def runnable_meeting(request, pk: int):
    meeting = visible_meeting(request, pk)
    if not selectors.may_run_meeting(request.user, meeting):
        raise PermissionDenied
    return meeting


def back_to(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
