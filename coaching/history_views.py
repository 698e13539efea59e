"""Pages for bringing a team's history: upload, progress, templates and the replay."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.people_import import UnreadableFile, decode_upload
from accounts.views import admin_required
from coaching.history_forms import HistoryImportForm
from coaching.history_replay import history_replay
from targets.history_import import (
    KINDS,
    SYNC_IMPORT_MAX_ROWS,
    history_import_start,
    history_job_get,
    history_jobs_recent,
)


@admin_required
def history_import(request):
    """Upload past activities, deals or targets; large files are checked by a worker."""
    form = HistoryImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job, new = history_import_start(
                by=request.user,
                kind=form.cleaned_data["kind"],
                filename=upload.name,
                content=decode_upload(upload.read()),
            )
        except UnreadableFile as error:
            form.add_error("file", str(error))
        else:
            if not new:
                messages.info(
                    request,
                    _("This file was uploaded before; it is not imported twice."),
                )
            return redirect("history:job", pk=job.pk)
    return render(
        request,
        "coaching/history_import.html",
        {
            "form": form,
            "kinds": KINDS.values(),
            "jobs": history_jobs_recent(),
            "sync_limit": SYNC_IMPORT_MAX_ROWS,
        },
    )


@admin_required
def history_import_job(request, pk: int):
    found = history_job_get(pk=pk)
    if found is None:
        raise Http404  # no such job, or a people import (it has its own page)
    job, kind = found
    template = (
        "includes/_import_progress.html"
        if request.htmx
        else "coaching/history_import_job.html"
    )
    done_text = ngettext(
        "%(counter)s row was imported.",
        "%(counter)s rows were imported.",
        job.imported_count,
    ) % {"counter": job.imported_count}
    return render(request, template, {"job": job, "kind": kind, "done_text": done_text})


@admin_required
def history_import_template(request, kind: str):
    if kind not in KINDS:
        raise Http404
    response = HttpResponse(
        KINDS[kind].template_csv, content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="salesteam-history-{kind}.csv"'
    )
    return response


@admin_required
@require_POST
def history_replay_run(request):
    """Replay autonomy and the review over the history (once it is all imported)."""
    summary = history_replay()
    messages.success(
        request,
        _(
            "Replayed %(weeks)d weeks: %(changes)d autonomy changes, %(kudos)d kudos, "
            "%(opened)d plans opened and %(closed)d closed."
        )
        % {
            "weeks": summary.weeks,
            "changes": summary.autonomy_changes,
            "kudos": summary.kudos,
            "opened": summary.plans_opened,
            "closed": summary.plans_closed,
        },
    )
    return redirect("history:import")
