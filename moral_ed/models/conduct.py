"""Conduct points: rules as rows, an append-only ledger, groups, the
character bank and stars.

Ledger rows (ConductEvent, GroupEvent, Redemption) are never deleted and
their amounts never change. A correction voids the row: `voided_at`,
`voided_by` and `void_reason` are set once (a constraint requires the
author and the reason) and the row stays, shown struck through. Totals are
`Sum` over rows with `voided_at IS NULL`.
"""

import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Round
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.ledger import Voidable, void_constraint

POINTS = {"max_digits": 6, "decimal_places": 1}

# What each constraint says when a person trips it (the admin shows it in
# place of the constraint's name). Messages shared by several models.
HALF_POINTS_MESSAGE = _("Use whole or half points, e.g. 1, 1.5 or -0.5.")
POINTS_NOT_ZERO_MESSAGE = _("The points cannot be 0.")
POINTS_RANGE_MESSAGE = _("The points must lie between -100 and 100.")
DIMENSION_MESSAGE = _("Choose one of the five dimensions.")
PERIOD_ORDERED_MESSAGE = _("The period cannot end before it starts.")


def half_points(field: str) -> Q:
    """A CheckConstraint condition: `field` is a multiple of 0.5 (schools
    give and deduct half points, never 0.3). ROUND exists alike on SQLite
    and PostgreSQL; a NULL passes, as in every CHECK."""
    doubled = F(field) * 2
    return Q(Exact(doubled, Round(doubled)))


def item_points_rules(prefix: str) -> list:
    """The rules of an item's `points` (a conduct, inspection or dorm item):
    not 0, between -100 and 100, whole or half points; constraint names
    start with `prefix` ("conductitem")."""
    return [
        models.CheckConstraint(condition=~Q(points=0), name=f"{prefix}_points_not_zero",
                               violation_error_message=POINTS_NOT_ZERO_MESSAGE),
        models.CheckConstraint(condition=Q(points__gte=-100, points__lte=100), name=f"{prefix}_points_range",
                               violation_error_message=POINTS_RANGE_MESSAGE),
        models.CheckConstraint(condition=half_points("points"), name=f"{prefix}_points_half",
                               violation_error_message=HALF_POINTS_MESSAGE),
    ]


def half_points_errors(instance, *fields) -> dict:
    """{field: message} for those of `fields` whose value is not a whole or
    half point; for a model's clean(), so a form shows the message at the
    field (the constraint holds it in the database)."""
    errors = {}
    for name in fields:
        value = getattr(instance, name)
        if isinstance(value, (Decimal, int)) and (Decimal(value) * 2) % 1:
            errors[name] = HALF_POINTS_MESSAGE
    return errors


class Dimension(models.TextChoices):
    MORALITY = "morality", _("morality")
    STUDY = "study", _("study")
    DISCIPLINE = "discipline", _("discipline")
    HYGIENE = "hygiene", _("hygiene")
    ACTIVITIES = "activities", _("activities")


class ConductItem(models.Model):
    """A kind of behaviour worth points, e.g. 上课积极发言 +1 (study)."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="conduct_items", verbose_name=_("school"))
    name = models.CharField(_("name"), max_length=40)
    dimension = models.CharField(_("dimension"), max_length=12, choices=Dimension.choices)
    points = models.DecimalField(_("points"), **POINTS, help_text=_("Positive to award, negative to deduct; half points allowed."))
    daily_cap = models.DecimalField(
        _("daily limit per student"),
        **POINTS,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Most points (in absolute value) one teacher may give one student for this item in one day. Empty: no limit."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    ordering = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("conduct item")
        verbose_name_plural = _("conduct items")
        ordering = ["school", "ordering", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"], name="conductitem_unique_name",
                violation_error_message=_("The school has a conduct item with this name already."),
            ),
            *item_points_rules("conductitem"),
            models.CheckConstraint(
                condition=Q(dimension__in=Dimension.values), name="conductitem_dimension_known", violation_error_message=DIMENSION_MESSAGE
            ),
            models.CheckConstraint(
                condition=half_points("daily_cap"), name="conductitem_daily_cap_half", violation_error_message=HALF_POINTS_MESSAGE
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.points:+})"

    def clean(self):
        super().clean()
        if errors := half_points_errors(self, "points", "daily_cap"):
            raise ValidationError(errors)

    @property
    def is_positive(self):
        return self.points > 0


class DimensionLimit(models.Model):
    """A floor and a ceiling for one student's total in one dimension over a term."""

    # moral_ed.selectors.active_items joins through this reverse relation.
    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="dimension_limits", verbose_name=_("school"))
    dimension = models.CharField(_("dimension"), max_length=12, choices=Dimension.choices)
    floor = models.DecimalField(_("floor"), **POINTS, null=True, blank=True)
    ceiling = models.DecimalField(_("ceiling"), **POINTS, null=True, blank=True)

    class Meta:
        verbose_name = _("dimension limit")
        verbose_name_plural = _("dimension limits")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "dimension"], name="dimensionlimit_unique",
                violation_error_message=_("This dimension has its limits already: change them there."),
            ),
            models.CheckConstraint(
                condition=Q(floor__isnull=True) | Q(ceiling__isnull=True) | Q(ceiling__gt=F("floor")),
                name="dimensionlimit_ordered",
                violation_error_message=_("The ceiling must be above the floor."),
            ),
            models.CheckConstraint(condition=half_points("floor"), name="dimensionlimit_floor_half", violation_error_message=HALF_POINTS_MESSAGE),
            models.CheckConstraint(
                condition=half_points("ceiling"), name="dimensionlimit_ceiling_half", violation_error_message=HALF_POINTS_MESSAGE
            ),
        ]

    def __str__(self):
        return f"{self.get_dimension_display()}: {self.floor} – {self.ceiling}"

    def clean(self):
        super().clean()
        if errors := half_points_errors(self, "floor", "ceiling"):
            raise ValidationError(errors)


class ConductSettings(models.Model):
    """Per-school settings of the conduct ledger."""

    school = models.OneToOneField("classes.School", on_delete=models.CASCADE, related_name="conduct_settings")
    release_time = models.TimeField(
        _("release time for staged events"),
        default=datetime.time(20, 0),
        help_text=_("Negative events the head teacher has not reviewed reach guardians at this time (local time)."),
    )

    class Meta:
        verbose_name = _("conduct settings")
        verbose_name_plural = _("conduct settings")

    def __str__(self):
        return str(self.school)


class Disclosure(models.TextChoices):
    """What guardians see of an event. Positive events are released at
    once; negative ones wait (staged) for the head teacher's review."""

    STAGED = "staged", _("waiting for review")
    RELEASED = "released", _("shown to guardians")
    MERGED = "merged", _("summarised in a note")


class ConductEvent(Voidable):
    """One entry of the conduct ledger: points for one student.

    `points` never change and the row is never deleted; a correction sets
    the void fields. `disclosure`, `released_at` and `guardian_note` move
    forward only, when the head teacher reviews or the nightly release runs.
    """

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    term = models.ForeignKey("classes.Term", on_delete=models.PROTECT, related_name="+", verbose_name=_("term"))
    student = models.ForeignKey("students.Student", on_delete=models.PROTECT, related_name="conduct_events", verbose_name=_("student"))
    school_class = models.ForeignKey(
        "classes.SchoolClass", on_delete=models.PROTECT, related_name="conduct_events", verbose_name=_("class")
    )
    item = models.ForeignKey(ConductItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("item"))
    dimension = models.CharField(_("dimension"), max_length=12, choices=Dimension.choices)
    points = models.DecimalField(_("points"), **POINTS)
    note = models.CharField(_("note"), max_length=200, blank=True)
    occurred_on = models.DateField(_("school day"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    batch = models.UUIDField(_("batch"), default=uuid.uuid4, db_index=True, help_text=_("Entries recorded in one tap share a batch (for undo)."))
    disclosure = models.CharField(_("disclosure"), max_length=10, choices=Disclosure.choices)
    released_at = models.DateTimeField(_("shown to guardians at"), null=True, blank=True)
    # When a staged event is released if the head teacher does nothing: the
    # first release time (ConductSettings.release_time) after it was written.
    release_due_at = models.DateTimeField(_("release due"), null=True, blank=True)
    guardian_note = models.ForeignKey(
        "GuardianNote", on_delete=models.PROTECT, null=True, blank=True, related_name="events", verbose_name=_("note to guardians")
    )

    class Meta:
        verbose_name = _("conduct event")
        verbose_name_plural = _("conduct events")
        ordering = ["-occurred_on", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(points=0), name="conductevent_points_not_zero", violation_error_message=POINTS_NOT_ZERO_MESSAGE),
            models.CheckConstraint(
                condition=Q(dimension__in=Dimension.values), name="conductevent_dimension_known", violation_error_message=DIMENSION_MESSAGE
            ),
            # moral_ed.selectors.guardian_events_for relies on released events having a time.
            models.CheckConstraint(
                condition=Q(disclosure="staged") | Q(released_at__isnull=False), name="conductevent_released_has_time",
                violation_error_message=_("An entry shown to guardians needs the time it was shown."),
            ),
            void_constraint("conductevent"),
        ]
        indexes = [
            # Totals per student and term (student page, character bank).
            models.Index(fields=["student", "term", "occurred_on"]),
            # Today's totals of a class (entry page) and the class's weekly summary.
            models.Index(fields=["school_class", "occurred_on"]),
            # The review queue and the release job (moral_ed.services.staged_release_due).
            models.Index(fields=["release_due_at"], name="conductevent_staged_idx", condition=Q(disclosure="staged")),
        ]

    def __str__(self):
        return f"{self.student} {self.points:+} {self.note or self.item}"


class GuardianNote(models.Model):
    """One calm note to a student's guardians that stands for several
    negative events the head teacher merged."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey("students.Student", on_delete=models.PROTECT, related_name="guardian_notes", verbose_name=_("student"))
    text = models.CharField(_("note"), max_length=500)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("note to guardians")
        verbose_name_plural = _("notes to guardians")
        ordering = ["-created_at"]

    def __str__(self):
        return self.text[:40]


class GroupKind(models.TextChoices):
    STUDY = "study", _("study group")
    CLEANING = "cleaning", _("cleaning group")


class StudentGroup(models.Model):
    """A study or cleaning group inside a class for a school year."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    school_class = models.ForeignKey("classes.SchoolClass", on_delete=models.CASCADE, related_name="groups", verbose_name=_("class"))
    kind = models.CharField(_("kind"), max_length=10, choices=GroupKind.choices)
    name = models.CharField(_("name"), max_length=30)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["school_class", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school_class", "kind", "name"], name="group_unique_name",
                violation_error_message=_("The class has a group of this kind with this name already."),
            )
        ]

    def __str__(self):
        return self.name


class GroupMembership(models.Model):
    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(StudentGroup, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("group"))
    student = models.ForeignKey("students.Student", on_delete=models.CASCADE, related_name="group_memberships", verbose_name=_("student"))
    # Copied from the group so the constraint below can hold "one group of each kind per class".
    kind = models.CharField(max_length=10, choices=GroupKind.choices)
    school_class = models.ForeignKey("classes.SchoolClass", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        constraints = [
            # A student is in at most one study group and one cleaning group of a class.
            models.UniqueConstraint(
                fields=["student", "school_class", "kind"], name="groupmembership_one_per_kind",
                violation_error_message=_("The student is in another group of this kind in the class already."),
            ),
        ]

    def __str__(self):
        return f"{self.student} · {self.group}"


class GroupEvent(Voidable):
    """Points for a group as a whole (e.g. the cleaning group's day of duty)."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+")
    term = models.ForeignKey("classes.Term", on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(StudentGroup, on_delete=models.PROTECT, related_name="events", verbose_name=_("group"))
    item = models.ForeignKey(ConductItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("item"))
    points = models.DecimalField(_("points"), **POINTS)
    note = models.CharField(_("note"), max_length=200, blank=True)
    occurred_on = models.DateField(_("school day"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("group event")
        verbose_name_plural = _("group events")
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(points=0), name="groupevent_points_not_zero", violation_error_message=POINTS_NOT_ZERO_MESSAGE),
            void_constraint("groupevent"),
        ]
        indexes = [models.Index(fields=["group", "occurred_on"])]

    def __str__(self):
        return f"{self.group} {self.points:+}"


class Reward(models.Model):
    """An item of a class's character-bank reward catalogue."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+")
    school_class = models.ForeignKey("classes.SchoolClass", on_delete=models.CASCADE, related_name="rewards", verbose_name=_("class"))
    name = models.CharField(_("name"), max_length=40)
    cost = models.DecimalField(_("cost in points"), **POINTS, validators=[MinValueValidator(0.5)])
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")
        ordering = ["school_class", "cost", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cost__gt=0), name="reward_cost_positive", violation_error_message=_("A reward costs more than 0 points.")
            ),
            models.UniqueConstraint(
                fields=["school_class", "name"], name="reward_unique_name",
                violation_error_message=_("The class offers a reward with this name already."),
            ),
            models.CheckConstraint(condition=half_points("cost"), name="reward_cost_half", violation_error_message=HALF_POINTS_MESSAGE),
        ]

    def __str__(self):
        return f"{self.name} ({self.cost})"

    def clean(self):
        super().clean()
        if errors := half_points_errors(self, "cost"):
            raise ValidationError(errors)


class Redemption(Voidable):
    """Spending character-bank balance on a reward. Append-only; a void
    gives the points back."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey("students.Student", on_delete=models.PROTECT, related_name="redemptions", verbose_name=_("student"))
    reward = models.ForeignKey(Reward, on_delete=models.PROTECT, related_name="redemptions", verbose_name=_("reward"))
    cost = models.DecimalField(_("cost in points"), **POINTS)
    redeemed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("redemption")
        verbose_name_plural = _("redemptions")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cost__gt=0), name="redemption_cost_positive", violation_error_message=_("A redemption costs more than 0 points.")
            ),
            void_constraint("redemption"),
        ]

    def __str__(self):
        return f"{self.student} · {self.reward}"


class StarPeriod(models.TextChoices):
    WEEKLY = "weekly", _("every week")
    BIMONTHLY = "bimonthly", _("every two months")
    TERM = "term", _("every term")


class StarCategory(models.Model):
    """A star award, e.g. 每周之星 (class, weekly) or 文明礼貌之星 (school,
    every two months). School stars are confirmed by the office."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="star_categories", verbose_name=_("school"))
    name = models.CharField(_("name"), max_length=30)
    period = models.CharField(_("period"), max_length=10, choices=StarPeriod.choices)
    is_school_star = models.BooleanField(
        _("school star"), default=False, help_text=_("Confirmed by the moral-education office; otherwise by the head teacher.")
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    dimension = models.CharField(
        _("suggest candidates from"), max_length=12, choices=Dimension.choices, blank=True,
        help_text=_("Candidates are suggested from the positive points in this dimension; empty: all dimensions."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    ordering = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("star category")
        verbose_name_plural = _("star categories")
        ordering = ["school", "ordering", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"], name="starcategory_unique_name",
                violation_error_message=_("The school has a star with this name already."),
            )
        ]

    def __str__(self):
        return self.name


class StarStatus(models.TextChoices):
    NOMINATED = "nominated", _("nominated")
    CONFIRMED = "confirmed", _("awarded")
    DECLINED = "declined", _("not awarded")


class StarAward(models.Model):
    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(StarCategory, on_delete=models.PROTECT, related_name="awards", verbose_name=_("star"))
    student = models.ForeignKey("students.Student", on_delete=models.PROTECT, related_name="star_awards", verbose_name=_("student"))
    school_class = models.ForeignKey("classes.SchoolClass", on_delete=models.PROTECT, related_name="+", verbose_name=_("class"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    reason = models.CharField(_("reason"), max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=StarStatus.choices, default=StarStatus.NOMINATED)
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    nominated_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("star award")
        verbose_name_plural = _("star awards")
        ordering = ["-period_start", "category__ordering"]
        constraints = [
            # One nomination per student, star and period.
            models.UniqueConstraint(
                fields=["category", "student", "period_start"], name="staraward_once_per_period",
                violation_error_message=_("The student is nominated for this star in this period already."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="staraward_period_ordered", violation_error_message=PERIOD_ORDERED_MESSAGE
            ),
        ]

    def __str__(self):
        return f"{self.category} · {self.student}"

    def clean(self):
        if self.category_id and self.school_id and self.category.school_id != self.school_id:
            raise ValidationError(_("The star belongs to another school."))
