"""REST API for meetings, action items and the calendar feed address.

Thin: serializers parse, the services write, the selectors scope. A rep sees only the
meetings they take part in; another team's meeting is a 404; private notes are null for
anyone who may not run the meeting.
"""

from django.urls import path

from meetings.api.action_items import ActionItemViewSet
from meetings.api.autonomy import AutonomyChangeViewSet
from meetings.api.calendar_feed import CalendarFeedView
from meetings.api.meetings import MeetingViewSet

routes = [
    ("meetings", MeetingViewSet, "meeting"),
    ("action-items", ActionItemViewSet, "action-item"),
    ("autonomy-changes", AutonomyChangeViewSet, "api-autonomy-change"),
]
urlpatterns = [
    path("calendar-feed/", CalendarFeedView.as_view(), name="api-calendar-feed"),
]
