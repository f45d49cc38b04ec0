"""Writes with a rule for class inspections (班级量化考核) and vetoes (一票否决).

Callers (views, the admin, tasks) check who may act with
moral_ed.policies.inspections before calling; every function says so.
None reads a request.

`__all__` names the writes the other parts call. `defaults_install` is
left out: the conduct module has a function of the same name, and the one
caller is moral_ed.services.defaults (tests/moral_ed/test_inspections.py
holds this).
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import audit_record
from classes.models import SchoolClass, TeachingAssignment, Term
from core.ledger import void
from notifications.services import notify

from ..models import ClassEvent, ClassVeto, InspectionItem

__all__ = [
    "DEFAULT_INSPECTION_ITEMS",
    "inspection_record",
    "inspection_void",
    "veto_record",
    "veto_void",
    "veto_check",
    "inspection_daily_report_send",
]

# The class inspection items of seed 001 (政教处工作计划: 迟到早退、仪表仪容、
# 校服校徽穿戴、自行车停放、包干区清扫、二课二操规范、遵守交通规则、食堂文明
# 就餐、不浪费粮食、节约水电、不在教室外零食、不进行围墙交易、不乱扔纸屑、住宿
# 生夜自修和就寝纪律), one deduction per finding, plus one item to add points.
# (name, points); the order is the order on the inspection grid.
DEFAULT_INSPECTION_ITEMS = [
    ("迟到早退", Decimal("-1")),
    ("仪表仪容", Decimal("-1")),
    ("校服校徽穿戴", Decimal("-1")),
    ("自行车停放", Decimal("-0.5")),
    ("包干区清扫", Decimal("-2")),
    ("二课二操", Decimal("-1")),
    ("遵守交通规则", Decimal("-1")),
    ("食堂文明就餐", Decimal("-1")),
    ("不浪费粮食", Decimal("-1")),
    ("节约水电", Decimal("-0.5")),
    ("不在教室外吃零食", Decimal("-0.5")),
    ("围墙交易", Decimal("-2")),
    ("乱扔纸屑", Decimal("-0.5")),
    ("住宿生夜自修纪律", Decimal("-1")),
    ("住宿生就寝纪律", Decimal("-1")),
    ("好人好事", Decimal("1")),
]


@transaction.atomic
def defaults_install(*, school) -> dict:
    """Give a school the default inspection items (seed 001). Idempotent:
    items whose name exists already are left as the school edited them.
    Returns {"items": number of new items}."""
    existing = set(InspectionItem.objects.filter(school=school).values_list("name", flat=True))
    new = [
        InspectionItem(school=school, name=name, points=points, ordering=i)
        for i, (name, points) in enumerate(DEFAULT_INSPECTION_ITEMS)
        if name not in existing
    ]
    InspectionItem.objects.bulk_create(new)
    return {"items": len(new)}


# --- Inspection entries --------------------------------------------------------------


def _check_day(*, term, occurred_on: datetime.date):
    if term is None:
        raise ValidationError(_("The school has no current term yet."))
    if occurred_on > timezone.localdate():
        raise ValidationError(_("Inspections cannot be recorded for a day that has not come yet."))
    if not term.start_date <= occurred_on <= term.end_date:
        raise ValidationError(_("The day must lie inside the current term."))


@transaction.atomic
def inspection_record(*, actor, school, term, school_class, item: InspectionItem, occurred_on: datetime.date, note: str = "") -> ClassEvent:
    """One inspection entry: `item`'s points for `school_class` on
    `occurred_on`. The caller checked moral_ed.policies.inspections
    (get_class_for_inspecting and can_record_on for the day). The class must
    be of the term's school year, the item an active item of the school,
    the day inside the term and not in the future. Not idempotent: each
    call is a new entry (a finding twice in one day is two entries)."""
    if item.school_id != school.pk or not item.is_active:
        raise ValidationError(_("This inspection item cannot be used."))
    if school_class.school_id != school.pk or (term is not None and school_class.school_year_id != term.school_year_id):
        raise ValidationError(_("This class cannot be inspected in the current term."))
    _check_day(term=term, occurred_on=occurred_on)
    event = ClassEvent(
        school=school,
        term=term,
        school_class=school_class,
        item=item,
        points=item.points,
        note=(note or "").strip()[:200],
        occurred_on=occurred_on,
        recorded_by=actor,
    )
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def inspection_void(*, actor, event: ClassEvent, reason: str) -> bool:
    """Void one inspection entry: it stays, struck through, with the
    author and the reason, and no longer counts. The caller checked
    moral_ed.policies.inspections.can_void_inspection. Idempotent: a voided
    entry stays as it is and the call returns False. One audit row."""
    changed = void(ClassEvent.objects.filter(pk=event.pk), actor=actor, reason=reason)
    if changed:
        event.refresh_from_db(fields=["voided_at", "voided_by", "void_reason"])
        audit_record(
            actor=actor,
            school=event.school,
            action="moral_ed.inspection.voided",
            target=event,
            data={"reason": event.void_reason, "points": str(event.points), "day": event.occurred_on.isoformat()},
        )
    return bool(changed)


# --- Vetoes (一票否决) ------------------------------------------------------------------


def veto_check(*, school, school_class, occurred_on: datetime.date | None, reason: str) -> Term:
    """Validate a veto before it is written and return the term it falls
    in (the admin's form calls this to show errors in place)."""
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = _("Say what happened: the reason is required.")
    if occurred_on is None:
        errors["occurred_on"] = _("Give the date of the incident.")
    elif occurred_on > timezone.localdate():
        errors["occurred_on"] = _("The date of the incident cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    if school_class.school_id != school.pk:
        raise ValidationError(_("The class belongs to another school."))
    term = Term.objects.filter(school=school, start_date__lte=occurred_on, end_date__gte=occurred_on).first()
    if term is None:
        raise ValidationError({"occurred_on": _("The date of the incident lies outside every term of the school.")})
    if term.school_year_id != school_class.school_year_id:
        raise ValidationError({"occurred_on": _("On that date the class was not in the school year of the term.")})
    return term


def _head_teachers(school_class, term):
    return [
        a.teacher
        for a in TeachingAssignment.objects.filter(school_class=school_class, term=term, is_head_teacher=True).select_related("teacher")
        if a.teacher.is_active
    ]


def lock_class_row(class_id: int) -> None:
    """Lock one SchoolClass row until the transaction ends (PostgreSQL
    SELECT ... FOR UPDATE; SQLite serialises writers anyway)."""
    list(SchoolClass.objects.select_for_update().filter(pk=class_id).values_list("pk", flat=True))


@transaction.atomic
def veto_record(*, school, school_class, occurred_on: datetime.date, reason: str, recorded_by) -> ClassVeto:
    """Record a major incident (重大违纪) against a class. While it is not
    voided it bars the class from that period's awards (the evaluation
    reads moral_ed.selectors.inspections.vetoes_in). The caller checked
    moral_ed.policies.inspections.is_office. One audit row
    (moral_ed.veto.recorded) and one message to the class's head teacher
    (de-duplicated per veto). Not idempotent: each call is a new veto."""
    term = veto_check(school=school, school_class=school_class, occurred_on=occurred_on, reason=reason)
    # Taken by moral_ed.services.awards.award_decide too: an outstanding-class
    # approval reading the vetoes and this veto are serialised.
    lock_class_row(school_class.pk)
    veto = ClassVeto(
        school=school,
        term=term,
        school_class=school_class,
        occurred_on=occurred_on,
        reason=reason.strip()[:300],
        recorded_by=recorded_by,
    )
    veto.full_clean()
    veto.save()
    audit_record(
        actor=recorded_by,
        school=school,
        action="moral_ed.veto.recorded",
        target=veto,
        data={"class": school_class.pk, "day": occurred_on.isoformat(), "reason": veto.reason},
    )
    notify(
        school=school,
        recipients=_head_teachers(school_class, term),
        kind="moral_ed.veto_recorded",
        title=_("Veto recorded against %(cls)s") % {"cls": school_class.name},
        body=_("On %(day)s: %(reason)s. While it stands, the class cannot receive this period's awards.")
        % {"day": occurred_on.isoformat(), "reason": veto.reason},
        link=reverse("moral_ed:class_inspections", args=[school_class.pk]),
        dedupe_key=f"moral_ed.veto:{veto.pk}",
    )
    return veto


@transaction.atomic
def veto_void(*, actor, veto: ClassVeto, reason: str) -> bool:
    """Void a veto (recorded in error, or overturned): it stays in the list,
    struck through, with the author and the reason, and no longer bars the
    class. The caller checked is_office. Idempotent: voiding a voided veto
    changes nothing and returns False. One audit row and one message to the
    head teacher (de-duplicated per veto)."""
    changed = void(ClassVeto.objects.filter(pk=veto.pk), actor=actor, reason=reason)
    if changed:
        veto.refresh_from_db(fields=["voided_at", "voided_by", "void_reason"])
        audit_record(actor=actor, school=veto.school, action="moral_ed.veto.voided", target=veto, data={"reason": veto.void_reason})
        notify(
            school=veto.school,
            recipients=_head_teachers(veto.school_class, veto.term),
            kind="moral_ed.veto_voided",
            title=_("Veto against %(cls)s withdrawn") % {"cls": veto.school_class.name},
            body=_("The veto of %(day)s (“%(reason)s”) was withdrawn: %(why)s")
            % {"day": veto.occurred_on.isoformat(), "reason": veto.reason, "why": veto.void_reason},
            link=reverse("moral_ed:class_inspections", args=[veto.school_class_id]),
            dedupe_key=f"moral_ed.veto_voided:{veto.pk}",
        )
    return bool(changed)


# --- Daily report (每天通报) ---------------------------------------------------------------


def inspection_daily_report_send(*, school, day: datetime.date) -> int:
    """Tell each head teacher what the inspections found in their class on
    `day` (每天通报): one message per class that has unvoided entries.
    Idempotent: the de-duplication key is (class, day), so a re-run or a
    second worker sends nothing more. Returns the number of new messages."""
    from classes.selectors import current_term

    from ..selectors.inspections import class_day_summaries

    term = current_term(school)
    if term is None or not term.start_date <= day <= term.end_date:
        return 0
    summaries = class_day_summaries(school=school, day=day)
    if not summaries:
        return 0
    heads = TeachingAssignment.objects.filter(
        school=school, term=term, is_head_teacher=True, school_class_id__in=summaries
    ).select_related("school_class", "teacher")
    sent = 0
    for head in heads:
        summary = summaries[head.school_class_id]
        sent += notify(
            school=school,
            recipients=[head.teacher] if head.teacher.is_active else [],
            kind="moral_ed.inspection_daily",
            title=_("Inspections of %(cls)s on %(day)s") % {"cls": head.school_class.name, "day": day.isoformat()},
            body=_("%(total)s points: %(items)s") % {"total": summary["total_text"], "items": summary["items_text"]},
            link=reverse("moral_ed:class_inspections", args=[head.school_class_id]) + f"?period=week&day={day.isoformat()}",
            dedupe_key=f"moral_ed.inspection_daily:class={head.school_class_id}:day={day.isoformat()}",
        )
    return sent
