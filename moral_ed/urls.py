"""All moral_ed URLs; each part's view module holds its `urls`."""

from .views import awards, conduct, dorms, evaluations, inspections

app_name = "moral_ed"

urlpatterns = [
    *conduct.urls,
    *inspections.urls,
    *evaluations.urls,
    *dorms.urls,
    *awards.urls,
]
