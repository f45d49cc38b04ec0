from django.contrib import admin

from accounts.admin_scoping import SchoolScopedAdmin

from ..models import ParentSchoolArticle


@admin.register(ParentSchoolArticle)
class ParentSchoolArticleAdmin(SchoolScopedAdmin):
    list_display = ["title", "category", "is_published", "published_on", "author"]
    list_filter = ["school", "category", "is_published"]
    search_fields = ["title", "summary", "body"]
    list_select_related = ["author"]
    raw_id_fields = ["author"]
    date_hierarchy = "published_on"
