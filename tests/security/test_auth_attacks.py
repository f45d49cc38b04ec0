"""Attacks on logging in and out: open redirects, session fixation, a
session that outlives a logout, a removed role or a deactivated account,
and password-reset links (domain, expiry, single use).

tests/accounts/test_login.py holds the first cases of several of these
(one open redirect, the session id changing, logout, a removed role, the
reset link's domain); this file adds the variants an attacker would try.
"""

import datetime
import re
from urllib.parse import urljoin, urlsplit

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.module_loading import import_string

from accounts.models import Membership, Role
from tests.factories import PASSWORD

LOGIN = reverse("accounts:login")
EVIL_NEXTS = [
    "//evil.example",
    "//evil.example/path",
    "https://evil.example",
    "http://evil.example/x",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    " //evil.example",
    "///evil.example",
    "http://testserver@evil.example/",
    "%2F%2Fevil.example",
]


def _login(client, username="head", password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def _on_site(location: str) -> bool:
    """Where a browser goes with this Location, read from the login page:
    still this host (browsers read a backslash as a slash)."""
    resolved = urlsplit(urljoin("http://testserver/login/", location.strip().replace("\\", "/")))
    return resolved.scheme in ("http", "https") and resolved.netloc == "testserver"


def _session_store():
    return import_string(f"{settings.SESSION_ENGINE}.SessionStore")


# --- Open redirects ------------------------------------------------------------------------------


@pytest.mark.parametrize("target", EVIL_NEXTS)
def test_login_never_sends_off_site(world, target):
    response = _login(Client(), next=target)
    assert response.status_code == 302
    assert _on_site(response["Location"]), response["Location"]
    # Already signed in, the login page sends on at once: same rule.
    client = Client()
    client.force_login(world.head_teacher)
    response = client.get(LOGIN, {"next": target})
    assert response.status_code == 302 and _on_site(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", EVIL_NEXTS)
def test_logout_never_sends_off_site(world, target):
    client = Client()
    client.force_login(world.parent)
    response = client.post(reverse("accounts:logout") + "?next=" + target)
    assert response.status_code == 302 and _on_site(response["Location"]), response["Location"]
    response = Client().post(reverse("accounts:logout"), {"next": target})
    assert response.status_code == 302 and _on_site(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", EVIL_NEXTS)
def test_language_switch_never_sends_off_site(world, target):
    client = Client()
    response = client.post(reverse("set_language"), {"language": "en", "next": target})
    assert response.status_code == 302 and _on_site(response["Location"]), response["Location"]
    response = client.post(reverse("set_language"), {"language": "en"}, HTTP_REFERER=target)
    assert response.status_code == 302 and _on_site(response["Location"]), response["Location"]
    response = client.get(reverse("set_language"), {"language": "en", "next": target})
    assert response.status_code == 302 and _on_site(response["Location"]), response["Location"]


def test_idle_timeout_redirect_keeps_next_on_site(world, settings):
    """The idle-timeout redirect carries the page asked for as `next`; a
    path like //evil.example/ must not become an off-site `next`."""
    settings.STAFF_IDLE_TIMEOUT = 60
    with time_machine.travel("2026-11-20 08:00 +0800", tick=False) as traveller:
        client = Client()
        _login(client)
        client.get(reverse("classes:class_list"))
        traveller.shift(3600)
        response = client.get("//evil.example/")
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)
        nxt = response["Location"].split("next=", 1)[-1]
        response = _login(Client(), next=nxt)
        assert _on_site(response["Location"]), response["Location"]


def test_login_with_a_nul_in_the_name_is_just_a_failed_login(world):
    response = _login(Client(), username="head\x00", password="x\x00y")
    assert response.status_code == 200
    assert "_auth_user_id" not in Client().session


# --- Sessions ---------------------------------------------------------------------------------------


def test_the_session_key_planted_before_login_dies_at_login(world):
    """Session fixation: a key an attacker planted before the login is
    not the session after it, and no longer exists."""
    store = _session_store()()
    store["planted"] = True
    store.create()
    planted = store.session_key
    victim = Client()
    victim.cookies[settings.SESSION_COOKIE_NAME] = planted
    assert _login(victim).status_code == 302
    assert victim.cookies[settings.SESSION_COOKIE_NAME].value != planted
    assert not _session_store()().exists(planted)
    attacker = Client()
    attacker.cookies[settings.SESSION_COOKIE_NAME] = planted
    response = attacker.get(reverse("classes:class_list"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_a_stolen_cookie_stops_working_after_logout(world):
    client = Client()
    _login(client)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert thief.get(reverse("classes:class_list")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert not _session_store()().exists(cookie)
    response = thief.get(reverse("classes:class_list"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_a_password_change_elsewhere_ends_other_sessions(world):
    """Sessions carry the password hash: after a password change, a
    session opened before (a stolen cookie) is signed out."""
    old = Client()
    _login(old)
    user = world.head_teacher
    user.set_password("a-new-password-9137")
    user.save()
    response = old.get(reverse("classes:class_list"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


@pytest.mark.parametrize(
    ("who", "role", "url_name", "arg"),
    [
        ("office", Role.OFFICE, "moral_ed:star_queue", None),
        ("parent", Role.GUARDIAN, "home_school:portal_child", "child"),
        ("counsellor", Role.COUNSELLOR, "classes:class_detail", "class1"),
    ],
)
def test_a_removed_role_stops_at_the_next_request(world, who, role, url_name, arg):
    """Roles are read from the database on every request
    (accounts.middleware.SchoolContextMiddleware), not kept in the session."""
    client = Client()
    client.force_login(getattr(world, who))
    url = reverse(url_name, args=[getattr(world, arg).pk] if arg else [])
    assert client.get(url).status_code == 200
    Membership.objects.filter(user=getattr(world, who), school=world.school, role=role).delete()
    assert client.get(url).status_code == 403


def test_a_deactivated_school_stops_its_people_at_the_next_request(world):
    client = Client()
    client.force_login(world.office)
    url = reverse("classes:class_list")
    assert client.get(url).status_code == 200
    world.school.is_active = False
    world.school.save(update_fields=["is_active"])
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("username", ["head", "13900000001"])
def test_a_deactivated_account_is_signed_out_at_the_next_request(world, username):
    client = Client()
    _login(client, username)
    url = reverse("accounts:home")
    assert client.get(url).status_code == 302 and not client.get(url)["Location"].startswith(LOGIN)
    user = world.head_teacher if username == "head" else world.parent
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert _login(Client(), username).status_code == 200  # and cannot log in again


# --- Password reset ----------------------------------------------------------------------------------


def _reset_link(world, settings, **headers):
    settings.SITE_URL = "https://banwu.example.edu.cn"
    settings.ALLOWED_HOSTS = ["*"]  # as behind a proxy that passes any Host on
    world.parent.email = "chen@example.com"
    world.parent.save()
    mail.outbox.clear()
    response = Client().post(reverse("accounts:password_reset"), {"email": "chen@example.com"}, **headers)
    assert response.status_code == 302
    (message,) = mail.outbox
    (link,) = re.findall(r"https?://\S+/password/reset/\S+/\S+/", message.body)
    return message, link


def test_reset_link_ignores_host_and_forwarded_host_headers(world, settings):
    settings.USE_X_FORWARDED_HOST = True
    message, link = _reset_link(world, settings, HTTP_HOST="evil.example", HTTP_X_FORWARDED_HOST="evil2.example")
    assert link.startswith("https://banwu.example.edu.cn/password/reset/")
    assert "evil" not in message.body and "evil" not in message.subject


def test_reset_links_live_at_most_an_hour(world):
    assert 0 < settings.PASSWORD_RESET_TIMEOUT <= 3600


def _path(link):
    return "/" + link.split("/", 3)[3]


def test_reset_link_expires(world, settings):
    with time_machine.travel("2026-11-20 10:00 +0800", tick=False) as traveller:
        _message, link = _reset_link(world, settings)
        traveller.shift(datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 1))
        response = Client().get(_path(link), follow=True)
        assert response.status_code == 200
        assert response.context["validlink"] is False


def test_reset_link_works_once(world, settings):
    _message, link = _reset_link(world, settings)
    client = Client()
    response = client.get(_path(link), follow=True)
    assert response.context["validlink"] is True
    form_url = response.redirect_chain[-1][0]
    new = "Another-Pass-4821"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert _login(Client(), "13900000001", new).status_code == 302
    again = Client().get(_path(link), follow=True)
    assert again.context["validlink"] is False


def test_session_store_is_the_configured_engine():
    """The session checks above use the project's own engine."""
    assert issubclass(_session_store(), SessionBase)
