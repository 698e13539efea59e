"""The rep's own personal goals, set from their results page (thin: the service decides)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities.metric_cache import metric_by_slug
from targets.dashboard_views import results_page
from targets.models import PersonalGoal
from targets.personal_goal_forms import PersonalGoalForm
from targets.personal_goals import (
    agreed_period,
    goal_metric_choices,
    personal_goal_delete,
    personal_goal_set,
    personal_goal_update,
)
from targets.rep_results import rep_results_for


@login_required
@require_POST
def personal_goal_save(request):
    """Set one of the viewer's own goals; a refusal keeps everything they typed."""
    results = rep_results_for(rep=request.user)
    today = results.local.local_now.date()
    form = PersonalGoalForm(
        request.POST,
        metrics=goal_metric_choices(history=results.target_history, today=today),
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            personal_goal_set(
                rep=request.user,
                metric=metric_by_slug(data["metric"]),
                period=agreed_period(
                    history=results.target_history, today=today, slug=data["metric"]
                ),
                amount=data["amount"],
                shared=data["shared"],
            )
        except ValidationError as error:
            form.add_service_errors(error.message_dict)
        else:
            messages.success(request, _("Your personal goal is set. Go for it!"))
            return redirect("targets:my_results")
    return results_page(request, request.user, results=results, goal_form=form)


def _own_goal(request, pk: int) -> PersonalGoal:
    return get_object_or_404(PersonalGoal, pk=pk, rep=request.user)


@login_required
@require_POST
def personal_goal_share(request, pk: int):
    """Share a goal with the manager, or stop sharing it."""
    goal = _own_goal(request, pk)
    shared = request.POST.get("shared") == "1"
    personal_goal_update(goal=goal, shared=shared)
    messages.success(
        request,
        _("Your manager can now see this goal.")
        if shared
        else _("This goal is yours alone again."),
    )
    return redirect("targets:my_results")


@login_required
@require_POST
def personal_goal_remove(request, pk: int):
    personal_goal_delete(goal=_own_goal(request, pk))
    messages.success(request, _("Personal goal removed."))
    return redirect("targets:my_results")
