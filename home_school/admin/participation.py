from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin_scoping import SchoolScopedAdmin
from core.admin import ReadOnlyAdmin

from ..models import ParticipationEvent, ParticipationRule
from ..services.participation import participation_rules_install


@admin.register(ParticipationRule)
class ParticipationRuleAdmin(SchoolScopedAdmin):
    """Point values per kind of participation; a school without a row uses
    the defaults (home_school.services.participation.DEFAULT_POINTS).
    New values apply to deeds collected from then on."""

    list_display = ["kind", "points", "school"]
    list_editable = ["points"]
    list_filter = ["school", "kind"]
    list_select_related = ["school"]
    actions = ["install_defaults"]

    @admin.action(description=_("Add the missing kinds with the default points (for the selected rows' schools)"))
    def install_defaults(self, request, queryset):
        added = sum(participation_rules_install(school=school) for school in {r.school for r in queryset})
        self.message_user(request, ngettext("%(n)s rule added.", "%(n)s rules added.", added) % {"n": added}, messages.SUCCESS)


@admin.register(ParticipationEvent)
class ParticipationEventAdmin(ReadOnlyAdmin, SchoolScopedAdmin):
    """The ledger is read-only: rows come from participation_collect;
    corrections are voids on the recognition page, with a reason."""

    list_display = ["occurred_on", "guardian", "kind", "points", "note", "voided_at"]
    list_filter = ["school", "kind", ("voided_at", admin.EmptyFieldListFilter)]
    search_fields = ["guardian__name", "note", "source_key"]
    list_select_related = ["guardian"]
    date_hierarchy = "occurred_on"
    show_full_result_count = False
