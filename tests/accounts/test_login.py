import re

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import Membership, Role
from accounts.services import membership_revoke
from tests.factories import PASSWORD, UserFactory

LOGIN = reverse("accounts:login")


def _login(client, username, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def test_login_page_is_public_and_every_other_page_needs_login(world):
    client = Client()
    assert client.get(LOGIN).status_code == 200
    response = client.get(reverse("classes:class_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_login_with_username_or_mobile(world):
    assert _login(Client(), "head").status_code == 302
    # The guardian's username is their mobile; log in with a user whose
    # username differs from the mobile number to prove the lookup.
    user = UserFactory(username="zhanglaoshi", mobile="13712345678")
    Membership.objects.create(user=user, school=world.school, role=Role.SUBJECT_TEACHER)
    client = Client()
    response = _login(client, "13712345678")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_wrong_password_and_unknown_user_get_the_same_answer(world):
    wrong = _login(Client(), "head", "not-the-password")
    unknown = _login(Client(), "nobody-here", "not-the-password")
    assert wrong.status_code == unknown.status_code == 200
    errors = [re.findall(r'<div class="alert alert-danger"[^>]*>(.*?)</div>', r.content.decode(), re.S) for r in (wrong, unknown)]
    assert errors[0] == errors[1] and errors[0]


def test_session_id_changes_at_login(world):
    client = Client()
    client.get(LOGIN)
    client.session.save()
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    _login(client, "head")
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert before != after


def test_logout_ends_the_session(world):
    client = Client()
    _login(client, "head")
    assert client.get(reverse("classes:class_list")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("classes:class_list")).status_code == 302


def test_login_is_throttled_after_repeated_failures(world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    for _ in range(3):
        _login(client, "head", "wrong-password")
    locked = _login(client, "head")  # even the right password is refused now
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # Throttling is per username: another account can still log in.
    assert _login(Client(), "office").status_code == 302


@pytest.mark.parametrize(
    "username, expected",
    [
        ("head", "classes:class_detail"),
        ("office", "classes:class_list"),
        ("principal", "classes:class_list"),
        ("counsellor", "classes:class_list"),
        ("maths", "classes:class_list"),
        ("13900000001", "home_school:portal_child"),
        ("20260001", "home_school:portal_child"),
        ("schooladmin", "admin:index"),
    ],
)
def test_each_role_lands_on_its_home_page(world, username, expected):
    client = Client()
    response = _login(client, username)
    assert response["Location"] == reverse("accounts:home")
    home = client.get(response["Location"], follow=True)
    assert home.status_code == 200
    assert home.request["PATH_INFO"] == reverse(expected, args=_args(world, expected))


def _args(world, name):
    if name == "classes:class_detail":
        return [world.class1.pk]
    if name == "home_school:portal_child":
        return [world.child.pk]
    return []


def test_removed_role_stops_working_on_next_request(world, head_teacher_client):
    url = reverse("classes:class_detail", args=[world.class1.pk])
    assert head_teacher_client.get(url).status_code == 200
    membership_revoke(user=world.head_teacher, school=world.school, role=Role.HEAD_TEACHER)
    # No role left in the school: not staff any more, so every staff page is refused.
    assert head_teacher_client.get(url).status_code == 403
    assert head_teacher_client.get(reverse("students:student_detail", args=[world.child.pk])).status_code == 403


def test_role_names_are_exact(world):
    """Roles are compared whole: a subject teacher holding a head-teacher
    assignment gets no head-teacher reach, and the database refuses a role
    value that is not one of the known roles."""
    from django.db import IntegrityError, transaction

    from tests.factories import EnrollmentFactory, SchoolClassFactory, StudentFactory, TeachingAssignmentFactory

    class3 = SchoolClassFactory(school=world.school, school_year=world.year, grade=world.grade, number=3, name="六(3)班")
    pupil = EnrollmentFactory(student=StudentFactory(school=world.school), school_class=class3).student
    user = UserFactory(username="lookalike")
    Membership.objects.create(user=user, school=world.school, role=Role.SUBJECT_TEACHER)
    TeachingAssignmentFactory(school=world.school, term=world.term, school_class=class3, teacher=user, is_head_teacher=True)
    client = Client()
    client.force_login(user)
    assert client.get(reverse("classes:class_detail", args=[class3.pk])).status_code == 404
    assert client.get(reverse("students:student_detail", args=[pupil.pk])).status_code == 404
    Membership.objects.create(user=user, school=world.school, role=Role.HEAD_TEACHER)
    assert client.get(reverse("classes:class_detail", args=[class3.pk])).status_code == 200
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.bulk_create([Membership(user=user, school=world.school, role="head_teacher_x")])


def test_staff_session_expires_after_idle_time(world, settings):
    settings.STAFF_IDLE_TIMEOUT = 30 * 60
    url = reverse("classes:class_list")
    with time_machine.travel("2026-11-20 08:00 +0800", tick=False) as traveller:
        client = Client()
        _login(client, "head")
        assert client.get(url).status_code == 200
        traveller.shift(25 * 60)
        assert client.get(url).status_code == 200
        traveller.shift(31 * 60)
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)
        assert client.get(url).status_code == 302


def test_idle_timeout_sends_back_to_the_whole_page_encoded(world, settings):
    """The way back after the idle timeout keeps the query string, encoded,
    and the login page then returns there."""
    from urllib.parse import parse_qs, urlsplit

    settings.STAFF_IDLE_TIMEOUT = 30 * 60
    url = reverse("students:student_list") + "?q=%E9%99%88&page=1"  # 陈, as a browser sends it
    with time_machine.travel("2026-11-20 08:00 +0800", tick=False) as traveller:
        client = Client()
        _login(client, "head")
        assert client.get(url).status_code == 200
        traveller.shift(31 * 60)
        location = client.get(url)["Location"]
        assert location.startswith(LOGIN)
        assert parse_qs(urlsplit(location).query)["next"] == [url]
        response = client.post(location, {"username": "head", "password": PASSWORD})
        assert response.status_code == 302 and response["Location"] == url


def test_guardian_session_survives_staff_idle_time(world, settings):
    settings.STAFF_IDLE_TIMEOUT = 30 * 60
    url = reverse("home_school:portal_home")
    with time_machine.travel("2026-11-20 08:00 +0800", tick=False) as traveller:
        client = Client()
        _login(client, "13900000001")
        traveller.shift(3 * 3600)
        assert client.get(url).status_code == 302  # to the only child, still logged in
        assert client.get(url, follow=True).status_code == 200


def test_one_time_password_must_be_changed_first(world):
    user = world.parent
    user.must_change_password = True
    user.save()
    client = Client()
    _login(client, "13900000001")
    response = client.get(reverse("home_school:portal_home"))
    assert response["Location"] == reverse("accounts:password_change")
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Qing-song-2026", "new_password2": "Qing-song-2026"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get(reverse("home_school:portal_home")).status_code == 302
    assert client.get(reverse("home_school:portal_home"), follow=True).status_code == 200


def test_password_reset_link_uses_configured_domain_not_host_header(world, settings):
    settings.SITE_URL = "https://banwu.example.edu.cn"
    settings.ALLOWED_HOSTS = ["banwu.example.edu.cn", "evil.example"]
    world.head_teacher.email = "wang@example.edu.cn"
    world.head_teacher.save()
    response = Client().post(reverse("accounts:password_reset"), {"email": "wang@example.edu.cn"}, HTTP_HOST="evil.example")
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "https://banwu.example.edu.cn/password/reset/" in body
    assert "evil.example" not in body


def test_password_reset_does_not_reveal_whether_an_address_exists(world):
    known = Client().post(reverse("accounts:password_reset"), {"email": "nobody@example.edu.cn"})
    world.head_teacher.email = "wang@example.edu.cn"
    world.head_teacher.save()
    unknown = Client().post(reverse("accounts:password_reset"), {"email": "wang@example.edu.cn"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_login_redirect_refuses_other_hosts(world):
    response = _login(Client(), "head", next="//evil.example/steal")
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_school_switch_only_to_own_schools(world):
    user = world.office
    Membership.objects.create(user=user, school=world.b.school, role=Role.OFFICE)
    client = Client()
    client.force_login(user)
    assert client.post(reverse("accounts:school_switch"), {"school": world.b.school.pk}).status_code == 302
    page = client.get(reverse("classes:class_list"))
    assert world.b.school.name in page.content.decode()
    other = UserFactory(username="lonely")
    Membership.objects.create(user=other, school=world.school, role=Role.OFFICE)
    client.force_login(other)
    assert client.post(reverse("accounts:school_switch"), {"school": world.b.school.pk}).status_code == 400
