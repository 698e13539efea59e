"""The person's own calendar page: connect, test, sync now, disconnect."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.queueing import enqueue_on_commit
from integrations.calendars import selectors, tasks
from integrations.calendars.client import CalendarUnavailable, calendars_discover
from integrations.calendars.connections import calendar_connect, calendar_disconnect
from integrations.calendars.forms import CalendarConnectionForm
from meetings.views.common import in_viewer_zone


def add_errors(form: CalendarConnectionForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@in_viewer_zone
def calendar_settings(request):
    """GET: the connection and its state; POST: test the connection, or save it."""
    connection = selectors.connection_for(person=request.user)
    current = (
        (connection.calendar_url, connection.calendar_name or connection.calendar_url)
        if connection
        else None
    )
    password_stored = connection is not None
    found, tested = [], False
    if request.method == "POST":
        action = request.POST.get("action", "save")
        form = CalendarConnectionForm(
            request.POST, current=current, password_stored=password_stored
        )
        if form.is_valid():
            data = form.cleaned_data
            password = data["password"] or (connection.password if connection else "")
            if action == "test":
                problem = None
                if not password:
                    problem = ("password", _("Give the password."))
                else:
                    try:
                        found = calendars_discover(
                            server_url=data["server_url"],
                            username=data["username"],
                            password=password,
                        )
                        tested = True
                    except CalendarUnavailable as exc:
                        problem = (None, str(exc))
                # A new form offers the calendars found; the problem goes on that one.
                form = CalendarConnectionForm(
                    request.POST,
                    found=found,
                    current=current,
                    keep_password=True,
                    password_stored=password_stored,
                )
                form.is_valid()
                if problem:
                    form.add_error(*problem)
            else:
                try:
                    connection = calendar_connect(
                        person=request.user,
                        server_url=data["server_url"],
                        username=data["username"],
                        password=data["password"],
                        calendar_url=data["calendar_url"],
                    )
                except ValidationError as error:
                    add_errors(form, error)
                else:
                    enqueue_on_commit(tasks.calendar_sync, connection.pk)
                    messages.success(
                        request,
                        _(
                            "Your calendar %(name)s is connected. Your meetings are "
                            "being written into it."
                        )
                        % {"name": connection.calendar_name},
                    )
                    return redirect("integrations:calendar")
    else:
        form = CalendarConnectionForm(
            initial={
                "server_url": connection.server_url,
                "username": connection.username,
                "calendar_url": connection.calendar_url,
            }
            if connection
            else None,
            current=current,
            password_stored=password_stored,
        )
    return render(
        request,
        "integrations/calendar.html",
        {
            "connection": connection,
            "form": form,
            "found": found,
            "tested": tested,
            "found_message": ngettext(
                "Signed in: %(count)d calendar for events found.",
                "Signed in: %(count)d calendars for events found.",
                len(found),
            )
            % {"count": len(found)},
            "written": selectors.written_count(connection=connection),
        },
    )


@in_viewer_zone
@require_POST
def calendar_sync_now(request):
    connection = selectors.connection_for(person=request.user)
    if connection is None:
        messages.error(request, _("Connect a calendar first."))
    else:
        enqueue_on_commit(tasks.calendar_sync, connection.pk)
        messages.success(
            request,
            _("Your calendar is being synced; this page shows when it is done."),
        )
    return redirect("integrations:calendar")


@in_viewer_zone
@require_POST
def calendar_disconnect_view(request):
    if calendar_disconnect(person=request.user):
        messages.success(
            request,
            _(
                "Your calendar is disconnected. The events Salesteam wrote stay in it "
                "but are no longer kept in step."
            ),
        )
    return redirect("integrations:calendar")
