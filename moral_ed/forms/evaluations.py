"""forms: Weekly and monthly evaluations: snapshots with revisions, preview and publication, head-teacher appraisal."""
