"""Pages of the activities app: quick logging and undo from the Today page.

Each view works with htmx (a feedback snippet plus an `activityChanged` event that makes
the Today panel reload itself) and without JavaScript (a plain POST and a redirect).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from activities.forms import QuickLogForm
from activities.models import Source
from activities.selectors import activities_visible_to
from activities.services import activity_delete, activity_log

FEEDBACK_TARGET = "#quick-log-feedback"


def _messages_of(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


def _respond(request, *, ok: bool, text: str, event: str = "activityChanged"):
    """The htmx snippet (and event), or a flash message and a redirect to Today."""
    if request.htmx:
        # Rendered without the request: the snippet needs no context processor (the
        # navigation's unread count would be a query on every log).
        response = HttpResponse(
            render_to_string("activities/_feedback.html", {"ok": ok, "text": text})
        )
        response["HX-Retarget"] = FEEDBACK_TARGET
        response["HX-Reswap"] = "innerHTML"
        if ok:
            trigger_client_event(response, event)
        return response
    (messages.success if ok else messages.error)(request, text)
    return redirect("home")


@login_required
@require_POST
def quick_log(request):
    """Log an activity for the signed-in user: one click on Today, or the details form."""
    form = QuickLogForm(request.POST)
    with timezone.override(request.user.zone):
        valid = form.is_valid()
    if not valid:
        errors = [
            f"{form.fields[name].label}: {' '.join(e)}"
            for name, e in form.errors.items()
        ]
        return _respond(request, ok=False, text=" ".join(errors))
    data = form.cleaned_data
    try:
        activity = activity_log(
            rep=request.user,
            metric=data["metric"],
            quantity=data["quantity"] or 1,
            occurred_at=data["occurred_at"],
            outcome=data["outcome"],
            note=data["note"],
            source=Source.WEB,
            by=request.user,
        )
    except ValidationError as error:
        return _respond(request, ok=False, text=" ".join(_messages_of(error)))
    return _respond(
        request,
        ok=True,
        text=_("Logged %(quantity)d × %(metric)s.")
        % {"quantity": activity.quantity, "metric": activity.metric.label},
    )


@login_required
@require_POST
def activity_remove(request, pk: int):
    """Undo: delete an entry (while its period is open, or as the rep's manager)."""
    activity = get_object_or_404(activities_visible_to(request.user), pk=pk)
    label = activity.metric.label
    try:
        activity_delete(activity=activity, by=request.user)
    except ValidationError as error:
        return _respond(request, ok=False, text=" ".join(_messages_of(error)))
    return _respond(
        request, ok=True, text=_("Removed one entry of %(metric)s.") % {"metric": label}
    )
