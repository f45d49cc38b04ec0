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


@register.simple_tag
def request_key(id="", oob=False):
    """A fresh key for one create form or htmx action (core.idempotency):
    `{% request_key %}` inside the form. An htmx page that posts the same
    form again and again gives it an id and answers each post with
    `{% request_key id="…" oob=True %}`, so the next post has a new key."""
    from django.utils.html import format_html

    from core.idempotency import FIELD, new_key

    return format_html(
        '<input type="hidden" name="{}" value="{}"{}{}>',
        FIELD,
        new_key(),
        format_html(' id="{}"', id) if id else "",
        format_html(' hx-swap-oob="true"') if oob else "",
    )
