"""Policies of home_school (who may do what), one module per part; import
the module you need explicitly (from home_school.policies import messaging)."""
