"""Pages of the meetings app."""

from django.urls import path

from meetings import plan_views, views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("schedule/", views.meeting_schedule, name="schedule"),
    path("schedule/preview/", views.slot_preview, name="slot_preview"),
    path("schedule/find-a-time/", views.find_time, name="find_time"),
    path("calendar/", views.team_calendar, name="calendar"),
    path("check-ins/", views.check_ins, name="check_ins"),
    path("check-ins/<int:pk>/", views.rep_history, name="rep_history"),
    path("check-ins/<int:pk>/autonomy/", views.autonomy_change, name="autonomy_change"),
    path("feed/", views.feed_settings, name="feed_settings"),
    path("feed/rotate/", views.feed_rotate, name="feed_rotate"),
    path("feed/revoke/", views.feed_revoke, name="feed_revoke"),
    path("feed/<str:token>/meetings.ics", views.calendar_feed, name="feed"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/cancel/", views.meeting_cancel, name="cancel"),
    path("<int:pk>/notes/", views.meeting_notes, name="notes"),
    path("<int:pk>/action-items/", views.action_item_add, name="action_item_add"),
    path("<int:pk>/meeting.ics", views.meeting_ics, name="ics"),
    path("plans/", plan_views.plan_list, name="plans"),
    path("plans/<int:pk>/", plan_views.plan_detail, name="plan"),
    path(
        "plans/<int:pk>/acknowledge/",
        plan_views.plan_acknowledge,
        name="plan_acknowledge",
    ),
    path("plans/<int:pk>/close/", plan_views.plan_close, name="plan_close"),
    path("plans/<int:pk>/extend/", plan_views.plan_extend, name="plan_extend"),
    path("plans/<int:pk>/goals/<int:goal_pk>/", plan_views.plan_goal, name="plan_goal"),
    path(
        "action-items/<int:pk>/done/",
        views.action_item_toggle,
        name="action_item_toggle",
    ),
]
