"""Writes with a rule of moral_ed, one module per part; import the module
you need (from moral_ed.services import conduct, or
from moral_ed.services.conduct import points_record).

conduct.py      the conduct ledger: points, staged disclosure, groups, the character bank, stars
inspections.py  class inspections (班级量化考核) and vetoes (一票否决)
evaluations.py  weekly and monthly evaluations and their revisions
dorms.py        beds, dorm inspections and the escalation ladder
awards.py       term awards and practice records
defaults.py     every part's default rules for a new school (defaults_install)
"""
