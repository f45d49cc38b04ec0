"""Term awards (三好学生, 优秀学生干部, 优秀班集体, 优秀班主任) and yearly social
practice and community service records with their evidence."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.ledger import Voidable, void_constraint
from core.text import BODY_MAX


class AwardKind(models.TextChoices):
    MERIT_STUDENT = "merit_student", _("merit student")
    OUTSTANDING_CADRE = "outstanding_cadre", _("outstanding cadre")
    OUTSTANDING_CLASS = "outstanding_class", _("outstanding class")
    OUTSTANDING_HEAD_TEACHER = "outstanding_head", _("outstanding head teacher")


STUDENT_AWARDS = (AwardKind.MERIT_STUDENT, AwardKind.OUTSTANDING_CADRE)


class AwardStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    APPROVED = "approved", _("approved")
    DECLINED = "declined", _("declined")


class TermAward(models.Model):
    """A proposal for a term award and the office's decision. The subject
    is a student, a class or a head teacher, by kind. `basis` keeps the
    figures the proposal was made on (term points, class rank, vetoes)."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    term = models.ForeignKey("classes.Term", on_delete=models.PROTECT, related_name="+", verbose_name=_("term"))
    kind = models.CharField(_("award"), max_length=20, choices=AwardKind.choices)
    school_class = models.ForeignKey("classes.SchoolClass", on_delete=models.PROTECT, related_name="+", verbose_name=_("class"))
    student = models.ForeignKey(
        "students.Student", on_delete=models.PROTECT, null=True, blank=True, related_name="term_awards", verbose_name=_("student")
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("head teacher")
    )
    reason = models.CharField(_("reason"), max_length=300)
    basis = models.JSONField(_("basis"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=AwardStatus.choices, default=AwardStatus.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by"))
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("term award")
        verbose_name_plural = _("term awards")
        ordering = ["-term", "kind", "school_class", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind__in=[k.value for k in STUDENT_AWARDS], student__isnull=False, teacher__isnull=True)
                    | Q(kind=AwardKind.OUTSTANDING_CLASS, student__isnull=True, teacher__isnull=True)
                    | Q(kind=AwardKind.OUTSTANDING_HEAD_TEACHER, student__isnull=True, teacher__isnull=False)
                ),
                name="termaward_subject_matches_kind",
                violation_error_message=_(
                    "Merit student and outstanding cadre are for a student, outstanding class for the class alone, "
                    "outstanding head teacher for the class's head teacher."
                ),
            ),
            models.UniqueConstraint(
                fields=["term", "kind", "student"], condition=Q(student__isnull=False), name="termaward_once_per_student",
                violation_error_message=_("The student is proposed for this award this term already."),
            ),
            models.UniqueConstraint(
                fields=["term", "kind", "school_class"],
                condition=Q(kind__in=[AwardKind.OUTSTANDING_CLASS, AwardKind.OUTSTANDING_HEAD_TEACHER]),
                name="termaward_once_per_class",
                violation_error_message=_("The class is proposed for this award this term already."),
            ),
            models.CheckConstraint(
                condition=Q(status="proposed") | Q(decided_by__isnull=False, decided_at__isnull=False), name="termaward_decided_has_author",
                violation_error_message=_("A decided proposal needs the person who decided it and the time."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.student or self.teacher or self.school_class}"


class PracticeKind(models.TextChoices):
    SOCIAL_PRACTICE = "social_practice", _("social practice")
    COMMUNITY_SERVICE = "community_service", _("community service")


# Credits a school year earns with at least one record of each kind (seed 001 篇7).
PRACTICE_CREDITS = {PracticeKind.SOCIAL_PRACTICE: 2, PracticeKind.COMMUNITY_SERVICE: 1}


class PracticeRecord(Voidable):
    """A student's social practice or community service in a school year."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    school_year = models.ForeignKey("classes.SchoolYear", on_delete=models.PROTECT, related_name="+", verbose_name=_("school year"))
    student = models.ForeignKey("students.Student", on_delete=models.PROTECT, related_name="practice_records", verbose_name=_("student"))
    kind = models.CharField(_("kind"), max_length=20, choices=PracticeKind.choices)
    title = models.CharField(_("activity"), max_length=100)
    occurred_on = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, null=True, blank=True)
    description = models.TextField(_("description"), max_length=BODY_MAX, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("practice record")
        verbose_name_plural = _("practice records")
        ordering = ["-occurred_on", "-id"]
        constraints = [
            void_constraint("practicerecord"),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gt=0), name="practicerecord_hours_positive",
                violation_error_message=_("The hours must be more than 0, or left empty."),
            ),
        ]
        indexes = [models.Index(fields=["school_year", "student", "kind"])]

    def __str__(self):
        return f"{self.student} · {self.title}"


class PracticeEvidence(models.Model):
    """A file (photo or PDF) proving a practice record, checked by content
    like message attachments and stored in the database."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+")
    record = models.ForeignKey(PracticeRecord, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("record"))
    file_name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size in bytes"))
    data = models.BinaryField(_("content"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["record", "pk"]

    def __str__(self):
        return self.file_name
