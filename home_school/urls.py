"""All home_school URLs: staff pages under /home-school/, the guardian and
student portal under /portal/. Each part's view module holds its `urls`."""

from .views import portal

# parts: messaging
# parts: notices
# parts: meetings
# parts: committee

app_name = "home_school"

urlpatterns = [
    *portal.urls,
    # urls: messaging
    # urls: notices
    # urls: meetings
    # urls: committee
]
