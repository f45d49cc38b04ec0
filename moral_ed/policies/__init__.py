"""Who may see and do what in moral_ed, one module per part; import the
module you need (from moral_ed.policies import conduct).

conduct.py      recording, reviewing, voiding and awarding in the conduct ledger
inspections.py  inspecting, voiding and vetoing class inspections
evaluations.py  running, publishing and reading evaluations
dorms.py        the dormitories' pages and the ladder's cases
awards.py       term awards, practice records and the office's exports
"""
