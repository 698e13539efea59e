"""Improvement plan pages: the plan (goals, progress, one-on-one), acknowledge, close, extend."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.permissions import manages
from coaching.selectors import plan_get_for, plan_progress, plans_for_viewer
from coaching.services import plans


class PlanGoalForm(forms.Form):
    amount = forms.DecimalField(
        label=gettext_lazy("Goal"), min_value=1, max_value=100000, decimal_places=2
    )


class PlanExtendForm(forms.Form):
    until = forms.DateField(
        label=gettext_lazy("Review until"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


@login_required
def plan_list(request):
    status = request.GET.get("status", "open")
    queryset = plans_for_viewer(request.user)
    if status in ("open", "closed"):
        queryset = queryset.filter(status=status)
    page = Paginator(queryset, 30).get_page(request.GET.get("page"))
    return render(request, "coaching/plan_list.html", {"page": page, "status": status})


@login_required
def plan_detail(request, pk: int):
    plan = plan_get_for(request.user, pk)
    return render(
        request,
        "coaching/plan_detail.html",
        {
            "progress": plan_progress(plan),
            "extend_form": PlanExtendForm(initial={"until": plan.review_until}),
            "may_manage": manages(request.user, plan.rep),
            "is_rep": plan.rep_id == request.user.pk,
        },
    )


@login_required
@require_POST
def plan_acknowledge(request, pk: int):
    plan = plan_get_for(request.user, pk)
    try:
        plans.plan_acknowledge(plan=plan, rep=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thanks: the plan is acknowledged."))
    return redirect("coaching:plan", pk=plan.pk)


def _managed_plan(request, pk: int):
    plan = plan_get_for(request.user, pk)
    if not manages(request.user, plan.rep):
        raise PermissionDenied
    return plan


@login_required
@require_POST
def plan_close(request, pk: int):
    plan = _managed_plan(request, pk)
    try:
        plans.plan_close(
            plan=plan, by=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The plan is closed."))
    return redirect("coaching:plan", pk=plan.pk)


@login_required
@require_POST
def plan_goal(request, pk: int, goal_pk: int):
    plan = _managed_plan(request, pk)
    goal = get_object_or_404(plan.goals.select_related("metric"), pk=goal_pk)
    form = PlanGoalForm(request.POST)
    if form.is_valid():
        try:
            plans.plan_goal_set(
                plan=plan,
                goal=goal,
                amount=form.cleaned_data["amount"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(metric)s goal saved; %(rep)s will be asked to agree.")
                % {"metric": goal.label, "rep": plan.rep},
            )
    else:
        messages.error(request, " ".join(form.errors.get("amount", [])))
    return redirect("coaching:plan", pk=plan.pk)


@login_required
@require_POST
def plan_extend(request, pk: int):
    plan = _managed_plan(request, pk)
    form = PlanExtendForm(request.POST)
    if form.is_valid():
        try:
            plans.plan_extend(plan=plan, until=form.cleaned_data["until"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The plan now runs until %(date)s.")
                % {"date": form.cleaned_data["until"]},
            )
    else:
        messages.error(request, _("Pick a valid date."))
    return redirect("coaching:plan", pk=plan.pk)
