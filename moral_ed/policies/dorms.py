"""policies: Dormitories: rooms, beds, dorm inspections and the escalation ladder."""
