"""Dormitories: buildings, rooms and beds, a bed per student per term, an
append-only ledger of dorm deductions, and the escalation ladder (按累计扣分
分别谈话, 停宿一周, 退宿或纪律处分) as rows.

Nothing on the ladder is imposed automatically: crossing a step's threshold
opens a DormCase that a named person confirms or dismisses. A student's
standing is the `to_level` of their latest DormLevelChange (a ledger too:
confirmed cases step up, a clean period steps down).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.ledger import Voidable, void_constraint

from .conduct import (
    HALF_POINTS_MESSAGE,
    POINTS,
    POINTS_NOT_ZERO_MESSAGE,
    half_points,
    half_points_errors,
    item_points_rules,
)


class DormBuilding(models.Model):
    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="dorm_buildings", verbose_name=_("school"))
    name = models.CharField(_("name"), max_length=30)
    ordering = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("dorm building")
        verbose_name_plural = _("dorm buildings")
        ordering = ["school", "ordering", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"], name="dormbuilding_unique_name",
                violation_error_message=_("The school has a building with this name already."),
            )
        ]

    def __str__(self):
        return self.name


class DormRoom(models.Model):
    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    building = models.ForeignKey(DormBuilding, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("building"))
    number = models.CharField(_("room number"), max_length=10)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("dorm room")
        verbose_name_plural = _("dorm rooms")
        ordering = ["building", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["building", "number"], name="dormroom_unique_number",
                violation_error_message=_("The building has a room with this number already."),
            )
        ]

    def __str__(self):
        return f"{self.building.name} {self.number}"


class DormBed(models.Model):
    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    room = models.ForeignKey(DormRoom, on_delete=models.CASCADE, related_name="beds", verbose_name=_("room"))
    label = models.CharField(_("bed"), max_length=10)

    class Meta:
        verbose_name = _("bed")
        verbose_name_plural = _("beds")
        ordering = ["room", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["room", "label"], name="dormbed_unique_label", violation_error_message=_("The room has a bed with this label already.")
            )
        ]

    def __str__(self):
        return f"{self.room} · {self.label}"


class BedAssignment(models.Model):
    """A student sleeps in a bed for a term."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    term = models.ForeignKey("classes.Term", on_delete=models.CASCADE, related_name="+", verbose_name=_("term"))
    bed = models.ForeignKey(DormBed, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("bed"))
    student = models.ForeignKey("students.Student", on_delete=models.PROTECT, related_name="bed_assignments", verbose_name=_("student"))
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("bed assignment")
        verbose_name_plural = _("bed assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["term", "bed"], name="bedassignment_one_student_per_bed",
                violation_error_message=_("Another student sleeps in this bed this term."),
            ),
            models.UniqueConstraint(
                fields=["term", "student"], name="bedassignment_one_bed_per_student",
                violation_error_message=_("The student has a bed this term already."),
            ),
        ]

    def __str__(self):
        return f"{self.student} · {self.bed}"


class DormTarget(models.TextChoices):
    ROOM = "room", _("the room")
    STUDENT = "student", _("a student")


class DormItem(models.Model):
    """A dorm inspection item, e.g. 内务不整 −1 (room) or 熄灯后讲话 −2 (student)."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="dorm_items", verbose_name=_("school"))
    name = models.CharField(_("name"), max_length=40)
    applies_to = models.CharField(_("applies to"), max_length=10, choices=DormTarget.choices)
    points = models.DecimalField(_("points"), **POINTS, help_text=_("Negative: a deduction."))
    is_active = models.BooleanField(_("active"), default=True)
    ordering = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("dorm inspection item")
        verbose_name_plural = _("dorm inspection items")
        ordering = ["school", "applies_to", "ordering", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"], name="dormitem_unique_name",
                violation_error_message=_("The school has a dorm inspection item with this name already."),
            ),
            *item_points_rules("dormitem"),
        ]

    def __str__(self):
        return f"{self.name} ({self.points:+})"

    def clean(self):
        super().clean()
        if errors := half_points_errors(self, "points"):
            raise ValidationError(errors)


class DormEvent(Voidable):
    """One dorm inspection entry: against the room (student empty) or one student in it."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    term = models.ForeignKey("classes.Term", on_delete=models.PROTECT, related_name="+", verbose_name=_("term"))
    room = models.ForeignKey(DormRoom, on_delete=models.PROTECT, related_name="events", verbose_name=_("room"))
    student = models.ForeignKey(
        "students.Student", on_delete=models.PROTECT, null=True, blank=True, related_name="dorm_events", verbose_name=_("student")
    )
    item = models.ForeignKey(DormItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("item"))
    points = models.DecimalField(_("points"), **POINTS)
    note = models.CharField(_("note"), max_length=200, blank=True)
    occurred_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("dorm entry")
        verbose_name_plural = _("dorm entries")
        ordering = ["-occurred_on", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(points=0), name="dormevent_points_not_zero", violation_error_message=POINTS_NOT_ZERO_MESSAGE),
            void_constraint("dormevent"),
        ]
        indexes = [
            # A student's cumulative deductions in the ladder's window (moral_ed.services.dorms).
            models.Index(fields=["student", "occurred_on"]),
            # A room's month for the civilized-dorm ranking.
            models.Index(fields=["room", "occurred_on"]),
            models.Index(fields=["school", "occurred_on"]),
        ]

    def __str__(self):
        return f"{self.student or self.room} {self.points:+}"


class DormSettings(models.Model):
    school = models.OneToOneField("classes.School", on_delete=models.CASCADE, related_name="dorm_settings")
    window_days = models.PositiveSmallIntegerField(
        _("window (days)"), default=30, validators=[MinValueValidator(1)],
        help_text=_("Deductions within this many days count towards the escalation ladder."),
    )
    clean_days = models.PositiveSmallIntegerField(
        _("clean period (days)"), default=30, validators=[MinValueValidator(1)],
        help_text=_("A student with no deduction for this many days steps one level back down."),
    )

    class Meta:
        verbose_name = _("dorm settings")
        verbose_name_plural = _("dorm settings")

    def __str__(self):
        return str(self.school)


class Confirmer(models.TextChoices):
    HEAD_TEACHER = "head_teacher", _("the head teacher")
    OFFICE = "office", _("the moral-education office")


class EscalationStep(models.Model):
    """A rung of the ladder: cumulative deductions of at least `threshold`
    points within the window open a case at this level."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="escalation_steps", verbose_name=_("school"))
    level = models.PositiveSmallIntegerField(_("level"), validators=[MinValueValidator(1)])
    name = models.CharField(_("measure"), max_length=40)
    threshold = models.DecimalField(
        _("threshold (points deducted)"), **POINTS, validators=[MinValueValidator(0.5)],
        help_text=_("Cumulative deductions, as a positive number, that open a case."),
    )
    confirmer = models.CharField(_("confirmed by"), max_length=20, choices=Confirmer.choices, default=Confirmer.OFFICE)

    class Meta:
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation steps")
        ordering = ["school", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "level"], name="escalationstep_unique_level",
                violation_error_message=_("The ladder has a step at this level already."),
            ),
            models.CheckConstraint(
                condition=Q(threshold__gt=0), name="escalationstep_threshold_positive",
                violation_error_message=_("The threshold must be more than 0 points."),
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1), name="escalationstep_level_positive", violation_error_message=_("Levels start at 1.")
            ),
            models.CheckConstraint(
                condition=half_points("threshold"), name="escalationstep_threshold_half", violation_error_message=HALF_POINTS_MESSAGE
            ),
        ]

    def __str__(self):
        return f"{self.level}. {self.name} (≥{self.threshold})"

    def clean(self):
        super().clean()
        if errors := half_points_errors(self, "threshold"):
            raise ValidationError(errors)


class CaseStatus(models.TextChoices):
    OPEN = "open", _("waiting for a decision")
    CONFIRMED = "confirmed", _("confirmed")
    DISMISSED = "dismissed", _("dismissed")


class DormCase(models.Model):
    """A student crossed a step's threshold; someone decides."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    term = models.ForeignKey("classes.Term", on_delete=models.PROTECT, related_name="+", verbose_name=_("term"))
    student = models.ForeignKey("students.Student", on_delete=models.PROTECT, related_name="dorm_cases", verbose_name=_("student"))
    step = models.ForeignKey(EscalationStep, on_delete=models.PROTECT, related_name="cases", verbose_name=_("step"))
    level = models.PositiveSmallIntegerField(_("level"))
    deductions = models.DecimalField(_("deductions in the window"), **POINTS)
    window_start = models.DateField(_("window from"))
    window_end = models.DateField(_("window until"))
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)
    guardians_informed_at = models.DateTimeField(_("guardians informed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("dorm case")
        verbose_name_plural = _("dorm cases")
        ordering = ["-opened_at"]
        constraints = [
            # The ladder job opens a case at most once per student and level
            # while it is open (moral_ed.services.dorms relies on it).
            models.UniqueConstraint(
                fields=["student", "level"], condition=Q(status="open"), name="dormcase_one_open_per_level",
                violation_error_message=_("The student has a case at this level waiting for a decision already."),
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(decided_by__isnull=False, decided_at__isnull=False), name="dormcase_decided_has_author",
                violation_error_message=_("A decided case needs the person who decided it and the time."),
            ),
        ]

    def __str__(self):
        return f"{self.student} · {self.step.name}"


class DormLevelChange(models.Model):
    """Append-only: a student's standing on the ladder moved."""

    class Reason(models.TextChoices):
        CONFIRMED = "confirmed", _("case confirmed")
        CLEAN_PERIOD = "clean", _("clean period")

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey("students.Student", on_delete=models.PROTECT, related_name="dorm_level_changes", verbose_name=_("student"))
    from_level = models.PositiveSmallIntegerField(_("from level"))
    to_level = models.PositiveSmallIntegerField(_("to level"))
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    case = models.ForeignKey(DormCase, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    effective_on = models.DateField(_("effective on"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("dorm level change")
        verbose_name_plural = _("dorm level changes")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["student", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_level=models.F("to_level")), name="dormlevelchange_moves",
                violation_error_message=_("A level change must move to another level."),
            )
        ]

    def __str__(self):
        return f"{self.student}: {self.from_level} → {self.to_level}"
