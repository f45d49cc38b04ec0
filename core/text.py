"""Typed text as it is stored: no invisible controls, a known length.

Bidirectional controls (U+202A–202E, U+2066–2069 and the marks
U+200E, U+200F, U+061C) make a name or title display as something other
than what it holds ("Trojan Source"); other control characters (NUL,
escape, the C1 range) have no place in what a person types and NUL is
refused by PostgreSQL. Tabs and line breaks stay.
"""

import re

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_UNWANTED = re.compile("[" + BIDI_CONTROLS + "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# Length limits for free text, by kind. A model's TextField declares one of
# these as its max_length, so admin and page forms hold the same limit.
NAME_MAX = 100
NOTE_MAX = 500  # a reason, a short note, a reply
BODY_MAX = 5000  # a message, a notice, a description
MINUTES_MAX = 20000  # meeting minutes, an article


def clean_text(value: str) -> str:
    """The text without bidirectional and other control characters."""
    return _UNWANTED.sub("", value) if value else value


def has_unwanted(value: str) -> bool:
    return bool(value) and _UNWANTED.search(value) is not None
