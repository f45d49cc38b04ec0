"""A problem found in a roster file, kept as data (row, column, code,
params) so the report can be stored as JSON and rendered later in the
reader's language."""

from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# code -> message. Params are filled in with %-formatting.
MESSAGES = {
    # The file as a whole.
    "file_empty": gettext_lazy("The file is empty."),
    "file_too_large": gettext_lazy("The file is %(size)s bytes; the limit is %(limit)s bytes. Split it into smaller files."),
    "file_type": gettext_lazy(
        "The file is neither a CSV nor an XLSX file. Save it from Excel or WPS as “Excel workbook (.xlsx)” or as “CSV”."
    ),
    "file_xls": gettext_lazy(
        "This is an old Excel file (.xls) or a password-protected workbook. Save it as .xlsx without a password, or as CSV."
    ),
    "file_unreadable": gettext_lazy(
        "The file cannot be read as an XLSX workbook; it may be damaged or another kind of file."
    ),
    "headers_unknown": gettext_lazy(
        "The columns were not recognised. A student roster needs the columns %(students)s; a teacher list needs %(teachers)s."
    ),
    "headers_missing": gettext_lazy("Required columns are missing: %(columns)s."),
    "header_duplicate": gettext_lazy("this column appears twice"),
    "no_rows": gettext_lazy("The file has a header row but no data rows."),
    "too_many_rows": gettext_lazy("The file has more than %(limit)s rows. Split it into several files."),
    "no_current_term": gettext_lazy("The school has no current term. Set one in the admin first."),
    "xlsx_too_large": gettext_lazy(
        "The workbook unpacks to far more than a roster (the limit is %(limit)s MB unpacked); it is refused. "
        "Copy the roster into a new workbook, or save it as CSV."
    ),
    "xlsx_macros": gettext_lazy("The workbook contains macros; save it as a plain Excel workbook (.xlsx) or as CSV."),
    "xlsx_external_links": gettext_lazy(
        "The workbook links to other files; copy the roster into a new workbook (values only) or save it as CSV."
    ),
    "header_unreadable": gettext_lazy("A row above the header cannot be read; check the first rows of the file."),
    "abandoned": gettext_lazy(
        "The import did not finish within a day (the worker stopped); nothing was saved. Upload the file again."
    ),
    "accounts_changed": gettext_lazy(
        "While this file was being saved, another school's import or administrator created or gave a role to an "
        "account with one of its mobile numbers or login names; nothing was saved. Upload the file again: the rows "
        "concerned will be listed."
    ),
    "internal_error": gettext_lazy(
        "The import stopped because of an unexpected error; nothing was saved. Try again or tell the administrator."
    ),
    # One cell.
    "required": gettext_lazy("this field is required"),
    "too_long": gettext_lazy("at most %(max)s characters"),
    "formula": gettext_lazy(
        "must not start with =, +, - or @: a spreadsheet would run the cell as a formula"
    ),
    "cell_too_large": gettext_lazy(
        "the row is longer than %(max)s characters and was not read; remove what does not belong in this cell"
    ),
    "quote_runs_on": gettext_lazy(
        "a quote (\") opens in this cell and is never closed, so the rest of the file reads as one cell; "
        "nothing after this row was read. Remove the quote or close it"
    ),
    "quote_swallows_rows": gettext_lazy(
        "the cell runs over several lines and takes in the rows below it: a quote (\") in this cell is not closed "
        "where the cell ends. Remove the stray quote"
    ),
    "csv_unreadable": gettext_lazy("this row cannot be read as CSV; check its quotes (\")"),
    "bad_characters": gettext_lazy("contains characters that cannot be stored (control characters)"),
    "student_number_format": gettext_lazy("a student number is 1–20 letters, digits or hyphens"),
    "gender": gettext_lazy("write 男 or 女"),
    "date_format": gettext_lazy("write the date as YYYY-MM-DD, e.g. 2014-09-01"),
    "date_range": gettext_lazy("the date must lie between %(first)s and today"),
    "grade_format": gettext_lazy("“%(value)s” is not a grade; write e.g. 六年级, 6, 初一 or 高一"),
    "grade_missing": gettext_lazy("the school has no grade “%(value)s”"),
    "class_format": gettext_lazy("“%(value)s” is not a class; write the class number, e.g. 2 or 六(2)班"),
    "class_needs_grade": gettext_lazy("write the class with its grade, e.g. 六(2)班, or add a 年级 column"),
    "class_grade_mismatch": gettext_lazy("the class “%(value)s” is not in the grade given in the 年级 column (%(grade)s)"),
    "class_missing": gettext_lazy(
        "there is no class %(class_name)s in the %(year)s school year; create it in the admin first"
    ),
    "relationship": gettext_lazy("“%(value)s” is not a relationship; write one of %(choices)s"),
    "mobile_format": gettext_lazy("a mobile number has 11 digits, e.g. 13800138000"),
    "mobile_twice_in_row": gettext_lazy("both guardians have the mobile number %(value)s"),
    "mobile_other_name": gettext_lazy("the mobile number %(value)s is given to %(other_name)s on row %(other_row)s"),
    "duplicate_student_number": gettext_lazy("the student number %(value)s is also on row %(other_row)s"),
    "login_taken": gettext_lazy("the login name %(value)s is already used by another account"),
    "yes_no": gettext_lazy("write 是 or 否"),
    "subject_required": gettext_lazy("a subject teacher needs a subject"),
    "username_format": gettext_lazy("a login name has letters, digits and @ . + - _ only"),
    "username_foreign": gettext_lazy("the account %(value)s belongs to another school or is an administrator"),
    "username_shared": gettext_lazy(
        "the account %(value)s also has a role in another school; an import does not change its name or mobile "
        "number: ask a system administrator"
    ),
    "username_other_name": gettext_lazy("the login name %(value)s has the name %(other_name)s on row %(other_row)s"),
    "username_other_mobile": gettext_lazy("the login name %(value)s has another mobile number on row %(other_row)s"),
    "mobile_other_account": gettext_lazy("the mobile number %(value)s belongs to another account"),
    "mobile_foreign": gettext_lazy(
        "the mobile number %(value)s is the login of an account of another school or of an administrator; "
        "it is not linked by an import: ask a system administrator to link it"
    ),
    "duplicate_assignment": gettext_lazy("the same teacher, class and subject are also on row %(other_row)s"),
    "head_teacher_twice": gettext_lazy("%(class_name)s has another head teacher on row %(other_row)s"),
    "head_teacher_taken": gettext_lazy(
        "%(class_name)s already has the head teacher %(other_name)s this term; change it in the admin first"
    ),
}


@dataclass(frozen=True)
class Problem:
    """`row` is the row number the spreadsheet shows (header = row 1), None
    for a problem with the whole file; `column` is the header text."""

    code: str
    row: int | None = None
    column: str = ""
    params: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


class CellProblem(Exception):
    """Raised by a cell reader; the validator adds the row and column."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


class FileProblem(Exception):
    """Raised when the file as a whole cannot be imported."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.problem = Problem(code=code, params=params)


def problem_message(problem: dict) -> str:
    """One problem as a sentence in the active language, e.g.
    “Row 5, column “手机”: a mobile number has 11 digits, e.g. 13800138000”."""
    text = str(MESSAGES.get(problem["code"], problem["code"]))
    params = problem.get("params") or {}
    if params:
        text = text % params
    if problem.get("row") is None:
        return text
    if not problem.get("column"):
        return _("Row %(row)s: %(problem)s") % {"row": problem["row"], "problem": text}
    return _("Row %(row)s, column “%(column)s”: %(problem)s") % {
        "row": problem["row"],
        "column": problem["column"],
        "problem": text,
    }
