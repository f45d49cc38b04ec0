"""The evaluation pages: the office previews and publishes, the principal
reads, a head teacher sees their own class in published results only."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from moral_ed.models import Evaluation, EvaluationRevision, RevisionStatus
from moral_ed.services import evaluations as services
from tests import factories as f

from .test_evaluation_support import (
    NOV,
    OCT,
    WEEK,
    add_class,
    class_event,
    conduct,
    dorm_event,
    group,
    group_event,
    room,
    rules,
    run,
    veto,
)


@pytest.fixture
def month(world):
    """November of school A: class 1 wins but is vetoed, class 2 is the
    civilized class; a group, a room, conduct points."""
    rules(world, civilized_class_share=50)
    class_event(world, world.class1, 3)
    class_event(world, world.class2, -1)
    veto(world, world.class1, "课间打架")
    conduct(world, world.child, 2)
    conduct(world, world.other_child, 1, school_class=world.class2, by=world.other_head_teacher)
    group_event(world, group(world, world.class1, "雏鹰组"), 2)
    group_event(world, group(world, world.class2, "星火组"), 1)
    dorm_event(world, room(world, "305"), -2)
    return run(world)


def _page(client, revision, **params):
    response = client.get(reverse("moral_ed:evaluation_revision", args=[revision.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


def test_office_previews_a_draft_and_publishes_it(world, month, client_for):
    client = client_for(world.office)
    page = _page(client, month)
    for text in ("六(1)班", "六(2)班", "课间打架", "雏鹰组", "星火组", "305", "王老师", "李老师", "陈小雨"):
        assert text in page, text
    assert reverse("moral_ed:evaluation_publish", args=[month.pk]) in page
    response = client.post(reverse("moral_ed:evaluation_publish", args=[month.pk]), {"digest": month.digest})
    assert response.status_code == 302
    month.refresh_from_db()
    assert (month.status, month.published_by) == (RevisionStatus.PUBLISHED, world.office)
    assert reverse("moral_ed:evaluation_publish", args=[month.pk]) not in _page(client, month)
    # Publishing again is harmless.
    assert client.post(reverse("moral_ed:evaluation_publish", args=[month.pk]), {"digest": month.digest}).status_code == 302
    assert EvaluationRevision.objects.get().status == RevisionStatus.PUBLISHED


def test_publish_refuses_a_preview_computed_again_since_it_was_opened(world, month, client_for):
    client = client_for(world.office)
    seen = month.digest
    class_event(world, world.class2, -3)
    run(world)
    response = client.post(reverse("moral_ed:evaluation_publish", args=[month.pk]), {"digest": seen}, follow=True)
    month.refresh_from_db()
    assert month.status == RevisionStatus.DRAFT
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_school_wide_ranking_and_changes_are_shown(world, month, client_for):
    services.evaluation_publish(revision=month, published_by=world.office)
    class_event(world, world.class2, -5)
    second = run(world)
    page = _page(client_for(world.principal), second, ranking="school")
    assert "99 → 94" in page
    assert "六(2)班" in page


def test_principal_reads_but_may_not_publish_or_run(world, month, client_for):
    client = client_for(world.principal)
    page = _page(client, month)
    assert "六(2)班" in page and reverse("moral_ed:evaluation_publish", args=[month.pk]) not in page
    assert client.post(reverse("moral_ed:evaluation_publish", args=[month.pk])).status_code == 403
    assert client.get(reverse("moral_ed:evaluation_run")).status_code == 403
    assert client.get(reverse("moral_ed:evaluation_list")).status_code == 200


def test_head_teacher_sees_only_published_results_and_only_their_own_class(world, month, client_for):
    client = client_for(world.head_teacher)
    url = reverse("moral_ed:evaluation_revision", args=[month.pk])
    assert client.get(url).status_code == 404
    assert "2026-11" not in client.get(reverse("moral_ed:evaluation_list")).content.decode()
    services.evaluation_publish(revision=month, published_by=world.office)
    assert "2026-11" in client.get(reverse("moral_ed:evaluation_list")).content.decode()
    page = _page(client, month)
    assert "六(1)班" in page and "课间打架" in page and "雏鹰组" in page and "陈小雨" in page
    assert "六(2)班" not in page and "星火组" not in page and "吴浩然" not in page
    assert "李老师" not in page and "305" not in page  # no one else's appraisal, no dorm ranking
    students = client.get(reverse("moral_ed:evaluation_students", args=[month.pk])).content.decode()
    assert "陈小雨" in students and "周子涵" in students and "吴浩然" not in students
    assert client.post(reverse("moral_ed:evaluation_publish", args=[month.pk])).status_code == 403


def test_other_staff_guardians_and_students_get_403(world, month, client_for):
    services.evaluation_publish(revision=month, published_by=world.office)
    for user in (world.subject_teacher, world.counsellor, world.parent, world.student_user):
        client = client_for(user)
        assert client.get(reverse("moral_ed:evaluation_list")).status_code == 403
        assert client.get(reverse("moral_ed:evaluation_revision", args=[month.pk])).status_code == 403


def test_office_computes_a_month_now(world, client_for):
    class_event(world, world.class1, -1, day=datetime.date(2026, 10, 9))
    client = client_for(world.office)
    assert client.get(reverse("moral_ed:evaluation_run")).status_code == 200
    response = client.post(reverse("moral_ed:evaluation_run"), {"month": "2026-10"})
    revision = EvaluationRevision.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("moral_ed:evaluation_revision", args=[revision.pk])
    assert revision.evaluation.period_start == OCT
    response = client.post(reverse("moral_ed:evaluation_run"), {"month": "2026-10"}, follow=True)
    assert EvaluationRevision.objects.count() == 1
    assert any(m.level_tag == "info" for m in response.context["messages"])


@pytest.mark.parametrize("month_text", ["2026-13", "abc", ""])
def test_run_form_refuses_a_bad_month(world, client_for, month_text):
    response = client_for(world.office).post(reverse("moral_ed:evaluation_run"), {"month": month_text})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Evaluation.objects.exists()


def test_run_form_explains_a_month_outside_the_term(world, client_for):
    response = client_for(world.office).post(reverse("moral_ed:evaluation_run"), {"month": "2027-03"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Evaluation.objects.exists()


def test_head_teacher_and_principal_may_not_run(world, client_for):
    for user in (world.head_teacher, world.principal, world.subject_teacher, world.parent):
        assert client_for(user).post(reverse("moral_ed:evaluation_run"), {"month": "2026-11"}).status_code == 403
    assert not Evaluation.objects.exists()


def test_student_totals_are_paginated_and_filtered_by_class(world, month, client_for):
    client = client_for(world.office)
    url = reverse("moral_ed:evaluation_students", args=[month.pk])
    page = client.get(url).content.decode()
    assert "陈小雨" in page and "吴浩然" in page
    page = client.get(url, {"class": world.class2.pk}).content.decode()
    assert "吴浩然" in page and "陈小雨" not in page
    page = client.get(url, {"class": world.b.class1.pk}).content.decode()  # not in this evaluation: ignored
    assert "陈小雨" in page


def test_weekly_results_have_no_student_page(world, client_for):
    weekly = run(world, kind="weekly", start=WEEK)
    client = client_for(world.office)
    assert client.get(reverse("moral_ed:evaluation_students", args=[weekly.pk])).status_code == 404
    page = _page(client, weekly)
    assert "六(1)班" in page


def test_empty_list_explains_the_schedule(world, client_for):
    page = client_for(world.office).get(reverse("moral_ed:evaluation_list")).content.decode()
    assert reverse("moral_ed:evaluation_run") in page


# --- Query counts ----------------------------------------------------------------------------


def _count(client, url):
    client.get(url)  # the first request of a session stamps it (idle timeout)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _grow(world, start_number, classes):
    """More classes, each with a head teacher, students, events, a group and a room."""
    for n in range(start_number, start_number + classes):
        head = f.UserFactory()
        f.MembershipFactory(user=head, school=world.school, role="head_teacher")
        school_class = add_class(world, n, head=head)
        for _ in range(3):
            student = f.StudentFactory(school=world.school)
            f.EnrollmentFactory(student=student, school_class=school_class)
            conduct(world, student, 1, school_class=school_class, by=head)
        class_event(world, school_class, -n)
        group_event(world, group(world, school_class, f"{n}组"), 1)
        dorm_event(world, room(world, f"{n}01"), -1)


@pytest.mark.parametrize("person", ["office", "head_teacher"])
def test_revision_page_query_count_does_not_grow_with_rows(world, client_for, person):
    client = client_for(getattr(world, person))
    _grow(world, 3, 1)
    small = services.evaluation_publish(revision=run(world, start=OCT))
    _grow(world, 4, 6)
    veto(world, world.class1, "打架", day=datetime.date(2026, 11, 5))
    large = services.evaluation_publish(revision=run(world, start=NOV))
    assert EvaluationRevision.objects.get(pk=large.pk).status == RevisionStatus.PUBLISHED
    url = reverse("moral_ed:evaluation_revision", args=[small.pk])
    few = _count(client, url)
    many = _count(client, reverse("moral_ed:evaluation_revision", args=[large.pk]))
    assert few == many
    students_few = _count(client, reverse("moral_ed:evaluation_students", args=[small.pk]))
    students_many = _count(client, reverse("moral_ed:evaluation_students", args=[large.pk]))
    assert students_few == students_many


def test_list_query_count_does_not_grow_with_evaluations(world, client_for):
    client = client_for(world.office)
    url = reverse("moral_ed:evaluation_list")
    services.evaluation_publish(revision=run(world, start=OCT))
    few = _count(client, url)
    run(world, start=NOV)
    for week in range(4):
        run(world, kind="weekly", start=WEEK - datetime.timedelta(days=7 * week))
    assert _count(client, url) == few


# --- Admin ---------------------------------------------------------------------------------------


def test_school_admin_sees_own_schools_revisions_and_publishes_with_the_action(world, month, client_for):
    other = services.evaluation_run(school=world.b.school, kind="monthly", period_start=NOV)
    client = client_for(world.school_admin)
    changelist = reverse("admin:moral_ed_evaluationrevision_changelist")
    page = client.get(changelist).content.decode()
    assert reverse("admin:moral_ed_evaluationrevision_change", args=[month.pk]) in page
    assert reverse("admin:moral_ed_evaluationrevision_change", args=[other.pk]) not in page
    assert client.get(reverse("admin:moral_ed_evaluationrevision_change", args=[month.pk])).status_code == 200
    response = client.post(changelist, {"action": "publish_revisions", "_selected_action": [month.pk, other.pk]})
    assert response.status_code == 302
    month.refresh_from_db()
    other.refresh_from_db()
    assert (month.status, other.status) == (RevisionStatus.PUBLISHED, RevisionStatus.DRAFT)
    # The archive is read-only: no delete, no edit.
    assert client.post(reverse("admin:moral_ed_evaluationrevision_delete", args=[month.pk]), {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:moral_ed_evaluationsettings_changelist")).status_code == 200


def test_the_change_lines_name_every_class_so_only_the_office_reads_them(world, month, client_for):
    services.evaluation_publish(revision=month, published_by=world.office)
    EvaluationRevision.objects.filter(pk=month.pk).update(changes=["六(2)班：得分 100 → 99，排名 1 → 2"])
    assert "六(2)班：得分 100 → 99" in _page(client_for(world.office), month)
    assert "六(2)班：得分 100 → 99" in _page(client_for(world.principal), month)
    assert "六(2)班：得分 100 → 99" not in _page(client_for(world.head_teacher), month)


def test_publishing_needs_the_previewed_digest(world, month, client_for):
    client = client_for(world.office)
    client.post(reverse("moral_ed:evaluation_publish", args=[month.pk]), {})
    month.refresh_from_db()
    assert month.status == RevisionStatus.DRAFT
    client.post(reverse("moral_ed:evaluation_publish", args=[month.pk]), {"digest": month.digest})
    month.refresh_from_db()
    assert month.status == RevisionStatus.PUBLISHED


def test_unicode_digits_in_parameters_are_ignored_not_a_500(world, month, client_for):
    client = client_for(world.office)
    assert client.get(reverse("moral_ed:evaluation_students", args=[month.pk]), {"class": "²"}).status_code == 200
    assert client.get(reverse("moral_ed:inspection_grid"), {"item": "²"}).status_code == 200
