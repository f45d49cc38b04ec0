"""Weekly and monthly evaluations (一周一累计, 一月一评比, 考评结果存档).

An Evaluation is keyed by (school, kind, period). Each computation that
differs from the last one becomes a numbered EvaluationRevision holding
its result rows; a revision is a draft until the office publishes it, and
publishing supersedes the revision published before. Rows are derived from
the ledgers only, so computing the same period from the same events always
gives the same rows (and the same digest).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .conduct import PERIOD_ORDERED_MESSAGE, POINTS

_ONE_ROW_PER_REVISION = _("This revision has a row for it already.")


class EvaluationSettings(models.Model):
    """Per-school rules of the class evaluation and the civilized awards."""

    school = models.OneToOneField("classes.School", on_delete=models.CASCADE, related_name="evaluation_settings")
    base_points = models.DecimalField(
        _("base points of a class"), **POINTS, default=100,
        help_text=_("Every class starts each week and month with these points; inspections add and deduct."),
    )
    civilized_class_share = models.PositiveSmallIntegerField(
        _("civilized classes: top share of each grade (%)"), null=True, blank=True, default=30,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Empty: no share rule."),
    )
    civilized_class_min_score = models.DecimalField(
        _("civilized classes: at least this score"), **POINTS, null=True, blank=True,
        help_text=_("Empty: no threshold. With both rules set a class must meet both."),
    )
    civilized_dorm_share = models.PositiveSmallIntegerField(
        _("civilized dorms: top share of rooms (%)"), null=True, blank=True, default=30,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    civilized_dorm_max_deductions = models.DecimalField(
        _("civilized dorms: at most these deductions in the month"), **POINTS, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = _("evaluation settings")
        verbose_name_plural = _("evaluation settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(civilized_class_share__isnull=True) | Q(civilized_class_share__gte=1, civilized_class_share__lte=100),
                name="evaluationsettings_class_share_range",
                violation_error_message=_("The share of civilized classes must lie between 1 and 100 %."),
            ),
            models.CheckConstraint(
                condition=Q(civilized_dorm_share__isnull=True) | Q(civilized_dorm_share__gte=1, civilized_dorm_share__lte=100),
                name="evaluationsettings_dorm_share_range",
                violation_error_message=_("The share of civilized dorms must lie between 1 and 100 %."),
            ),
        ]

    def __str__(self):
        return str(self.school)


class EvaluationKind(models.TextChoices):
    WEEKLY = "weekly", _("weekly class ranking")
    MONTHLY = "monthly", _("monthly evaluation")


class Evaluation(models.Model):
    """One evaluated period of one school."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    kind = models.CharField(_("kind"), max_length=10, choices=EvaluationKind.choices)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-period_start", "kind"]
        constraints = [
            # The evaluation service locks this row (select_for_update) so two
            # workers evaluating the same period take turns.
            models.UniqueConstraint(
                fields=["school", "kind", "period_start"], name="evaluation_unique_period",
                violation_error_message=_("This period is evaluated already: compute it again there."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="evaluation_period_ordered", violation_error_message=PERIOD_ORDERED_MESSAGE
            ),
            models.CheckConstraint(
                condition=Q(kind__in=EvaluationKind.values), name="evaluation_kind_known",
                violation_error_message=_("Choose a weekly ranking or a monthly evaluation."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.period_start:%Y-%m-%d}"


class RevisionStatus(models.TextChoices):
    DRAFT = "draft", _("preview")
    PUBLISHED = "published", _("published")
    SUPERSEDED = "superseded", _("superseded")


class EvaluationRevision(models.Model):
    """One computed result of an evaluation. `changes` says, for a revision
    after the first, what differs from the revision before it."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+")
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("evaluation"))
    number = models.PositiveSmallIntegerField(_("revision"))
    status = models.CharField(_("status"), max_length=10, choices=RevisionStatus.choices, default=RevisionStatus.DRAFT)
    digest = models.CharField(_("digest of the result"), max_length=64)
    changes = models.JSONField(_("changes from the revision before"), default=list, blank=True)
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("published by")
    )

    class Meta:
        verbose_name = _("evaluation revision")
        verbose_name_plural = _("evaluation revisions")
        ordering = ["evaluation", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "number"], name="evaluationrevision_unique_number",
                violation_error_message=_("The evaluation has a revision with this number already."),
            ),
            # At most one revision waits for publication, and one is published.
            models.UniqueConstraint(
                fields=["evaluation"], condition=Q(status="draft"), name="evaluationrevision_one_draft",
                violation_error_message=_("The evaluation has a preview waiting for publication already."),
            ),
            models.UniqueConstraint(
                fields=["evaluation"], condition=Q(status="published"), name="evaluationrevision_one_published",
                violation_error_message=_("The evaluation has a published revision already."),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False), name="evaluationrevision_published_has_time",
                violation_error_message=_("A published revision needs the time it was published."),
            ),
        ]

    def __str__(self):
        return f"{self.evaluation} r{self.number}"


class ClassResult(models.Model):
    """A class's figures in one revision: score, ranks, veto, award."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey(EvaluationRevision, on_delete=models.CASCADE, related_name="class_results")
    school_class = models.ForeignKey("classes.SchoolClass", on_delete=models.PROTECT, related_name="+", verbose_name=_("class"))
    grade = models.ForeignKey("classes.Grade", on_delete=models.PROTECT, related_name="+", verbose_name=_("grade"))
    inspection_points = models.DecimalField(_("inspection points"), **POINTS)
    score = models.DecimalField(_("score"), **POINTS)
    conduct_points = models.DecimalField(_("students' conduct points"), **POINTS, default=0)
    rank_in_grade = models.PositiveSmallIntegerField(_("rank in grade"))
    rank_in_school = models.PositiveSmallIntegerField(_("rank in school"))
    vetoed = models.BooleanField(_("vetoed"), default=False)
    veto_reason = models.CharField(_("veto reason"), max_length=300, blank=True)
    civilized = models.BooleanField(_("civilized class"), default=False)

    class Meta:
        verbose_name = _("class result")
        verbose_name_plural = _("class results")
        ordering = ["revision", "rank_in_school", "school_class"]
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "school_class"], name="classresult_unique", violation_error_message=_ONE_ROW_PER_REVISION
            ),
            # A vetoed class is never a civilized class, whatever its points.
            models.CheckConstraint(
                condition=~Q(vetoed=True, civilized=True), name="classresult_vetoed_not_civilized",
                violation_error_message=_("A vetoed class cannot be a civilized class."),
            ),
        ]

    def __str__(self):
        return f"{self.school_class} {self.score}"


class StudentResult(models.Model):
    """A student's conduct totals by dimension for a month."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey(EvaluationRevision, on_delete=models.CASCADE, related_name="student_results")
    student = models.ForeignKey("students.Student", on_delete=models.PROTECT, related_name="+", verbose_name=_("student"))
    school_class = models.ForeignKey("classes.SchoolClass", on_delete=models.PROTECT, related_name="+", verbose_name=_("class"))
    morality = models.DecimalField(_("morality"), **POINTS, default=0)
    study = models.DecimalField(_("study"), **POINTS, default=0)
    discipline = models.DecimalField(_("discipline"), **POINTS, default=0)
    hygiene = models.DecimalField(_("hygiene"), **POINTS, default=0)
    activities = models.DecimalField(_("activities"), **POINTS, default=0)
    total = models.DecimalField(_("total"), **POINTS, default=0)

    class Meta:
        verbose_name = _("student result")
        verbose_name_plural = _("student results")
        constraints = [
            models.UniqueConstraint(fields=["revision", "student"], name="studentresult_unique", violation_error_message=_ONE_ROW_PER_REVISION)
        ]

    def __str__(self):
        return f"{self.student} {self.total}"


class GroupResult(models.Model):
    """A group's points for a month and its place in its class (1 = best group)."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey(EvaluationRevision, on_delete=models.CASCADE, related_name="group_results")
    group = models.ForeignKey("moral_ed.StudentGroup", on_delete=models.PROTECT, related_name="+", verbose_name=_("group"))
    school_class = models.ForeignKey("classes.SchoolClass", on_delete=models.PROTECT, related_name="+", verbose_name=_("class"))
    points = models.DecimalField(_("points"), **POINTS)
    rank_in_class = models.PositiveSmallIntegerField(_("rank in class"))

    class Meta:
        verbose_name = _("group result")
        verbose_name_plural = _("group results")
        constraints = [
            models.UniqueConstraint(fields=["revision", "group"], name="groupresult_unique", violation_error_message=_ONE_ROW_PER_REVISION)
        ]

    def __str__(self):
        return f"{self.group} {self.points}"


class DormResult(models.Model):
    """A dorm room's deductions for a month, its rank and the civilized-dorm award."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey(EvaluationRevision, on_delete=models.CASCADE, related_name="dorm_results")
    room = models.ForeignKey("moral_ed.DormRoom", on_delete=models.PROTECT, related_name="+", verbose_name=_("room"))
    deductions = models.DecimalField(_("deductions"), **POINTS)
    rank = models.PositiveSmallIntegerField(_("rank"))
    civilized = models.BooleanField(_("civilized dorm"), default=False)

    class Meta:
        verbose_name = _("dorm result")
        verbose_name_plural = _("dorm results")
        constraints = [
            models.UniqueConstraint(fields=["revision", "room"], name="dormresult_unique", violation_error_message=_ONE_ROW_PER_REVISION)
        ]

    def __str__(self):
        return f"{self.room} {self.deductions}"


class HeadTeacherAppraisal(models.Model):
    """A head teacher's monthly appraisal row (班主任绩效考核), from the
    office's figures for their class."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey(EvaluationRevision, on_delete=models.CASCADE, related_name="appraisals")
    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("head teacher"))
    school_class = models.ForeignKey("classes.SchoolClass", on_delete=models.PROTECT, related_name="+", verbose_name=_("class"))
    class_score = models.DecimalField(_("class score"), **POINTS)
    rank_in_grade = models.PositiveSmallIntegerField(_("rank in grade"))
    rank_in_school = models.PositiveSmallIntegerField(_("rank in school"))
    records_filed = models.PositiveIntegerField(_("records filed"), default=0)
    vetoes = models.PositiveSmallIntegerField(_("vetoes"), default=0)
    civilized = models.BooleanField(_("civilized class"), default=False)

    class Meta:
        verbose_name = _("head-teacher appraisal")
        verbose_name_plural = _("head-teacher appraisals")
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "teacher", "school_class"], name="headteacherappraisal_unique", violation_error_message=_ONE_ROW_PER_REVISION
            )
        ]

    def __str__(self):
        return f"{self.teacher} · {self.school_class}"
