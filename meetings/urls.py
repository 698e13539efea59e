"""Pages of the meetings app."""

from django.urls import path

from meetings.views import calendars, check_ins, meeting_pages

app_name = "meetings"
urlpatterns = [
    path("", meeting_pages.meeting_list, name="list"),
    path("schedule/", meeting_pages.meeting_schedule, name="schedule"),
    path("schedule/preview/", meeting_pages.slot_preview, name="slot_preview"),
    path("schedule/find-a-time/", meeting_pages.find_time, name="find_time"),
    path("calendar/", calendars.team_calendar, name="calendar"),
    path("check-ins/", check_ins.check_ins, name="check_ins"),
    path("check-ins/<int:pk>/", check_ins.rep_history, name="rep_history"),
    path(
        "check-ins/<int:pk>/autonomy/",
        check_ins.autonomy_change,
        name="autonomy_change",
    ),
    path("feed/", calendars.feed_settings, name="feed_settings"),
    path("feed/rotate/", calendars.feed_rotate, name="feed_rotate"),
    path("feed/revoke/", calendars.feed_revoke, name="feed_revoke"),
    path("feed/<str:token>/meetings.ics", calendars.calendar_feed, name="feed"),
    path("<int:pk>/", meeting_pages.meeting_detail, name="detail"),
    path("<int:pk>/edit/", meeting_pages.meeting_edit, name="edit"),
    path("<int:pk>/cancel/", meeting_pages.meeting_cancel, name="cancel"),
    path("<int:pk>/notes/", meeting_pages.meeting_notes, name="notes"),
    path(
        "<int:pk>/action-items/", meeting_pages.action_item_add, name="action_item_add"
    ),
    path("<int:pk>/meeting.ics", calendars.meeting_ics, name="ics"),
    path(
        "action-items/<int:pk>/done/",
        meeting_pages.action_item_toggle,
        name="action_item_toggle",
    ),
]
