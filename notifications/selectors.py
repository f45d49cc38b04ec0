from .models import Notification, NotificationPreference


def inbox_for(user):
    """The person's own inbox, newest first (one inbox across schools)."""
    return Notification.objects.filter(recipient=user).select_related("school").order_by("-created_at", "-id")


def unread_count_for(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def preference_for(user) -> NotificationPreference:
    """The saved preferences, or an unsaved row with the defaults."""
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(user=user)
