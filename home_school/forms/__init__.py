"""Forms of home_school, one module per part; import the module you need
(from home_school.forms.messaging import ...).

messaging.py      messages between a teacher and a family
notices.py        notices (通知) and receipts (回执)
meetings.py       parent meetings: agenda, replies, attendance, follow-ups
visits.py         home visits and their supervision
committee.py      parent committees and their meetings
volunteering.py   volunteer activities and sign-ups
participation.py  the guardians' participation ledger and monthly recognition
suggestions.py    the suggestion box
parent_school.py  the parent school (家长学校) articles
"""
