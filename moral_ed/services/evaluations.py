"""Weekly and monthly evaluations (一周一累计, 一月一评比, 考评结果存档).

`evaluation_run` computes a period's result rows from the ledgers and
files them as a numbered revision of the period's Evaluation;
`evaluation_publish` makes a draft the published result. Callers (the
office's pages, the weekly and monthly jobs, the `evaluate_month` command)
checked who may act; none of these functions reads a request.

The rules, as the office's plan (seed 001 篇9) has them:

- A class's score is EvaluationSettings.base_points plus the points of its
  unvoided inspection entries (ClassEvent) in the period. Ranks in grade and
  in school are standard competition ranks: equal scores share a place and
  the next place is skipped (1, 2, 2, 4); equal scores are listed by grade,
  class number and id.
- An unvoided veto (ClassVeto, 一票否决) in the period bars the class from
  the civilized-class award whatever its points. The share rule gives the
  award to the best ceil(share % × classes of the grade) classes of each
  grade among those without a veto (a vetoed class does not take a place;
  classes tied at the last place all get it); the score rule needs at least
  the minimum score; with both rules set a class must meet both; with
  neither, no class is civilized.
- Monthly only: each student's conduct points by dimension; each active
  group's group points (GroupEvent) and its rank among the class's groups
  of the same kind; each room's deductions (negative DormEvent points, for
  the room and for its students) ranked fewest first, with the civilized-
  dorm award by the same share/maximum rules; and a head-teacher
  appraisal row per head teacher of the term and class. `records_filed`
  counts the unvoided conduct entries and group entries the head teacher
  recorded for that class in the period.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Membership, Role
from accounts.services import audit_record
from classes import periods
from notifications.services import notify

from ..models import (
    ClassResult,
    Dimension,
    DormResult,
    Evaluation,
    EvaluationKind,
    EvaluationRevision,
    EvaluationSettings,
    GroupResult,
    HeadTeacherAppraisal,
    RevisionStatus,
    StudentResult,
)
from ..selectors import evaluations as figures
from .conduct import points_text

ZERO = Decimal("0.0")
DIMENSIONS = tuple(Dimension.values)
# Rows per INSERT when a revision's rows are written (a school of 3,000
# students writes its student totals in two statements).
BULK_BATCH = 2000


def evaluation_period(kind: str, period_start: datetime.date) -> periods.Period:
    """The period a weekly (Monday–Sunday) or monthly evaluation covers."""
    if kind == EvaluationKind.WEEKLY:
        if period_start.weekday() != 0:
            raise ValidationError(_("A weekly evaluation starts on a Monday."))
        return periods.week_of(period_start)
    if kind == EvaluationKind.MONTHLY:
        if period_start.day != 1:
            raise ValidationError(_("A monthly evaluation starts on the first day of a month."))
        return periods.month_of(period_start)
    raise ValidationError(_("Unknown kind of evaluation."))


def period_label(evaluation) -> str:
    if evaluation.kind == EvaluationKind.MONTHLY:
        return f"{evaluation.period_start:%Y-%m}"
    return f"{evaluation.period_start:%Y-%m-%d} – {evaluation.period_end:%Y-%m-%d}"


def settings_for(school) -> EvaluationSettings:
    """The school's rules; the model's defaults (not saved) if it has none."""
    return EvaluationSettings.objects.filter(school=school).first() or EvaluationSettings(school=school)


def _slots(share_percent: int, count: int) -> int:
    """ceil(share % × count) in integers: 30 % of 7 classes is 3 places (2.1 → 3)."""
    return -(-share_percent * count // 100)


def _meets(rules: list[bool]) -> bool:
    return bool(rules) and all(rules)


# --- Computing ------------------------------------------------------------------------------


@dataclass
class Computed:
    """A period's result rows as plain values (not yet saved)."""

    classes: list[dict] = field(default_factory=list)
    students: list[dict] = field(default_factory=list)
    groups: list[dict] = field(default_factory=list)
    dorms: list[dict] = field(default_factory=list)
    appraisals: list[dict] = field(default_factory=list)
    class_names: dict = field(default_factory=dict)


def evaluation_compute(*, school, kind: str, period: periods.Period, term, rules: EvaluationSettings) -> Computed:
    """The result rows of a period, read from the ledgers with a fixed
    number of grouped queries (moral_ed.selectors.evaluations): 2 for a
    week, 8 for a month, whatever the number of events, students, groups or
    rooms. Python only combines the grouped rows (at most a few per class)
    and applies the award rules to each class and room row. Reads only."""
    out = Computed()
    rows = figures.class_figures(school=school, term=term, start=period.start, end=period.end, base_points=rules.base_points)
    class_ids = [r["pk"] for r in rows]
    out.class_names = {r["pk"]: r["name"] for r in rows}
    conduct_points, entries = {}, {}
    for r in figures.class_conduct_figures(school=school, class_ids=class_ids, start=period.start, end=period.end):
        conduct_points[r["school_class_id"]] = conduct_points.get(r["school_class_id"], ZERO) + r["points"]
        entries[(r["school_class_id"], r["recorded_by_id"])] = r["entries"]
    for r in rows:
        vetoed = r["veto_count"] > 0
        award_rules = []
        if rules.civilized_class_share is not None:
            award_rules.append(r["eligible_place"] <= _slots(rules.civilized_class_share, r["grade_size"]))
        if rules.civilized_class_min_score is not None:
            award_rules.append(r["score"] >= rules.civilized_class_min_score)
        out.classes.append(
            {
                "school_class_id": r["pk"],
                "grade_id": r["grade_id"],
                "inspection_points": r["inspection_points"],
                "score": r["score"],
                "conduct_points": conduct_points.get(r["pk"], ZERO),
                "rank_in_grade": r["rank_in_grade"],
                "rank_in_school": r["rank_in_school"],
                "vetoed": vetoed,
                "veto_reason": (r["veto_reason"] or "")[:300],
                "civilized": not vetoed and _meets(award_rules),
                "veto_count": r["veto_count"],
                "sort": (r["grade__level"], r["number"], r["pk"]),
            }
        )
    if kind != EvaluationKind.MONTHLY:
        return out

    classes_by_id = {c["school_class_id"]: c for c in out.classes}
    enrolled = figures.student_classes(class_ids=class_ids, start=period.start, end=period.end)
    sums = {r["student_id"]: r for r in figures.student_figures(school=school, class_ids=class_ids, start=period.start, end=period.end)}
    for student_id in sorted(enrolled.keys() | sums.keys()):
        r = sums.get(student_id)
        row = {"student_id": student_id, "school_class_id": enrolled.get(student_id) or r["last_class_id"]}
        for dimension in DIMENSIONS:
            row[dimension] = r[dimension] if r else ZERO
        row["total"] = r["total"] if r else ZERO
        out.students.append(row)

    out.groups = [
        {"group_id": r["pk"], "school_class_id": r["school_class_id"], "points": r["points"], "rank_in_class": r["rank_in_class"]}
        for r in figures.group_figures(school=school, class_ids=class_ids, start=period.start, end=period.end)
    ]

    for r in figures.dorm_figures(school=school, start=period.start, end=period.end):
        award_rules = []
        if rules.civilized_dorm_share is not None:
            award_rules.append(r["rank"] <= _slots(rules.civilized_dorm_share, r["room_count"]))
        if rules.civilized_dorm_max_deductions is not None:
            award_rules.append(r["deductions"] <= rules.civilized_dorm_max_deductions)
        out.dorms.append({"room_id": r["pk"], "deductions": r["deductions"], "rank": r["rank"], "civilized": _meets(award_rules)})

    group_entries = {
        (r["group__school_class_id"], r["recorded_by_id"]): r["entries"]
        for r in figures.group_event_counts(school=school, class_ids=class_ids, start=period.start, end=period.end)
    }
    for teacher_id, class_id in figures.head_teachers_of(term=term, class_ids=class_ids):
        c = classes_by_id[class_id]
        out.appraisals.append(
            {
                "teacher_id": teacher_id,
                "school_class_id": class_id,
                "class_score": c["score"],
                "rank_in_grade": c["rank_in_grade"],
                "rank_in_school": c["rank_in_school"],
                "records_filed": entries.get((class_id, teacher_id), 0) + group_entries.get((class_id, teacher_id), 0),
                "vetoes": c["veto_count"],
                "civilized": c["civilized"],
            }
        )
    return out


# --- Canonical form and digest ----------------------------------------------------------------

# The stored fields of each kind of row, in the order of the canonical form.
ROW_FIELDS = {
    "classes": ("school_class_id", "grade_id", "inspection_points", "score", "conduct_points", "rank_in_grade", "rank_in_school",
                "vetoed", "veto_reason", "civilized"),
    "students": ("student_id", "school_class_id", *DIMENSIONS, "total"),
    "groups": ("group_id", "school_class_id", "points", "rank_in_class"),
    "dorms": ("room_id", "deductions", "rank", "civilized"),
    "appraisals": ("teacher_id", "school_class_id", "class_score", "rank_in_grade", "rank_in_school", "records_filed", "vetoes",
                   "civilized"),
}
ROW_MODELS = {
    "classes": ClassResult,
    "students": StudentResult,
    "groups": GroupResult,
    "dorms": DormResult,
    "appraisals": HeadTeacherAppraisal,
}
# Which fields identify a row within a revision (the models' unique constraints).
ROW_KEYS = {"classes": 1, "students": 1, "groups": 1, "dorms": 1, "appraisals": 2}


def _plain(value):
    """One canonical spelling per value: points with one decimal ("-2.0"),
    so 97, 97.0 and 97.00 from different databases digest alike."""
    if isinstance(value, Decimal):
        return f"{value:.1f}"
    return value


def _canonical_rows(kind: str, rows) -> list[list]:
    """Rows (dicts, or tuples in ROW_FIELDS order) as sorted lists of plain values."""
    names = ROW_FIELDS[kind]
    out = [[_plain(row[name]) for name in names] if isinstance(row, dict) else [_plain(v) for v in row] for row in rows]
    return sorted(out, key=lambda r: tuple(r[: ROW_KEYS[kind]]))


def evaluation_digest(*, kind: str, period_start: datetime.date, computed: Computed) -> str:
    """sha256 over the canonical JSON of every row: the same ledgers give
    the same digest, in any process, on any day."""
    document = {"kind": kind, "period_start": period_start.isoformat()}
    for name in ROW_FIELDS:
        document[name] = _canonical_rows(name, getattr(computed, name))
    text = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _stored_rows(revision, kind: str) -> list[tuple]:
    return list(ROW_MODELS[kind].objects.filter(revision=revision).values_list(*ROW_FIELDS[kind]))


# --- What changed ----------------------------------------------------------------------------


def evaluation_changes(*, previous: EvaluationRevision, computed: Computed) -> list[str]:
    """Readable lines saying how `computed` differs from the rows of
    `previous`: one line per class that changed (score, ranks, veto,
    award), then one count per other kind of row. Written in the school's
    language (settings.LANGUAGE_CODE), whoever triggered the run: it is an
    archive entry, like the results."""
    old_classes = {
        r.school_class_id: r for r in ClassResult.objects.filter(revision=previous).select_related("school_class")
    }
    lines = []
    with translation.override(settings.LANGUAGE_CODE):
        for new in sorted(computed.classes, key=lambda c: c["sort"]):
            name = computed.class_names[new["school_class_id"]]
            old = old_classes.pop(new["school_class_id"], None)
            if old is None:
                lines.append(_("%(class)s: %(changes)s") % {"class": name, "changes": _("added to the evaluation")})
                continue
            parts = []
            if _plain(old.score) != _plain(new["score"]):
                parts.append(_("score %(old)s → %(new)s") % {"old": points_text(old.score), "new": points_text(new["score"])})
            if old.rank_in_grade != new["rank_in_grade"]:
                parts.append(_("rank in grade %(old)s → %(new)s") % {"old": old.rank_in_grade, "new": new["rank_in_grade"]})
            if old.rank_in_school != new["rank_in_school"]:
                parts.append(_("rank in school %(old)s → %(new)s") % {"old": old.rank_in_school, "new": new["rank_in_school"]})
            if _plain(old.conduct_points) != _plain(new["conduct_points"]):
                parts.append(
                    _("students' conduct points %(old)s → %(new)s")
                    % {"old": points_text(old.conduct_points), "new": points_text(new["conduct_points"])}
                )
            if new["vetoed"] and not old.vetoed:
                parts.append(_("vetoed (%(reason)s)") % {"reason": new["veto_reason"]})
            elif old.vetoed and not new["vetoed"]:
                parts.append(_("veto lifted"))
            if new["civilized"] and not old.civilized:
                parts.append(_("now a civilized class"))
            elif old.civilized and not new["civilized"]:
                parts.append(_("no longer a civilized class"))
            if parts:
                lines.append(_("%(class)s: %(changes)s") % {"class": name, "changes": _("; ").join(parts)})
        for old in sorted(old_classes.values(), key=lambda r: (r.school_class.grade_id, r.school_class.number, r.pk)):
            lines.append(_("%(class)s: %(changes)s") % {"class": old.school_class.name, "changes": _("no longer in the evaluation")})

        counts = {
            kind: _count_changed(kind, _stored_rows(previous, kind), getattr(computed, kind))
            for kind in ("students", "groups", "dorms", "appraisals")
        }
        messages = {
            "students": lambda n: ngettext("Student totals: %(n)s student changed.", "Student totals: %(n)s students changed.", n),
            "groups": lambda n: ngettext("Group ranking: %(n)s group changed.", "Group ranking: %(n)s groups changed.", n),
            "dorms": lambda n: ngettext("Dorm ranking: %(n)s room changed.", "Dorm ranking: %(n)s rooms changed.", n),
            "appraisals": lambda n: ngettext(
                "Head-teacher appraisal: %(n)s row changed.", "Head-teacher appraisal: %(n)s rows changed.", n
            ),
        }
        for kind, n in counts.items():
            if n:
                lines.append(messages[kind](n) % {"n": n})
    return lines


def _count_changed(kind: str, old_rows, new_rows) -> int:
    """How many rows (by their key) were added, removed or differ."""
    size = ROW_KEYS[kind]
    old = {tuple(r[:size]): r for r in _canonical_rows(kind, old_rows)}
    new = {tuple(r[:size]): r for r in _canonical_rows(kind, new_rows)}
    return sum(1 for key in old.keys() | new.keys() if old.get(key) != new.get(key))


# --- Storing -------------------------------------------------------------------------------


def _write_rows(revision: EvaluationRevision, computed: Computed) -> None:
    """bulk_create each kind of row. Instances are built with positional
    arguments in the model's field order: Django's fast path, about three
    times quicker than keyword arguments for the 3,000 student totals of a
    large school (docs/performance.md)."""
    common = {"id": None, "school_id": revision.school_id, "revision_id": revision.pk}
    for kind, model in ROW_MODELS.items():
        rows = getattr(computed, kind)
        if not rows:
            continue
        attnames = [f.attname for f in model._meta.concrete_fields]
        model.objects.bulk_create(
            [model(*[common[a] if a in common else row[a] for a in attnames]) for row in rows],
            batch_size=BULK_BATCH,
        )


def _delete_rows(revision: EvaluationRevision) -> None:
    for model in ROW_MODELS.values():
        model.objects.filter(revision=revision).delete()


def _evaluation_locked(*, school, kind: str, period: periods.Period) -> Evaluation:
    """The period's Evaluation row, created if needed, locked FOR UPDATE
    until the caller's transaction ends: a second worker waits here and then
    sees the first one's revision."""
    lookup = {"school": school, "kind": kind, "period_start": period.start}
    evaluation = Evaluation.objects.select_for_update().filter(**lookup).first()
    if evaluation is not None:
        return evaluation
    evaluation = Evaluation(**lookup, period_end=period.end)
    # Uniqueness is left to the database (constraint evaluation_unique_period):
    # a query here could not see a row another worker has not committed yet.
    evaluation.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():  # a savepoint: losing the race undoes only this INSERT
            evaluation.save()
        return evaluation
    except IntegrityError:
        # Another worker inserted the period first; our INSERT waited for its
        # commit, so its row (and its revision) are visible now.
        return Evaluation.objects.select_for_update().get(**lookup)


@transaction.atomic
def evaluation_run(*, school, kind: str, period_start: datetime.date, actor=None) -> EvaluationRevision:
    """Compute the period's results and file them. Idempotent and safe on
    two workers at once (the Evaluation row is locked while computing):

    - the same rows as the latest revision (same digest): nothing is
      written and that revision is returned;
    - the latest revision is a draft: its rows are replaced (same number,
      new digest and computed_at, `changes` against the revision before);
    - the latest is published (or superseded), or there is none: a new
      draft numbered one higher, with `changes` against the latest.

    The returned revision carries `outcome`: "unchanged", "replaced" or
    "created" (for the pages' message and the command's summary).

    Weekly evaluations hold class results only. The caller checked that
    the actor may run evaluations (the office; None for the jobs and the
    command). An audit row is written when an actor's run wrote rows.
    Raises ValidationError for a period that does not start where its
    kind starts or that no term of the school covers.
    """
    period = evaluation_period(kind, period_start)
    term = figures.term_for_period(school, period.start, period.end)
    if term is None:
        raise ValidationError(_("No term of the school covers %(start)s – %(end)s.") % {"start": period.start, "end": period.end})
    evaluation = _evaluation_locked(school=school, kind=kind, period=period)
    computed = evaluation_compute(school=school, kind=kind, period=period, term=term, rules=settings_for(school))
    digest = evaluation_digest(kind=kind, period_start=period.start, computed=computed)
    latest = EvaluationRevision.objects.filter(evaluation=evaluation).order_by("-number").first()
    if latest is not None and latest.digest == digest:
        latest.outcome = "unchanged"
        return latest
    now = timezone.now()
    if latest is not None and latest.status == RevisionStatus.DRAFT:
        revision = latest
        previous = EvaluationRevision.objects.filter(evaluation=evaluation, number__lt=revision.number).order_by("-number").first()
        revision.digest = digest
        revision.computed_at = now
        revision.changes = evaluation_changes(previous=previous, computed=computed) if previous else []
        revision.save(update_fields=["digest", "computed_at", "changes"])
        _delete_rows(revision)
        action = "moral_ed.evaluation.recomputed"
        revision.outcome = "replaced"
    else:
        revision = EvaluationRevision(
            school=school,
            evaluation=evaluation,
            number=latest.number + 1 if latest else 1,
            status=RevisionStatus.DRAFT,
            digest=digest,
            changes=evaluation_changes(previous=latest, computed=computed) if latest else [],
            computed_at=now,
        )
        revision.full_clean(validate_constraints=False)  # the evaluation row is locked: numbers cannot collide
        revision.save()
        action = "moral_ed.evaluation.computed"
        revision.outcome = "created"
    _write_rows(revision, computed)
    if actor is not None:
        audit_record(
            actor=actor, school=school, action=action, target=revision,
            data={"kind": kind, "period_start": period.start.isoformat(), "number": revision.number, "digest": digest},
        )
    return revision


# --- Publishing ---------------------------------------------------------------------------------


@transaction.atomic
def evaluation_publish(*, revision: EvaluationRevision, published_by=None, digest: str = "") -> EvaluationRevision:
    """Publish a draft: the revision published before becomes superseded,
    an audit row is written and, for a monthly evaluation, the head teachers
    of the evaluated classes are told (one message per revision, with a
    link to the result, where they see their own class). Idempotent:
    publishing a revision that is not a draft changes nothing and sends
    nothing. The caller checked that `published_by` is the office (None
    for the weekly job, which publishes at once). With `digest` (the one
    the office previewed), a draft recomputed since then is refused with a
    ValidationError instead of published unseen."""
    Evaluation.objects.select_for_update().filter(pk=revision.evaluation_id).first()
    revision = EvaluationRevision.objects.select_related("evaluation", "school").get(pk=revision.pk)
    if revision.status != RevisionStatus.DRAFT:
        return revision
    if digest and digest != revision.digest:
        raise ValidationError(_("The preview was computed again after you opened it. Check the new figures, then publish."))
    now = timezone.now()
    EvaluationRevision.objects.filter(evaluation_id=revision.evaluation_id, status=RevisionStatus.PUBLISHED).update(
        status=RevisionStatus.SUPERSEDED
    )
    revision.status = RevisionStatus.PUBLISHED
    revision.published_at = now
    revision.published_by = published_by
    revision.save(update_fields=["status", "published_at", "published_by"])
    audit_record(
        actor=published_by, school=revision.school, action="moral_ed.evaluation.published", target=revision,
        data={"number": revision.number, "digest": revision.digest},
    )
    if revision.evaluation.kind == EvaluationKind.MONTHLY:
        _notify_head_teachers(revision)
    return revision


def _notify_head_teachers(revision: EvaluationRevision) -> int:
    from django.contrib.auth import get_user_model

    teachers = get_user_model().objects.filter(
        pk__in=HeadTeacherAppraisal.objects.filter(revision=revision).values("teacher_id"), is_active=True
    )
    label = period_label(revision.evaluation)
    with translation.override(settings.LANGUAGE_CODE):
        if revision.number > 1:
            title = _("The evaluation of %(period)s is corrected") % {"period": label}
        else:
            title = _("The evaluation of %(period)s is published") % {"period": label}
        body = _("Your class's score, ranks and the civilized-class award, your students' monthly totals and your appraisal are in the archive.")
    return notify(
        school=revision.school,
        recipients=list(teachers),
        kind="moral_ed.evaluation_published",
        title=title,
        body=body,
        link=reverse("moral_ed:evaluation_revision", args=[revision.pk]),
        dedupe_key=f"moral_ed.evaluation_published:revision={revision.pk}",
    )


def evaluation_preview_announce(*, revision: EvaluationRevision) -> int:
    """Tell the school's moral-education office that a draft waits for its
    preview. One message per revision and digest: a re-run that changes
    nothing sends nothing; a draft recomputed with other rows is announced
    again. Returns the number of new messages."""
    if revision.status != RevisionStatus.DRAFT:
        return 0
    from django.contrib.auth import get_user_model

    office = get_user_model().objects.filter(
        pk__in=Membership.objects.filter(school_id=revision.school_id, role=Role.OFFICE).values("user_id"), is_active=True
    )
    evaluation = revision.evaluation
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Preview: the evaluation of %(period)s is ready") % {"period": period_label(evaluation)}
        body = _("Check the rankings, the civilized classes and dorms and the vetoes, then publish.")
    return notify(
        school=revision.school,
        recipients=list(office),
        kind="moral_ed.evaluation_preview",
        title=title,
        body=body,
        link=reverse("moral_ed:evaluation_revision", args=[revision.pk]),
        dedupe_key=f"moral_ed.evaluation_preview:revision={revision.pk}:digest={revision.digest[:16]}",
    )
