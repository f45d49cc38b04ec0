"""Forms of home_school, one module per part; import the module you need
explicitly (from home_school.forms.messaging import ...)."""
