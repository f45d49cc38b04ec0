"""All home_school URLs: staff pages under /home-school/, the guardian and
student portal under /portal/. Each part's view module holds its `urls`."""

from .views import (
    committee,
    meetings,
    messaging,
    notices,
    parent_school,
    participation,
    portal,
    suggestions,
    visits,
    volunteering,
)

app_name = "home_school"

urlpatterns = [
    *portal.urls,
    *messaging.urls,
    *notices.urls,
    *meetings.urls,
    *visits.urls,
    *committee.urls,
    *volunteering.urls,
    *participation.urls,
    *suggestions.urls,
    *parent_school.urls,
]
