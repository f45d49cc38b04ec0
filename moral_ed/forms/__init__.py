"""Forms of moral_ed, one module per part; import the module you need
(from moral_ed.forms.conduct import RecordForm).

conduct.py      the conduct ledger's entry, review, groups, bank and stars
inspections.py  class inspections and vetoes
evaluations.py  running, publishing and filtering evaluations
dorms.py        the dorm pages
awards.py       term awards, practice records and the exports' filters
"""
