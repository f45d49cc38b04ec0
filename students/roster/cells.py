"""The school's rules for reading one cell. Each reader takes the raw cell
(a str from CSV; str, int, float, date or datetime from XLSX) and returns
the value to store, or raises CellProblem. Readers never touch the
database: grades and classes are resolved against the school in
validation.py."""

import datetime
import re
import unicodedata

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl.utils.datetime import from_excel

from classes.models import GRADE_NAMES
from core.text import BIDI_CONTROLS, has_unwanted
from students.models import Gender, Relationship

from .problems import CellProblem

EARLIEST_BIRTH_DATE = datetime.date(1950, 1, 1)
NAME_MAX = 50
SUBJECT_MAX = 20
USERNAME_MAX = 150

# Zero-width characters pasted from chat apps, and bidirectional controls
# that make a name display as something other than what it holds
# (core.text.BIDI_CONTROLS), are dropped; a name with another control
# character (core.text) is refused on its row, not stored.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff" + BIDI_CONTROLS))
# What makes Excel or WPS run a cell as a formula (=HYPERLINK(…), +cmd,
# -2+3, @SUM(…)), also typed full-width with a Chinese input method.
FORMULA_START = tuple("=+-@＝＋－＠")


def text(value) -> str:
    """A cell as trimmed text: numbers Excel stored as 13900000001.0 come
    back as "13900000001"; zero-width and bidirectional characters go."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    return str(value).translate(_INVISIBLE).strip()


def _plain(value) -> str:
    """Text for codes and numbers: full-width digits, letters and brackets
    (as typed with a Chinese input method) become ASCII; spaces go."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text(value)))


def _not_formula(value: str) -> str:
    """Refused from CSV and XLSX alike: a name stored as "=HYPERLINK(…)"
    runs in whatever spreadsheet it is exported to next."""
    if value.startswith(FORMULA_START):
        raise CellProblem("formula")
    return value


def person_name(value) -> str:
    name = re.sub(r"\s+", " ", text(value))
    if has_unwanted(name):
        raise CellProblem("bad_characters")
    if len(name) > NAME_MAX:
        raise CellProblem("too_long", max=NAME_MAX)
    return _not_formula(name)


def student_number(value) -> str:
    number = _plain(value)
    # No leading hyphen: "-A1" would be a formula in a spreadsheet.
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9-]{0,19}", number):
        raise CellProblem("student_number_format")
    return number


_GENDERS = {"男": Gender.MALE, "女": Gender.FEMALE, "M": Gender.MALE, "F": Gender.FEMALE}


def gender(value) -> str:
    key = _plain(value).upper()
    if key in ("男生", "男性"):
        key = "男"
    elif key in ("女生", "女性"):
        key = "女"
    if key not in _GENDERS:
        raise CellProblem("gender")
    return _GENDERS[key]


_DATE_PATTERNS = (
    re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)


def birth_date(value) -> datetime.date:
    """YYYY-MM-DD, YYYY/M/D, YYYY.M.D, 2014年3月5日, 20140305, or a real
    Excel date (also one whose date format was lost, leaving the serial
    number)."""
    if isinstance(value, datetime.datetime):
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value < 100000:
        day = from_excel(value).date()
    else:
        day = _date_from_text(_plain(value))
    if not EARLIEST_BIRTH_DATE <= day <= timezone.localdate():
        raise CellProblem("date_range", first=EARLIEST_BIRTH_DATE.isoformat())
    return day


def _date_from_text(raw: str) -> datetime.date:
    raw = re.sub(r"(\d)[T ]?0?0:00(:00)?$", r"\1", raw)  # "2014-03-05 00:00:00" from a datetime cell
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(raw)
        if match:
            try:
                return datetime.date(*map(int, match.groups()))
            except ValueError:
                break
    raise CellProblem("date_format")


_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# Names a school writes for a grade, beside the official ones in GRADE_NAMES.
_GRADE_ALIASES = {
    **{name: level for level, name in GRADE_NAMES.items()},
    "初一": 7, "初二": 8, "初三": 9,
    "初中一年级": 7, "初中二年级": 8, "初中三年级": 9,
    "高中一年级": 10, "高中二年级": 11, "高中三年级": 12,
    "高1": 10, "高2": 11, "高3": 12, "初1": 7, "初2": 8, "初3": 9,
}


def grade_level(value) -> int:
    """六年级, 六, 6, 6年级, 初一, 七年级, 高一 ... -> 1..12."""
    raw = _plain(value)
    level = _grade_level_or_none(raw)
    if level is None:
        raise CellProblem("grade_format", value=text(value))
    return level


def _grade_level_or_none(raw: str) -> int | None:
    if raw in _GRADE_ALIASES:
        return _GRADE_ALIASES[raw]
    core = raw.removesuffix("年级").removesuffix("级")
    if core.isdecimal() and 1 <= int(core) <= 12:
        return int(core)
    if core in _CHINESE_DIGITS:
        return _CHINESE_DIGITS[core]
    return None


_CLASS_WITH_GRADE = re.compile(r"(?P<grade>.+?)\((?P<number>\d{1,2})\)班?")
_CLASS_NUMBER = re.compile(r"(?P<number>\d{1,2})班?")
_CLASS_CHINESE_NUMBER = re.compile(r"(?P<grade>.+?年级)(?P<number>\d{1,2})班")


def class_ref(value) -> tuple[int | None, int]:
    """2, 2班, 六(2)班, 6(2), 高一(3)班, 六年级2班 -> (grade level or None, class number)."""
    raw = _plain(value)
    match = _CLASS_NUMBER.fullmatch(raw)
    if match:
        return None, _class_number(match, value)
    match = _CLASS_WITH_GRADE.fullmatch(raw) or _CLASS_CHINESE_NUMBER.fullmatch(raw)
    if match:
        level = _grade_level_or_none(match["grade"])
        if level is not None:
            return level, _class_number(match, value)
    raise CellProblem("class_format", value=text(value))


def _class_number(match, value) -> int:
    number = int(match["number"])
    if number < 1:
        raise CellProblem("class_format", value=text(value))
    return number


# What a school writes in 关系 -> students.models.Relationship.
RELATIONSHIPS = {
    "父亲": Relationship.FATHER,
    "爸爸": Relationship.FATHER,
    "父": Relationship.FATHER,
    "母亲": Relationship.MOTHER,
    "妈妈": Relationship.MOTHER,
    "母": Relationship.MOTHER,
    "爷爷": Relationship.GRANDFATHER,
    "祖父": Relationship.GRANDFATHER,
    "奶奶": Relationship.GRANDMOTHER,
    "祖母": Relationship.GRANDMOTHER,
    "外公": Relationship.MATERNAL_GRANDFATHER,
    "外祖父": Relationship.MATERNAL_GRANDFATHER,
    "姥爷": Relationship.MATERNAL_GRANDFATHER,
    "外婆": Relationship.MATERNAL_GRANDMOTHER,
    "外祖母": Relationship.MATERNAL_GRANDMOTHER,
    "姥姥": Relationship.MATERNAL_GRANDMOTHER,
    "其他": Relationship.OTHER,
    "其它": Relationship.OTHER,
}
RELATIONSHIP_CHOICES = "父亲/母亲/爷爷/奶奶/外公/外婆/其他"


def relationship(value) -> str:
    """An empty cell means 其他 (another guardian)."""
    raw = _plain(value)
    if not raw:
        return Relationship.OTHER
    if raw not in RELATIONSHIPS:
        raise CellProblem("relationship", value=text(value), choices=RELATIONSHIP_CHOICES)
    return RELATIONSHIPS[raw]


def mobile(value) -> str:
    """11 digits starting 13-19; spaces, hyphens and a +86 prefix are dropped."""
    raw = _plain(value).replace("-", "")
    if raw.startswith("+86"):
        raw = raw[3:]
    elif len(raw) == 13 and raw.startswith("86"):
        raw = raw[2:]
    if not re.fullmatch(r"1[3-9]\d{9}", raw):
        raise CellProblem("mobile_format")
    return raw


_username_validator = UnicodeUsernameValidator()


def username(value) -> str:
    name = _plain(value)
    try:
        _username_validator(name)
    except ValidationError:
        raise CellProblem("username_format") from None
    if len(name) > USERNAME_MAX:
        raise CellProblem("too_long", max=USERNAME_MAX)
    return _not_formula(name)


def subject(value) -> str:
    name = text(value)
    if len(name) > SUBJECT_MAX:
        raise CellProblem("too_long", max=SUBJECT_MAX)
    if has_unwanted(name):
        raise CellProblem("bad_characters")
    return _not_formula(name)


_YES = {"是", "Y", "YES", "1", "√", "TRUE", "班主任"}
_NO = {"否", "N", "NO", "0", "", "FALSE", "×"}


def yes_no(value) -> bool:
    raw = _plain(value).upper()
    if raw in _YES:
        return True
    if raw in _NO:
        return False
    raise CellProblem("yes_no")
