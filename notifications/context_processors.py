from .selectors import unread_count_for


class UnreadCount:
    """Called by the template the first time a page shows the badge: one
    COUNT query per page, none on pages without it or for anonymous visitors."""

    def __init__(self, user):
        self.user = user
        self.value = None

    def __call__(self) -> int:
        if self.value is None:
            self.value = unread_count_for(self.user)
        return self.value


def unread_notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": UnreadCount(user)}
