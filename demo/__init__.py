"""The demo school (`manage.py seed_demo`, run by `make run`): generated
names only, one school year of classes, students, guardians and staff,
and a few weeks of each part's rows so that every page has something to
show.

It sits above every domain app (it fills them all) and nothing imports
it but its command and its tests.

- `school`: the school's structure, people and logins (`demo_school_build`),
  then each part's own demo rows (`moral_ed`: conduct points, inspections, dorms, evaluations).
- `management/commands/seed_demo.py`: the command, refused with DEBUG off
  unless asked for a demo server.
"""
