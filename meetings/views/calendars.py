"""Calendars: a meeting's .ics, the personal feed and its settings, the team's week."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.selectors import teams_visible_to
from meetings import (
    cadence,
    calendar_reads,
    calendars,
    reminders,
    selectors,
    services,
)
from meetings.forms import (
    PreferenceForm,
)
from meetings.views.common import (
    in_viewer_zone,
    visible_meeting,
)


@login_required
@require_GET
def meeting_ics(request, pk: int):
    meeting = visible_meeting(request, pk)
    body = calendars.calendar_for(
        calendar_reads.calendar_meetings_for(viewer=request.user, meeting=meeting)
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


@require_GET
def calendar_feed(request, token: str):
    """A person's meetings as an iCal feed; the secret token is the only credential."""
    owner = calendar_reads.feed_owner(token=token)
    if owner is None:
        raise Http404
    now = timezone.now()
    body = calendars.calendar_for(
        calendar_reads.feed_meetings_for(user=owner, now=now),
        name=_("Salesteam meetings"),
        known_from=calendar_reads.feed_window_start(now=now),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


@in_viewer_zone
@require_GET
def team_calendar(request):
    teams = list(teams_visible_to(request.user))
    team_id = request.GET.get("team")
    team = next((t for t in teams if str(t.pk) == team_id), teams[0] if teams else None)
    today = timezone.localdate()
    try:
        chosen = parse_date(request.GET.get("week") or "") or today
    except ValueError:  # a well-formed but impossible date, e.g. 2026-02-30
        chosen = today
    if not dt.date(1970, 1, 1) <= chosen <= dt.date(2999, 12, 31):
        chosen = today
    monday = cadence.week_start(chosen)
    if team:
        # Far ahead, a series' occurrences are created when someone looks.
        zone = request.user.zone
        services.series_fill_window(
            viewer=request.user,
            start=dt.datetime.combine(monday, dt.time.min, zone),
            end=dt.datetime.combine(monday + dt.timedelta(days=7), dt.time.min, zone),
        )
    days, count = (
        selectors.team_week(viewer=request.user, team=team, monday=monday)
        if team
        else ([], 0)
    )
    return render(
        request,
        "meetings/calendar.html",
        {
            "teams": teams,
            "team": team,
            "days": days,
            "count": count,
            "monday": monday,
            "previous_week": monday - dt.timedelta(days=7),
            "next_week": monday + dt.timedelta(days=7),
            "today": today,
        },
    )


@in_viewer_zone
def feed_settings(request):
    """The calendar feed URL (show, rotate, revoke) and reminder preference."""
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            reminders.meeting_preference_set(
                user=request.user,
                reminder_minutes=form.cleaned_data["reminder_minutes"],
            )
            messages.success(request, _("Your reminder preference is saved."))
            return redirect("meetings:feed_settings")
    else:
        form = PreferenceForm(
            initial={"reminder_minutes": reminders.reminder_minutes_for(request.user)}
        )
    token = selectors.feed_token_for(user=request.user)
    feed_url = (
        request.build_absolute_uri(reverse("meetings:feed", args=[token.token]))
        if token
        else ""
    )
    return render(
        request, "meetings/feed_settings.html", {"form": form, "feed_url": feed_url}
    )


@in_viewer_zone
@require_POST
def feed_rotate(request):
    services.feed_token_rotate(user=request.user)
    messages.success(
        request, _("Your calendar has a new feed address; the old one no longer works.")
    )
    return redirect("meetings:feed_settings")


@in_viewer_zone
@require_POST
def feed_revoke(request):
    services.feed_token_revoke(user=request.user)
    messages.success(request, _("Your calendar feed is switched off."))
    return redirect("meetings:feed_settings")
