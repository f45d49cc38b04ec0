"""What classes tells the parts above it, so that it never imports them.

- `school_opened(sender=School, school=…)`: a new school was saved in the
  admin (classes.admin.SchoolAdmin). Sent inside the admin's transaction;
  moral_ed installs its default rule tables (moral_ed.apps), and a part
  with defaults of its own connects here the same way.
"""

from django.dispatch import Signal

school_opened = Signal()
