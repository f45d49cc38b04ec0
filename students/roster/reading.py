"""Bytes -> a table: which kind of file, the header cells mapped to
columns, and the data rows with the row number a spreadsheet shows.

The format is told by the content, never by the file name: an XLSX is a
zip holding a workbook; anything else must be text (UTF-8 with or without
BOM, UTF-16 as Excel's “Unicode text”, or GBK/GB18030 as Excel in China
saves CSV)."""

import csv
import io
from contextlib import closing
from dataclasses import dataclass, field

from django.conf import settings
from openpyxl import load_workbook

from .columns import COLUMNS, KIND_MARKERS, Column, header_lookup, normalize_header, required_headers
from .problems import FileProblem, Problem

MAX_ROWS = 5000
# A title line above the header ("青松路小学2026级花名册") is allowed.
HEADER_SEARCH_ROWS = 5

_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and encrypted .xlsx


@dataclass
class Table:
    kind: str
    columns: dict[int, Column]  # cell index -> column
    headers: dict[str, str]  # column key -> header text as written in the file
    rows: list[tuple[int, list]] = field(default_factory=list)  # (row number, cells)
    problems: list[Problem] = field(default_factory=list)  # header problems


def read_table(content: bytes) -> Table:
    """Raise FileProblem when the file cannot be imported at all; header
    problems that still let every row be checked are in Table.problems."""
    check_size(content)
    raw_rows = _xlsx_rows(content) if content.startswith(_ZIP) else _csv_rows(content)
    with closing(raw_rows):
        return _table(raw_rows)


def check_size(content: bytes) -> None:
    if not content:
        raise FileProblem("file_empty")
    if len(content) > settings.ROSTER_MAX_BYTES:
        raise FileProblem("file_too_large", size=len(content), limit=settings.ROSTER_MAX_BYTES)


def sniff(content: bytes) -> None:
    """The cheap checks an upload form runs before storing the file."""
    check_size(content)
    if content.startswith(_OLE2):
        raise FileProblem("file_xls")
    if not content.startswith(_ZIP):
        _decode(content[:4096], partial=True)


def _xlsx_rows(content: bytes):
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged or foreign zip
        raise FileProblem("file_unreadable") from exc
    try:
        sheet = workbook.worksheets[0]
        # Some writers store a wrong size; read every cell instead.
        sheet.reset_dimensions()
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        workbook.close()


def _csv_rows(content: bytes):
    if content.startswith(_OLE2):
        raise FileProblem("file_xls")
    text = _decode(content)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", "\t", ";"), key=first_line.count)
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _decode(content: bytes, *, partial: bool = False) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError as exc:
            # A sniffed prefix may end in the middle of a character.
            if partial and exc.start >= len(content) - 4:
                text = content[: exc.start].decode(encoding)
            else:
                continue
        if _looks_like_text(text):
            return text
    raise FileProblem("file_type")


def _looks_like_text(text: str) -> bool:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n")
    return controls == 0 and "\ufffd" not in text


def _table(raw_rows) -> Table:
    header_number, header_cells, kind = _find_header(raw_rows)
    table = _map_header(header_number, header_cells, kind)
    for number, cells in enumerate(raw_rows, start=header_number + 1):
        if not any(_filled(c) for c in cells):
            continue
        if len(table.rows) == MAX_ROWS:
            raise FileProblem("too_many_rows", limit=MAX_ROWS)
        table.rows.append((number, cells))
    if not table.rows:
        raise FileProblem("no_rows")
    return table


def _find_header(raw_rows):
    raw_rows = iter(raw_rows)
    markers = {kind: header_lookup(COLUMNS[kind]) for kind in COLUMNS}
    seen_any = False
    for number, cells in enumerate(raw_rows, start=1):
        names = {normalize_header(c) for c in cells if _filled(c)}
        seen_any = seen_any or bool(names)
        for kind, lookup in markers.items():
            if any(lookup.get(n) and lookup[n].key == KIND_MARKERS[kind] for n in names):
                return number, cells, kind
        if number >= HEADER_SEARCH_ROWS:
            break
    if not seen_any:
        raise FileProblem("file_empty")
    raise FileProblem(
        "headers_unknown",
        students="、".join(required_headers(COLUMNS["students"])),
        teachers="、".join(required_headers(COLUMNS["teachers"])),
    )


def _map_header(number: int, header_cells: list, kind: str) -> Table:
    lookup = header_lookup(COLUMNS[kind])
    table = Table(kind=kind, columns={}, headers={})
    for index, cell in enumerate(header_cells):
        column = lookup.get(normalize_header(cell))
        if column is None:
            continue  # extra columns (备注, 住址 …) are ignored
        written = str(cell).strip()
        if column.key in table.headers:
            table.problems.append(Problem(code="header_duplicate", row=number, column=written))
            continue
        table.columns[index] = column
        table.headers[column.key] = written
    missing = [c.header for c in COLUMNS[kind] if c.required and c.key not in table.headers]
    if missing:
        raise FileProblem("headers_missing", columns="、".join(missing))
    return table


def _filled(cell) -> bool:
    return cell is not None and str(cell).strip() != ""
