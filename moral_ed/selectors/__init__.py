"""Reads of moral_ed (scoped, already select_related), one module per part;
import the module you need (from moral_ed.selectors import conduct).

conduct.py      the conduct ledger: entry, totals, timelines, rankings, groups, bank, stars
inspections.py  class inspections, vetoes and the published weekly ranking
evaluations.py  the figures the evaluations compute and the archive's lists
dorms.py        buildings and beds, the day's dorm entries, the ladder's standing, cases
awards.py       term award candidates and standing, practice credits
"""
