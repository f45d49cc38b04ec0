"""Who may read and write parent-school articles.

Staff: every staff member of the school reads the articles (drafts too);
the office and school admins write them (others 403). Portal: a guardian
reads the school's published articles from their publish date on (404
for drafts, future ones and other schools'). Students get 403.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from ..models import ParentSchoolArticle
from .committee import is_home_school_office, require_guardian, require_staff


def can_write_articles(user, school) -> bool:
    return is_home_school_office(user, school)


def get_article_for(user, school, pk):
    require_staff(user, school)
    return get_object_or_404(ParentSchoolArticle.objects.select_related("author"), pk=pk, school=school)


def get_article_for_editing(user, school, pk):
    article = get_article_for(user, school, pk)
    if not can_write_articles(user, school):
        raise PermissionDenied
    return article


def published_articles(school, *, today: datetime.date):
    return ParentSchoolArticle.objects.filter(school=school, is_published=True, published_on__lte=today)


def get_portal_article_for(user, school, pk, *, today: datetime.date):
    require_guardian(user, school)
    return get_object_or_404(published_articles(school, today=today), pk=pk)
