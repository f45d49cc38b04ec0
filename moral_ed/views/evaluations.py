"""Views: Weekly and monthly evaluations: snapshots with revisions, preview and publication, head-teacher appraisal. Ends with `urls`."""

urls = []
