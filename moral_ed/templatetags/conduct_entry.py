"""The entry page's repeated markup (a card per student, a button per item),
built in Python with format_html: the page is opened many times a day, and
the template loop was the largest part of its time (docs/performance.md).
Everything is escaped by format_html."""

from django import template
from django.utils.html import format_html_join

from core.templatetags.banwu_tags import signed_points

register = template.Library()

CARD = (
    '<label class="student-card" data-student="{0}">'
    '<input type="checkbox" name="students" value="{0}" class="visually-hidden">'
    '<span class="student-initial" aria-hidden="true">{1}</span>'
    '<span class="student-name">{2}</span>'
    '<span class="student-today {3}" id="today-{0}">{4}</span>'
    "</label>\n"
)
BUTTON = '<button type="submit" name="item" value="{0}" class="btn {1} item-btn">{2} <span class="badge text-bg-light">{3}</span></button>'


def _tone(value) -> str:
    return "text-success" if value > 0 else "text-danger" if value < 0 else "text-secondary"


@register.simple_tag
def student_cards(students):
    """One checkbox card per student: initial, name and the day's points."""
    return format_html_join(
        "", CARD, ((s.pk, s.name[:1], s.name, _tone(s.today), signed_points(s.today)) for s in students)
    )


@register.simple_tag
def item_buttons(items, style):
    """One submit button per item, e.g. 上课积极发言 +1."""
    return format_html_join("", BUTTON, ((i.pk, style, i.name, signed_points(i.points)) for i in items))

