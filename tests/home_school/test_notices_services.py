"""Writing, addressing, sending and answering notices (the services)."""

import pytest
import time_machine
from django.core.exceptions import ValidationError

from accounts.models import AuditEvent
from home_school.models.notices import Notice, NoticeReceipt, NoticeScope, ReceiptType
from home_school.services import notices as services
from notifications.models import Notification
from tests import factories as f

from .notices_support import NOV20, add_student, at, make_notice, second_guardian

pytestmark = pytest.mark.usefixtures("world")


def _students(notice):
    return set(NoticeReceipt.objects.filter(notice=notice).values_list("student__name", flat=True))


# --- Audience ---------------------------------------------------------------------------


@time_machine.travel(NOV20, tick=False)
def test_class_scope_reaches_the_students_of_that_class(world):
    notice = make_notice(world)
    assert _students(notice) == {"陈小雨", "周子涵"}
    receipt = NoticeReceipt.objects.get(notice=notice, student=world.child)
    assert receipt.school_class == world.class1 and receipt.school == world.school


@time_machine.travel(NOV20, tick=False)
def test_several_classes_reach_the_students_of_each(world):
    notice = make_notice(world, world.office, classes=[world.class1, world.class2])
    assert _students(notice) == {"陈小雨", "周子涵", "吴浩然"}
    assert dict(NoticeReceipt.objects.filter(notice=notice).values_list("student__name", "school_class__name")) == {
        "陈小雨": "六(1)班",
        "周子涵": "六(1)班",
        "吴浩然": "六(2)班",
    }


@time_machine.travel(NOV20, tick=False)
def test_grade_scope_reaches_every_class_of_the_grade_only(world):
    grade7 = f.GradeFactory(school=world.school, level=7, name="七年级")
    class7 = f.SchoolClassFactory(school=world.school, school_year=world.year, grade=grade7, number=1)
    add_student(world, class7, name="七年级学生")
    notice = make_notice(world, world.office, scope=NoticeScope.GRADE, grade=world.grade)
    assert _students(notice) == {"陈小雨", "周子涵", "吴浩然"}


@time_machine.travel(NOV20, tick=False)
def test_school_scope_reaches_every_current_student_of_the_school_only(world):
    grade7 = f.GradeFactory(school=world.school, level=7, name="七年级")
    class7 = f.SchoolClassFactory(school=world.school, school_year=world.year, grade=grade7, number=1)
    add_student(world, class7, name="七年级学生")
    notice = make_notice(world, world.office, scope=NoticeScope.SCHOOL)
    assert _students(notice) == {"陈小雨", "周子涵", "吴浩然", "七年级学生"}
    assert "B校学生" not in _students(notice)


@time_machine.travel(NOV20, tick=False)
def test_audience_is_the_current_enrollment_when_sent(world):
    """A student who left the class before sending is not reached; one who
    joined after sending gets nothing (the audience is resolved once)."""
    import datetime

    left = add_student(world, world.class1, name="转走的学生")
    left.enrollments.update(end_date=datetime.date(2026, 11, 1))
    inactive = add_student(world, world.class1, name="休学的学生")
    inactive.is_active = False
    inactive.save()
    draft = make_notice(world, send_now=False)
    add_student(world, world.class1, name="新来的学生")
    services.notice_send(notice_id=draft.pk, actor=world.head_teacher)
    add_student(world, world.class1, name="发送后才来的学生")
    assert _students(draft) == {"陈小雨", "周子涵", "新来的学生"}
    assert services.notice_send(notice_id=draft.pk, actor=world.head_teacher) is None
    assert NoticeReceipt.objects.filter(notice=draft).count() == 3


# --- Reach of the author --------------------------------------------------------------------


@time_machine.travel(NOV20, tick=False)
def test_head_teacher_cannot_address_another_class(world):
    with pytest.raises(ValidationError) as error:
        make_notice(world, world.head_teacher, classes=[world.class2])
    assert "classes" in error.value.message_dict
    with pytest.raises(ValidationError):
        make_notice(world, world.head_teacher, classes=[world.class1, world.class2])
    with pytest.raises(ValidationError):
        make_notice(world, world.head_teacher, classes=[world.b.class1])
    assert not Notice.objects.exists()


@time_machine.travel(NOV20, tick=False)
def test_head_teacher_cannot_address_a_grade_or_the_school(world):
    with pytest.raises(ValidationError):
        make_notice(world, world.head_teacher, scope=NoticeScope.GRADE, grade=world.grade)
    with pytest.raises(ValidationError):
        make_notice(world, world.head_teacher, scope=NoticeScope.SCHOOL)
    assert not Notice.objects.exists()


@time_machine.travel(NOV20, tick=False)
def test_subject_teacher_cannot_address_the_class_they_teach(world):
    with pytest.raises(ValidationError):
        make_notice(world, world.subject_teacher, classes=[world.class1])


@time_machine.travel(NOV20, tick=False)
def test_office_cannot_address_another_schools_class_or_grade(world):
    with pytest.raises(ValidationError):
        make_notice(world, world.office, classes=[world.b.class1])
    b_grade = world.b.class1.grade
    with pytest.raises(ValidationError):
        make_notice(world, world.office, scope=NoticeScope.GRADE, grade=b_grade)


@time_machine.travel(NOV20, tick=False)
def test_reply_needs_two_to_six_distinct_choices(world):
    for bad in (["参加"], ["a", "b", "c", "d", "e", "f", "g"], ["参加", "参加"], ["参加", ""]):
        with pytest.raises(ValidationError):
            make_notice(world, receipt_type=ReceiptType.REPLY, choices=bad)
    notice = make_notice(world, receipt_type=ReceiptType.REPLY, choices=[" 参加 ", "不参加", "待定"])
    assert notice.choices == ["参加", "不参加", "待定"]


# --- Sending and notifying --------------------------------------------------------------


@time_machine.travel(NOV20, tick=False)
def test_sending_notifies_each_guardian_once_with_a_per_notice_key(world):
    second = second_guardian(world, world.child)
    # A guardian with two children in the class gets one notification.
    add_student(world, world.class1, guardian=world.parent_guardian, name="陈小雷")
    notice = make_notice(world)
    rows = Notification.objects.filter(kind="home_school.notice")
    assert set(rows.values_list("recipient_id", flat=True)) == {world.parent.pk, second.user_id}
    assert set(rows.values_list("dedupe_key", flat=True)) == {f"home_school.notice:{notice.pk}"}
    assert rows.get(recipient=world.parent).link == f"/portal/notices/{notice.pk}/"
    assert not Notification.objects.filter(recipient=world.other_parent).exists()
    assert AuditEvent.objects.filter(action="home_school.notice.sent", target_id=str(notice.pk)).count() == 1


@time_machine.travel(NOV20, tick=False)
def test_guardians_are_notified_in_batches_of_fifty(world, monkeypatch):
    for _ in range(120):
        add_student(world, world.class2)
    calls = []
    real = services.notify

    def spy(**kwargs):
        calls.append(len(kwargs["recipients"]))
        return real(**kwargs)

    monkeypatch.setattr(services, "notify", spy)
    make_notice(world, world.office, classes=[world.class2])
    assert calls == [50, 50, 21]  # 120 new guardians + 吴爸爸
    assert len(set(Notification.objects.filter(kind="home_school.notice").values_list("dedupe_key", flat=True))) == 1


def test_scheduled_notice_is_sent_once_when_due(world):
    with time_machine.travel(NOV20, tick=False):
        notice = make_notice(world, send_now=False, scheduled_for=at("2026-11-20 18:00"))
        assert notice.status == "scheduled"
    with time_machine.travel("2026-11-20 17:59 +0800", tick=False):
        assert services.notices_send_due() == 0
    with time_machine.travel("2026-11-20 18:00 +0800", tick=False):
        assert services.notices_send_due() == 1
        assert services.notices_send_due() == 0
    with time_machine.travel("2026-11-20 18:01 +0800", tick=False):
        assert services.notices_send_due() == 0
    notice.refresh_from_db()
    assert notice.sent_at == at("2026-11-20 18:00") and notice.status == "sent"
    assert NoticeReceipt.objects.filter(notice=notice).count() == 2
    assert Notification.objects.filter(kind="home_school.notice", recipient=world.parent).count() == 1


def test_scheduled_task_sends_due_notices(world):
    from home_school.tasks import notices as tasks

    with time_machine.travel(NOV20, tick=False):
        make_notice(world, send_now=False, scheduled_for=at("2026-11-20 10:30"))
    with time_machine.travel("2026-11-20 10:31 +0800", tick=False):
        tasks.notices_send_due()
        tasks.notices_send_due()
    assert Notification.objects.filter(kind="home_school.notice").count() == 1


@time_machine.travel(NOV20, tick=False)
def test_a_draft_is_not_sent_by_the_job(world):
    draft = make_notice(world, send_now=False)
    assert draft.status == "draft"
    assert services.notices_send_due(now=at("2026-12-01 10:00")) == 0
    assert not NoticeReceipt.objects.exists()


def test_a_cancelled_notice_is_never_sent(world):
    with time_machine.travel(NOV20, tick=False):
        notice = make_notice(world, send_now=False, scheduled_for=at("2026-11-20 18:00"))
        assert services.notice_cancel(notice=notice, actor=world.head_teacher) is True
        assert services.notice_cancel(notice=notice, actor=world.head_teacher) is False
    assert services.notices_send_due(now=at("2026-11-20 18:00")) == 0
    assert services.notice_send(notice_id=notice.pk, actor=world.head_teacher) is None
    notice.refresh_from_db()
    assert notice.status == "cancelled" and notice.sent_at is None
    assert not NoticeReceipt.objects.exists() and not Notification.objects.exists()


@time_machine.travel(NOV20, tick=False)
def test_a_sent_notice_cannot_be_cancelled(world):
    notice = make_notice(world)
    assert services.notice_cancel(notice=notice, actor=world.head_teacher) is False
    notice.refresh_from_db()
    assert notice.status == "sent" and notice.cancelled_at is None


@time_machine.travel(NOV20, tick=False)
def test_scheduled_time_must_be_in_the_future(world):
    with pytest.raises(ValidationError):
        make_notice(world, send_now=False, scheduled_for=at("2026-11-20 09:00"))


# --- Answers -------------------------------------------------------------------------------


@time_machine.travel(NOV20, tick=False)
def test_either_guardian_confirms_for_the_child_and_the_first_stays(world):
    second = second_guardian(world, world.child)
    notice = make_notice(world, receipt_type=ReceiptType.CONFIRM)
    assert services.notice_confirm(notice=notice, user=second.user, student=world.child) is True
    assert services.notice_confirm(notice=notice, user=world.parent, student=world.child) is False
    receipt = NoticeReceipt.objects.get(notice=notice, student=world.child)
    assert receipt.confirmed_by == second.user and receipt.confirmed_at == at("2026-11-20 10:00")
    assert receipt.read_by == second.user
    # One receipt per student, not per guardian.
    assert NoticeReceipt.objects.filter(notice=notice, student=world.child).count() == 1


@time_machine.travel(NOV20, tick=False)
def test_either_guardian_replies_and_the_last_answer_counts(world):
    second = second_guardian(world, world.child)
    notice = make_notice(world, receipt_type=ReceiptType.REPLY, choices=["参加", "不参加"])
    services.notice_reply(notice=notice, user=world.parent, student=world.child, choice=0, comment="会准时到")
    receipt = services.notice_reply(notice=notice, user=second.user, student=world.child, choice=1, comment="临时出差")
    receipt.refresh_from_db()
    assert (receipt.reply_choice, receipt.reply_comment, receipt.replied_by) == (1, "临时出差", second.user)
    assert receipt.read_by == world.parent


@time_machine.travel(NOV20, tick=False)
def test_reply_refuses_a_choice_out_of_range_and_a_long_comment(world):
    notice = make_notice(world, receipt_type=ReceiptType.REPLY)
    with pytest.raises(ValidationError):
        services.notice_reply(notice=notice, user=world.parent, student=world.child, choice=2)
    with pytest.raises(ValidationError):
        services.notice_reply(notice=notice, user=world.parent, student=world.child, choice=0, comment="长" * 201)
    assert not NoticeReceipt.objects.filter(replied_at__isnull=False).exists()


def test_reply_can_change_until_the_deadline_and_not_after(world):
    with time_machine.travel(NOV20, tick=False):
        notice = make_notice(world, receipt_type=ReceiptType.REPLY, reply_deadline=at("2026-11-22 20:00"))
        services.notice_reply(notice=notice, user=world.parent, student=world.child, choice=0)
    with time_machine.travel("2026-11-22 19:59 +0800", tick=False):
        services.notice_reply(notice=notice, user=world.parent, student=world.child, choice=1)
    with time_machine.travel("2026-11-22 20:01 +0800", tick=False):
        with pytest.raises(ValidationError):
            services.notice_reply(notice=notice, user=world.parent, student=world.child, choice=0)
        with pytest.raises(ValidationError):
            services.notice_reply(notice=notice, user=world.parent, student=world.classmate, choice=0)
    receipt = NoticeReceipt.objects.get(notice=notice, student=world.child)
    assert receipt.reply_choice == 1 and receipt.replied_at == at("2026-11-22 19:59")


def test_late_confirmation_is_kept_with_its_time(world):
    """Participation later counts "confirmed in time" from confirmed_at and the deadline."""
    with time_machine.travel(NOV20, tick=False):
        notice = make_notice(world, receipt_type=ReceiptType.CONFIRM, reply_deadline=at("2026-11-21 20:00"))
    with time_machine.travel("2026-11-23 08:00 +0800", tick=False):
        assert services.notice_confirm(notice=notice, user=world.parent, student=world.child)
    receipt = NoticeReceipt.objects.select_related("notice").get(notice=notice, student=world.child)
    assert receipt.confirmed_at > receipt.notice.reply_deadline


@time_machine.travel(NOV20, tick=False)
def test_confirm_and_reply_refuse_the_wrong_receipt_type(world):
    notice = make_notice(world, receipt_type=ReceiptType.READ)
    with pytest.raises(ValidationError):
        services.notice_confirm(notice=notice, user=world.parent, student=world.child)
    with pytest.raises(ValidationError):
        services.notice_reply(notice=notice, user=world.parent, student=world.child, choice=0)


@time_machine.travel(NOV20, tick=False)
def test_a_school_wide_notice_fans_out_in_celery_tasks_after_commit(world, django_capture_on_commit_callbacks, monkeypatch):
    """More guardians than a class: no notification is written in the
    request; one broker message per 50 recipients is queued for after the
    commit, and running them notifies everyone once."""
    from config.celery import app
    from notifications import tasks as notification_tasks

    for _ in range(300):
        add_student(world, world.class2)
    sent = []
    monkeypatch.setattr(notification_tasks.fan_out_batch, "delay", lambda *args: sent.append(args))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notice = make_notice(world, world.office, scope="school")
    assert not Notification.objects.filter(kind="home_school.notice").exists()
    for callback in callbacks:
        callback()
    assert len(sent) == 7 and all(len(args[1]) <= 50 for args in sent)  # 300 new guardians + 陈妈妈 + 吴爸爸
    app.conf.task_always_eager = True
    try:
        for args in sent + sent[:1]:  # the first batch delivered twice, as a retry would
            notification_tasks.fan_out_batch.apply(args=args)
    finally:
        app.conf.task_always_eager = False
    rows = Notification.objects.filter(kind="home_school.notice", dedupe_key=f"home_school.notice:{notice.pk}")
    assert rows.count() == 302 and rows.values("recipient_id").distinct().count() == 302
