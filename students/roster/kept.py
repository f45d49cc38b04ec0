"""What stays of an uploaded file when its import keeps it for some days:
the columns the import knows, one row per data row with the row number of
the original, as CSV (UTF-8 with BOM, so Excel opens it). Columns the
import does not know (身份证号, 住址 …) are never kept."""

import csv
import io

from django.utils.translation import gettext as _

from classes.exports import safe_cell

from .cells import text
from .reading import Table


def kept_copy(table: Table) -> bytes:
    indexes = sorted(table.columns)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Row"), *(safe_cell(table.headers[table.columns[i].key]) for i in indexes)])
    for number, cells in table.rows:
        writer.writerow([number, *(safe_cell(text(cells[i])) if i < len(cells) else "" for i in indexes)])
    return buffer.getvalue().encode("utf-8-sig")
