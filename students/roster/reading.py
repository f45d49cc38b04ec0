"""Bytes -> a table: which kind of file, the header cells mapped to
columns, and the data rows with the row number a spreadsheet shows.

The format is told by the content, never by the file name: an XLSX is a
zip holding a workbook; anything else must be text (UTF-8 with or without
BOM, UTF-16 as Excel's “Unicode text”, or GBK/GB18030 as Excel in China
saves CSV)."""

import csv
import io
import zipfile
from contextlib import closing
from dataclasses import dataclass, field

from django.conf import settings
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from .cells import text
from .columns import COLUMNS, KIND_MARKERS, Column, header_lookup, normalize_header, required_headers
from .problems import FileProblem, Problem

MAX_ROWS = 5000
# A title line above the header ("青松路小学2026级花名册") is allowed.
HEADER_SEARCH_ROWS = 5
# Cells right of this are not read (a roster has a dozen columns; a sheet
# formatted to column XFD would otherwise give 16,384 cells a row).
MAX_COLUMNS = 100
# Excel's last row. openpyxl fills the gap before a row numbered far down
# with empty rows; a 5 KB file naming row 1,048,576 gives a million of them,
# so those are passed on as BLANK without building or checking a list each,
# and nothing below Excel's own last row is read.
XLSX_MAX_ROW = 1_048_576
# An empty row, passed on as is (the same object each time).
BLANK: list = []

# A CSV record (one row, with every cell) longer than this is not read: no
# legitimate row comes near it (a dozen cells of at most a few hundred
# characters), and it stays far below the csv module's own field limit
# (128 KB), which would otherwise end the import with an internal error.
# A quote that is never closed makes a record run on; it is caught here.
CSV_RECORD_MAX = 16_000

# An XLSX file is a zip; its members are checked from the zip's directory
# before anything is unpacked. Python's zipfile never hands out more than a
# member's declared size, so the declared sizes are the real bound.
XLSX_MAX_UNPACKED = 20 * 1024 * 1024  # a 5,000-row roster unpacks to about 3 MB
XLSX_MAX_RATIO = 100  # typical sheets compress 5-20 times; the bomb found compressed 400 times
XLSX_RATIO_FROM = 1024 * 1024  # small members (styles, themes) may compress well
XLSX_MAX_MEMBERS = 500

_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and encrypted .xlsx


@dataclass
class Table:
    kind: str
    columns: dict[int, Column]  # cell index -> column
    headers: dict[str, str]  # column key -> header text as written in the file
    rows: list[tuple[int, list]] = field(default_factory=list)  # (row number, cells)
    problems: list[Problem] = field(default_factory=list)  # header problems and rows that could not be read
    # Headers of the columns the import does not know (身份证号, 备注 …), as
    # written: listed in the report; their cells are never read or kept.
    ignored: list[str] = field(default_factory=list)
    header_cells: list[str] = field(default_factory=list)

    def column_name(self, index: int) -> str:
        """The header written above cell `index`, or its column letter."""
        if index < len(self.header_cells) and self.header_cells[index]:
            return self.header_cells[index]
        return get_column_letter(index + 1)


@dataclass(frozen=True)
class BrokenRow:
    """A CSV record that cannot be taken as it reads: `code` is the problem
    (problems.MESSAGES) in cell `index`; `stop` when nothing after it can be
    read."""

    code: str
    index: int
    stop: bool = False
    params: dict = field(default_factory=dict)


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
    if content.startswith(_ZIP):
        xlsx_check(content)
    else:
        _decode(content[:4096], partial=True)


def xlsx_check(content: bytes) -> None:
    """Refuse, from the zip's directory alone, a workbook that unpacks to
    far more than a roster (a zip bomb), holds macros or links to other
    files, or is encrypted. Nothing is decompressed here."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise FileProblem("file_unreadable") from exc
    if len(members) > XLSX_MAX_MEMBERS:
        raise FileProblem("xlsx_too_large", limit=XLSX_MAX_UNPACKED // (1024 * 1024))
    unpacked = sum(m.file_size for m in members)
    if unpacked > XLSX_MAX_UNPACKED:
        raise FileProblem("xlsx_too_large", limit=XLSX_MAX_UNPACKED // (1024 * 1024))
    for member in members:
        name = member.filename.lower()
        if member.flag_bits & 0x1:
            raise FileProblem("file_unreadable")
        if member.file_size > XLSX_RATIO_FROM and member.file_size > XLSX_MAX_RATIO * max(member.compress_size, 1):
            raise FileProblem("xlsx_too_large", limit=XLSX_MAX_UNPACKED // (1024 * 1024))
        if name.endswith("vbaproject.bin") or name.startswith("xl/activex/"):
            raise FileProblem("xlsx_macros")
        if name.startswith("xl/externallinks/"):
            raise FileProblem("xlsx_external_links")


def _xlsx_rows(content: bytes):
    xlsx_check(content)
    try:
        # read_only streams the sheet; no macros or external links are loaded.
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True, keep_vba=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged or foreign zip
        raise FileProblem("file_unreadable") from exc
    try:
        sheet = workbook.worksheets[0]
        # Some writers store a wrong size; read every cell instead.
        sheet.reset_dimensions()
        filler = None
        for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS, max_row=XLSX_MAX_ROW):
            if row is filler:
                yield BLANK
            elif row.count(None) == len(row):
                filler = row  # openpyxl repeats this very tuple for each missing row
                yield BLANK
            else:
                yield list(row)
    except FileProblem:
        raise
    except Exception as exc:  # a damaged sheet found while streaming it
        raise FileProblem("file_unreadable") from exc
    finally:
        workbook.close()


class _Lines:
    """The text's physical lines as csv.reader takes them, counting the
    characters of the record being read, so that a record that runs on (a
    quote never closed, a cell of megabytes) is stopped long before the csv
    module's own limit."""

    def __init__(self, text: str):
        self._lines = iter(io.StringIO(text, newline=""))
        self.record_chars = 0
        self.record_lines = 0
        self.first_line = ""
        self.skipped = None  # a single line too long to read, skipped

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        if self.record_lines == 0:
            self.first_line = line
        self.record_chars += len(line)
        self.record_lines += 1
        if self.record_chars > CSV_RECORD_MAX:
            raise _RunOn
        return line

    def record_done(self) -> None:
        self.record_chars = self.record_lines = 0


class _RunOn(Exception):
    pass


def _csv_rows(content: bytes):
    """Rows as lists of cells; a record that cannot be taken as it reads
    comes as a BrokenRow on its own row, never as an exception."""
    if content.startswith(_OLE2):
        raise FileProblem("file_xls")
    text = _decode(content)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", "\t", ";"), key=first_line.count)
    lines = _Lines(text)
    reader = csv.reader(lines, delimiter=delimiter)
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except _RunOn:
            yield _run_on(lines, delimiter)
            if lines.record_lines > 1:
                return  # a quote ran on: the rest of the file is inside it
            lines.record_done()  # one enormous line, skipped: read on
            continue
        except csv.Error:
            lines.record_done()
            yield BrokenRow("csv_unreadable", 0)
            continue
        lines.record_done()
        yield _swallowed(cells[:MAX_COLUMNS], delimiter)


def _run_on(lines: _Lines, delimiter: str) -> BrokenRow:
    """Which cell of the record ran on: in one enormous line, the first
    cell far too long; else the last cell of its first line (where the
    unclosed quote opened)."""
    if lines.record_lines == 1:
        for index, part in enumerate(lines.first_line.split(delimiter)):
            if len(part) > CSV_RECORD_MAX // 4:
                return BrokenRow("cell_too_large", index, params={"max": CSV_RECORD_MAX})
        return BrokenRow("cell_too_large", 0, params={"max": CSV_RECORD_MAX})
    try:
        opened = next(csv.reader([lines.first_line], delimiter=delimiter))
    except csv.Error:
        opened = [""]
    return BrokenRow("quote_runs_on", max(len(opened) - 1, 0), stop=True)


def _swallowed(cells: list, delimiter: str):
    """A cell holding a line break and the separator is a quote that
    swallowed the rows after it (the file's next rows are inside the cell)."""
    for index, cell in enumerate(cells):
        if ("\n" in cell or "\r" in cell) and delimiter in cell:
            return BrokenRow("quote_swallows_rows", index)
    return cells


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
        if isinstance(cells, BrokenRow):
            table.problems.append(
                Problem(code=cells.code, row=number, column=table.column_name(cells.index), params=cells.params)
            )
            if cells.stop:
                break
            continue
        if cells is BLANK or not any(_filled(c) for c in cells):
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
        if isinstance(cells, BrokenRow):
            raise FileProblem("header_unreadable")
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
    table = Table(kind=kind, columns={}, headers={}, header_cells=[_header_text(c) for c in header_cells])
    for index, cell in enumerate(header_cells):
        column = lookup.get(normalize_header(cell))
        written = table.header_cells[index]
        if column is None:
            # Extra columns (备注, 身份证号 …) are listed in the report and never read.
            if written:
                table.ignored.append(written)
            continue
        if column.key in table.headers:
            table.problems.append(Problem(code="header_duplicate", row=number, column=written))
            continue
        table.columns[index] = column
        table.headers[column.key] = written
    missing = [c.header for c in COLUMNS[kind] if c.required and c.key not in table.headers]
    if missing:
        raise FileProblem("headers_missing", columns="、".join(missing))
    return table


def _header_text(cell) -> str:
    return text(cell)[:50]


def _filled(cell) -> bool:
    return cell is not None and str(cell).strip() != ""
