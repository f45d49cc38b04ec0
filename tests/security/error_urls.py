"""config.urls plus a view that fails, for the error-page tests."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


class BoomError(RuntimeError):
    pass


@login_not_required
def boom(request):
    raise BoomError("boom-detail-that-must-not-leak SECRET_KEY")


urlpatterns = [path("__test__/boom/", boom, name="test_boom"), *project_urlpatterns]
