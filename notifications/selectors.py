from .models import Notification


def inbox_for(user):
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count_for(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
