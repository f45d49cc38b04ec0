import pytest

from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _login(page, username):
    page.goto("/login/")
    page.get_by_label("账号或手机号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state("networkidle")


def test_guardian_logs_in_on_a_phone_and_sees_only_their_child(world, page_at, shot):
    page = page_at(375, 812, mobile=True)
    _login(page, "13900000001")
    assert "/portal/child/" in page.url
    body = page.inner_text("body")
    assert "陈小雨" in body and "六(1)班" in body and "王老师" in body
    assert "吴浩然" not in body and "周子涵" not in body
    # Nothing wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "portal-child-375")


def test_head_teacher_logs_in_on_a_tablet_and_lands_on_their_class(world, page_at, shot):
    page = page_at(768, 1024, mobile=True)
    _login(page, "head")
    assert f"/classes/{world.class1.pk}/" in page.url
    body = page.inner_text("body")
    assert "六(1)班" in body and "陈小雨" in body and "周子涵" in body
    assert "吴浩然" not in body
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
    shot(page, "class-detail-768")
    page.get_by_role("link", name="陈小雨").click()
    page.wait_for_load_state("networkidle")
    assert "陈妈妈" in page.inner_text("body")
    shot(page, "student-detail-768")


def test_wrong_password_shows_a_chinese_error(world, page_at, shot):
    page = page_at(375, 812, mobile=True)
    page.goto("/login/")
    page.get_by_label("账号或手机号").fill("head")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    assert "账号或密码不正确" in page.inner_text("body")
    shot(page, "login-error-375")
