"""The conduct ledger's pages (URLs under /conduct/), one module per page
group; each module ends with its `urls`, moral_ed/urls.py joins them.

entry.py     class/<pk>/, record/, undo/: the two-tap entry of a class's points
student.py   student/<pk>/, event/<pk>/void/: a student's points, voiding an entry
review.py    class/<pk>/review/, review/act/: the head teacher's review of staged entries
groups.py    class/<pk>/groups/, group/<pk>/edit/, group/<pk>/points/: groups
ranking.py   class/<pk>/ranking/: the individual ranking inside a class (staff only)
bank.py      class/<pk>/bank/...: the character bank (rewards, redeeming)
stars.py     class/<pk>/stars/, stars/pending/, stars/<pk>/decide/: stars

The management pages (review, groups, bank, stars) fetch their class
through a policy (404 out of reach, 403 for staff who see the class but may
not use the page); guardians and students get 403 everywhere. Posts
redirect back with a message; a ValidationError from a service is shown as
its (translated) message.
"""
