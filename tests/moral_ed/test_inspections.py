"""Class inspections (班级量化考核): default items, the append-only ledger of
class entries, void rules, vetoes (一票否决), the totals the grid and the
evaluation read, and the daily report."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import AuditEvent
from moral_ed.models import ClassEvent, ClassVeto, InspectionItem
from moral_ed.policies import inspections as policies
from moral_ed.selectors import inspections as selectors
from moral_ed.services import inspections as services
from notifications.models import Notification
from tests.concurrency import at_once, failures

from .inspections_support import SCHOOL_DAY, TODAY, YESTERDAY, duty_fixture, insp_items_fixture, record, school_day_fixture  # noqa: F401

pytestmark = pytest.mark.usefixtures("school_day")


# --- Defaults -------------------------------------------------------------------------


def test_defaults_install_the_seed_items_once(world):
    first = services.defaults_install(school=world.school)
    assert first["items"] == len(services.DEFAULT_INSPECTION_ITEMS)
    names = set(InspectionItem.objects.filter(school=world.school).values_list("name", flat=True))
    for name in ("迟到早退", "仪表仪容", "校服校徽穿戴", "自行车停放", "包干区清扫", "二课二操", "遵守交通规则", "食堂文明就餐",
                 "不浪费粮食", "节约水电", "不在教室外吃零食", "乱扔纸屑", "住宿生夜自修纪律", "住宿生就寝纪律", "好人好事"):
        assert name in names
    assert InspectionItem.objects.get(school=world.school, name="好人好事").points == Decimal("1")
    assert InspectionItem.objects.filter(school=world.school, points__lt=0).count() == len(names) - 1
    # Half points are kept as such.
    assert InspectionItem.objects.get(school=world.school, name="自行车停放").points == Decimal("-0.5")
    assert services.defaults_install(school=world.school) == {"items": 0}
    assert InspectionItem.objects.filter(school=world.school).count() == len(names)


def test_defaults_leave_an_edited_item_alone(world):
    InspectionItem.objects.create(school=world.school, name="迟到早退", points=Decimal("-3"), is_active=False)
    services.defaults_install(school=world.school)
    item = InspectionItem.objects.get(school=world.school, name="迟到早退")
    assert item.points == Decimal("-3") and not item.is_active


def test_defaults_are_per_school(world):
    services.defaults_install(school=world.school)
    assert not InspectionItem.objects.filter(school=world.b.school).exists()


def test_defaults_install_is_not_exported_over_the_conduct_one():
    """moral_ed.services star-imports the parts: ours must not shadow conduct's."""
    assert "defaults_install" not in services.__all__


# --- Recording --------------------------------------------------------------------------


def test_record_writes_the_items_points_for_the_class(world, insp_items, duty):
    event = record(world, world.duty, "包干区清扫", note="北楼梯")
    assert event.points == Decimal("-2") and event.school_class == world.class1
    assert event.term == world.term and event.occurred_on == TODAY and event.recorded_by == world.duty
    assert event.note == "北楼梯"


def test_record_refuses_an_inactive_item_or_another_schools_item(world, insp_items):
    item = insp_items["仪表仪容"]
    item.is_active = False
    item.save()
    with pytest.raises(ValidationError):
        record(world, world.office, item)
    b_item = InspectionItem.objects.filter(school=world.b.school).first()
    with pytest.raises(ValidationError):
        record(world, world.office, b_item)
    assert not ClassEvent.objects.exists()


def test_record_refuses_another_schools_class(world, insp_items):
    with pytest.raises(ValidationError):
        services.inspection_record(actor=world.office, school=world.school, term=world.term, school_class=world.b.class1,
                                   item=insp_items["仪表仪容"], occurred_on=TODAY)


@pytest.mark.parametrize("day", [TODAY + datetime.timedelta(days=1), datetime.date(2026, 8, 31)])
def test_record_refuses_a_day_to_come_or_outside_the_term(world, insp_items, day):
    with pytest.raises(ValidationError):
        record(world, world.office, "仪表仪容", day=day)


def test_record_refuses_without_a_term(world, insp_items):
    with pytest.raises(ValidationError):
        services.inspection_record(actor=world.office, school=world.school, term=None, school_class=world.class1,
                                   item=insp_items["仪表仪容"], occurred_on=TODAY)


def test_the_ledger_refuses_zero_points(world, insp_items):
    with pytest.raises(IntegrityError), transaction.atomic():
        ClassEvent.objects.create(school=world.school, term=world.term, school_class=world.class1, points=0,
                                  occurred_on=TODAY, recorded_by=world.office)


# --- Voiding ----------------------------------------------------------------------------------


def test_void_keeps_the_entry_and_the_totals_drop(world, insp_items):
    event = record(world, world.office, "包干区清扫")
    record(world, world.office, "好人好事")
    assert selectors.class_inspection_totals(world.school, TODAY, TODAY) == {world.class1.pk: Decimal("-1")}
    assert services.inspection_void(actor=world.office, event=event, reason="查错班级")
    event.refresh_from_db()
    assert event.is_voided and event.voided_by == world.office and event.void_reason == "查错班级"
    assert ClassEvent.objects.count() == 2
    assert selectors.class_inspection_totals(world.school, TODAY, TODAY) == {world.class1.pk: Decimal("1")}
    audit = AuditEvent.objects.get(action="moral_ed.inspection.voided")
    assert audit.target_id == str(event.pk) and audit.data["reason"] == "查错班级"


def test_void_twice_changes_nothing_and_needs_a_reason(world, insp_items):
    event = record(world, world.office, "包干区清扫")
    with pytest.raises(ValidationError):
        services.inspection_void(actor=world.office, event=event, reason="  ")
    assert services.inspection_void(actor=world.office, event=event, reason="错")
    assert not services.inspection_void(actor=world.office, event=event, reason="再次")
    event.refresh_from_db()
    assert event.void_reason == "错"
    assert AuditEvent.objects.filter(action="moral_ed.inspection.voided").count() == 1


def test_a_duty_student_voids_only_their_own_entries_of_today(world, insp_items, duty):
    own = record(world, world.duty, "仪表仪容")
    others = record(world, world.duty2, "仪表仪容")
    office = record(world, world.office, "仪表仪容")
    earlier = record(world, world.duty, "仪表仪容", day=YESTERDAY)
    assert policies.can_void_inspection(world.duty, world.school, own)
    assert not policies.can_void_inspection(world.duty, world.school, others)
    assert not policies.can_void_inspection(world.duty, world.school, office)
    assert not policies.can_void_inspection(world.duty, world.school, earlier)
    # The office voids any entry of its school, never another school's.
    assert all(policies.can_void_inspection(world.office, world.school, e) for e in (own, others, earlier))
    b_event = record(world, world.b.office, "仪表仪容", school_class=world.b.class1)
    assert not policies.can_void_inspection(world.office, world.school, b_event)


def test_a_duty_student_records_for_today_only(world, duty):
    assert policies.can_record_on(world.duty, world.school, TODAY)
    assert not policies.can_record_on(world.duty, world.school, YESTERDAY)
    assert policies.can_record_on(world.office, world.school, YESTERDAY)
    assert not policies.can_record_on(world.head_teacher, world.school, TODAY)


@pytest.mark.parametrize("person", ["head_teacher", "subject_teacher", "principal", "counsellor", "parent", "student_user", "school_admin"])
def test_nobody_else_inspects(world, person):
    assert not policies.can_inspect(getattr(world, person), world.school)


# --- Totals -------------------------------------------------------------------------------------


def test_class_totals_are_one_grouped_query_over_unvoided_entries(world, insp_items):
    record(world, world.office, "包干区清扫")
    record(world, world.office, "自行车停放", day=YESTERDAY)
    record(world, world.office, "仪表仪容", school_class=world.class2)
    voided = record(world, world.office, "迟到早退", school_class=world.class2)
    services.inspection_void(actor=world.office, event=voided, reason="错")
    record(world, world.office, "仪表仪容", day=datetime.date(2026, 11, 1))
    record(world, world.b.office, "仪表仪容", school_class=world.b.class1)
    with CaptureQueriesContext(connection) as ctx:
        totals = selectors.class_inspection_totals(world.school, datetime.date(2026, 11, 16), datetime.date(2026, 11, 22))
    assert len(ctx.captured_queries) == 1
    assert totals == {world.class1.pk: Decimal("-2.5"), world.class2.pk: Decimal("-1")}


def test_class_item_totals(world, insp_items):
    record(world, world.office, "包干区清扫")
    record(world, world.office, "包干区清扫")
    record(world, world.office, "好人好事")
    rows = selectors.class_item_totals(world.class1, TODAY, TODAY)
    assert [(r["item__name"], r["count"], r["total"]) for r in rows] == [("包干区清扫", 2, Decimal("-4")), ("好人好事", 1, Decimal("1"))]


# --- Vetoes ---------------------------------------------------------------------------------------


def test_veto_is_recorded_audited_and_the_head_teacher_told(world):
    veto = services.veto_record(school=world.school, school_class=world.class1, occurred_on=YESTERDAY,
                                reason="课间追逐打闹致人受伤", recorded_by=world.office)
    assert veto.term == world.term and not veto.is_voided
    audit = AuditEvent.objects.get(action="moral_ed.veto.recorded")
    assert audit.actor == world.office and audit.target_id == str(veto.pk)
    note = Notification.objects.get(kind="moral_ed.veto_recorded")
    assert note.recipient == world.head_teacher and "六(1)班" in note.title
    assert note.dedupe_key == f"moral_ed.veto:{veto.pk}"
    assert not Notification.objects.filter(recipient=world.other_head_teacher).exists()


@pytest.mark.parametrize(
    "day, reason",
    [(TODAY + datetime.timedelta(days=1), "打架"), (None, "打架"), (YESTERDAY, "   "), (datetime.date(2026, 8, 1), "打架")],
)
def test_veto_needs_a_reason_and_a_date_in_a_term_not_to_come(world, day, reason):
    with pytest.raises(ValidationError):
        services.veto_record(school=world.school, school_class=world.class1, occurred_on=day, reason=reason, recorded_by=world.office)
    assert not ClassVeto.objects.exists()
    assert not AuditEvent.objects.filter(action="moral_ed.veto.recorded").exists()


def test_veto_refuses_another_schools_class(world):
    with pytest.raises(ValidationError):
        services.veto_record(school=world.school, school_class=world.b.class1, occurred_on=YESTERDAY, reason="打架",
                             recorded_by=world.office)


def test_veto_void_keeps_it_and_is_idempotent(world):
    veto = services.veto_record(school=world.school, school_class=world.class1, occurred_on=YESTERDAY, reason="打架",
                                recorded_by=world.office)
    with pytest.raises(ValidationError):
        services.veto_void(actor=world.office, veto=veto, reason="")
    assert services.veto_void(actor=world.office, veto=veto, reason="经核实非本班学生")
    assert not services.veto_void(actor=world.office, veto=veto, reason="再次")
    veto.refresh_from_db()
    assert veto.is_voided and veto.void_reason == "经核实非本班学生" and veto.voided_by == world.office
    assert AuditEvent.objects.filter(action="moral_ed.veto.voided").count() == 1
    assert Notification.objects.filter(recipient=world.head_teacher, kind="moral_ed.veto_voided").count() == 1
    assert ClassVeto.objects.count() == 1


def test_vetoes_in_gives_unvoided_vetoes_per_class_in_the_range(world):
    def veto(school_class, day, reason="打架", school=None, by=None):
        return services.veto_record(school=school or world.school, school_class=school_class, occurred_on=day, reason=reason,
                                    recorded_by=by or world.office)

    a = veto(world.class1, datetime.date(2026, 11, 2), "打架")
    b = veto(world.class1, datetime.date(2026, 11, 18), "损坏公物")
    c = veto(world.class2, datetime.date(2026, 11, 18))
    services.veto_void(actor=world.office, veto=c, reason="撤销")
    veto(world.class2, datetime.date(2026, 10, 31))
    veto(world.b.class1, datetime.date(2026, 11, 3), school=world.b.school, by=world.b.office)
    with CaptureQueriesContext(connection) as ctx:
        found = selectors.vetoes_in(world.school, datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))
    assert len(ctx.captured_queries) == 1
    assert found == {world.class1.pk: [a, b]}


# --- Daily report (每天通报) ----------------------------------------------------------------------------


def test_daily_report_tells_each_head_teacher_once(world, insp_items):
    record(world, world.office, "包干区清扫")
    record(world, world.office, "包干区清扫")
    record(world, world.office, "好人好事")
    record(world, world.office, "仪表仪容", day=YESTERDAY)
    assert services.inspection_daily_report_send(school=world.school, day=TODAY) == 1
    note = Notification.objects.get(kind="moral_ed.inspection_daily")
    assert note.recipient == world.head_teacher
    assert "-3" in note.body and "包干区清扫 ×2 (-4)" in note.body and "好人好事 (+1)" in note.body
    assert services.inspection_daily_report_send(school=world.school, day=TODAY) == 0
    assert Notification.objects.filter(kind="moral_ed.inspection_daily").count() == 1


def test_daily_report_task_runs_every_school(world, insp_items):
    from moral_ed.tasks.inspections import inspection_daily_report_for_school

    record(world, world.office, "仪表仪容", school_class=world.class2)
    inspection_daily_report_for_school(world.school.pk, TODAY.isoformat())
    inspection_daily_report_for_school(world.school.pk, TODAY.isoformat())
    assert list(Notification.objects.filter(kind="moral_ed.inspection_daily").values_list("recipient", flat=True)) == [
        world.other_head_teacher.pk
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two workers at once need PostgreSQL's row locks (SQLite locks the whole table)")
@pytest.mark.django_db(transaction=True)
def test_daily_report_on_two_workers_at_once_sends_once(world, insp_items):
    record(world, world.office, "仪表仪容")

    def job():
        with time_machine.travel(SCHOOL_DAY, tick=False):
            return services.inspection_daily_report_send(school=world.school, day=TODAY)

    outcomes = at_once(job, job)
    assert not failures(outcomes)
    assert Notification.objects.filter(kind="moral_ed.inspection_daily").count() == 1
