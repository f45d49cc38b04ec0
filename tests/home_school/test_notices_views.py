"""The staff pages (write, follow, export, send, cancel) and the guardian's
portal pages (list, read, confirm, reply), with their query counts."""

import io
import re
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from home_school.models.notices import Notice, NoticeReceipt, ReceiptType
from home_school.services import notices as services
from notifications.models import Notification

from .notices_support import NOV20, add_student, at, make_notice, second_guardian

pytestmark = pytest.mark.usefixtures("world")

NEW = reverse("home_school:notice_create")


def _form(**overrides):
    data = {
        "title": "家长会通知",
        "body": "定于周五下午召开家长会。",
        "scope": "classes",
        "receipt_type": "reply",
        "choices": "参加\n不参加",
        "remind_after_hours": "24",
        "send_mode": "now",
    }
    data.update(overrides)
    return data


# --- Writing ---------------------------------------------------------------------------------


@time_machine.travel(NOV20, tick=False)
def test_head_teacher_sees_only_own_classes_as_choices(world, head_teacher_client):
    page = head_teacher_client.get(NEW).content.decode()
    assert "六(1)班" in page and "六(2)班" not in page
    assert 'value="grade"' not in page and 'value="school"' not in page


@time_machine.travel(NOV20, tick=False)
def test_office_may_address_classes_a_grade_or_the_school(world, office_client):
    page = office_client.get(NEW).content.decode()
    assert "六(1)班" in page and "六(2)班" in page and "B校" not in page
    assert 'value="grade"' in page and 'value="school"' in page


@time_machine.travel(NOV20, tick=False)
def test_head_teacher_sends_a_notice_to_own_class(world, head_teacher_client):
    response = head_teacher_client.post(NEW, _form(classes=[world.class1.pk]))
    notice = Notice.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("home_school:notice_detail", args=[notice.pk])
    assert notice.author == world.head_teacher and notice.choices == ["参加", "不参加"] and notice.is_sent
    assert NoticeReceipt.objects.filter(notice=notice).count() == 2
    assert Notification.objects.filter(recipient=world.parent, kind="home_school.notice").exists()


@time_machine.travel(NOV20, tick=False)
@pytest.mark.parametrize("classes", ["other", "both", "other_school"])
def test_head_teacher_cannot_post_another_class(world, head_teacher_client, classes):
    ids = {"other": [world.class2.pk], "both": [world.class1.pk, world.class2.pk], "other_school": [world.b.class1.pk]}[classes]
    response = head_teacher_client.post(NEW, _form(classes=ids))
    assert response.status_code == 200
    assert "classes" in response.context["form"].errors
    assert not Notice.objects.exists() and not Notification.objects.exists()


@time_machine.travel(NOV20, tick=False)
def test_head_teacher_cannot_post_a_grade_or_school_scope(world, head_teacher_client):
    for scope in ("grade", "school"):
        response = head_teacher_client.post(NEW, _form(scope=scope, grade=world.grade.pk))
        assert response.status_code == 200 and "scope" in response.context["form"].errors
    assert not Notice.objects.exists()


@time_machine.travel(NOV20, tick=False)
def test_form_refuses_too_few_choices_and_a_past_schedule(world, head_teacher_client):
    response = head_teacher_client.post(NEW, _form(classes=[world.class1.pk], choices="参加"))
    assert "choices" in response.context["form"].errors
    response = head_teacher_client.post(
        NEW, _form(classes=[world.class1.pk], send_mode="schedule", scheduled_for="2026-11-19T10:00")
    )
    assert "scheduled_for" in response.context["form"].errors
    assert not Notice.objects.exists()


@time_machine.travel(NOV20, tick=False)
def test_scheduling_and_drafts_then_send_and_cancel(world, head_teacher_client, office_client):
    head_teacher_client.post(NEW, _form(classes=[world.class1.pk], send_mode="schedule", scheduled_for="2026-11-21T08:00"))
    scheduled = Notice.objects.get()
    assert scheduled.scheduled_for == at("2026-11-21 08:00") and not scheduled.is_sent
    head_teacher_client.post(NEW, _form(classes=[world.class1.pk], send_mode="draft", title="草稿"))
    draft = Notice.objects.get(title="草稿")
    assert draft.status == "draft" and not NoticeReceipt.objects.exists()

    # The office sees the head teacher's draft but may not send it; the author does.
    assert office_client.post(reverse("home_school:notice_send", args=[draft.pk])).status_code == 403
    head_teacher_client.post(reverse("home_school:notice_send", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.is_sent and NoticeReceipt.objects.filter(notice=draft).count() == 2

    # The office may cancel a head teacher's scheduled notice before it goes.
    office_client.post(reverse("home_school:notice_cancel", args=[scheduled.pk]))
    scheduled.refresh_from_db()
    assert scheduled.status == "cancelled" and scheduled.cancelled_by == world.office
    assert services.notices_send_due(now=at("2026-11-21 08:00")) == 0


@time_machine.travel(NOV20, tick=False)
def test_lists_show_own_notices_to_head_teachers_and_all_to_the_office(world, head_teacher_client, office_client, client_for):
    make_notice(world, title="一班的通知")
    make_notice(world, world.other_head_teacher, classes=[world.class2], title="二班的通知")
    make_notice(world, world.b.head_teacher, classes=[world.b.class1], school=world.b.school, title="B校的通知")
    url = reverse("home_school:notice_list")
    page = head_teacher_client.get(url).content.decode()
    assert "一班的通知" in page and "二班的通知" not in page and "B校的通知" not in page
    page = office_client.get(url).content.decode()
    assert "一班的通知" in page and "二班的通知" in page and "B校的通知" not in page
    page = client_for(world.b.office).get(url).content.decode()
    assert "B校的通知" in page and "一班的通知" not in page


# --- Following the receipts --------------------------------------------------------------------


@time_machine.travel(NOV20, tick=False)
def test_detail_counts_read_replied_per_choice_and_waiting(world, head_teacher_client):
    third = add_student(world, world.class1, name="林小北")
    notice = make_notice(
        world,
        world.office,
        classes=[world.class1, world.class2],
        receipt_type=ReceiptType.REPLY,
        choices=["参加", "不参加", "待定"],
    )
    services.notice_reply(notice=notice, user=world.parent, student=world.child, choice=0)
    services.notice_reply(notice=notice, user=third.guardianships.get().guardian.user, student=third, choice=0)
    services.notice_mark_read(notice=notice, user=world.other_parent, student_ids=[world.other_child.pk])
    from home_school.selectors.notices import notice_receipts, receipt_tally

    tally = receipt_tally(notice, list(notice_receipts(notice)))
    total = tally["total"]
    assert (total["sent"], total["read"], total["replied"], total["waiting"]) == (4, 3, 2, 2)
    assert total["choices"] == [("参加", 2), ("不参加", 0), ("待定", 0)]
    by_class = {g["school_class"].name: g["tally"] for g in tally["classes"]}
    assert by_class["六(1)班"]["waiting"] == 1 and by_class["六(2)班"]["waiting"] == 1

    from django.test import Client

    client = Client()
    client.force_login(world.office)
    page = client.get(reverse("home_school:notice_detail", args=[notice.pk])).content.decode()
    assert "六(1)班" in page and "六(2)班" in page and "林小北" in page and "吴浩然" in page
    assert "待定" in page


@time_machine.travel(NOV20, tick=False)
def test_export_lists_every_student_and_neutralises_formulas(world, head_teacher_client):
    second = second_guardian(world, world.child)
    notice = make_notice(world, receipt_type=ReceiptType.REPLY, choices=["参加", "不参加"])
    services.notice_reply(notice=notice, user=second.user, student=world.child, choice=1, comment="=1+1")
    services.notice_reply(notice=notice, user=world.parent, student=world.child, choice=1, comment='=HYPERLINK("http://x")')
    response = head_teacher_client.get(reverse("home_school:notice_export", args=[notice.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f"notice-{notice.pk}-receipts.xlsx" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == 3  # header + 陈小雨 + 周子涵
    child = next(r for r in rows if r[2] == "陈小雨")
    assert child[0] == "六(1)班" and child[1] == "20260001"
    assert "不参加" in child and world.parent.get_full_name() in child  # the last answer and who gave it
    comment = next(v for v in child if isinstance(v, str) and "HYPERLINK" in v)
    assert comment.startswith("'=")
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
    classmate = next(r for r in rows if r[2] == "周子涵")
    assert all(v in (None, "") for v in classmate[3:])


@time_machine.travel(NOV20, tick=False)
def test_export_of_a_guardian_comment_equal_one_plus_one_is_text(world, head_teacher_client):
    notice = make_notice(world, receipt_type=ReceiptType.REPLY)
    services.notice_reply(notice=notice, user=world.parent, student=world.child, choice=0, comment="=1+1")
    response = head_teacher_client.get(reverse("home_school:notice_export", args=[notice.pk]))
    ws = load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "1+1" in c.value]
    assert [c.value for c in cells] == ["'=1+1"] and cells[0].data_type == "s"


# --- The guardian's side ------------------------------------------------------------------------


@time_machine.travel(NOV20, tick=False)
def test_portal_lists_notices_for_my_children_newest_first_with_unread_marked(world, parent_client):
    first = make_notice(world, title="第一份通知")
    with time_machine.travel("2026-11-20 11:00 +0800", tick=False):
        make_notice(world, title="第二份通知")
        make_notice(world, world.other_head_teacher, classes=[world.class2], title="二班的通知")
    services.notice_mark_read(notice=first, user=world.parent, student_ids=[world.child.pk])
    response = parent_client.get(reverse("home_school:portal_notices"))
    page = response.content.decode()
    assert page.index("第二份通知") < page.index("第一份通知")
    assert "二班的通知" not in page and "陈小雨" in page
    unread = {n.title: n.unread for n in response.context["notices"]}
    assert unread == {"第一份通知": False, "第二份通知": True}


@time_machine.travel(NOV20, tick=False)
def test_opening_a_notice_marks_it_read_for_my_child_only(world, parent_client):
    notice = make_notice(world)
    assert parent_client.get(reverse("home_school:portal_notice", args=[notice.pk])).status_code == 200
    mine = NoticeReceipt.objects.get(notice=notice, student=world.child)
    assert mine.read_at == at("2026-11-20 10:00") and mine.read_by == world.parent
    assert NoticeReceipt.objects.get(notice=notice, student=world.classmate).read_at is None


@time_machine.travel(NOV20, tick=False)
def test_guardian_confirms_on_the_portal(world, parent_client):
    notice = make_notice(world, receipt_type=ReceiptType.CONFIRM)
    url = reverse("home_school:portal_notice", args=[notice.pk])
    response = parent_client.post(url, {"student": world.child.pk, "action": "confirm"})
    assert response.status_code == 302
    assert NoticeReceipt.objects.get(notice=notice, student=world.child).confirmed_by == world.parent
    assert "陈小雨" in parent_client.get(url).content.decode()


@time_machine.travel(NOV20, tick=False)
def test_guardian_cannot_answer_for_another_familys_child(world, parent_client):
    notice = make_notice(world, receipt_type=ReceiptType.CONFIRM)
    url = reverse("home_school:portal_notice", args=[notice.pk])
    response = parent_client.post(url, {"student": world.classmate.pk, "action": "confirm"})
    assert response.status_code == 400
    assert not NoticeReceipt.objects.filter(confirmed_at__isnull=False).exists()


@time_machine.travel(NOV20, tick=False)
def test_guardian_of_two_children_answers_for_each_separately(world, parent_client):
    sibling = add_student(world, world.class2, guardian=world.parent_guardian, name="陈小雷")
    notice = make_notice(
        world, world.office, classes=[world.class1, world.class2], receipt_type=ReceiptType.REPLY, choices=["参加", "不参加"]
    )
    url = reverse("home_school:portal_notice", args=[notice.pk])
    page = parent_client.get(url).content.decode()
    assert "陈小雨" in page and "陈小雷" in page
    assert f'id="answer{world.child.pk}_choice_0"' in page and f'id="answer{sibling.pk}_choice_0"' in page
    parent_client.post(url, {"student": world.child.pk, "action": "reply", "choice": "0", "comment": "准时到"})
    parent_client.post(url, {"student": sibling.pk, "action": "reply", "choice": "1"})
    answers = dict(
        NoticeReceipt.objects.filter(notice=notice, student__in=[world.child, sibling]).values_list(
            "student__name", "reply_choice"
        )
    )
    assert answers == {"陈小雨": 0, "陈小雷": 1}
    # The list shows one entry naming both children.
    list_page = parent_client.get(reverse("home_school:portal_notices")).content.decode()
    assert list_page.count(f'href="{url}"') == 1 and "陈小雷" in list_page


@time_machine.travel(NOV20, tick=False)
def test_reply_without_a_choice_is_refused_on_the_portal(world, parent_client):
    notice = make_notice(world, receipt_type=ReceiptType.REPLY)
    response = parent_client.post(
        reverse("home_school:portal_notice", args=[notice.pk]), {"student": world.child.pk, "action": "reply"}
    )
    assert response.status_code == 400
    assert not NoticeReceipt.objects.filter(replied_at__isnull=False).exists()


def test_answers_close_at_the_deadline_on_the_portal(world, parent_client):
    with time_machine.travel(NOV20, tick=False):
        notice = make_notice(world, receipt_type=ReceiptType.REPLY, reply_deadline=at("2026-11-21 20:00"))
    url = reverse("home_school:portal_notice", args=[notice.pk])
    with time_machine.travel("2026-11-21 21:00 +0800", tick=False):
        page = parent_client.get(url).content.decode()
        assert 'name="choice"' not in page
        parent_client.post(url, {"student": world.child.pk, "action": "reply", "choice": "0"})
    assert not NoticeReceipt.objects.filter(replied_at__isnull=False).exists()


@time_machine.travel(NOV20, tick=False)
def test_portal_section_shows_the_unread_count(world, parent_client):
    make_notice(world)
    make_notice(world)
    page = parent_client.get(reverse("home_school:portal_child", args=[world.child.pk])).content.decode()
    assert reverse("home_school:portal_notices") in page
    assert '<span class="badge rounded-pill text-bg-danger">2' in page


# --- Query counts ----------------------------------------------------------------------------


def _count(client, url):
    # The first request of a session stamps it (idle timeout); count a steady one.
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _answer_some(notice):
    for i, receipt in enumerate(NoticeReceipt.objects.filter(notice=notice).select_related("student")):
        guardianship = receipt.student.guardianships.select_related("guardian__user").first()
        if guardianship and i % 2 == 0:
            services.notice_reply(notice=notice, user=guardianship.guardian.user, student=receipt.student, choice=i % 3 % 2)


@time_machine.travel(NOV20, tick=False)
def test_receipt_page_does_not_grow_with_students(world, head_teacher_client):
    def sized(n):
        extra = [add_student(world, world.class1) for _ in range(n)]
        notice = make_notice(world, receipt_type=ReceiptType.REPLY)
        _answer_some(notice)
        return notice, extra

    small_notice, _ = sized(3)  # 5 students
    small = _count(head_teacher_client, reverse("home_school:notice_detail", args=[small_notice.pk]))
    large_notice, _ = sized(35)  # 40 students
    assert NoticeReceipt.objects.filter(notice=large_notice).count() == 40
    assert _count(head_teacher_client, reverse("home_school:notice_detail", args=[large_notice.pk])) == small


@time_machine.travel(NOV20, tick=False)
def test_notice_list_does_not_grow_with_notices(world, office_client):
    url = reverse("home_school:notice_list")
    for _ in range(2):
        make_notice(world, world.office, classes=[world.class1, world.class2])
    small = _count(office_client, url)
    for _ in range(10):
        make_notice(world, world.office, classes=[world.class1, world.class2])
        make_notice(world, send_now=False)
    assert _count(office_client, url) == small


@time_machine.travel(NOV20, tick=False)
def test_portal_notice_list_does_not_grow_with_notices_or_children(world, parent_client):
    url = reverse("home_school:portal_notices")
    for _ in range(2):
        make_notice(world, world.office, classes=[world.class1, world.class2])
    small = _count(parent_client, url)
    for _ in range(3):
        add_student(world, world.class2, guardian=world.parent_guardian)
    for _ in range(10):
        make_notice(world, world.office, classes=[world.class1, world.class2])
    assert _count(parent_client, url) == small


@time_machine.travel(NOV20, tick=False)
@pytest.mark.parametrize("receipt_type", list(ReceiptType))
def test_every_receipt_type_renders_for_author_and_guardian(world, head_teacher_client, parent_client, receipt_type):
    notice = make_notice(world, receipt_type=receipt_type)
    draft = make_notice(world, receipt_type=receipt_type, send_now=False)
    cancelled = make_notice(world, receipt_type=receipt_type, send_now=False)
    services.notice_cancel(notice=cancelled, actor=world.head_teacher)
    for n in (notice, draft, cancelled):
        assert head_teacher_client.get(reverse("home_school:notice_detail", args=[n.pk])).status_code == 200
    assert head_teacher_client.get(reverse("home_school:notice_export", args=[notice.pk])).status_code == 200
    url = reverse("home_school:portal_notice", args=[notice.pk])
    page = parent_client.get(url).content.decode()
    assert notice.title in page
    assert ('name="choice"' in page) is (receipt_type == ReceiptType.REPLY)
    assert ('value="confirm"' in page) is (receipt_type == ReceiptType.CONFIRM)


TEMPLATES = sorted((Path(settings.BASE_DIR) / "templates" / "home_school" / "notices").glob("*.html"))


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_templates_have_no_inline_script_or_style(path):
    text = path.read_text()
    assert "<script" not in text or 'src="' in text.split("<script", 1)[1].split(">", 1)[0]
    assert "style=" not in text and not re.search(r"\son[a-z]+=", text)
