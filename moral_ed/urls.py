"""All moral_ed URLs; each part's view module holds its `urls` (the
conduct ledger's pages are a package, one module per page group)."""

from .views import awards, dorms, evaluations, inspections
from .views.conduct import bank, entry, groups, ranking, review, stars, student

app_name = "moral_ed"

urlpatterns = [
    *entry.urls,
    *student.urls,
    *review.urls,
    *groups.urls,
    *ranking.urls,
    *bank.urls,
    *stars.urls,
    *inspections.urls,
    *evaluations.urls,
    *dorms.urls,
    *awards.urls,
]
