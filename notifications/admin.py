from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin_scoping import SchoolScopedAdmin
from core.admin import ReadOnlyAdmin

from . import services
from .models import Delivery, DeliveryStatus, Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(SchoolScopedAdmin):
    list_display = ["created_at", "recipient", "kind", "title", "read_at"]
    list_filter = ["kind", "school"]
    search_fields = ["title", "recipient__username", "recipient__full_name", "dedupe_key"]
    list_select_related = ["recipient", "school"]
    date_hierarchy = "created_at"
    readonly_fields = ["school", "recipient", "kind", "title", "body", "link", "dedupe_key", "created_at", "read_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin, SchoolScopedAdmin):
    """What went out over e-mail, SMS and WeChat, and what did not."""

    school_field = "notification__school"
    list_display = ["created_at", "recipient", "kind", "channel", "status", "attempts", "not_before", "sent_at", "error"]
    list_filter = ["status", "channel"]
    search_fields = ["notification__title", "notification__recipient__username", "notification__recipient__full_name"]
    list_select_related = ["notification__recipient"]
    date_hierarchy = "created_at"
    readonly_fields = ["notification", "channel", "status", "attempts", "not_before", "created_at", "sent_at", "error"]
    actions = ["requeue"]

    @admin.display(description=_("recipient"), ordering="notification__recipient")
    def recipient(self, obj):
        return obj.notification.recipient

    @admin.display(description=_("kind"))
    def kind(self, obj):
        return obj.notification.kind

    @admin.action(description=_("Try the failed deliveries again"))
    def requeue(self, request, queryset):
        count = services.deliveries_requeue(delivery_ids=list(queryset.filter(status=DeliveryStatus.FAILED).values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext("%(count)s delivery will be tried again.", "%(count)s deliveries will be tried again.", count) % {"count": count},
            messages.SUCCESS,
        )


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(SchoolScopedAdmin):
    """A school administrator may fix a person's quiet hours (e.g. on the
    phone with a parent); people set their own on the settings page."""

    school_field = "user__memberships__school"
    person_field = "user"  # an account this administrator manages (accounts.admin_scoping)
    list_display = ["user", "quiet_start", "quiet_end", "daily_digest", "channels_off", "updated_at"]
    list_filter = ["daily_digest"]
    search_fields = ["user__username", "user__full_name", "user__mobile"]
    list_select_related = ["user"]
    readonly_fields = ["user", "updated_at"]
    fields = ["user", "quiet_start", "quiet_end", "daily_digest", "channels_off", "updated_at"]

    def has_add_permission(self, request):
        return False
