"""The parent school: the office writes articles; guardians read the
published ones from their date on; the body is rendered escaped."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from home_school.models import ParentSchoolArticle
from home_school.services import parent_school as services
from home_school.templatetags.home_school_committee import markdown_lite

from .committee_support import NOV20, hs

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel(NOV20, tick=False):
        yield


def test_markdown_lite_escapes_everything_and_adds_a_few_marks():
    html = markdown_lite(
        "# 标题\n\n第一段 **重点** <script>alert(1)</script>\n第二行\n\n- 一\n- 二\n\n1. 甲\n2. 乙\n\n"
        'https://example.com/a?b=1&c="><img src=x onerror=alert(1)>'
    )
    assert '<h2 class="h5 mt-3">标题</h2>' in html
    assert "<strong>重点</strong>" in html and "<br>第二行" in html
    assert "<ul><li>一</li><li>二</li></ul>" in html and "<ol><li>甲</li><li>乙</li></ol>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img" not in html and 'href="https://example.com/a?b=1&amp;c="' in html


def test_office_publishes_and_guardians_read_from_the_publish_date(world, client_for):
    office = client_for(world.office)
    response = office.post(reverse("home_school:article_new"), {
        "title": "青春期沟通", "category": "communication", "body": "多倾听。", "is_published": "on", "published_on": "2026-11-25",
    })
    article = ParentSchoolArticle.objects.get()
    assert response.status_code == 302 and article.author == world.office
    parent = client_for(world.parent)
    assert "青春期沟通" not in parent.get(reverse("home_school:portal_article_list")).content.decode()
    assert parent.get(reverse("home_school:portal_article_detail", args=[article.pk])).status_code == 404
    with time_machine.travel("2026-11-25 08:00 +0800", tick=False):
        assert "青春期沟通" in parent.get(reverse("home_school:portal_article_list")).content.decode()
        assert "多倾听" in parent.get(reverse("home_school:portal_article_detail", args=[article.pk])).content.decode()


def test_publishing_without_a_date_publishes_today_and_drafts_stay_hidden(world, client_for):
    article = services.article_save(actor=world.office, school=world.school, title="安全", category="safety", body="x",
                                    is_published=True)
    assert article.published_on == datetime.date(2026, 11, 20)
    ns = hs(world)
    listing = client_for(world.parent).get(reverse("home_school:portal_article_list")).content.decode()
    assert "如何陪孩子阅读" in listing and "草稿" not in listing and "B校文章" not in listing
    staff = client_for(world.head_teacher).get(reverse("home_school:article_list")).content.decode()
    assert "草稿" in staff  # staff read drafts
    assert client_for(world.head_teacher).get(reverse("home_school:article_edit", args=[ns.art.pk])).status_code == 403


def test_category_filter(world, client_for):
    hs(world)
    services.article_save(actor=world.office, school=world.school, title="睡眠十小时", category="health", body="x",
                          is_published=True)
    page = client_for(world.parent).get(reverse("home_school:portal_article_list"), {"category": "health"}).content.decode()
    assert "睡眠十小时" in page and "如何陪孩子阅读" not in page
