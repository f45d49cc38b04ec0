"""Admin of notices and receipts: read-only records, school-scoped. Notices
are written and sent on the staff pages (home_school.views.notices); the
one action here, cancelling unsent notices, goes through the service."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin_scoping import SchoolScopedAdmin, SchoolScopedTabularInline
from core.admin import ReadOnlyAdmin

from ..models.notices import Notice, NoticeClass, NoticeReceipt
from ..services import notices as services


class NoticeClassInline(SchoolScopedTabularInline):
    model = NoticeClass
    extra = 0
    fields = ["school_class"]
    readonly_fields = ["school_class"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin, SchoolScopedAdmin):
    list_display = ["title", "author", "scope", "receipt_type", "status_label", "scheduled_for", "sent_at", "school"]
    list_filter = ["school", "scope", "receipt_type", ("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "author__full_name", "author__username"]
    list_select_related = ["author", "school"]
    date_hierarchy = "created_at"
    inlines = [NoticeClassInline]
    actions = ["cancel_unsent"]

    @admin.display(description=_("status"))
    def status_label(self, obj):
        return obj.get_status_display()

    @admin.action(description=_("Cancel the selected notices that are not sent yet"))
    def cancel_unsent(self, request, queryset):
        done = sum(services.notice_cancel(notice=n, actor=request.user) for n in queryset.select_related("school"))
        self.message_user(
            request,
            ngettext("%(n)s notice cancelled.", "%(n)s notices cancelled.", done) % {"n": done},
            messages.SUCCESS if done else messages.INFO,
        )


@admin.register(NoticeReceipt)
class NoticeReceiptAdmin(ReadOnlyAdmin, SchoolScopedAdmin):
    list_display = ["notice", "student", "school_class", "read_at", "confirmed_at", "replied_at", "reminded_at"]
    list_filter = ["school", ("read_at", admin.EmptyFieldListFilter), ("reminded_at", admin.EmptyFieldListFilter)]
    search_fields = ["notice__title", "student__name", "student__student_number"]
    list_select_related = ["notice", "student", "school_class"]
    raw_id_fields = ["notice", "student"]
    show_full_result_count = False
