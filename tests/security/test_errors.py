"""The error pages: a failing view answers with the friendly 500 page (no
traceback, no settings, no exception text), with the security headers;
404 and 403 give nothing away either."""

import logging
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from .csp_checks import assert_security_headers, inline_problems

pytestmark = pytest.mark.django_db

TEMPLATE_500 = Path(settings.BASE_DIR) / "templates" / "500.html"
LEAKS = ("Traceback", "boom-detail-that-must-not-leak", "BoomError", "SECRET_KEY", "DATABASES", "settings.py", "django.", "File \"")


def test_the_500_template_is_plain_html():
    """Django renders 500.html without a context, after something already
    failed: no tag or variable that could fail again."""
    text = TEMPLATE_500.read_text(encoding="utf-8")
    assert "{%" not in text and "{{" not in text
    assert not inline_problems(text)


@override_settings(ROOT_URLCONF="tests.security.error_urls", DEBUG=False)
@pytest.mark.parametrize("who", [None, "office", "parent"])
def test_a_failing_view_shows_the_friendly_page(world, who, caplog):
    client = Client(raise_request_exception=False)
    if who:
        client.force_login(getattr(world, who))
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/__test__/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "服务器出错了" in body and "Server error" in body
    for leak in LEAKS:
        assert leak not in body, leak
    assert not inline_problems(body)
    assert_security_headers(response)
    # The operator still learns what happened, from the log.
    assert any("boom-detail-that-must-not-leak" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)


@override_settings(DEBUG=False)
def test_not_found_and_forbidden_give_nothing_away(world, client_for):
    for response in (
        client_for(world.office).get("/conduct/student/999999/"),
        client_for(world.office).get("/no-such-page/"),
        client_for(world.parent).get(reverse("classes:class_list")),
    ):
        assert response.status_code in {403, 404}
        body = response.content.decode()
        for leak in (*LEAKS, "URLconf", "urlpatterns", "Page not found (404)"):
            assert leak not in body, (response.status_code, leak)
        assert_security_headers(response)
