"""Views: Dormitories: rooms, beds, dorm inspections and the escalation ladder. Ends with `urls`."""

urls = []
