"""Meeting pages: the list, a meeting, scheduling, editing, notes and action items."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.params import id_param
from meetings import cadence, selectors, services
from meetings.availability import local_slots_for
from meetings.fair_hours import fair_time_suggestions
from meetings.fair_schedule import fair_hours_preview
from meetings.forms import (
    ActionItemForm,
    CancelForm,
    MeetingEditForm,
    MeetingScheduleForm,
    NotesForm,
)
from meetings.models import MeetingStatus
from meetings.rotation import rotation_times_seen_from
from meetings.services.rules import check_timing
from meetings.views.common import (
    PAGE_SIZE,
    add_errors,
    back_to,
    in_viewer_zone,
    runnable_meeting,
    staff_only,
    visible_meeting,
)


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
    return meeting_page(request, visible_meeting(request, pk))


def meeting_page(request, meeting, *, notes_form: NotesForm | None = None):
    """The meeting; `notes_form` is a refused notes form, shown again with its text."""
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
    if meeting.series_id and meeting.series.rotation_times:
        times = rotation_times_seen_from(
            series=meeting.series, zone=request.user.zone, on=meeting.starts_at
        )
        context["rotation_times"] = get_text_list(
            [time.strftime("%H:%M") for time in times], _("and")
        )
    if may_run:
        context["notes_form"] = notes_form or NotesForm(
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
            try:
                # A time that cannot be booked is said before any warning about it.
                check_timing(
                    starts_at=data["starts_at"],
                    duration_minutes=data["duration_minutes"],
                    now=timezone.now(),
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
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
                        reason=data["reason"],
                        alternate_times=data["alternate_times"],
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
    # A booking the service refused after the warnings keeps them in view.
    confirming = bool(preview and preview.warnings)
    return render(
        request,
        "meetings/schedule.html",
        {"form": form, "preview": preview, "confirming": confirming},
    )


@in_viewer_zone
@staff_only
@require_GET
def slot_preview(request):
    """htmx: each person's local time for the chosen slot, and any warnings."""
    data = request.GET.copy()
    data["title"] = data.get("title") or "-"  # a preview needs no title
    form = MeetingScheduleForm(data, organiser=request.user)
    preview = fair_hours = None
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
        fair_hours = fair_hours_preview(
            organiser=request.user,
            local_slots=preview.local_slots,
            starts_at=form.cleaned_data["starts_at"],
            duration_minutes=form.cleaned_data["duration_minutes"],
            recurrence=form.cleaned_data["recurrence"],
            alternate_times=form.cleaned_data["alternate_times"],
        )
    return render(
        request,
        "meetings/_slot_preview.html",
        {"preview": preview, "fair_hours": fair_hours},
    )


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
        suggestions = fair_time_suggestions(
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
        # Shown again with what was typed and the reason beside the field: nothing lost.
        messages.error(request, _("The notes could not be saved."))
        return meeting_page(request, meeting, notes_form=form)
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
