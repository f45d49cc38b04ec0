"""Admin pages of term awards and practice records. Decisions and voids go
through the services (audit rows, notifications, the veto rule); evidence
bytes are never shown here, only a link to the checked download view."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin_scoping import SchoolScopedAdmin, SchoolScopedTabularInline
from core.admin import ReadOnlyAdmin

from ..models import AwardStatus, PracticeEvidence, PracticeRecord, TermAward
from ..services import awards as services


def _decide(modeladmin, request, queryset, *, approve: bool):
    done, errors = 0, []
    for award in queryset.filter(status=AwardStatus.PROPOSED).select_related("school_class", "student", "teacher", "term"):
        try:
            services.award_decide(
                actor=request.user,
                award=award,
                approve=approve,
                note="" if approve else str(_("Declined in the administration pages.")),
            )
        except ValidationError as e:
            errors.append(f"{award}: {' '.join(e.messages)}")
        else:
            done += 1
    if approve:
        text = ngettext("%(n)s proposal approved.", "%(n)s proposals approved.", done) % {"n": done}
    else:
        text = ngettext("%(n)s proposal declined.", "%(n)s proposals declined.", done) % {"n": done}
    modeladmin.message_user(request, text, messages.SUCCESS)
    for error in errors:
        modeladmin.message_user(request, error, messages.ERROR)


@admin.action(description=_("Approve the selected proposals"))
def approve_awards(modeladmin, request, queryset):
    _decide(modeladmin, request, queryset, approve=True)


@admin.action(description=_("Decline the selected proposals"))
def decline_awards(modeladmin, request, queryset):
    _decide(modeladmin, request, queryset, approve=False)


@admin.register(TermAward)
class TermAwardAdmin(SchoolScopedAdmin):
    """Proposals are made on the staff pages (their basis is computed
    there); here they are listed and decided."""

    list_display = ["kind", "school_class", "student", "teacher", "term", "status", "proposed_by", "decided_by", "decided_at"]
    list_filter = ["school", "term", "kind", "status"]
    search_fields = ["student__name", "student__student_number", "teacher__full_name", "school_class__name", "reason"]
    list_select_related = ["school_class", "student", "teacher", "term__school_year", "proposed_by", "decided_by"]
    actions = [approve_awards, decline_awards]
    readonly_fields = [
        "school", "term", "kind", "school_class", "student", "teacher", "reason", "basis", "status",
        "proposed_by", "proposed_at", "decided_by", "decided_at", "decision_note",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.action(description=_("Void the selected records"))
def void_records(modeladmin, request, queryset):
    count = 0
    for record in queryset.filter(voided_at__isnull=True).select_related("school"):
        count += services.practice_void(actor=request.user, record=record, reason=str(_("Voided in the administration pages.")))
    modeladmin.message_user(request, ngettext("%(n)s record voided.", "%(n)s records voided.", count) % {"n": count}, messages.SUCCESS)


class EvidenceInline(SchoolScopedTabularInline):
    model = PracticeEvidence
    extra = 0
    fields = ["file_name", "content_type", "size", "download"]
    readonly_fields = fields
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("data")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("file"))
    def download(self, obj):
        return _evidence_link(obj)


def _evidence_link(obj):
    if not obj.pk:
        return "—"
    return format_html('<a href="{}" download>{}</a>', reverse("moral_ed:practice_evidence", args=[obj.pk]), _("download"))


@admin.register(PracticeRecord)
class PracticeRecordAdmin(ReadOnlyAdmin, SchoolScopedAdmin):
    """Records are written on the staff pages; a wrong one is voided (it
    stays with the reason), never edited or deleted. The form is read-only;
    the inline and the void action still work for those who may view."""

    list_display = ["occurred_on", "student", "kind", "title", "hours", "school_year", "recorded_by", "voided_at"]
    list_filter = ["school", "kind", "school_year", ("voided_at", admin.EmptyFieldListFilter)]
    search_fields = ["student__name", "student__student_number", "title"]
    list_select_related = ["student", "school_year", "recorded_by"]
    date_hierarchy = "occurred_on"
    actions = [void_records]
    inlines = [EvidenceInline]


@admin.register(PracticeEvidence)
class PracticeEvidenceAdmin(ReadOnlyAdmin, SchoolScopedAdmin):
    """File facts only; the bytes go out through the checked download view
    (moral_ed:practice_evidence), as an attachment with nosniff."""

    list_display = ["file_name", "content_type", "size", "record", "uploaded_by", "created_at", "download"]
    list_filter = ["school", "content_type"]
    search_fields = ["file_name", "record__student__name", "record__title"]
    list_select_related = ["record__student", "uploaded_by"]
    fields = ["record", "file_name", "content_type", "size", "uploaded_by", "created_at", "download"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("data")

    @admin.display(description=_("file"))
    def download(self, obj):
        return _evidence_link(obj)
