"""What stays of an uploaded file when its import keeps it for some days:
the columns the import knows, one row per data row with the row number of
the original, as an XLSX sheet written by core.exports (formulas
neutralised). Columns the import does not know (身份证号, 住址 …) are never
kept."""

from django.utils.translation import gettext as _

from core.exports import xlsx_bytes

from .cells import text
from .reading import Table


def kept_copy(table: Table) -> bytes:
    indexes = sorted(table.columns)
    header = [_("Row"), *(table.headers[table.columns[i].key] for i in indexes)]
    rows = ([number, *(text(cells[i]) if i < len(cells) else "" for i in indexes)] for number, cells in table.rows)
    return xlsx_bytes(_("Roster"), header, rows)
