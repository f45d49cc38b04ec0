"""Writes of parent-school articles. The caller checked can_write_articles."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.services import audit_record

from ..models import ParentSchoolArticle


@transaction.atomic
def article_save(
    *,
    actor,
    school,
    title: str,
    category: str,
    body: str,
    summary: str = "",
    is_published: bool = False,
    published_on: datetime.date | None = None,
    article: ParentSchoolArticle | None = None,
) -> ParentSchoolArticle:
    """Create or change an article. Publishing without a date publishes
    today; a future date keeps it from guardians until that day."""
    created = article is None
    article = article or ParentSchoolArticle(school=school, author=actor)
    article.title = (title or "").strip()
    article.category = category
    article.summary = (summary or "").strip()
    article.body = (body or "").strip()
    article.is_published = is_published
    article.published_on = published_on or (timezone.localdate() if is_published else None)
    article.updated_at = timezone.now()
    article.full_clean()
    article.save()
    audit_record(
        actor=actor,
        school=school,
        action="home_school.parent_school.created" if created else "home_school.parent_school.changed",
        target=article,
        data={"published": is_published},
    )
    return article
