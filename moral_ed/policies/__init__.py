"""moral_ed.policies: one module per aggregate; the names of each are
importable from here."""

from .conduct import *  # noqa: F401,F403
