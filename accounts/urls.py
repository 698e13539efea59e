"""Authentication pages (login, logout, password reset) and people pages."""

from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views
from accounts.forms import EmailAuthenticationForm
from accounts.tokens import tokens_revoke_all


class PasswordChangeView(auth_views.PasswordChangeView):
    """A new password also ends every API token: a leaked one stops working with it."""

    def form_valid(self, form):
        response = super().form_valid(form)
        tokens_revoke_all(user=form.user)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A reset password ends every API token, as a changed one does."""

    def form_valid(self, form):
        response = super().form_valid(form)
        tokens_revoke_all(user=form.user)
        return response


urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=EmailAuthenticationForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "password/change/",
        PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]

urlpatterns += [
    path("people/", views.directory, name="directory"),
    path("people/add/", views.rep_add, name="rep-add"),
    path("people/import/", views.people_import, name="people-import"),
    path(
        "people/import/template.csv",
        views.people_import_template,
        name="people-import-template",
    ),
    path("people/import/<int:pk>/", views.people_import_job, name="people-import-job"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path(
        "people/<int:pk>/deactivate/", views.person_deactivate, name="person-deactivate"
    ),
    path(
        "people/<int:pk>/reactivate/", views.person_reactivate, name="person-reactivate"
    ),
    path("invitations/", views.invitations, name="invitations"),
    path(
        "invitations/<int:pk>/resend/",
        views.invitation_resend,
        name="invitation-resend",
    ),
    path(
        "invitations/<int:pk>/revoke/",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
    path("invite/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("welcome/", views.welcome, name="welcome"),
    path("teams/", views.teams, name="teams"),
    path("teams/add/", views.team_add, name="team-add"),
    path("teams/<int:pk>/edit/", views.team_edit, name="team-edit"),
    path("audit/", views.audit_log, name="audit-log"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications-read"),
]
