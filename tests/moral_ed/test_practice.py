"""Social practice and community service: records with evidence checked by
content, credits per school year (2 + 1), voids, downloads that go only to
those who may read the record, the guardians' portal page and the June
reminder."""

import datetime
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from accounts.models import AuditEvent
from moral_ed import tasks
from moral_ed.models import PracticeEvidence, PracticeKind, PracticeRecord
from moral_ed.selectors import awards as selectors
from moral_ed.services import awards as services
from notifications.models import Notification
from tests.concurrency import at_once
from tests.factories import EnrollmentFactory, StudentFactory
from tests.home_school.messaging_fixtures import PDF

NOV20 = "2026-11-20 10:00 +0800"
SOCIAL, COMMUNITY = PracticeKind.SOCIAL_PRACTICE, PracticeKind.COMMUNITY_SERVICE
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.cookie)</script></svg>'
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


def png_bytes(size=(8, 6)):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture(autouse=True)
def school_day():
    with time_machine.travel(NOV20, tick=False):
        yield


def add(world, student=None, kind=SOCIAL, actor=None, files=(), title="社区清洁", **kw):
    return services.practice_record(
        actor=actor or world.head_teacher,
        school=world.school,
        school_year=world.year,
        student=student or world.child,
        kind=kind,
        title=title,
        occurred_on=kw.pop("occurred_on", datetime.date(2026, 10, 12)),
        files=files,
        **kw,
    )


def _form(kind="social_practice", files=(), **extra):
    data = {"kind": kind, "title": "敬老院慰问", "occurred_on": "2026-10-12", "hours": "3", "description": "为老人表演节目", **extra}
    if files:
        data["evidence"] = [SimpleUploadedFile(name, content, content_type=ctype) for name, content, ctype in files]
    return data


# --- Credits ---------------------------------------------------------------------------------


def test_credits_are_two_for_social_practice_and_one_for_community_service(world):
    add(world, kind=SOCIAL)
    add(world, kind=SOCIAL, title="博物馆研学")  # a second record of a kind adds nothing
    add(world, kind=COMMUNITY, title="图书整理")
    add(world, student=world.classmate, kind=SOCIAL)
    students = {s.name: s for s in selectors.practice_overview(world.class1, school_year=world.year)}
    assert students["陈小雨"].credits == 3 and students["陈小雨"].missing == []
    assert students["周子涵"].credits == 2
    assert [value for value, _label in students["周子涵"].missing] == [COMMUNITY]
    assert selectors.credits_for({COMMUNITY}) == 1 and selectors.credits_for(set()) == 0


def test_a_voided_record_no_longer_counts(world):
    record = add(world, kind=COMMUNITY)
    assert services.practice_void(actor=world.head_teacher, record=record, reason="录错学生")
    assert not services.practice_void(actor=world.head_teacher, record=record, reason="again")
    child = next(s for s in selectors.practice_overview(world.class1, school_year=world.year) if s.pk == world.child.pk)
    assert child.credits == 0 and len(child.records) == 1 and child.records[0].is_voided
    assert AuditEvent.objects.filter(action="moral_ed.practice.voided").count() == 1


def test_the_date_lies_inside_the_school_year_and_not_ahead(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        add(world, occurred_on=datetime.date(2026, 8, 1))
    with pytest.raises(ValidationError):
        add(world, occurred_on=datetime.date(2026, 12, 1))
    with pytest.raises(ValidationError):
        add(world, student=world.b.child)
    assert not PracticeRecord.objects.exists()


# --- The class page and recording ------------------------------------------------------------------


def test_head_teacher_records_with_a_photo_and_a_pdf(world, head_teacher_client):
    url = reverse("moral_ed:practice_add", args=[world.child.pk])
    assert head_teacher_client.get(url).status_code == 200
    files = [("照片.PNG", png_bytes(), "image/png"), ("证明.pdf", PDF, "application/pdf")]
    response = head_teacher_client.post(url, _form(files=files))
    assert response.status_code == 302
    assert response["Location"] == reverse("moral_ed:practice_class", args=[world.class1.pk])
    record = PracticeRecord.objects.get()
    assert (record.student, record.kind, record.school_year, str(record.hours)) == (world.child, SOCIAL, world.year, "3.0")
    evidence = list(record.evidence.order_by("pk"))
    assert [(e.file_name, e.content_type) for e in evidence] == [("照片.png", "image/png"), ("证明.pdf", "application/pdf")]
    assert Image.open(io.BytesIO(bytes(evidence[0].data))).format == "PNG"
    page = head_teacher_client.get(reverse("moral_ed:practice_class", args=[world.class1.pk])).content.decode()
    assert "敬老院慰问" in page and reverse("moral_ed:practice_evidence", args=[evidence[0].pk]) in page


@pytest.mark.parametrize(
    ("name", "content", "ctype"),
    [
        ("logo.svg", SVG, "image/svg+xml"),
        ("photo.png", HTML, "image/png"),  # HTML renamed .png
        ("empty.jpg", b"", "image/jpeg"),
    ],
)
def test_evidence_upload_refuses_what_is_not_a_photo_or_pdf(world, head_teacher_client, name, content, ctype):
    response = head_teacher_client.post(reverse("moral_ed:practice_add", args=[world.child.pk]), _form(files=[(name, content, ctype)]))
    assert response.status_code == 422
    assert name in response.content.decode()
    assert not PracticeRecord.objects.exists() and not PracticeEvidence.objects.exists()


def test_evidence_upload_refuses_an_oversized_file(world, head_teacher_client, settings):
    settings.HOME_SCHOOL_ATTACHMENT_MAX_BYTES = 1024
    big = png_bytes(size=(400, 400)) + b"\0" * 2048
    response = head_teacher_client.post(
        reverse("moral_ed:practice_add", args=[world.child.pk]), _form(files=[("big.png", big, "image/png")])
    )
    assert response.status_code == 422 and "big.png" in response.content.decode()
    assert not PracticeRecord.objects.exists()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        add(world, files=[("big.png", big)])
    with pytest.raises(ValidationError):
        add(world, files=[("svg.png", SVG)])
    assert not PracticeRecord.objects.exists()


def test_who_records_and_voids(world, client_for):
    record = add(world)
    url = reverse("moral_ed:practice_add", args=[world.child.pk])
    assert client_for(world.office).get(url).status_code == 200
    assert client_for(world.subject_teacher).get(url).status_code == 403
    assert client_for(world.principal).get(url).status_code == 403
    assert client_for(world.other_head_teacher).get(url).status_code == 404
    void = reverse("moral_ed:practice_void", args=[record.pk])
    assert client_for(world.other_head_teacher).post(void, {"reason": "x"}).status_code == 404
    assert client_for(world.subject_teacher).post(void, {"reason": "x"}).status_code == 403
    client_for(world.head_teacher).post(void, {"reason": ""})
    record.refresh_from_db()
    assert not record.is_voided
    assert client_for(world.head_teacher).post(void, {"reason": "日期写错"}).status_code == 302
    record.refresh_from_db()
    assert record.is_voided and record.void_reason == "日期写错" and record.voided_by == world.head_teacher


def test_class_page_lists_who_misses_which_kind(world, head_teacher_client):
    add(world, kind=SOCIAL)
    add(world, kind=COMMUNITY, title="图书整理")
    url = reverse("moral_ed:practice_class", args=[world.class1.pk])
    page = head_teacher_client.get(url, {"missing": "1"}).content.decode()
    assert "周子涵" in page and "陈小雨" not in page
    page = head_teacher_client.get(url).content.decode()
    assert "陈小雨" in page and "周子涵" in page


def test_practice_overview_of_the_school(world, client_for):
    add(world, kind=SOCIAL)
    response = client_for(world.office).get(reverse("moral_ed:practice_home"))
    assert response.status_code == 200
    classes = {c.name: c for c in response.context["classes"]}
    assert (classes["六(1)班"].students, classes["六(1)班"].missing_social, classes["六(1)班"].missing_community) == (2, 1, 2)
    assert classes["六(2)班"].missing_social == 1
    assert client_for(world.head_teacher).get(reverse("moral_ed:practice_home"))["Location"] == reverse(
        "moral_ed:practice_class", args=[world.class1.pk]
    )


def test_practice_class_query_count_does_not_grow_with_students_or_records(world, head_teacher_client):
    url = reverse("moral_ed:practice_class", args=[world.class1.pk])

    def count():
        head_teacher_client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert head_teacher_client.get(url).status_code == 200
        return len(ctx.captured_queries)

    def grow(n):
        for _ in range(n):
            student = StudentFactory(school=world.school)
            EnrollmentFactory(student=student, school_class=world.class1)
            add(world, student=student, files=[("a.png", png_bytes())])
            services.practice_void(actor=world.head_teacher, record=add(world, student=student, kind=COMMUNITY), reason="错")

    grow(2)
    small = count()
    grow(10)
    assert count() == small


# --- Downloads -------------------------------------------------------------------------------------


def test_downloads_are_attachments_with_nosniff_for_those_who_may_read(world, client_for):
    record = add(world, files=[("活动照片.png", png_bytes())])
    evidence = record.evidence.get()
    url = reverse("moral_ed:practice_evidence", args=[evidence.pk])
    response = client_for(world.head_teacher).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/png"
    assert response.content == bytes(evidence.data)
    expected = {
        "office": 200,
        "principal": 200,
        "parent": 200,
        "student_user": 200,
        "other_head_teacher": 404,
        "other_parent": 404,
        "subject_teacher": 403,  # teaches the student, but practice records are the head teacher's
        "counsellor": 403,
    }
    for person, status in expected.items():
        assert client_for(getattr(world, person)).get(url).status_code == status, person
    assert client_for(world.b.office).get(url).status_code == 404
    assert client_for(world.b.parent).get(url).status_code == 404


def test_evidence_of_a_voided_record_is_not_shown_to_guardians(world, client_for):
    record = add(world, files=[("a.png", png_bytes())])
    services.practice_void(actor=world.head_teacher, record=record, reason="录错学生")
    url = reverse("moral_ed:practice_evidence", args=[record.evidence.get().pk])
    assert client_for(world.parent).get(url).status_code == 404
    assert client_for(world.head_teacher).get(url).status_code == 200


# --- The portal --------------------------------------------------------------------------------------


def test_guardian_sees_own_childs_records_and_credits(world, client_for):
    add(world, kind=SOCIAL, files=[("a.png", png_bytes())])
    wrong = add(world, kind=COMMUNITY, title="错误记录")
    services.practice_void(actor=world.head_teacher, record=wrong, reason="录错")
    add(world, student=world.other_child, title="别人的活动")
    url = reverse("moral_ed:practice_portal", args=[world.child.pk])
    response = client_for(world.parent).get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "社区清洁" in page and "错误记录" not in page and "别人的活动" not in page
    assert "portal" in page and "<form" not in page.split('id="main"')[1]  # read only
    year = response.context["years"][0]
    assert year["credits"] == 2 and [v for v, _label in year["missing"]] == [COMMUNITY]
    assert client_for(world.other_parent).get(url).status_code == 404
    assert client_for(world.student_user).get(url).status_code == 200
    assert client_for(world.head_teacher).get(url).status_code == 403


def test_portal_shows_the_current_year_even_without_records(world, parent_client):
    response = parent_client.get(reverse("moral_ed:practice_portal", args=[world.child.pk]))
    year = response.context["years"][0]
    assert year["year"] == world.year and year["credits"] == 0 and len(year["missing"]) == 2


# --- Admin -------------------------------------------------------------------------------------------


def test_admin_voids_and_shows_no_bytes(world, client_for):
    record = add(world, files=[("a.png", png_bytes())])
    client = client_for(world.school_admin)
    url = reverse("admin:moral_ed_practicerecord_changelist")
    client.post(url, {"action": "void_records", "_selected_action": [record.pk]})
    record.refresh_from_db()
    assert record.is_voided and record.voided_by == world.school_admin
    evidence = record.evidence.get()
    page = client.get(reverse("admin:moral_ed_practiceevidence_changelist")).content.decode()
    assert reverse("moral_ed:practice_evidence", args=[evidence.pk]) in page
    assert client.get(reverse("admin:moral_ed_practicerecord_change", args=[record.pk])).status_code == 200
    assert client.get(reverse("moral_ed:practice_evidence", args=[evidence.pk])).status_code == 200


# --- The June reminder ---------------------------------------------------------------------------------


def _june(day=1):
    return time_machine.travel(f"2027-06-{day:02d} 08:00 +0800", tick=False)


def test_reminder_tells_each_head_teacher_who_is_missing_once(world):
    add(world, kind=SOCIAL)
    add(world, kind=COMMUNITY)  # 陈小雨 is complete
    add(world, student=world.classmate, kind=SOCIAL)  # 周子涵 lacks community service
    # 六(2)班: 吴浩然 is complete, so its head teacher hears nothing.
    add(world, student=world.other_child, kind=SOCIAL, actor=world.other_head_teacher)
    add(world, student=world.other_child, kind=COMMUNITY, actor=world.other_head_teacher)
    with _june():
        today = datetime.date(2027, 6, 1)
        assert services.practice_reminders_send(school=world.school, today=today) == 1
        assert services.practice_reminders_send(school=world.school, today=today) == 0
    notes = Notification.objects.filter(kind="moral_ed.practice_reminder")
    assert notes.count() == 1
    note = notes.get()
    assert note.recipient == world.head_teacher
    assert "1" in note.title and "周子涵" in note.body and "陈小雨" not in note.body
    assert note.dedupe_key == f"moral_ed.practice_reminder:teacher={world.head_teacher.pk}:year={world.year.pk}:date=2027-06-01"
    assert note.link == reverse("moral_ed:practice_class", args=[world.class1.pk])


def test_reminder_on_the_fifteenth_is_a_new_message(world):
    with _june(1):
        services.practice_reminders_send(school=world.school, today=datetime.date(2027, 6, 1))
    with _june(15):
        services.practice_reminders_send(school=world.school, today=datetime.date(2027, 6, 15))
    assert Notification.objects.filter(kind="moral_ed.practice_reminder", recipient=world.head_teacher).count() == 2


def test_reminder_task_runs_twice_and_sends_once(world, settings):
    from config.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    try:
        with _june():
            tasks.awards.practice_reminders()
            tasks.awards.practice_reminders()
    finally:
        app.conf.task_always_eager = False
    assert Notification.objects.filter(kind="moral_ed.practice_reminder", recipient=world.head_teacher).count() == 1
    assert Notification.objects.filter(kind="moral_ed.practice_reminder", recipient=world.other_head_teacher).count() == 1
    assert Notification.objects.filter(kind="moral_ed.practice_reminder", recipient=world.b.head_teacher).count() == 1
    assert tasks.awards.practice_reminders.name == "moral_ed.practice_reminders"


@pytest.mark.django_db(transaction=True)
def test_reminder_on_two_workers_at_once_sends_once(world):
    if connection.vendor != "postgresql":
        pytest.skip("two concurrent connections need PostgreSQL")

    def job():
        return services.practice_reminders_send(school=world.school, today=datetime.date(2027, 6, 1))

    with _june():
        outcomes = at_once(job, job)
    assert not [o for o in outcomes if isinstance(o, Exception)]
    assert Notification.objects.filter(kind="moral_ed.practice_reminder", recipient=world.head_teacher).count() == 1


def test_reminder_outside_any_school_year_does_nothing(world):
    assert services.practice_reminders_send(school=world.school, today=datetime.date(2027, 8, 15)) == 0


def test_the_june_schedule_names_the_registered_task():
    import importlib

    from config.celery import app

    schedules = importlib.import_module("moral_ed.migrations.0005_office_schedules").SCHEDULES
    june = next(s for s in schedules if s["task"] == "moral_ed.practice_reminders")
    assert (june["cron"]["day_of_month"], june["cron"]["month_of_year"], june["cron"]["hour"]) == ("1,15", "6", "8")
    assert "moral_ed.practice_reminders" in app.tasks
