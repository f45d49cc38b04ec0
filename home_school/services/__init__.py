"""Services of home_school, one module per part."""
