"""The parent school (家长学校): articles the school office publishes for
guardians. The body is plain text with a few markdown-like marks,
rendered escaped (home_school.templatetags.parent_school_tags)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ArticleCategory(models.TextChoices):
    FAMILY_EDUCATION = "family", _("family education")
    COMMUNICATION = "communication", _("talking with your child")
    STUDY_HABITS = "study", _("study habits")
    MENTAL_HEALTH = "mental_health", _("mental health")
    SAFETY = "safety", _("safety")
    HEALTH = "health", _("health and sleep")
    SCHOOL_NEWS = "school", _("school and policy")


class ParentSchoolArticle(models.Model):
    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    title = models.CharField(_("title"), max_length=100)
    category = models.CharField(_("category"), max_length=20, choices=ArticleCategory.choices)
    summary = models.CharField(_("summary"), max_length=200, blank=True)
    body = models.TextField(
        _("text"),
        max_length=30000,
        help_text=_("Plain text. A blank line starts a paragraph; “# ” a heading; “- ” a list item; **bold**."),
    )
    is_published = models.BooleanField(_("published"), default=False)
    published_on = models.DateField(
        _("publish date"), null=True, blank=True, help_text=_("Guardians see the article from this day on.")
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)

    class Meta:
        verbose_name = _("parent school article")
        verbose_name_plural = _("parent school articles")
        ordering = ["-published_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=ArticleCategory.values),
                name="parentschoolarticle_category_known",
                violation_error_message=_("Choose a category from the list."),
            ),
            # home_school.selectors.parent_school.published_articles relies on a published article having a date.
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(published_on__isnull=False), name="parentschoolarticle_published_has_date",
                violation_error_message=_("A published article needs a publish date."),
            ),
        ]
        indexes = [models.Index(fields=["school", "is_published", "-published_on"])]

    def __str__(self):
        return self.title
