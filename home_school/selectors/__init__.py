"""Selectors of home_school (read-side queries), one module per part; import
the module you need explicitly (from home_school.selectors import messaging)."""
