"""The permission table for the teachers of school A (the rows with the
most 200s to render); test_table.py walks every other role."""

import pytest

from .test_table import TEACHERS_OF_A, quiet_refusals, walk  # noqa: F401 (a fixture)


@pytest.mark.parametrize("role", TEACHERS_OF_A)
def test_permission_table(world, role, quiet_refusals):  # noqa: F811
    """Every reach column, then every URL of the table, read and write,
    for one teacher; every mismatch is listed at once."""
    walk(world, role)
