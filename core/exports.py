"""Spreadsheet output shared by every export: cells that a spreadsheet
would run as a formula are neutralised."""

import io
import re
from typing import NamedTuple

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter


class Sheet(NamedTuple):
    """A spreadsheet's content before it is written: what a service hands
    to the view that sends it (xlsx_response) or the file it keeps."""

    header: list[str]
    rows: list[list]


# A cell starting with one of these is a formula (or DDE) in Excel, WPS and
# LibreOffice; tab and carriage return hide such a start.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


# Characters Excel forbids in a sheet name.
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")


def safe_cell(value):
    """Text that starts like a formula gets a leading apostrophe so it is
    shown, not run. Control characters that a worksheet cannot hold (they
    come in with pasted text) are dropped first, so they can neither break
    the file nor hide a formula start. Numbers and dates pass unchanged."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _sheet_title(title: str) -> str:
    """A class name like 六(2)班/实验班 is not a valid sheet name as it is."""
    return _SHEET_TITLE_FORBIDDEN.sub("_", str(title)).strip("'")[:31] or "Sheet1"


def xlsx_bytes(title: str, header: list[str], rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _sheet_title(title)
    ws.append([safe_cell(h) for h in header])
    for row in rows:
        ws.append([safe_cell(v) for v in row])
    for i, h in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(10, len(str(h)) * 2 + 4)
    # Cells stay text: openpyxl writes a str starting with "'" as a string,
    # never as a formula, because data_type is set from the value type.
    for ws_row in ws.iter_rows():
        for cell in ws_row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx_response(filename: str, title: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(
        xlsx_bytes(title, header, rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
