"""Pages for the review's output: the team's kudos feed and "needs attention"."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role
from accounts.permissions import is_staff_member
from accounts.selectors import users_visible_to
from targets.review_selectors import flags_needing_attention, kudos_for_viewer
from targets.services import kudos_give


class KudosForm(forms.Form):
    rep = forms.ModelChoiceField(label=gettext_lazy("Rep"), queryset=None)
    message = forms.CharField(
        label=gettext_lazy("What for?"),
        max_length=300,
        widget=forms.TextInput(
            attrs={"placeholder": gettext_lazy("Great demo today!")}
        ),
    )

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rep"].queryset = (
            users_visible_to(viewer)
            .filter(role=Role.REP, is_active=True)
            .exclude(pk=viewer.pk)
        )


@login_required
def kudos_feed(request):
    """The team feed of praise; managers give their own here."""
    form = None
    if is_staff_member(request.user):
        form = KudosForm(request.POST or None, viewer=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                kudos_give(
                    rep=form.cleaned_data["rep"],
                    by=request.user,
                    message=form.cleaned_data["message"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Kudos sent."))
                return redirect("targets:kudos")
    elif request.method == "POST":
        raise PermissionDenied
    page = Paginator(kudos_for_viewer(request.user), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "targets/kudos_feed.html", {"page": page, "form": form})


@login_required
def needs_attention(request):
    """Open flags of the reps a manager looks after."""
    if not is_staff_member(request.user):
        raise PermissionDenied
    return render(
        request,
        "targets/needs_attention.html",
        {"flags": flags_needing_attention(viewer=request.user)},
    )
