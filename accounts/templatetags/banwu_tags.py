from django import template

register = template.Library()


@register.filter
def mask_mobile(value: str) -> str:
    """13812345678 → 138****5678: enough to recognise, not to call."""
    value = value or ""
    if len(value) != 11:
        return "—" if not value else value[:3] + "****"
    return f"{value[:3]}****{value[-4:]}"
