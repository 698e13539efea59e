"""Pages for meetings: thin views that parse, call a service or selector, and render.

Every page runs in the viewer's time zone (`in_viewer_zone`), so times render and parse
as the viewer's wall clock. Objects outside the viewer's scope are 404s.
"""

import datetime as dt
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Max, Min, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from accounts.permissions import is_staff_member
from meetings import autonomy, cadence, calendars, reminders, selectors, services
from meetings.availability import local_slots_for
from meetings.forms import (
    ActionItemForm,
    AutonomyForm,
    CancelForm,
    MeetingEditForm,
    MeetingScheduleForm,
    NotesForm,
    PreferenceForm,
)
from meetings.models import CHECK_IN_KINDS, MeetingStatus
from salesteam.params import id_param

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


@in_viewer_zone
@require_GET
def meeting_list(request):
    past = request.GET.get("show") == "past"
    meetings = selectors.my_meetings(viewer=request.user, upcoming=not past)
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "past": past}
    if request.user.is_rep:
        context["autonomy_changes"] = list(
            selectors.autonomy_changes_for(rep=request.user)[:5]
        )
        context["cadence"] = cadence.cadence_label(request.user.autonomy_level)
    return render(request, "meetings/list.html", context)


@in_viewer_zone
@require_GET
def meeting_detail(request, pk: int):
    meeting = visible_meeting(request, pk)
    may_run = selectors.may_run_meeting(request.user, meeting)
    people = [participant.user for participant in meeting.attendance.all()]
    context = {
        "meeting": meeting,
        "may_run": may_run,
        "people": people,
        "action_items": selectors.action_items_for_meeting(meeting=meeting),
        "carried_items": selectors.carried_action_items_for(meeting=meeting)
        if meeting.status == MeetingStatus.SCHEDULED
        else [],
        "local_slots": local_slots_for(
            people=people,
            starts_at=meeting.starts_at,
            duration_minutes=meeting.duration_minutes,
        ),
    }
    if may_run:
        context["notes_form"] = NotesForm(
            people=people,
            initial={
                "notes": meeting.notes,
                "private_notes": meeting.private_notes,
                "attended": [p.user_id for p in meeting.attendance.all() if p.attended],
            },
        )
        context["action_item_form"] = ActionItemForm(
            people=people, initial={"owner": meeting.rep_id}
        )
    return render(request, "meetings/detail.html", context)


def _schedule_people(form) -> tuple:
    data = form.cleaned_data
    return data.get("team"), list(data.get("participants") or [])


@in_viewer_zone
@staff_only
def meeting_schedule(request):
    organiser = request.user
    preview = None
    if request.method == "POST":
        form = MeetingScheduleForm(request.POST, organiser=organiser)
        if form.is_valid():
            data = form.cleaned_data
            team, participants = _schedule_people(form)
            preview = selectors.schedule_preview(
                organiser=organiser,
                kind=data["kind"],
                starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"],
                team=team,
                participants=participants,
            )
            if preview.warnings and not data["confirm"]:
                # Warn, then let the organiser book anyway on the same form.
                form.data = form.data.copy()
                form.data["confirm"] = "True"
                return render(
                    request,
                    "meetings/schedule.html",
                    {"form": form, "preview": preview, "confirming": True},
                )
            try:
                meeting = services.meeting_schedule(
                    organiser=organiser,
                    kind=data["kind"],
                    title=data["title"],
                    starts_at=data["starts_at"],
                    duration_minutes=data["duration_minutes"],
                    team=team,
                    participants=participants,
                    video_url=data["video_url"],
                    agenda=data["agenda"],
                    recurrence=data["recurrence"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                for warning in preview.warnings:
                    messages.warning(request, warning)
                messages.success(request, _("The meeting is booked."))
                return redirect("meetings:detail", pk=meeting.pk)
    else:
        initial = {"duration_minutes": 30}
        rep_id = id_param(request.GET.get("rep"))
        if rep_id:
            initial |= {"participants": [rep_id], "kind": "one_on_one"}
        form = MeetingScheduleForm(initial=initial, organiser=organiser)
    return render(request, "meetings/schedule.html", {"form": form, "preview": preview})


@in_viewer_zone
@staff_only
@require_GET
def slot_preview(request):
    """htmx: each person's local time for the chosen slot, and any warnings."""
    data = request.GET.copy()
    data["title"] = data.get("title") or "-"  # a preview needs no title
    form = MeetingScheduleForm(data, organiser=request.user)
    preview = None
    if form.is_valid():
        team, participants = _schedule_people(form)
        preview = selectors.schedule_preview(
            organiser=request.user,
            kind=form.cleaned_data["kind"],
            starts_at=form.cleaned_data["starts_at"],
            duration_minutes=form.cleaned_data["duration_minutes"],
            team=team,
            participants=participants,
        )
    return render(request, "meetings/_slot_preview.html", {"preview": preview})


@in_viewer_zone
@staff_only
@require_GET
def find_time(request):
    """htmx: the next slots inside everyone's work hours."""
    data = request.GET.copy()
    data["title"] = data.get("title") or "-"  # a preview needs no title
    data["kind"] = data.get("kind") or "team"
    data["starts_at"] = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    form = MeetingScheduleForm(data, organiser=request.user)
    suggestions = []
    if form.is_valid():
        team, participants = _schedule_people(form)
        people = selectors.people_invited(
            organiser=request.user, team=team, participants=participants
        )
        suggestions = selectors.time_suggestions_for(
            people=people, duration_minutes=form.cleaned_data["duration_minutes"]
        )
    return render(
        request,
        "meetings/_find_time.html",
        {"suggestions": suggestions, "valid": form.is_valid()},
    )


@in_viewer_zone
def meeting_edit(request, pk: int):
    meeting = runnable_meeting(request, pk)
    form = MeetingEditForm(
        request.POST if request.method == "POST" else None,
        initial={
            "title": meeting.title,
            "starts_at": timezone.localtime(meeting.starts_at),
            "duration_minutes": meeting.duration_minutes,
            "video_url": meeting.video_url,
            "scope": "this",
        },
    )
    if meeting.series_id is None:
        form.fields.pop("scope")
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(
                meeting=meeting, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The meeting is updated."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/edit.html", {"form": form, "meeting": meeting})


@in_viewer_zone
@require_POST
def meeting_cancel(request, pk: int):
    meeting = runnable_meeting(request, pk)
    form = CancelForm(request.POST)
    scope = form.cleaned_data["scope"] if form.is_valid() else "this"
    try:
        count = services.meeting_cancel(
            meeting=meeting, by=request.user, scope=scope or "this"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Cancelled %(count)s meeting(s).") % {"count": count}
        )
    return redirect("meetings:detail", pk=meeting.pk)


@in_viewer_zone
@require_POST
def meeting_notes(request, pk: int):
    meeting = runnable_meeting(request, pk)
    people = [participant.user for participant in meeting.attendance.all()]
    form = NotesForm(request.POST, people=people)
    if form.is_valid():
        try:
            services.meeting_record_notes(
                meeting=meeting,
                by=request.user,
                notes=form.cleaned_data["notes"],
                private_notes=form.cleaned_data["private_notes"],
                attended=[person.pk for person in form.cleaned_data["attended"]],
                mark_done=form.cleaned_data["mark_done"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Notes saved."))
    else:
        messages.error(request, _("The notes could not be saved."))
    return redirect("meetings:detail", pk=meeting.pk)


@in_viewer_zone
@require_POST
def action_item_add(request, pk: int):
    meeting = runnable_meeting(request, pk)
    people = [participant.user for participant in meeting.attendance.all()]
    form = ActionItemForm(request.POST, people=people)
    if form.is_valid():
        try:
            services.action_item_create(
                meeting=meeting, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Action item added."))
    else:
        messages.error(request, _("Give the action and its owner."))
    return redirect("meetings:detail", pk=meeting.pk)


@in_viewer_zone
@require_POST
def action_item_toggle(request, pk: int):
    item = get_object_or_404(selectors.action_items_visible_to(request.user), pk=pk)
    done = request.POST.get("done", "1") == "1"
    try:
        services.action_item_complete(item=item, by=request.user, done=done)
    except ValidationError as error:
        raise PermissionDenied(" ".join(error.messages)) from error
    if request.htmx:
        return render(
            request,
            "meetings/_action_item.html",
            {"item": item, "may_tick": True, "next": back_to(request, "")},
        )
    return redirect(
        back_to(request, reverse("meetings:detail", args=[item.meeting_id]))
    )


@login_required
@require_GET
def meeting_ics(request, pk: int):
    meeting = visible_meeting(request, pk)
    response = HttpResponse(
        calendars.calendar_for([meeting]), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


@require_GET
def calendar_feed(request, token: str):
    """A person's meetings as an iCal feed; the secret token is the only credential."""
    owner = selectors.feed_owner(token=token)
    if owner is None:
        raise Http404
    body = calendars.calendar_for(
        selectors.feed_meetings_for(user=owner), name=_("Salesteam meetings")
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


@in_viewer_zone
@require_GET
def team_calendar(request):
    teams = list(selectors.teams_visible_to(request.user))
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
@staff_only
@require_GET
def check_ins(request):
    """The manager's reps: level, recommended cadence, last and next check-in."""
    now = timezone.now()
    live = ~Q(check_ins__status=MeetingStatus.CANCELLED) & Q(
        check_ins__kind__in=CHECK_IN_KINDS
    )
    reps = (
        selectors.reps_visible_to(request.user)
        .annotate(
            last_check_in=Max(
                "check_ins__starts_at", filter=live & Q(check_ins__starts_at__lt=now)
            ),
            next_check_in=Min(
                "check_ins__starts_at", filter=live & Q(check_ins__starts_at__gte=now)
            ),
        )
        .order_by("team__name", "first_name", "last_name", "email")
    )
    page = Paginator(reps, 50).get_page(request.GET.get("page"))
    rows = [
        {
            "rep": rep,
            "cadence": cadence.cadence_label(rep.autonomy_level),
            "cadence_days": cadence.cadence_days_for(rep.autonomy_level),
        }
        for rep in page
    ]
    return render(request, "meetings/check_ins.html", {"page": page, "rows": rows})


def _visible_rep(request, pk: int) -> User:
    return get_object_or_404(selectors.reps_visible_to(request.user), pk=pk)


@in_viewer_zone
@staff_only
@require_GET
def rep_history(request, pk: int):
    rep = _visible_rep(request, pk)
    meetings = selectors.one_on_one_history(rep=rep)
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/rep_history.html",
        {
            "rep": rep,
            "page": page,
            "cadence": cadence.cadence_label(rep.autonomy_level),
            "changes": list(selectors.autonomy_changes_for(rep=rep)[:10]),
            "autonomy_form": AutonomyForm(initial={"to_level": rep.autonomy_level}),
        },
    )


@in_viewer_zone
@staff_only
@require_POST
def autonomy_change(request, pk: int):
    rep = _visible_rep(request, pk)
    form = AutonomyForm(request.POST)
    if form.is_valid():
        try:
            autonomy.autonomy_set(rep=rep, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The autonomy level is changed."))
    else:
        messages.error(request, _("Choose a level and give a reason."))
    return redirect("meetings:rep_history", pk=rep.pk)


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
