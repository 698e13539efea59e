"""People pages: directory, profiles, onboarding, CSV import, invitations, teams, audit.

Views are thin: they parse input with a form, call one service or selector, and render.
Objects outside the viewer's scope are looked up through scoped selectors, so they 404.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts import selectors, services
from accounts.forms import (
    AcceptInvitationForm,
    AddRepForm,
    PeopleImportForm,
    ProfileForm,
    TeamForm,
)
from accounts.invitations import InvitationUnusable, invitation_from_token
from accounts.list_views import directory, teams  # noqa: F401 (the URLs' names)
from accounts.models import ImportJob, Invitation, Team
from accounts.notifications import notifications_for, notifications_mark_read
from accounts.people_import import (
    SYNC_IMPORT_MAX_ROWS,
    TEMPLATE_CSV,
    UnreadableFile,
    decode_upload,
    import_job_start,
)
from accounts.permissions import may_change_account
from core.params import id_param


def admin_required(view):
    """Admins only; anyone else signed in is told no (the page exists for everyone)."""

    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.is_admin:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError beside the fields it names."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- Directory and profiles -----------------------------------------------------------


@login_required
def person_detail(request, pk: int):
    person = selectors.user_get_for(request.user, pk)
    invitation = person.invitations.order_by("-created_at").first()
    return render(
        request,
        "accounts/person_detail.html",
        {
            "person": person,
            "entry": selectors.directory_entry(person, timezone.now()),
            "invitation": invitation,
            "may_change": may_change_account(request.user, person),
        },
    )


@login_required
def person_edit(request, pk: int):
    person = selectors.user_get_for_change(request.user, pk)
    admin = request.user.is_admin
    form = ProfileForm(request.POST or None, instance=person, admin=admin)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(user=person, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # Said in the language the next page is in: their own, if just changed.
            own = person.pk == request.user.pk and person.language
            with translation.override(own or translation.get_language()):
                messages.success(request, _("Profile saved."))
            return redirect("person-detail", pk=person.pk)
    return render(
        request, "accounts/person_edit.html", {"person": person, "form": form}
    )


@admin_required
@require_POST
def person_deactivate(request, pk: int):
    person = selectors.user_get_for_change(request.user, pk)
    try:
        services.user_deactivate(user=person, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "%(name)s is deactivated: they can no longer log in; their history stays."
            )
            % {"name": person},
        )
    return redirect("person-detail", pk=person.pk)


@admin_required
@require_POST
def person_reactivate(request, pk: int):
    person = selectors.user_get_for_change(request.user, pk)
    try:
        services.user_reactivate(user=person, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is active again.") % {"name": person})
    return redirect("person-detail", pk=person.pk)


# --- Onboarding -----------------------------------------------------------------------


@admin_required
def rep_add(request):
    form = AddRepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rep = services.rep_onboard(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s was added and an invitation is on its way to %(email)s.")
                % {"name": rep, "email": rep.email},
            )
            return redirect("person-detail", pk=rep.pk)
    return render(request, "accounts/rep_add.html", {"form": form})


@admin_required
def people_import(request):
    """Upload a CSV of people; small files import at once, large ones on a worker."""
    form = PeopleImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            content = decode_upload(upload.read())
        except UnreadableFile as error:
            form.add_error("file", str(error))
        else:
            job = import_job_start(
                by=request.user, filename=upload.name, content=content
            )
            return redirect("people-import-job", pk=job.pk)
    return render(
        request,
        "accounts/people_import.html",
        {
            "form": form,
            "jobs": selectors.import_jobs_recent(),
            "sync_limit": SYNC_IMPORT_MAX_ROWS,
        },
    )


@admin_required
def people_import_job(request, pk: int):
    job = get_object_or_404(ImportJob.objects.defer("content"), pk=pk)
    template = (
        "includes/_import_progress.html" if request.htmx else "accounts/import_job.html"
    )
    done_text = ngettext(
        "%(counter)s person was imported and invited.",
        "%(counter)s people were imported and invited.",
        job.imported_count,
    ) % {"counter": job.imported_count}
    return render(request, template, {"job": job, "done_text": done_text})


@admin_required
def people_import_template(request):
    response = HttpResponse(TEMPLATE_CSV, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="salesteam-people.csv"'
    return response


# --- Invitations ----------------------------------------------------------------------


@admin_required
def invitations(request):
    page = Paginator(selectors.invitations_pending(), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/invitations.html", {"page": page})


def redirect_back(request, default: str):
    """Back to the page the form came from (`next`), if it is on this site."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


def invitation_action(request, pk: int, *, service, success: str):
    """Run an invitation service from a button, and say how it went."""
    invitation = get_object_or_404(Invitation.objects.select_related("user"), pk=pk)
    try:
        service(invitation=invitation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success % {"email": invitation.user.email})
    return redirect_back(request, "invitations")


@admin_required
@require_POST
def invitation_resend(request, pk: int):
    return invitation_action(
        request,
        pk,
        service=services.invitation_resend,
        success=_("A new invitation was sent to %(email)s."),
    )


@admin_required
@require_POST
def invitation_revoke(request, pk: int):
    return invitation_action(
        request,
        pk,
        service=services.invitation_revoke,
        success=_("The invitation for %(email)s no longer works."),
    )


def invitation_accept(request, token: str):
    """The link from the email: choose a password, then land on the welcome page."""
    try:
        invitation = invitation_from_token(token)
    except InvitationUnusable as problem:
        return render(
            request,
            "accounts/invitation_unusable.html",
            {"reason": problem.reason},
            status=410,
        )
    form = AcceptInvitationForm(request.POST or None, user=invitation.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token, password=form.cleaned_data["new_password1"]
            )
        except InvitationUnusable as problem:
            return render(
                request,
                "accounts/invitation_unusable.html",
                {"reason": problem.reason},
                status=410,
            )
        except ValidationError as error:
            form.add_error("new_password1", error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("welcome")
    return render(
        request,
        "accounts/invitation_accept.html",
        {"form": form, "invitee": invitation.user},
    )


@login_required
def welcome(request):
    return render(request, "accounts/welcome.html")


# --- Notifications --------------------------------------------------------------------


@login_required
def notifications(request):
    page = Paginator(notifications_for(request.user), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/notifications.html", {"page": page})


@login_required
@require_POST
def notifications_read(request):
    ids = [
        number for value in request.POST.getlist("id") if (number := id_param(value))
    ]
    notifications_mark_read(user=request.user, ids=ids or None)
    return redirect_back(request, "notifications")


# --- Teams and audit ------------------------------------------------------------------


@admin_required
def team_add(request):
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(
                name=form.cleaned_data["name"],
                manager=form.cleaned_data["manager"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Team %(name)s was created.") % {"name": team})
            return redirect("teams")
    return render(request, "accounts/team_form.html", {"form": form})


@admin_required
def team_edit(request, pk: int):
    team = get_object_or_404(Team, pk=pk)
    form = TeamForm(request.POST or None, instance=team)
    if request.method == "POST" and form.is_valid():
        try:
            services.team_update(team=team, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Team %(name)s was saved.") % {"name": team})
            return redirect("teams")
    return render(request, "accounts/team_form.html", {"form": form, "team": team})


AUDIT_PAGE_SIZE = 50


@admin_required
def audit_log(request):
    kind = "team" if request.GET.get("kind") == "team" else "user"
    page_param = request.GET.get("page", "1")
    page_number = id_param(page_param, maximum=10_000) or 1
    entries = selectors.audit_log_page(
        kind=kind, offset=(page_number - 1) * AUDIT_PAGE_SIZE, limit=AUDIT_PAGE_SIZE + 1
    )
    return render(
        request,
        "accounts/audit_log.html",
        {
            "entries": entries[:AUDIT_PAGE_SIZE],
            "kind": kind,
            "page_number": page_number,
            "has_next": len(entries) > AUDIT_PAGE_SIZE,
        },
    )
