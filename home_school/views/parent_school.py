"""The parent school (家长学校): the office's pages under
/home-school/parent-school/, the guardian's under /portal/parent-school/."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from core.feedback import attempt_on_form
from core.idempotency import exactly_once

from ..forms.parent_school import ArticleForm
from ..models import ArticleCategory
from ..policies import parent_school as policies
from ..policies.committee import require_guardian, require_staff
from ..selectors import parent_school as selectors
from ..services import parent_school as services


def article_list(request):
    require_staff(request.user, request.school)
    return render(
        request,
        "home_school/parent_school/article_list.html",
        {
            "articles": list(selectors.staff_article_list(request.school)),
            "can_write": policies.can_write_articles(request.user, request.school),
            "today": timezone.localdate(),
        },
    )


def _article_form(request, article=None):
    initial = {}
    if article is not None:
        initial = {f: getattr(article, f) for f in ("title", "category", "summary", "body", "is_published", "published_on")}
    form = ArticleForm(
        request.POST or None, school=request.school, published_on=article.published_on if article else None, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        outcome = attempt_on_form(
            request,
            form,
            services.article_save,
            actor=request.user,
            school=request.school,
            article=article,
            **form.cleaned_data,
            success=_("The article is saved."),
        )
        if outcome.ok:
            return redirect("home_school:article_detail", pk=outcome.value.pk)
    return render(request, "home_school/parent_school/article_form.html", {"form": form, "article": article})


@exactly_once
def article_new(request):
    require_staff(request.user, request.school)
    if not policies.can_write_articles(request.user, request.school):
        raise PermissionDenied
    return _article_form(request)


@exactly_once
def article_edit(request, pk):
    article = policies.get_article_for_editing(request.user, request.school, pk)
    return _article_form(request, article)


def article_detail(request, pk):
    article = policies.get_article_for(request.user, request.school, pk)
    return render(
        request,
        "home_school/parent_school/article_detail.html",
        {"article": article, "can_write": policies.can_write_articles(request.user, request.school), "today": timezone.localdate()},
    )


# --- Portal ---------------------------------------------------------------------------------


def portal_article_list(request):
    require_guardian(request.user, request.school)
    category = request.GET.get("category")
    category = category if category in ArticleCategory.values else None
    return render(
        request,
        "home_school/parent_school/portal_article_list.html",
        {
            "articles": list(selectors.portal_article_list(request.school, today=timezone.localdate(), category=category)),
            "categories": ArticleCategory.choices,
            "category": category,
        },
    )


def portal_article_detail(request, pk):
    article = policies.get_portal_article_for(request.user, request.school, pk, today=timezone.localdate())
    return render(request, "home_school/parent_school/portal_article_detail.html", {"article": article})


urls = [
    path("home-school/parent-school/", article_list, name="article_list"),
    path("home-school/parent-school/new/", article_new, name="article_new"),
    path("home-school/parent-school/<int:pk>/", article_detail, name="article_detail"),
    path("home-school/parent-school/<int:pk>/edit/", article_edit, name="article_edit"),
    path("portal/parent-school/", portal_article_list, name="portal_article_list"),
    path("portal/parent-school/<int:pk>/", portal_article_detail, name="portal_article_detail"),
]
