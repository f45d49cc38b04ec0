"""Template filters of the committee, volunteering, participation,
suggestion and parent-school parts."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

_BOLD = re.compile(r"\*\*(.+?)\*\*")
# Characters of a URL, without quotes, '*', '<' and '&' (an escaped '&' is
# matched as '&amp;'): a link never leaves its attribute.
_URL_CHARS = r"[A-Za-z0-9\-._~:/?#\[\]@!$%+,;=]"
_URL = re.compile(rf"https?://{_URL_CHARS}+(?:&amp;{_URL_CHARS}+)*")
_BULLET = re.compile(r"^\s*[-*•]\s+")
_NUMBERED = re.compile(r"^\s*\d+[.、)]\s*")
_HEADING = re.compile(r"^(#{1,3})\s+")


def _inline(text: str) -> str:
    """Escape first, then add the few marks: the text can bring no tag."""
    html = escape(text)
    html = _BOLD.sub(r"<strong>\1</strong>", html)
    return _URL.sub(lambda m: f'<a href="{m.group(0)}" rel="nofollow noopener noreferrer" target="_blank">{m.group(0)}</a>', html)


@register.filter
def markdown_lite(text) -> str:
    """Plain text with a few marks → safe HTML. A blank line starts a
    paragraph; a line "# …" is a heading ("##" a smaller one); lines
    "- …" make a list, "1. …" a numbered list; **bold**; http(s) links.
    Everything else is escaped: stored text never brings its own HTML."""
    blocks = re.split(r"\n\s*\n", str(text or "").replace("\r\n", "\n").strip())
    out = []
    for block in blocks:
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        heading = _HEADING.match(lines[0])
        if heading and len(lines) == 1:
            tag, css = ("h2", "h5") if len(heading.group(1)) == 1 else ("h3", "h6")
            out.append(f'<{tag} class="{css} mt-3">{_inline(lines[0][heading.end():])}</{tag}>')
        elif all(_BULLET.match(line) for line in lines):
            items = "".join(f"<li>{_inline(_BULLET.sub('', line))}</li>" for line in lines)
            out.append(f"<ul>{items}</ul>")
        elif all(_NUMBERED.match(line) for line in lines):
            items = "".join(f"<li>{_inline(_NUMBERED.sub('', line))}</li>" for line in lines)
            out.append(f"<ol>{items}</ol>")
        else:
            out.append("<p>" + "<br>".join(_inline(line) for line in lines) + "</p>")
    return mark_safe("\n".join(out))  # noqa: S308 - every piece of text went through escape()
