from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

GRADE_NAMES = {
    1: "一年级",
    2: "二年级",
    3: "三年级",
    4: "四年级",
    5: "五年级",
    6: "六年级",
    7: "七年级",
    8: "八年级",
    9: "九年级",
    10: "高一",
    11: "高二",
    12: "高三",
}
CLASS_PREFIXES = {1: "一", 2: "二", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九", 10: "高一", 11: "高二", 12: "高三"}


class School(models.Model):
    """The tenant. Every school-owned row carries a foreign key to it."""

    code = models.CharField(
        _("school code"),
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[A-Za-z0-9_-]+$", _("Use letters, digits, - and _ only."))],
        help_text=_("Short code used in imports and commands, e.g. XS01."),
    )
    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["code"]

    def __str__(self):
        return self.name


class SchoolYear(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="school_years", verbose_name=_("school"))
    name = models.CharField(_("name"), max_length=20, help_text=_("e.g. 2025-2026"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))

    class Meta:
        verbose_name = _("school year")
        verbose_name_plural = _("school years")
        ordering = ["school", "-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"],
                name="schoolyear_unique_name",
                violation_error_message=_("This school already has a school year with this name."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")),
                name="schoolyear_dates_ordered",
                violation_error_message=_("A school year must end after it starts."),
            ),
        ]

    def __str__(self):
        return _("%(name)s school year") % {"name": self.name}


class Term(models.Model):
    class Number(models.IntegerChoices):
        FIRST = 1, _("first term")
        SECOND = 2, _("second term")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="terms", verbose_name=_("school"))
    school_year = models.ForeignKey(
        SchoolYear, on_delete=models.CASCADE, related_name="terms", verbose_name=_("school year")
    )
    number = models.PositiveSmallIntegerField(_("term"), choices=Number.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    is_current = models.BooleanField(_("current term"), default=False)

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["school", "-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["school_year", "number"],
                name="term_unique_number",
                violation_error_message=_("This school year already has this term."),
            ),
            # classes.selectors.current_term relies on at most one current term per school.
            models.UniqueConstraint(
                fields=["school"],
                condition=Q(is_current=True),
                name="term_one_current_per_school",
                violation_error_message=_("The school already has a current term: unmark that one first."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")),
                name="term_dates_ordered",
                violation_error_message=_("A term must end after it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.school_year.name} {self.get_number_display()}"

    def clean(self):
        if self.school_year_id and self.school_id and self.school_year.school_id != self.school_id:
            raise ValidationError({"school_year": _("The school year belongs to another school.")})
        if self.school_year_id and self.start_date and self.end_date:
            year = self.school_year
            if self.start_date < year.start_date or self.end_date > year.end_date:
                raise ValidationError(_("A term must lie inside its school year."))


class Grade(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="grades", verbose_name=_("school"))
    level = models.PositiveSmallIntegerField(
        _("level"), validators=[MinValueValidator(1), MaxValueValidator(12)], help_text=_("1–6 primary, 7–9 junior, 10–12 senior")
    )
    name = models.CharField(_("name"), max_length=20, blank=True, help_text=_("Left blank: 六年级, 七年级, 高一 …"))

    class Meta:
        verbose_name = _("grade")
        verbose_name_plural = _("grades")
        ordering = ["school", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "level"],
                name="grade_unique_level",
                violation_error_message=_("This school already has this grade."),
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=12),
                name="grade_level_range",
                violation_error_message=_("A grade level is a number from 1 to 12."),
            ),
        ]

    def __str__(self):
        return self.name or GRADE_NAMES.get(self.level, str(self.level))

    def clean(self):
        if not self.name and self.level:
            self.name = GRADE_NAMES.get(self.level, "")


class SchoolClass(models.Model):
    """A class of one grade in one school year, e.g. 六(2)班 of 2025-2026."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="classes", verbose_name=_("school"))
    school_year = models.ForeignKey(
        SchoolYear, on_delete=models.PROTECT, related_name="classes", verbose_name=_("school year")
    )
    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="classes", verbose_name=_("grade"))
    number = models.PositiveSmallIntegerField(_("class number"), validators=[MinValueValidator(1)])
    name = models.CharField(_("name"), max_length=30, blank=True, help_text=_("Left blank: 六(2)班"))

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["school", "grade__level", "number"]
        constraints = [
            # students.roster resolves a row's class by (year, grade, number).
            models.UniqueConstraint(
                fields=["school_year", "grade", "number"],
                name="class_unique_number",
                violation_error_message=_("This grade already has a class with this number in this school year."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.grade_id and self.school_id and self.grade.school_id != self.school_id:
            errors["grade"] = _("The grade belongs to another school.")
        if self.school_year_id and self.school_id and self.school_year.school_id != self.school_id:
            errors["school_year"] = _("The school year belongs to another school.")
        if errors:
            raise ValidationError(errors)
        if not self.name and self.grade_id and self.number:
            self.name = default_class_name(self.grade.level, self.number)


def default_class_name(level: int, number: int) -> str:
    prefix = CLASS_PREFIXES.get(level, str(level))
    return f"{prefix}({number})班"


class TeachingAssignment(models.Model):
    """A teacher in a class for a term: the head teacher, or a subject teacher."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("term"))
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("class")
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("teacher")
    )
    subject = models.CharField(_("subject"), max_length=20, blank=True)
    is_head_teacher = models.BooleanField(_("head teacher"), default=False)

    class Meta:
        verbose_name = _("teaching assignment")
        verbose_name_plural = _("teaching assignments")
        ordering = ["school_class", "-is_head_teacher", "subject"]
        constraints = [
            # Exactly one head teacher per class and term (at most one here;
            # the admin and roster import always name one).
            models.UniqueConstraint(
                fields=["term", "school_class"],
                condition=Q(is_head_teacher=True),
                name="assignment_one_head_teacher",
                violation_error_message=_("This class already has a head teacher for this term."),
            ),
            models.UniqueConstraint(
                fields=["term", "school_class", "teacher", "subject"],
                name="assignment_unique_subject",
                violation_error_message=_("This teacher already teaches this subject in this class this term."),
            ),
            models.CheckConstraint(
                condition=Q(is_head_teacher=True) | ~Q(subject=""),
                name="assignment_subject_teacher_has_subject",
                violation_error_message=_("A subject teacher needs a subject."),
            ),
        ]
        indexes = [models.Index(fields=["teacher", "term"])]

    def __str__(self):
        role = _("head teacher") if self.is_head_teacher else self.subject
        return f"{self.school_class} · {role} · {self.teacher}"

    def clean(self):
        errors = {}
        if self.term_id and self.school_id and self.term.school_id != self.school_id:
            errors["term"] = _("The term belongs to another school.")
        if self.school_class_id and self.school_id and self.school_class.school_id != self.school_id:
            errors["school_class"] = _("The class belongs to another school.")
        if self.term_id and self.school_class_id and self.term.school_year_id != self.school_class.school_year_id:
            errors["term"] = _("The term and the class are in different school years.")
        if not self.is_head_teacher and not self.subject:
            errors["subject"] = _("A subject teacher needs a subject.")
        if errors:
            raise ValidationError(errors)
