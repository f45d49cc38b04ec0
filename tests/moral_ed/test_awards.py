"""Term awards: the candidate list, proposals, the veto rule, decisions,
withdrawals, the office's queue, the approved list and the admin."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from classes.models import Term
from moral_ed.models import AwardKind, AwardStatus, ClassEvent, ClassVeto, ConductEvent, StarCategory, TermAward
from moral_ed.selectors import awards as selectors
from moral_ed.services import awards as services
from moral_ed.services import conduct as conduct_services
from notifications.models import Notification
from tests.concurrency import at_once
from tests.factories import EnrollmentFactory, StudentFactory

pytestmark = pytest.mark.usefixtures("items")
NOV20 = "2026-11-20 10:00 +0800"


@pytest.fixture(autouse=True)
def school_day():
    with time_machine.travel(NOV20, tick=False):
        yield


def inspect(world, school_class, points, *, day=datetime.date(2026, 11, 18), voided=False, term=None):
    """One class inspection entry (the inspections part's ledger)."""
    return ClassEvent.objects.create(
        school=school_class.school,
        term=term or world.term,
        school_class=school_class,
        points=Decimal(points),
        note="测试",
        occurred_on=day,
        recorded_by=world.office,
        voided_at=timezone.now() if voided else None,
        voided_by=world.office if voided else None,
        void_reason="录错" if voided else "",
    )


def veto(world, school_class, reason="课间打架，造成同学受伤", **kw):
    return ClassVeto.objects.create(
        school=school_class.school,
        term=world.term,
        school_class=school_class,
        occurred_on=datetime.date(2026, 11, 19),
        reason=reason,
        recorded_by=world.office,
        **kw,
    )


def propose(world, kind=AwardKind.MERIT_STUDENT, student=None, school_class=None, actor=None, reason="品学兼优"):
    school_class = school_class or world.class1
    if kind in (AwardKind.MERIT_STUDENT, AwardKind.OUTSTANDING_CADRE) and student is None:
        student = world.child
    return services.award_propose(
        actor=actor or world.head_teacher, term=world.term, kind=kind, school_class=school_class, student=student, reason=reason
    )


# --- The candidate list -------------------------------------------------------------------------


def test_candidates_are_ordered_by_term_total_with_dimensions_and_stars(world, record, items):
    record(world.head_teacher, [world.child], "拾金不昧")  # +3 morality
    record(world.head_teacher, [world.child], "迟到")  # -1 discipline
    record(world.head_teacher, [world.classmate], "比赛获奖")  # +3 activities
    record(world.head_teacher, [world.classmate], "进步明显")  # +2 study
    wrong, *_ = record(world.head_teacher, [world.child], "比赛获奖")
    conduct_services.points_void(actor=world.head_teacher, event=wrong[0], reason="记错人")
    # Another term's points do not count.
    spring = Term.objects.create(
        school=world.school, school_year=world.year, number=2, start_date=datetime.date(2027, 2, 20), end_date=datetime.date(2027, 7, 10)
    )
    ConductEvent.objects.create(
        school=world.school, term=spring, student=world.child, school_class=world.class1, dimension="study", points=Decimal(20),
        occurred_on=datetime.date(2027, 3, 1), recorded_by=world.head_teacher, disclosure="released", released_at=timezone.now(),
    )
    star = StarCategory.objects.get(school=world.school, name="每周之星")
    conduct_services.star_nominate(actor=world.head_teacher, category=star, student=world.child, school_class=world.class1, reason="认真")

    candidates = selectors.award_candidates(world.class1, term=world.term)

    assert [s.name for s in candidates] == ["周子涵", "陈小雨"]
    classmate, child = candidates
    assert (classmate.total, classmate.study, classmate.activities, classmate.place) == (Decimal(5), Decimal(2), Decimal(3), 1)
    assert (child.total, child.morality, child.discipline, child.stars, child.place) == (Decimal(2), Decimal(3), Decimal(-1), 1, 2)
    assert child.dimensions == [Decimal(3), Decimal(0), Decimal(-1), Decimal(0), Decimal(0)]


def test_equal_totals_share_a_place(world, record):
    record(world.head_teacher, [world.child, world.classmate], "文明礼貌")
    assert [s.place for s in selectors.award_candidates(world.class1, term=world.term)] == [1, 1]


def test_class_standing_sums_unvoided_inspections_and_ranks_in_grade(world):
    inspect(world, world.class1, "-3")
    inspect(world, world.class1, "-5", voided=True)
    inspect(world, world.class2, "-1")
    veto(world, world.class1)
    veto(world, world.class1, reason="已撤销", voided_at=timezone.now(), voided_by=world.office, void_reason="调查后撤销")

    standing = selectors.class_standing(world.class1, term=world.term)

    assert (standing["total"], standing["rank"], standing["classes"]) == (Decimal(-3), 2, 2)
    assert [v.reason for v in standing["vetoes"]] == ["课间打架，造成同学受伤"]
    assert selectors.class_standing(world.class2, term=world.term)["rank"] == 1


def test_candidate_page_query_count_does_not_grow_with_the_class(world, items, head_teacher_client):
    url = reverse("moral_ed:award_class", args=[world.class1.pk])

    def count():
        head_teacher_client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = head_teacher_client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    def grow(n):
        students = [StudentFactory(school=world.school) for _ in range(n)]
        for s in students:
            EnrollmentFactory(student=s, school_class=world.class1)
        conduct_services.points_record(
            actor=world.head_teacher, school=world.school, term=world.term, school_class=world.class1,
            student_ids=[s.pk for s in students], item=items["作业优秀"],
        )
        propose(world, student=students[0])
        propose(world, kind=AwardKind.OUTSTANDING_CADRE, student=students[-1])

    grow(2)
    small = count()
    grow(12)
    inspect(world, world.class1, "-1")
    veto(world, world.class1)
    assert count() == small


# --- Proposals --------------------------------------------------------------------------------


def test_head_teacher_proposes_a_merit_student_with_the_basis(world, record, head_teacher_client):
    record(world.head_teacher, [world.child], "拾金不昧")
    url = reverse("moral_ed:award_propose", args=[world.class1.pk])
    response = head_teacher_client.post(url, {"kind": "merit_student", "student": world.child.pk, "reason": "乐于助人，成绩优秀"})
    assert response.status_code == 302
    award = TermAward.objects.get()
    assert (award.kind, award.student, award.status, award.proposed_by) == ("merit_student", world.child, "proposed", world.head_teacher)
    assert award.basis["total"] == "3.0" and award.basis["dimensions"]["morality"] == "3.0"
    assert award.basis["place_in_class"] == 1 and award.basis["class_size"] == 2 and award.basis["term"] == world.term.pk
    assert AuditEvent.objects.filter(action="moral_ed.award.proposed").count() == 1
    page = head_teacher_client.get(reverse("moral_ed:award_class", args=[world.class1.pk])).content.decode()
    assert "乐于助人，成绩优秀" in page


def test_student_proposal_needs_a_student_of_the_class(world, head_teacher_client):
    url = reverse("moral_ed:award_propose", args=[world.class1.pk])
    response = head_teacher_client.post(url, {"kind": "outstanding_cadre", "reason": "负责"})
    assert response.status_code == 422
    response = head_teacher_client.post(url, {"kind": "outstanding_cadre", "student": world.other_child.pk, "reason": "负责"})
    assert response.status_code == 422
    with pytest.raises(ValidationError, match="吴浩然"):
        propose(world, student=world.other_child)
    assert not TermAward.objects.exists()


def test_proposal_needs_a_reason(world):
    with pytest.raises(ValidationError):
        propose(world, reason="  ")


def test_veto_blocks_outstanding_class_whatever_its_points(world, head_teacher_client):
    # 六(1)班 has the grade's best inspection total, by far.
    inspect(world, world.class1, "5")
    inspect(world, world.class2, "-20")
    assert selectors.class_standing(world.class1, term=world.term)["rank"] == 1
    veto(world, world.class1)

    response = head_teacher_client.post(
        reverse("moral_ed:award_propose", args=[world.class1.pk]), {"kind": "outstanding_class", "reason": "班风优良"}
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert "一票否决" in page and "课间打架，造成同学受伤" in page
    assert not TermAward.objects.exists()
    with pytest.raises(ValidationError) as error:
        propose(world, kind=AwardKind.OUTSTANDING_CLASS)
    assert error.value.code == "vetoed"


def test_a_voided_veto_no_longer_blocks(world):
    veto(world, world.class1, voided_at=timezone.now(), voided_by=world.office, void_reason="调查后撤销")
    award = propose(world, kind=AwardKind.OUTSTANDING_CLASS)
    assert award.basis["vetoes"] == [] and award.basis["rank_in_grade"] == 1


def test_another_class_veto_does_not_block(world):
    veto(world, world.class2)
    assert propose(world, kind=AwardKind.OUTSTANDING_CLASS).status == AwardStatus.PROPOSED


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's")
def test_a_veto_and_an_outstanding_class_approval_take_the_same_row_lock(world):
    """Both lock the class row, so a veto cannot slip in between the
    approval reading the vetoes and writing its decision."""
    from moral_ed.services.inspections import veto_record

    award = propose(world, kind=AwardKind.OUTSTANDING_CLASS)

    def locks_class_row(ctx):
        return any("FOR UPDATE" in q["sql"] and 'FROM "classes_schoolclass"' in q["sql"] for q in ctx.captured_queries)

    with CaptureQueriesContext(connection) as approving:
        services.award_decide(actor=world.office, award=award, approve=True)
    with CaptureQueriesContext(connection) as vetoing:
        veto_record(school=world.school, school_class=world.class2, occurred_on=datetime.date(2026, 11, 18), reason="打架", recorded_by=world.office)
    assert locks_class_row(approving) and locks_class_row(vetoing)


def test_veto_recorded_after_the_proposal_blocks_approval(world, office_client):
    inspect(world, world.class1, "3")
    award = propose(world, kind=AwardKind.OUTSTANDING_CLASS)
    late = veto(world, world.class1)

    response = office_client.post(reverse("moral_ed:award_decide", args=[award.pk]), {"decision": "approve"}, follow=True)

    assert "一票否决" in response.content.decode()
    award.refresh_from_db()
    assert award.status == AwardStatus.PROPOSED
    with pytest.raises(ValidationError) as error:
        services.award_decide(actor=world.office, award=award, approve=True)
    assert error.value.code == "vetoed"
    # Once the veto is voided the office may approve.
    ClassVeto.objects.filter(pk=late.pk).update(voided_at=timezone.now(), voided_by=world.office, void_reason="撤销")
    assert services.award_decide(actor=world.office, award=award, approve=True).status == AwardStatus.APPROVED


def test_head_teacher_cannot_propose_for_another_class(world, head_teacher_client):
    url = reverse("moral_ed:award_propose", args=[world.class2.pk])
    response = head_teacher_client.post(url, {"kind": "merit_student", "student": world.other_child.pk, "reason": "好"})
    assert response.status_code == 404
    assert head_teacher_client.get(reverse("moral_ed:award_class", args=[world.class2.pk])).status_code == 404
    assert not TermAward.objects.exists()


def test_head_teacher_cannot_approve(world, head_teacher_client):
    award = propose(world)
    response = head_teacher_client.post(reverse("moral_ed:award_decide", args=[award.pk]), {"decision": "approve"})
    assert response.status_code == 403
    award.refresh_from_db()
    assert award.status == AwardStatus.PROPOSED


def test_office_approves_and_the_head_teacher_is_told(world, office_client):
    award = propose(world)
    response = office_client.post(reverse("moral_ed:award_decide", args=[award.pk]), {"decision": "approve", "note": "同意"})
    assert response.status_code == 302
    award.refresh_from_db()
    assert (award.status, award.decided_by, award.decision_note) == (AwardStatus.APPROVED, world.office, "同意")
    assert award.decided_at is not None
    note = Notification.objects.get(kind="moral_ed.award_decided")
    assert note.recipient == world.head_teacher and "陈小雨" in note.title
    assert note.link == reverse("moral_ed:award_class", args=[world.class1.pk])
    assert AuditEvent.objects.filter(action="moral_ed.award.approved", target_id=str(award.pk)).count() == 1


def test_office_declines_with_a_note(world, office_client):
    award = propose(world)
    url = reverse("moral_ed:award_decide", args=[award.pk])
    office_client.post(url, {"decision": "decline"})
    award.refresh_from_db()
    assert award.status == AwardStatus.PROPOSED  # a note is required to decline
    office_client.post(url, {"decision": "decline", "note": "名额已满"})
    award.refresh_from_db()
    assert (award.status, award.decision_note) == (AwardStatus.DECLINED, "名额已满")
    assert Notification.objects.get(kind="moral_ed.award_decided").body == "名额已满"
    assert AuditEvent.objects.filter(action="moral_ed.award.declined").count() == 1


def test_a_decision_is_made_once(world):
    award = propose(world)
    services.award_decide(actor=world.office, award=award, approve=True)
    with pytest.raises(ValidationError) as error:
        services.award_decide(actor=world.office, award=award, approve=False, note="改主意")
    assert error.value.code == "decided"
    assert TermAward.objects.get().status == AwardStatus.APPROVED
    assert Notification.objects.filter(kind="moral_ed.award_decided").count() == 1


def test_duplicates_give_a_clear_error(world, head_teacher_client):
    propose(world)
    with pytest.raises(ValidationError, match="陈小雨本学期已被推荐"):
        propose(world, reason="再次推荐")
    # The same student may still be proposed for the other student award.
    propose(world, kind=AwardKind.OUTSTANDING_CADRE)
    propose(world, kind=AwardKind.OUTSTANDING_CLASS)
    with pytest.raises(ValidationError, match="六\\(1\\)班本学期已被推荐为优秀班集体"):
        propose(world, kind=AwardKind.OUTSTANDING_CLASS)
    response = head_teacher_client.post(
        reverse("moral_ed:award_propose", args=[world.class1.pk]), {"kind": "outstanding_class", "reason": "又一次"}
    )
    assert response.status_code == 422 and "本学期已被推荐" in response.content.decode()
    assert TermAward.objects.count() == 3


def test_integrity_error_becomes_the_clear_error(world):
    """If another proposal slipped in between the check and the insert,
    the unique constraint's IntegrityError is turned into the same message."""
    propose(world)
    with mock.patch.object(services, "_already_proposed", return_value=False):
        with pytest.raises(ValidationError) as error:
            propose(world, reason="并发")
    assert error.value.code == "duplicate" and "陈小雨" in error.value.messages[0]
    assert TermAward.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_proposals_at_once_make_one(world, items):
    if connection.vendor != "postgresql":
        pytest.skip("two concurrent connections need PostgreSQL")

    def job():
        return propose(world)

    outcomes = at_once(job, job)
    assert sorted(type(o).__name__ for o in outcomes) == ["TermAward", "ValidationError"]
    assert TermAward.objects.count() == 1


def test_proposer_withdraws_while_waiting(world, head_teacher_client, other_head_teacher_client, office_client):
    award = propose(world)
    url = reverse("moral_ed:award_withdraw", args=[award.pk])
    assert other_head_teacher_client.post(url).status_code == 404
    assert office_client.post(url).status_code == 403  # sees it, did not propose it
    assert head_teacher_client.post(url).status_code == 302
    assert not TermAward.objects.exists()
    assert AuditEvent.objects.filter(action="moral_ed.award.withdrawn", target_id=str(award.pk)).count() == 1
    # Withdrawn, it may be proposed again.
    again = propose(world)
    services.award_decide(actor=world.office, award=again, approve=True)
    head_teacher_client.post(reverse("moral_ed:award_withdraw", args=[again.pk]))
    assert TermAward.objects.filter(pk=again.pk, status=AwardStatus.APPROVED).exists()


def test_office_proposes_an_outstanding_head_teacher(world, office_client, head_teacher_client):
    response = office_client.post(reverse("moral_ed:award_propose_head"), {"school_class": world.class1.pk, "reason": "班级管理出色"})
    assert response.status_code == 302
    award = TermAward.objects.get()
    assert (award.kind, award.teacher, award.school_class, award.student) == ("outstanding_head", world.head_teacher, world.class1, None)
    assert head_teacher_client.post(reverse("moral_ed:award_propose_head"), {"school_class": world.class1.pk, "reason": "我"}).status_code == 403
    office_client.post(reverse("moral_ed:award_propose_head"), {"school_class": world.class1.pk, "reason": "再次"})
    assert TermAward.objects.count() == 1
    services.award_decide(actor=world.office, award=award, approve=True)
    assert Notification.objects.filter(kind="moral_ed.award_decided", recipient=world.head_teacher).count() == 1


# --- The queue and the list ----------------------------------------------------------------------


def test_queue_lists_filters_and_shows_the_live_veto(world, office_client, client_for):
    propose(world)
    propose(world, kind=AwardKind.OUTSTANDING_CLASS)
    propose(world, student=world.other_child, school_class=world.class2, actor=world.other_head_teacher, reason="刻苦")
    veto(world, world.class1)
    url = reverse("moral_ed:award_queue")
    page = office_client.get(url).content.decode()
    assert "陈小雨" in page and "吴浩然" in page and "课间打架" in page
    page = office_client.get(url, {"term": world.term.pk, "kind": "outstanding_class"}).content.decode()
    assert "陈小雨" not in page and "六(1)班" in page
    page = office_client.get(url, {"term": world.term.pk, "status": "approved"}).content.decode()
    assert "陈小雨" not in page
    for person in (world.head_teacher, world.principal, world.counsellor, world.parent):
        assert client_for(person).get(url).status_code == 403


def test_queue_query_count_does_not_grow_with_proposals(world, office_client):
    url = reverse("moral_ed:award_queue")

    def count():
        office_client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert office_client.get(url).status_code == 200
        return len(ctx.captured_queries)

    propose(world)
    small = count()
    propose(world, kind=AwardKind.OUTSTANDING_CADRE)
    propose(world, kind=AwardKind.OUTSTANDING_CLASS)
    propose(world, student=world.other_child, school_class=world.class2, actor=world.other_head_teacher)
    propose(world, kind=AwardKind.OUTSTANDING_HEAD_TEACHER, school_class=world.class2, actor=world.office)
    veto(world, world.class2)
    assert count() == small


def test_queue_is_paginated(world, office_client):
    for _ in range(27):
        student = StudentFactory(school=world.school)
        EnrollmentFactory(student=student, school_class=world.class1)
        propose(world, student=student)
    url = reverse("moral_ed:award_queue")
    first = office_client.get(url).content.decode()
    assert "page=2" in first
    assert office_client.get(url, {"term": world.term.pk, "page": 2}).status_code == 200


def test_approved_list_shows_head_teachers_their_class_only(world, client_for):
    mine = propose(world)
    theirs = propose(world, student=world.other_child, school_class=world.class2, actor=world.other_head_teacher)
    waiting = propose(world, kind=AwardKind.OUTSTANDING_CADRE, student=world.classmate)
    for award in (mine, theirs):
        services.award_decide(actor=world.office, award=award, approve=True)
    url = reverse("moral_ed:award_list")
    page = client_for(world.head_teacher).get(url).content.decode()
    assert "陈小雨" in page and "吴浩然" not in page and "周子涵" not in page
    for person in (world.principal, world.office):
        page = client_for(person).get(url).content.decode()
        assert "陈小雨" in page and "吴浩然" in page and "周子涵" not in page
    assert waiting.status == AwardStatus.PROPOSED
    for person in (world.subject_teacher, world.counsellor, world.parent):
        assert client_for(person).get(url).status_code == 403


def test_menu_entry_points(world, client_for):
    url = reverse("moral_ed:award_home")
    assert client_for(world.office).get(url)["Location"] == reverse("moral_ed:award_queue")
    assert client_for(world.principal).get(url)["Location"] == reverse("moral_ed:award_list")
    assert client_for(world.head_teacher).get(url)["Location"] == reverse("moral_ed:award_class", args=[world.class1.pk])
    assert client_for(world.subject_teacher).get(url).status_code == 403


def test_office_and_principal_read_the_class_page_without_the_form(world, client_for):
    url = reverse("moral_ed:award_class", args=[world.class1.pk])
    for person in (world.office, world.principal):
        response = client_for(person).get(url)
        assert response.status_code == 200 and 'id="propose"' not in response.content.decode()
    assert 'id="propose"' in client_for(world.head_teacher).get(url).content.decode()
    assert client_for(world.subject_teacher).get(url).status_code == 403


# --- Admin --------------------------------------------------------------------------------------


def test_admin_actions_decide_through_the_service(world, client_for):
    plain = propose(world)
    vetoed = propose(world, kind=AwardKind.OUTSTANDING_CLASS)
    veto(world, world.class1)
    client = client_for(world.school_admin)
    url = reverse("admin:moral_ed_termaward_changelist")
    assert client.get(url).status_code == 200
    client.post(url, {"action": "approve_awards", "_selected_action": [plain.pk, vetoed.pk]})
    plain.refresh_from_db()
    vetoed.refresh_from_db()
    assert plain.status == AwardStatus.APPROVED and plain.decided_by == world.school_admin
    assert vetoed.status == AwardStatus.PROPOSED  # the veto rule holds in the admin too
    client.post(url, {"action": "decline_awards", "_selected_action": [vetoed.pk]})
    vetoed.refresh_from_db()
    assert vetoed.status == AwardStatus.DECLINED and vetoed.decision_note
    assert client.get(reverse("admin:moral_ed_termaward_add")).status_code == 403
    assert client_for(world.b.admin).get(reverse("admin:moral_ed_termaward_change", args=[plain.pk])).status_code in (302, 404)


@pytest.mark.parametrize("size", [2, 15])
def test_candidate_list_is_one_query_whatever_the_class_size(world, items, django_assert_num_queries, size):
    students = [StudentFactory(school=world.school) for _ in range(size)]
    for s in students:
        EnrollmentFactory(student=s, school_class=world.class1)
    conduct_services.points_record(
        actor=world.head_teacher, school=world.school, term=world.term, school_class=world.class1,
        student_ids=[s.pk for s in students], item=items["作业优秀"],
    )
    with django_assert_num_queries(1):
        candidates = selectors.award_candidates(world.class1, term=world.term)
    assert len(candidates) == size + 2
    with django_assert_num_queries(2):
        selectors.class_standing(world.class1, term=world.term)
