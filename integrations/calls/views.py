"""The Dialers pages (admins): sources with their addresses, recent and unmatched calls."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.views import add_service_errors, admin_required
from integrations.calls import selectors, services
from integrations.calls.forms import AssignForm, CallSourceEditForm, CallSourceForm
from integrations.calls.signatures import public_base_url
from integrations.models import CallSource, CallSourceKind, InboundCall

PAGE_SIZE = 50


def endpoint_url(request, source: CallSource) -> str:
    """The address to paste into Twilio, Zapier or n8n for this source."""
    name = (
        "api-inbound-twilio"
        if source.kind == CallSourceKind.TWILIO
        else "api-inbound-call-event"
    )
    request_path = reverse(name, kwargs={"key": source.key})
    return public_base_url(request) + request_path


@admin_required
def dialers(request):
    """The connected dialers, a form to add one, and the calls that came in."""
    form = CallSourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            source = services.call_source_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is connected. Paste its address into the dialer.")
                % {"name": source.name},
            )
            return redirect("integrations:dialer_source", pk=source.pk)
    sources = [
        (source, endpoint_url(request, source)) for source in selectors.call_sources()
    ]
    page = Paginator(selectors.inbound_calls(), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "integrations/dialers.html",
        {
            "form": form,
            "sources": sources,
            "page": page,
            "unmatched_count": selectors.unmatched_count(),
        },
    )


@admin_required
def dialer_source(request, pk: int):
    """One source: its address and secret (shown to admins), rename, renew, turn off."""
    source = get_object_or_404(CallSource, pk=pk)
    form = CallSourceEditForm(
        request.POST or None,
        initial={"name": source.name, "is_active": source.is_active},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.call_source_update(
                source=source, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("integrations:dialer_source", pk=source.pk)
    return render(
        request,
        "integrations/dialer_source.html",
        {
            "source": source,
            "form": form,
            "url": endpoint_url(request, source),
            "is_twilio": source.kind == CallSourceKind.TWILIO,
        },
    )


@admin_required
def unmatched_calls(request):
    """Calls whose number or email matched no one, to assign to a rep or dismiss."""
    page = Paginator(selectors.inbound_calls(status="unmatched"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "integrations/unmatched_calls.html",
        {"page": page, "people": list(selectors.assignable_people())},
    )


@require_POST
@admin_required
def unmatched_call_assign(request, pk: int):
    call = get_object_or_404(InboundCall, pk=pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the person to log the call for."))
        return redirect("integrations:unmatched_calls")
    try:
        services.inbound_call_assign(
            call=call, rep=form.cleaned_data["rep"], by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The call is logged for %(rep)s.") % {"rep": form.cleaned_data["rep"]},
        )
    return redirect("integrations:unmatched_calls")


@require_POST
@admin_required
def unmatched_call_dismiss(request, pk: int):
    call = get_object_or_404(InboundCall, pk=pk)
    try:
        services.inbound_call_dismiss(call=call, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The call is dismissed; no activity was logged."))
    return redirect("integrations:unmatched_calls")
