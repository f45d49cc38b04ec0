from django import template

register = template.Library()


@register.filter
def mask_mobile(value: str) -> str:
    """13812345678 → 138****5678: enough to recognise, not to call."""
    value = value or ""
    if len(value) != 11:
        return "—" if not value else value[:3] + "****"
    return f"{value[:3]}****{value[-4:]}"


@register.filter
def signed_points(value) -> str:
    """+1, -0.5, 0: points as teachers write them (no trailing .0)."""
    from decimal import Decimal

    try:
        number = Decimal(value)
    except Exception:
        return ""
    if number == 0:
        return "0"
    text = f"{number.normalize():f}"
    return text if number < 0 else f"+{text}"


@register.filter
def get_item(mapping, key):
    """{{ totals.week|get_item:dimension }}"""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
