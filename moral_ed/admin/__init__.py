"""Admin pages of moral_ed, one module per aggregate."""

from . import conduct  # noqa: F401
