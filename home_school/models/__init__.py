"""Models of home_school, one module per aggregate. Import them all here so
Django finds them."""

# models: messaging
# models: notices
# models: meetings
# models: committee
