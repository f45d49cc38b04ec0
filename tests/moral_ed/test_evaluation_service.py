"""evaluation_run and evaluation_publish: the figures, the award rules,
idempotency, revisions and their changes, time zones, digests, queries."""

import datetime
import random
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AuditEvent
from classes.models import SchoolClass
from moral_ed.models import (
    ClassResult,
    DormResult,
    Evaluation,
    EvaluationRevision,
    GroupResult,
    HeadTeacherAppraisal,
    RevisionStatus,
    StudentResult,
)
from moral_ed.services import evaluations as services
from notifications.models import Notification
from tests.concurrency import at_once, failures

from .test_evaluation_support import (
    NOV,
    NOV_DAY,
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
    void,
)


def _class_rows(revision):
    return {
        r.school_class.name: r
        for r in ClassResult.objects.filter(revision=revision).select_related("school_class")
    }


def _all_rows(revision):
    """Every stored row of a revision, as plain tuples (ids and values)."""
    return {
        kind: sorted(model.objects.filter(revision=revision).values_list(*fields))
        for kind, model, fields in (
            ("classes", ClassResult, services.ROW_FIELDS["classes"]),
            ("students", StudentResult, services.ROW_FIELDS["students"]),
            ("groups", GroupResult, services.ROW_FIELDS["groups"]),
            ("dorms", DormResult, services.ROW_FIELDS["dorms"]),
            ("appraisals", HeadTeacherAppraisal, services.ROW_FIELDS["appraisals"]),
        )
    }


# --- Scores, ranks, awards -----------------------------------------------------------------


def test_class_score_is_base_points_plus_inspection_points_of_the_month(world):
    class_event(world, world.class1, -2)
    class_event(world, world.class1, "-0.5")
    class_event(world, world.class1, 1, day=datetime.date(2026, 10, 31))  # October: not counted
    voided = class_event(world, world.class2, -5)
    void(voided, world.office)
    class_event(world, world.class2, 3)
    rows = _class_rows(run(world))
    assert rows["六(1)班"].inspection_points == Decimal("-2.5")
    assert rows["六(1)班"].score == Decimal("97.5")
    assert rows["六(2)班"].score == Decimal("103.0")
    assert (rows["六(2)班"].rank_in_grade, rows["六(2)班"].rank_in_school) == (1, 1)
    assert (rows["六(1)班"].rank_in_grade, rows["六(1)班"].rank_in_school) == (2, 2)


def test_ranks_are_standard_competition_ranks_and_ties_are_listed_stably(world):
    c3 = add_class(world, 3)
    add_class(world, 4)  # no entries: 100
    seventh = add_class(world, 1, level=7)
    class_event(world, world.class1, -5)  # 95
    class_event(world, world.class2, -2)  # 98
    class_event(world, c3, -2)  # 98
    class_event(world, seventh, -1)  # the seventh grade's only class: 99
    revision = run(world)
    rows = _class_rows(revision)
    assert [(name, rows[name].rank_in_grade) for name in ("六(4)班", "六(2)班", "六(3)班", "六(1)班")] == [
        ("六(4)班", 1), ("六(2)班", 2), ("六(3)班", 2), ("六(1)班", 4)
    ]
    assert rows["七(1)班"].rank_in_grade == 1
    assert [r.rank_in_school for r in ClassResult.objects.filter(revision=revision)] == [1, 2, 3, 3, 5]
    # Ties are listed by grade, class number: the order never depends on insertion.
    ordered = [r["school_class__name"] for r in ClassResult.objects.filter(revision=revision).order_by(
        "rank_in_school", "grade__level", "school_class__number").values("school_class__name")]
    assert ordered == ["六(4)班", "七(1)班", "六(2)班", "六(3)班", "六(1)班"]


@pytest.mark.parametrize(
    ("classes", "share", "civilized"),
    [(7, 30, 3), (10, 30, 3), (4, 30, 2), (3, 100, 3), (5, 1, 1)],
)
def test_civilized_share_is_rounded_up_per_grade(world, classes, share, civilized):
    for number in range(3, classes + 1):
        add_class(world, number)
    for n, school_class in enumerate(SchoolClass.objects.filter(school=world.school).order_by("number")):
        class_event(world, school_class, -n - 1)  # distinct scores
    rules(world, civilized_class_share=share)
    revision = run(world)
    assert ClassResult.objects.filter(revision=revision, civilized=True).count() == civilized
    assert set(ClassResult.objects.filter(revision=revision, civilized=True).values_list("rank_in_grade", flat=True)) == set(
        range(1, civilized + 1)
    )


def test_classes_tied_at_the_last_civilized_place_all_get_the_award(world):
    add_class(world, 3)
    class_event(world, world.class1, -1)
    class_event(world, world.class2, -1)
    rules(world, civilized_class_share=34)  # ceil(0.34 × 3) = 2 places; ranks 1, 2, 2
    class_event(world, world.class1, 2)
    class_event(world, world.class2, 0.5)
    rows = _class_rows(run(world))
    assert [rows[n].civilized for n in ("六(1)班", "六(2)班", "六(3)班")] == [True, False, True]


def test_min_score_rule_and_both_rules(world):
    class_event(world, world.class1, -1)  # 99
    class_event(world, world.class2, -3)  # 97
    rules(world, civilized_class_share=None, civilized_class_min_score=Decimal("98"))
    rows = _class_rows(run(world))
    assert (rows["六(1)班"].civilized, rows["六(2)班"].civilized) == (True, False)
    rules(world, civilized_class_share=100, civilized_class_min_score=Decimal("99.5"))
    rows = _class_rows(run(world))
    assert (rows["六(1)班"].civilized, rows["六(2)班"].civilized) == (False, False)
    rules(world, civilized_class_share=None, civilized_class_min_score=None)
    rows = _class_rows(run(world))
    assert not any(r.civilized for r in rows.values())


def test_a_veto_removes_the_top_class_from_civilized_and_the_next_class_takes_the_place(world):
    class_event(world, world.class1, 10)  # the best score of the school
    class_event(world, world.class2, -4)
    veto(world, world.class1, "打架斗殴", day=datetime.date(2026, 11, 3))
    veto(world, world.class1, "损坏公物", day=datetime.date(2026, 11, 25))
    voided = veto(world, world.class2, "误记")
    void(voided, world.office)
    veto(world, world.class2, "十月的事", day=datetime.date(2026, 10, 30))  # another month
    rules(world, civilized_class_share=50)  # 1 place of 2
    rows = _class_rows(run(world))
    top = rows["六(1)班"]
    assert (top.rank_in_school, top.vetoed, top.civilized) == (1, True, False)
    assert top.veto_reason == "打架斗殴；损坏公物"
    assert (rows["六(2)班"].vetoed, rows["六(2)班"].civilized) == (False, True)
    appraisal = HeadTeacherAppraisal.objects.get(teacher=world.head_teacher)
    assert (appraisal.vetoes, appraisal.civilized, appraisal.rank_in_school) == (2, False, 1)


def test_students_have_dimension_sums_of_the_month(world):
    conduct(world, world.child, 2, dimension="study")
    conduct(world, world.child, "-0.5", dimension="discipline")
    conduct(world, world.child, 1, dimension="hygiene")
    void(conduct(world, world.child, 5, dimension="morality"), world.head_teacher)
    conduct(world, world.child, 3, dimension="activities", day=datetime.date(2026, 12, 1))
    conduct(world, world.other_child, -1, dimension="morality", school_class=world.class2)
    revision = run(world)
    rows = {r.student_id: r for r in StudentResult.objects.filter(revision=revision)}
    child = rows[world.child.pk]
    assert (child.morality, child.study, child.discipline, child.hygiene, child.activities, child.total) == (
        0, Decimal("2"), Decimal("-0.5"), Decimal("1"), 0, Decimal("2.5")
    )
    assert child.school_class_id == world.class1.pk
    # Every enrolled student has a row, with zeros when they have no entry.
    assert rows[world.classmate.pk].total == 0
    assert rows[world.other_child.pk].morality == Decimal("-1")
    classes = _class_rows(revision)
    assert classes["六(1)班"].conduct_points == Decimal("2.5")
    assert classes["六(2)班"].conduct_points == Decimal("-1")


def test_groups_are_ranked_within_their_class_and_kind(world):
    a = group(world, world.class1, "雏鹰组")
    b = group(world, world.class1, "飞虎组")
    c = group(world, world.class1, "扫除一组", kind="cleaning")
    d = group(world, world.class2, "星星组")
    off = group(world, world.class1, "旧组")
    off.is_active = False
    off.save()
    group_event(world, a, 2)
    group_event(world, b, 5)
    group_event(world, c, -1)
    void(group_event(world, a, 9), world.head_teacher)
    revision = run(world)
    rows = {r.group_id: r for r in GroupResult.objects.filter(revision=revision)}
    assert off.pk not in rows
    assert (rows[b.pk].rank_in_class, rows[a.pk].rank_in_class) == (1, 2)
    assert (rows[c.pk].rank_in_class, rows[c.pk].points) == (1, Decimal("-1"))
    assert (rows[d.pk].rank_in_class, rows[d.pk].points) == (1, 0)


def test_dorm_deductions_count_room_and_student_entries_and_the_fewest_rank_first(world):
    r1, r2, r3 = room(world, "101"), room(world, "102"), room(world, "103")
    dorm_event(world, r1, -2)
    dorm_event(world, r1, -1, student=world.child)
    dorm_event(world, r1, 1)  # a praise does not reduce the deductions
    dorm_event(world, r2, "-0.5", student=world.classmate)
    void(dorm_event(world, r3, -9), world.office)
    dorm_event(world, r3, -4, day=datetime.date(2026, 10, 15))
    rules(world, civilized_dorm_share=50, civilized_dorm_max_deductions=None)
    revision = run(world)
    rows = {r.room_id: r for r in DormResult.objects.filter(revision=revision)}
    assert [rows[r.pk].deductions for r in (r1, r2, r3)] == [Decimal("3"), Decimal("0.5"), 0]
    assert [rows[r.pk].rank for r in (r1, r2, r3)] == [3, 2, 1]
    assert [rows[r.pk].civilized for r in (r1, r2, r3)] == [False, True, True]  # ceil(50 % × 3) = 2
    rules(world, civilized_dorm_share=None, civilized_dorm_max_deductions=Decimal("0.5"))
    rows = {r.room_id: r for r in DormResult.objects.filter(revision=run(world))}
    assert [rows[r.pk].civilized for r in (r1, r2, r3)] == [False, True, True]


def test_appraisal_counts_the_head_teachers_own_entries_for_the_class(world):
    conduct(world, world.child, 1)
    conduct(world, world.child, 1)
    conduct(world, world.child, 1, by=world.subject_teacher)  # not the head teacher's
    void(conduct(world, world.child, 1), world.head_teacher)  # voided: not counted
    g = group(world, world.class1, "雏鹰组")
    group_event(world, g, 2)
    class_event(world, world.class1, -1)
    revision = run(world)
    mine = HeadTeacherAppraisal.objects.get(revision=revision, teacher=world.head_teacher)
    assert (mine.school_class_id, mine.records_filed, mine.class_score, mine.rank_in_grade) == (world.class1.pk, 3, Decimal("99"), 2)
    other = HeadTeacherAppraisal.objects.get(revision=revision, teacher=world.other_head_teacher)
    assert (other.records_filed, other.rank_in_grade) == (0, 1)


def test_weekly_evaluation_holds_class_results_only_and_starts_on_a_monday(world):
    class_event(world, world.class1, -1, day=WEEK + datetime.timedelta(days=6))  # Sunday: in the week
    class_event(world, world.class1, -5, day=WEEK + datetime.timedelta(days=7))  # next Monday: not
    conduct(world, world.child, 2, day=WEEK)
    revision = run(world, kind="weekly", start=WEEK)
    assert revision.evaluation.period_end == datetime.date(2026, 11, 22)
    rows = _class_rows(revision)
    assert (rows["六(1)班"].score, rows["六(1)班"].conduct_points) == (Decimal("99"), Decimal("2"))
    assert not StudentResult.objects.exists() and not HeadTeacherAppraisal.objects.exists()
    with pytest.raises(ValidationError):
        run(world, kind="weekly", start=WEEK + datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        run(world, kind="monthly", start=NOV_DAY)


def test_a_period_outside_every_term_is_refused(world):
    with pytest.raises(ValidationError):
        run(world, start=datetime.date(2027, 3, 1))
    assert not Evaluation.objects.exists()


def test_another_schools_rows_never_enter(world):
    class_event(world, world.b.class1, -7)
    conduct(world, world.b.child, 3, school_class=world.b.class1)
    revision = run(world)
    assert set(ClassResult.objects.filter(revision=revision).values_list("school_class_id", flat=True)) == {
        world.class1.pk, world.class2.pk
    }
    assert not StudentResult.objects.filter(revision=revision, student=world.b.child).exists()


# --- Local time ------------------------------------------------------------------------------


def test_an_entry_on_the_last_local_evening_of_the_month_counts_for_that_month(world, record):
    # 23:30 on 30 November in Shanghai is 15:30 UTC: still November.
    with time_machine.travel("2026-11-30 23:30 +0800", tick=False):
        record(world.head_teacher, [world.child], "拾金不昧")
    # 00:10 on 1 December in Shanghai is 16:10 UTC on 30 November: December.
    with time_machine.travel("2026-12-01 00:10 +0800", tick=False):
        record(world.head_teacher, [world.classmate], "拾金不昧")
    with time_machine.travel("2026-12-01 02:00 +0800", tick=False):
        revision = run(world)
        december = run(world, start=datetime.date(2026, 12, 1))
    rows = {r.student_id: r.total for r in StudentResult.objects.filter(revision=revision)}
    assert rows[world.child.pk] > 0 and rows[world.classmate.pk] == 0
    rows = {r.student_id: r.total for r in StudentResult.objects.filter(revision=december)}
    assert rows[world.child.pk] == 0 and rows[world.classmate.pk] > 0


# --- Idempotency, revisions, changes -------------------------------------------------------------


def _rich_month(world):
    class_event(world, world.class1, -2)
    veto(world, world.class2, "打架")
    conduct(world, world.child, 2)
    group_event(world, group(world, world.class1, "雏鹰组"), 1)
    dorm_event(world, room(world, "101"), -1)


def test_running_twice_gives_the_same_rows_and_no_new_revision(world):
    _rich_month(world)
    first = run(world, actor=world.office)
    rows = _all_rows(first)
    assert all(rows.values())
    second = run(world, actor=world.office)
    assert (second.pk, second.number, second.digest, second.outcome) == (first.pk, 1, first.digest, "unchanged")
    assert _all_rows(second) == rows
    assert EvaluationRevision.objects.count() == 1
    assert AuditEvent.objects.filter(action__startswith="moral_ed.evaluation.").count() == 1


def test_a_draft_is_computed_again_in_place(world):
    class_event(world, world.class1, -2)
    first = run(world)
    class_event(world, world.class1, -1)
    again = run(world)
    assert (again.pk, again.number, again.outcome) == (first.pk, 1, "replaced")
    assert again.digest != first.digest
    assert _class_rows(again)["六(1)班"].score == Decimal("97")
    assert ClassResult.objects.count() == 2


def test_a_late_correction_after_publication_makes_revision_2_with_its_changes(world):
    wrong = class_event(world, world.class1, -3)
    class_event(world, world.class2, -1)
    rules(world, civilized_class_share=50)
    first = services.evaluation_publish(revision=run(world), published_by=world.office)
    assert _class_rows(first)["六(2)班"].civilized
    void(wrong, world.office)
    class_event(world, world.class1, -0.5)
    veto(world, world.class2, "重大违纪")
    second = run(world)
    assert (second.number, second.status, second.outcome) == (2, RevisionStatus.DRAFT, "created")
    first.refresh_from_db()
    assert first.status == RevisionStatus.PUBLISHED
    text = "\n".join(second.changes)
    assert "六(1)班" in text and "97 → 99.5" in text and "2 → 1" in text
    assert "六(2)班" in text and "重大违纪" in text
    # Publishing revision 2 supersedes revision 1; both stay.
    services.evaluation_publish(revision=second, published_by=world.office)
    first.refresh_from_db()
    assert first.status == RevisionStatus.SUPERSEDED
    assert _class_rows(first)["六(1)班"].score == Decimal("97")


def test_changes_count_students_groups_and_dorms(world):
    _rich_month(world)
    services.evaluation_publish(revision=run(world))
    conduct(world, world.classmate, 1)
    dorm_event(world, room(world, "102"), -2)
    second = run(world)
    assert any("1" in line and ("学生" in line or "student" in line) for line in second.changes)
    assert len([line for line in second.changes if "六(" in line]) == 1  # class 1's conduct points


# --- Digest ----------------------------------------------------------------------------------------


def test_digest_is_stable_and_independent_of_row_order(world):
    _rich_month(world)
    period = services.evaluation_period("monthly", NOV)
    computed = services.evaluation_compute(
        school=world.school, kind="monthly", period=period, term=world.term, rules=services.settings_for(world.school)
    )
    digest = services.evaluation_digest(kind="monthly", period_start=NOV, computed=computed)
    for name in ("classes", "students", "groups", "dorms", "appraisals"):
        random.Random(7).shuffle(getattr(computed, name))
    assert services.evaluation_digest(kind="monthly", period_start=NOV, computed=computed) == digest
    assert run(world).digest == digest
    assert len(digest) == 64
    computed.classes[0]["score"] += Decimal("0.5")
    assert services.evaluation_digest(kind="monthly", period_start=NOV, computed=computed) != digest


# --- Publishing ----------------------------------------------------------------------------------------


def test_publishing_tells_each_head_teacher_once_and_is_idempotent(world):
    class_event(world, world.class1, -1)
    revision = run(world)
    assert not Notification.objects.filter(kind="moral_ed.evaluation_published").exists()
    services.evaluation_publish(revision=revision, published_by=world.office)
    services.evaluation_publish(revision=revision, published_by=world.office)
    notes = Notification.objects.filter(kind="moral_ed.evaluation_published")
    assert sorted(n.recipient_id for n in notes) == sorted([world.head_teacher.pk, world.other_head_teacher.pk])
    assert all(str(revision.pk) in n.link for n in notes)
    assert AuditEvent.objects.filter(action="moral_ed.evaluation.published").count() == 1
    revision.refresh_from_db()
    assert (revision.status, revision.published_by) == (RevisionStatus.PUBLISHED, world.office)


def test_a_weekly_publication_sends_nothing(world):
    services.evaluation_publish(revision=run(world, kind="weekly", start=WEEK))
    assert not Notification.objects.exists()


def test_publishing_a_draft_computed_again_since_the_preview_is_refused(world):
    revision = run(world)
    seen = revision.digest
    class_event(world, world.class1, -1)
    run(world)
    with pytest.raises(ValidationError):
        services.evaluation_publish(revision=revision, published_by=world.office, digest=seen)
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.DRAFT


# --- Two workers at once ----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_make_one_evaluation_and_one_revision(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs two PostgreSQL connections")
    _rich_month(world)

    def worker():
        return run(world).pk

    outcomes = at_once(worker, worker)
    assert not failures(outcomes), outcomes
    assert outcomes[0] == outcomes[1]
    assert Evaluation.objects.count() == 1
    assert EvaluationRevision.objects.count() == 1
    revision = EvaluationRevision.objects.get()
    assert ClassResult.objects.filter(revision=revision).count() == 2
    # The rows are those a single run computes.
    assert run(world).outcome == "unchanged"


@pytest.mark.django_db(transaction=True)
def test_two_publications_at_once_publish_once(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs two PostgreSQL connections")
    revision = run(world)

    def worker():
        return services.evaluation_publish(revision=revision, published_by=world.office).status

    outcomes = at_once(worker, worker)
    assert not failures(outcomes), outcomes
    assert EvaluationRevision.objects.get().status == RevisionStatus.PUBLISHED
    assert Notification.objects.filter(kind="moral_ed.evaluation_published", recipient=world.head_teacher).count() == 1
    assert AuditEvent.objects.filter(action="moral_ed.evaluation.published").count() == 1


# --- Queries -----------------------------------------------------------------------------------------


def _queries_of_a_first_run(world, start, events):
    for n in range(events):
        day = start + datetime.timedelta(days=n % 28)
        conduct(world, [world.child, world.classmate][n % 2], 1 if n % 3 else -1, dimension=["study", "hygiene"][n % 2], day=day)
        class_event(world, [world.class1, world.class2][n % 2], -1, day=day)
    with CaptureQueriesContext(connection) as ctx:
        run(world, start=start)
    return len(ctx.captured_queries)


def test_the_service_makes_the_same_number_of_queries_whatever_the_number_of_events(world):
    group(world, world.class1, "雏鹰组")
    room(world, "101")
    few = _queries_of_a_first_run(world, OCT, 3)
    many = _queries_of_a_first_run(world, NOV, 120)
    assert few == many
    assert many <= 30
