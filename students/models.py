from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import mobile_validator

student_number_validator = RegexValidator(
    r"^[A-Za-z0-9-]{1,20}$", _("A student number is 1–20 letters, digits or hyphens.")
)


class Gender(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")


class Student(models.Model):
    """One child, one identity across school years; the class is in Enrollment."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="students", verbose_name=_("school"))
    student_number = models.CharField(_("student number"), max_length=20, validators=[student_number_validator])
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="student",
        verbose_name=_("login account"),
    )
    is_active = models.BooleanField(_("at school"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("students")
        ordering = ["school", "student_number"]
        constraints = [
            # The roster import keys a student by (school, student_number).
            models.UniqueConstraint(
                fields=["school", "student_number"],
                name="student_unique_number",
                violation_error_message=_("The school already has a student with this student number."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def initial(self):
        return self.name[:1]


class Guardian(models.Model):
    """A parent or other guardian in one school, with a login account."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="guardians", verbose_name=_("school"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="guardian_profiles", verbose_name=_("login account")
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    mobile = models.CharField(_("mobile number"), max_length=11, validators=[mobile_validator])

    class Meta:
        verbose_name = _("guardian")
        verbose_name_plural = _("guardians")
        ordering = ["school", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "user"],
                name="guardian_unique_user",
                violation_error_message=_("This account is already a guardian in the school."),
            ),
            # The roster import keys a guardian by (school, mobile).
            models.UniqueConstraint(
                fields=["school", "mobile"],
                name="guardian_unique_mobile",
                violation_error_message=_("The school already has a guardian with this mobile number."),
            ),
        ]

    def __str__(self):
        return self.name


class Relationship(models.TextChoices):
    FATHER = "father", _("father")
    MOTHER = "mother", _("mother")
    GRANDFATHER = "grandfather", _("grandfather (paternal)")
    GRANDMOTHER = "grandmother", _("grandmother (paternal)")
    MATERNAL_GRANDFATHER = "maternal_grandfather", _("grandfather (maternal)")
    MATERNAL_GRANDMOTHER = "maternal_grandmother", _("grandmother (maternal)")
    OTHER = "other", _("other guardian")


class Guardianship(models.Model):
    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="guardianships", verbose_name=_("student"))
    guardian = models.ForeignKey(
        Guardian, on_delete=models.CASCADE, related_name="guardianships", verbose_name=_("guardian")
    )
    relationship = models.CharField(_("relationship"), max_length=24, choices=Relationship.choices)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    class Meta:
        verbose_name = _("guardianship")
        verbose_name_plural = _("guardianships")
        ordering = ["student", "-is_primary"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "guardian"],
                name="guardianship_unique_pair",
                violation_error_message=_("This guardian is already linked to the student."),
            ),
            # The roster import clears the old flag before it sets a new one
            # (students.roster.writing._guardianships_write).
            models.UniqueConstraint(
                fields=["student"],
                condition=Q(is_primary=True),
                name="guardianship_one_primary_contact",
                violation_error_message=_("The student already has a primary contact."),
            ),
        ]

    def __str__(self):
        return f"{self.guardian} · {self.get_relationship_display()} · {self.student}"

    def clean(self):
        if self.student_id and self.guardian_id and self.student.school_id != self.guardian.school_id:
            raise ValidationError(_("The guardian and the student belong to different schools."))


class Enrollment(models.Model):
    """A student in a class for a school year. A class change ends the open
    enrollment and opens a new one, so the history stays."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="enrollments", verbose_name=_("student"))
    school_class = models.ForeignKey(
        "classes.SchoolClass", on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("class")
    )
    school_year = models.ForeignKey(
        "classes.SchoolYear", on_delete=models.PROTECT, related_name="+", verbose_name=_("school year")
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        ordering = ["student", "-start_date", "-id"]
        constraints = [
            # students.services.enrollment_move and the reach selectors rely on
            # at most one open enrollment per student and school year.
            models.UniqueConstraint(
                fields=["student", "school_year"],
                condition=Q(end_date__isnull=True),
                name="enrollment_one_open_per_year",
                violation_error_message=_(
                    "The student is already in a class this school year; end that enrollment first."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="enrollment_dates_ordered",
                violation_error_message=_("The end date must not be before the start date."),
            ),
        ]
        indexes = [models.Index(fields=["school_class", "end_date"])]

    def __str__(self):
        return f"{self.student} · {self.school_class}"

    def clean(self):
        errors = {}
        if self.school_class_id and self.school_year_id and self.school_class.school_year_id != self.school_year_id:
            errors["school_year"] = _("The class is in another school year.")
        if self.student_id and self.school_class_id and self.student.school_id != self.school_class.school_id:
            errors["school_class"] = _("The class belongs to another school.")
        if errors:
            raise ValidationError(errors)


KEEP_FILE_DAYS_MAX = 30


class RosterImport(models.Model):
    """One uploaded roster file and how its import went.

    The file is kept in the database (not on local disk) so any web process
    or worker can read it, and only while it is needed: it is deleted when
    the import ends, or `keep_file_days` later (then only the columns the
    import knows are kept), by students.roster.services. roster_import_run
    claims a queued row with a conditional UPDATE, so a second run does
    nothing.
    """

    class Kind(models.TextChoices):
        STUDENTS = "students", _("students and guardians")
        TEACHERS = "teachers", _("teachers")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        VALIDATING = "validating", _("checking")
        WRITING = "writing", _("saving")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")
        REJECTED = "rejected", _("rejected")

    FINISHED = (Status.DONE, Status.FAILED, Status.REJECTED)

    school = models.ForeignKey(
        "classes.School", on_delete=models.CASCADE, related_name="roster_imports", verbose_name=_("school")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    file_name = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("file content"), editable=False, blank=True, default=b"")
    keep_file_days = models.PositiveSmallIntegerField(
        _("keep the file (days)"),
        default=0,
        help_text=_("0: the uploaded file is deleted as soon as the import ends."),
    )
    # When the nightly purge deletes the kept file (students.roster.services.roster_imports_purge).
    file_purge_at = models.DateTimeField(_("file kept until"), null=True, blank=True)
    file_deleted_at = models.DateTimeField(_("file deleted at"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    report = models.JSONField(_("report"), default=dict, blank=True)
    # One-time passwords of the accounts this import created, encrypted
    # (students.roster.sealing), until the uploader downloads them once
    # (students.roster.services.roster_credentials_take) or the nightly
    # purge deletes them at credentials_expire_at.
    sealed_credentials = models.BinaryField(_("initial passwords (encrypted)"), default=b"", blank=True, editable=False)
    credentials_count = models.PositiveIntegerField(_("initial passwords waiting"), default=0, editable=False)
    credentials_expire_at = models.DateTimeField(_("initial passwords kept until"), null=True, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "validating", "writing", "done", "failed", "rejected"]),
                name="rosterimport_status_known",
                violation_error_message=_("Unknown import status."),
            ),
            models.CheckConstraint(
                condition=Q(processed_rows__lte=F("total_rows")),
                name="rosterimport_progress_in_range",
                violation_error_message=_("More rows checked than the file has."),
            ),
            models.CheckConstraint(
                condition=Q(keep_file_days__lte=KEEP_FILE_DAYS_MAX),
                name="rosterimport_keep_file_days_range",
                violation_error_message=_("An uploaded file is kept at most 30 days."),
            ),
        ]
        indexes = [models.Index(fields=["school", "-created_at"])]

    def __str__(self):
        return f"#{self.pk} {self.file_name}"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(100, self.processed_rows * 100 // self.total_rows)

    @property
    def has_credentials(self) -> bool:
        return self.credentials_count > 0
