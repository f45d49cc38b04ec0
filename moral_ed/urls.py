"""All moral_ed URLs; each part's view module holds its `urls`."""

from .views import conduct

app_name = "moral_ed"

urlpatterns = [
    *conduct.urls,
]
