"""Views of home_school, one module per part. Each module ends with its
own `urls` list; home_school/urls.py joins them. Templates are in
templates/home_school/<part>/ (shared partials at the top of
templates/home_school/).

portal.py         the guardian's and student's home and child pages under /portal/ (mobile first)
messaging.py      messages between a teacher and a family
notices.py        notices (通知) and receipts (回执)
meetings.py       parent meetings: agenda, replies, attendance, follow-ups
visits.py         home visits and their supervision
committee.py      parent committees and their meetings
volunteering.py   volunteer activities and sign-ups
participation.py  the guardians' participation ledger and monthly recognition
suggestions.py    the suggestion box
parent_school.py  the parent school (家长学校) articles

Staff pages are under /home-school/, the portal pages of a part under
/portal/.
"""
