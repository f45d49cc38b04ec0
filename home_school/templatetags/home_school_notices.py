from django import template

from ..selectors.notices import portal_unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def notices_unread(context) -> int:
    """Unread notices of the guardian's children, for the portal's section
    button: one COUNT, and none for people who are not guardians."""
    request = context.get("request")
    if request is None or "guardian" not in getattr(request, "roles", ()):
        return 0
    return portal_unread_count(request.user, request.school)
