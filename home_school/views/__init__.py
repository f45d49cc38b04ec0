"""Views of home_school, one module per part. Each module ends with its
own `urls` list; home_school/urls.py joins them.

- portal: the guardian's and student's pages under /portal/ (mobile first)
- messaging, notices, meetings, visits, committee: each part's staff pages
  under /home-school/ and its portal pages under /portal/
"""
