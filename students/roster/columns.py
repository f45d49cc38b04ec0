"""The column table: the one place that says which columns a roster file
has, which are required, and how each cell is read. reading.py maps
headers with it, validation.py reads cells with it, and
docs/roster-import.md shows markdown_table() (a test keeps them equal)."""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from students.models import RosterImport

from . import cells


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    read: Callable
    required: bool = False
    aliases: tuple[str, ...] = ()
    example: str = ""
    help: str = ""
    # The longest cell read at all (as trimmed text); a longer one is a
    # problem on its row before the cell's own rule runs.
    max_length: int = 20

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)


def _guardian_columns(n: int, *, example_name: str, example_relationship: str, example_mobile: str):
    return (
        Column(
            f"guardian{n}_name",
            f"监护人{n}姓名",
            cells.person_name,
            max_length=cells.NAME_MAX,
            aliases=(f"家长{n}姓名",),
            example=example_name,
            help=_("Needed when any other cell of this guardian is filled."),
        ),
        Column(
            f"guardian{n}_relationship",
            f"监护人{n}关系",
            cells.relationship,
            aliases=(f"家长{n}关系", f"监护人{n}与学生关系"),
            example=example_relationship,
            help=_("父亲/母亲/爷爷/奶奶/外公/外婆/其他; empty means 其他."),
        ),
        Column(
            f"guardian{n}_mobile",
            f"监护人{n}手机",
            cells.mobile,
            aliases=(f"家长{n}手机", f"监护人{n}电话", f"监护人{n}手机号"),
            example=example_mobile,
            help=_(
                "11 digits. The guardian's login name; one guardian per mobile number, shared by siblings."
            ),
        ),
    )


STUDENT_COLUMNS = (
    Column(
        "student_number",
        "学号",
        cells.student_number,
        required=True,
        aliases=("学籍号",),
        example="20260001",
        help=_("1–20 letters, digits or hyphens; identifies the student in the school."),
    ),
    Column(
        "name", "姓名", cells.person_name, required=True, aliases=("学生姓名",), example="陈小雨",
        help=_("At most 50 characters; not starting with = + - @."), max_length=cells.NAME_MAX,
    ),
    Column("gender", "性别", cells.gender, example="女", help=_("男 or 女.")),
    Column(
        "birth_date",
        "出生日期",
        cells.birth_date,
        aliases=("出生年月日", "生日"),
        example="2014-09-01",
        help=_("YYYY-MM-DD, YYYY/M/D or an Excel date."),
    ),
    Column(
        "grade",
        "年级",
        cells.grade_level,
        required=True,
        example="六年级",
        help=_("六年级, 6, 初一, 七年级, 高一 …"),
    ),
    Column(
        "class",
        "班级",
        cells.class_ref,
        required=True,
        example="2",
        help=_("The class number (2) or the class name (六(2)班, 6(2)); the class must exist in the current school year."),
    ),
    *_guardian_columns(1, example_name="陈妈妈", example_relationship="母亲", example_mobile="13900000001"),
    *_guardian_columns(2, example_name="陈爸爸", example_relationship="父亲", example_mobile="13900000002"),
)

TEACHER_COLUMNS = (
    Column(
        "username",
        "工号/用户名",
        cells.username,
        required=True,
        aliases=("工号", "用户名"),
        example="T0012",
        help=_("The teacher's login name; identifies the teacher."),
        max_length=cells.USERNAME_MAX,
    ),
    Column(
        "name", "姓名", cells.person_name, required=True, aliases=("教师姓名",), example="王老师",
        help=_("At most 50 characters; not starting with = + - @."), max_length=cells.NAME_MAX,
    ),
    Column("mobile", "手机", cells.mobile, aliases=("手机号", "电话"), example="13900001001", help=_("11 digits; optional.")),
    Column(
        "grade",
        "年级",
        cells.grade_level,
        example="六年级",
        help=_("Optional when the class is written with its grade, e.g. 六(2)班."),
    ),
    Column("class", "班级", cells.class_ref, required=True, example="六(2)班", help=_("The class, e.g. 六(2)班 or 6(2).")),
    Column(
        "subject",
        "学科",
        cells.subject,
        aliases=("任教学科", "科目"),
        example="数学",
        help=_("Needed for a subject teacher."),
    ),
    Column(
        "is_head_teacher",
        "是否班主任",
        cells.yes_no,
        aliases=("班主任",),
        example="是",
        help=_("是 or 否; empty means 否."),
    ),
)

COLUMNS = {RosterImport.Kind.STUDENTS: STUDENT_COLUMNS, RosterImport.Kind.TEACHERS: TEACHER_COLUMNS}
# The header that tells which kind of file this is.
KIND_MARKERS = {RosterImport.Kind.STUDENTS: "student_number", RosterImport.Kind.TEACHERS: "username"}


def normalize_header(value) -> str:
    """Headers match ignoring spaces, full-width forms and the * or （必填）
    a template adds to required columns."""
    raw = unicodedata.normalize("NFKC", cells.text(value))
    raw = re.sub(r"\s+", "", raw)
    raw = re.sub(r"\((必填|选填)\)$", "", raw)
    return raw.strip("*")


def header_lookup(columns) -> dict[str, Column]:
    return {normalize_header(h): column for column in columns for h in column.headers}


def required_headers(columns) -> list[str]:
    return [c.header for c in columns if c.required]


def markdown_table(kind: str) -> str:
    """The column table of docs/roster-import.md, in the active language."""
    lines = [
        "| {} | {} | {} | {} | {} |".format(_("Column"), _("Also accepted"), _("Required"), _("Example"), _("Notes")),
        "|---|---|---|---|---|",
    ]
    for c in COLUMNS[kind]:
        required = _("yes") if c.required else ""
        lines.append(f"| {c.header} | {'、'.join(c.aliases)} | {required} | {c.example} | {c.help} |")
    return "\n".join(lines) + "\n"
