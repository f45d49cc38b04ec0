"""Models of moral_ed, one module per aggregate. Import them all here so
Django finds them."""

from .conduct import *  # noqa: F401,F403
