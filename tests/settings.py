"""The settings the suite runs with: the product's own (config.settings)
as `make test` and `make run` give them, with DEBUG on unless the
environment says otherwise, so that a bare `pytest` works on a fresh
checkout (embedded SQLite) as `make test` does. Django runs the tests
themselves with DEBUG off; the tests of production settings start a
process with the environment they need (tests/security/test_headers.py)."""

import os

os.environ.setdefault("DEBUG", "1")

from config.settings import *  # noqa: E402,F403
