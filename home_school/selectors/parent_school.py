"""Reads of parent-school articles. Lists leave the body out (it can be long)."""

import datetime

from ..models import ParentSchoolArticle
from ..policies.parent_school import published_articles


def staff_article_list(school):
    return (
        ParentSchoolArticle.objects.filter(school=school)
        .select_related("author")
        .defer("body")
        .order_by("is_published", "-published_on", "-pk")
    )


def portal_article_list(school, *, today: datetime.date, category: str | None = None):
    qs = published_articles(school, today=today).defer("body").order_by("-published_on", "-pk")
    if category:
        qs = qs.filter(category=category)
    return qs
