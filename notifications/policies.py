from django.shortcuts import get_object_or_404

from .models import Notification


def get_notification_for(user, pk) -> Notification:
    """Only the recipient may know a notification exists (404 otherwise)."""
    return get_object_or_404(Notification, pk=pk, recipient=user)
