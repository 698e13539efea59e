"""The admins' webhook pages: subscriptions, their delivery log, replays and tests.

Thin: a form parses, a service writes, a selector reads. Everyone but admins is told no
(403), as on every admin page.
"""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.views import add_service_errors, admin_required
from integrations.webhooks import selectors
from integrations.webhooks.deliveries import delivery_replay
from integrations.webhooks.forms import WebhookSubscriptionForm
from integrations.webhooks.payloads import EVENT_TYPES
from integrations.webhooks.subscriptions import (
    secret_rotate,
    secrets_in_force,
    subscription_create,
    subscription_delete,
    subscription_ping,
    subscription_update,
)

DELIVERIES_PER_PAGE = 25


def _subscription(request, pk: int):
    found = selectors.subscription_get(viewer=request.user, pk=pk)
    if found is None:
        raise Http404
    return found


@admin_required
def webhook_list(request):
    """Every subscription, with what it listens to and whether it is enabled."""
    subscriptions = list(selectors.subscriptions_for(request.user))
    return render(
        request,
        "integrations/webhook_list.html",
        {"subscriptions": subscriptions, "event_count": len(EVENT_TYPES)},
    )


@admin_required
def webhook_create(request):
    form = WebhookSubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            subscription = subscription_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Subscribed. Copy the signing secret below into your receiver; "
                    "then send a test."
                ),
            )
            return redirect("integrations:webhook", pk=subscription.pk)
    return render(
        request,
        "integrations/webhook_form.html",
        {"form": form, "subscription": None},
        status=400 if form.errors else 200,
    )


@admin_required
def webhook_edit(request, pk: int):
    subscription = _subscription(request, pk)
    form = WebhookSubscriptionForm(
        request.POST or None,
        initial={
            "url": subscription.url,
            "description": subscription.description,
            "events": subscription.events,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            subscription_update(
                subscription=subscription, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Subscription saved."))
            return redirect("integrations:webhook", pk=subscription.pk)
    return render(
        request,
        "integrations/webhook_form.html",
        {"form": form, "subscription": subscription},
        status=400 if form.errors else 200,
    )


@admin_required
def webhook_detail(request, pk: int):
    """A subscription, its secret(s) and its delivery log, newest first (paginated)."""
    subscription = _subscription(request, pk)
    page = Paginator(
        selectors.deliveries_for(viewer=request.user, subscription=subscription),
        DELIVERIES_PER_PAGE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "integrations/webhook_detail.html",
        {
            "subscription": subscription,
            "page": page,
            "signing_secrets": secrets_in_force(subscription),
        },
    )


@admin_required
@require_POST
def webhook_toggle(request, pk: int):
    subscription = _subscription(request, pk)
    enable = not subscription.is_active
    subscription_update(subscription=subscription, by=request.user, is_active=enable)
    messages.success(
        request,
        _("Subscription enabled.")
        if enable
        else _("Subscription disabled: nothing is sent until you enable it."),
    )
    return redirect("integrations:webhook", pk=pk)


@admin_required
@require_POST
def webhook_rotate(request, pk: int):
    subscription = secret_rotate(
        subscription=_subscription(request, pk), by=request.user
    )
    messages.success(
        request,
        _(
            "New secret made. Until %(until)s every message is signed with both the "
            "old and the new secret: update your receiver before then."
        )
        % {
            "until": subscription.previous_secret_expires_at.strftime(
                "%Y-%m-%d %H:%M UTC"
            )
        },
    )
    return redirect("integrations:webhook", pk=pk)


@admin_required
@require_POST
def webhook_test(request, pk: int):
    try:
        delivery = subscription_ping(
            subscription=_subscription(request, pk), by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("integrations:webhook", pk=pk)
    messages.info(request, _("Test message queued; its result shows below."))
    return redirect("integrations:webhook_delivery", pk=delivery.pk)


@admin_required
@require_POST
def webhook_delete(request, pk: int):
    subscription_delete(subscription=_subscription(request, pk), by=request.user)
    messages.success(request, _("Subscription removed."))
    return redirect("integrations:webhooks")


@admin_required
def webhook_delivery(request, pk: int):
    """One delivery: its message, each attempt, and a replay."""
    delivery = selectors.delivery_get(viewer=request.user, pk=pk)
    if delivery is None:
        raise Http404
    return render(
        request,
        "integrations/webhook_delivery.html",
        {
            "delivery": delivery,
            "subscription": delivery.subscription,
            "attempts": list(delivery.attempt_log.all()),
            "payload_json": json.dumps(
                delivery.event.payload, indent=2, ensure_ascii=False
            ),
        },
    )


@admin_required
@require_POST
def webhook_replay(request, pk: int):
    delivery = selectors.delivery_get(viewer=request.user, pk=pk)
    if delivery is None:
        raise Http404
    try:
        replay = delivery_replay(delivery=delivery, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("integrations:webhook_delivery", pk=pk)
    messages.success(request, _("Replay queued with the same webhook-id."))
    return redirect("integrations:webhook_delivery", pk=replay.pk)
