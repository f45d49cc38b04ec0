"""moral_ed views: one module per part; each module ends with its `urls`,
moral_ed/urls.py joins them. Templates are in templates/moral_ed/<part>/.

conduct/        the conduct ledger, one module per page group (see its map)
inspections.py  class inspections (the duty grid), vetoes, the weekly ranking
evaluations.py  weekly and monthly evaluations and their revisions
dorms.py        dorms: beds, inspections, the escalation ladder's cases
awards.py       term awards and practice credits
"""
