"""Checking an uploaded file by what it contains, not by its name.

`attachment_check(name, data)` decides from the bytes what a file is and
returns what may be stored: a JPEG, PNG or WebP re-encoded without
metadata, or a PDF without active content; anything else is refused with
a message naming the file.

`pdf_active_content(data)` names what in a PDF could act when it is
opened: JavaScript, launching a program, an embedded file, a form that
submits or imports data, rich media, an XFA form. Families open these
files on their phones; a PDF from a parent or a teacher is a document to
read, nothing more. The whole object graph is walked (pypdf resolves
object streams and hex-escaped names such as /J#61vaScript), so the
keyword cannot hide in a compressed stream.
"""

import io
import logging
import os
import re
import warnings
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

logger = logging.getLogger(__name__)

# The only content types an uploaded file (a message's attachment, a
# practice record's evidence) may have, each with the extension its
# download is named with; attachment_check decides the type from the bytes.
ATTACHMENT_TYPES = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "application/pdf": "pdf",
}
ACCEPT = ",".join(ATTACHMENT_TYPES)

# Keys whose presence is active content wherever they appear.
_ACTIVE_KEYS = {
    "/JS": "JavaScript",
    "/JavaScript": "JavaScript",
    "/AA": "an automatic action",
    "/OpenAction": "an action on opening",
    "/Launch": "launching a program",
    "/EmbeddedFile": "an embedded file",
    "/EmbeddedFiles": "an embedded file",
    "/RichMedia": "rich media",
    "/XFA": "an XFA form",
}
# Action types (/S) that act on their own.
_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToE", "/RichMediaExecute", "/Rendition", "/Sound", "/Movie"}
# A real document from a school has a few thousand dictionaries and arrays;
# more is refused rather than walked without end.
MAX_OBJECTS = 50_000


class PdfUnreadable(Exception):
    """The file cannot be read as a PDF (damaged, encrypted, too complex)."""


def pdf_active_content(data: bytes) -> str | None:
    """What active content the PDF holds (a short English phrase), or None.
    Raises PdfUnreadable when the file cannot be checked."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise PdfUnreadable("encrypted")
        root = reader.trailer
    except PdfUnreadable:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, RecursionError, OSError) as error:
        raise PdfUnreadable(str(error)) from error
    except Exception as error:  # noqa: BLE001 - pypdf raises many kinds on hostile input
        logger.info("PDF could not be read: %r", error)
        raise PdfUnreadable(str(error)) from error
    seen: set[tuple[int, int]] = set()
    stack = [root]
    walked = 0
    while stack:
        node = stack.pop()
        try:
            if isinstance(node, IndirectObject):
                ref = (node.idnum, node.generation)
                if ref in seen:
                    continue
                seen.add(ref)
                node = node.get_object()
            if isinstance(node, (DictionaryObject, ArrayObject)):
                # Only containers count: a long document's number arrays (/Widths) are not complexity.
                walked += 1
                if walked > MAX_OBJECTS:
                    raise PdfUnreadable("too many objects")
            if isinstance(node, DictionaryObject):
                for key in node.keys():
                    if key in _ACTIVE_KEYS:
                        return _ACTIVE_KEYS[key]
                action = node.get("/S")
                if isinstance(action, NameObject) and action in _ACTIVE_ACTIONS:
                    return f"an action of type {action[1:]}"
                stack.extend(v for v in node.values() if isinstance(v, (DictionaryObject, ArrayObject, IndirectObject)))
            elif isinstance(node, ArrayObject):
                stack.extend(item for item in node if isinstance(item, (DictionaryObject, ArrayObject, IndirectObject)))
        except PdfUnreadable:
            raise
        except Exception as error:  # noqa: BLE001
            raise PdfUnreadable(str(error)) from error
    return None


def attachment_max_bytes() -> int:
    """Per file; settings.HOME_SCHOOL_ATTACHMENT_MAX_BYTES, 5 MB by default."""
    return getattr(settings, "HOME_SCHOOL_ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024)


def attachment_max_pixels() -> int:
    """Larger images are refused before they are decoded (a small file can
    declare a huge canvas). 50 megapixels keeps any phone photo."""
    return getattr(settings, "HOME_SCHOOL_ATTACHMENT_MAX_PIXELS", 50_000_000)


@dataclass(frozen=True)
class CheckedFile:
    file_name: str
    content_type: str
    data: bytes
    width: int | None = None
    height: int | None = None


_PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
# Modes each format is saved in as they are; anything else is converted.
_KEEP_MODES = {"JPEG": {"L", "RGB"}, "PNG": {"1", "L", "RGB", "RGBA"}, "WEBP": {"RGB", "RGBA"}}
_UNSAFE_NAME_CHARS = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


def _shown_name(name: str) -> str:
    base = os.path.basename((name or "").replace("\\", "/")).strip()
    return _UNSAFE_NAME_CHARS.sub("", base)[:80] or _("file")


def _stored_name(name: str, extension: str) -> str:
    """The download name: the uploaded stem with inner dots neutralised
    (x.php.jpg → x_php.jpg) and the extension of the checked type."""
    base = _shown_name(name)
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = stem.replace(".", "_").strip(" _") or "file"
    return f"{stem[:100]}.{extension}"


def attachment_check(*, name: str, data: bytes) -> CheckedFile:
    """Decide what `data` is from its bytes and return what may be stored:
    a JPEG, PNG or WebP image re-encoded without metadata (EXIF, GPS, XMP,
    comments), upright per its EXIF orientation, or a PDF as sent.
    Raises ValidationError with a message naming the file otherwise. Pure:
    touches no database."""
    shown = _shown_name(name)
    if not data:
        raise ValidationError(_("“%(name)s” is empty."), code="empty", params={"name": shown})
    limit = attachment_max_bytes()
    if len(data) > limit:
        raise ValidationError(
            _("“%(name)s” is larger than %(limit)s."),
            code="too_large",
            params={"name": shown, "limit": filesizeformat(limit)},
        )
    kind = filetype.guess(data)
    content_type = kind.mime if kind is not None else None
    if content_type not in ATTACHMENT_TYPES:
        raise ValidationError(
            _("“%(name)s” is not a photo (JPEG, PNG or WebP) or a PDF. Other files are not accepted, whatever their name."),
            code="type",
            params={"name": shown},
        )
    if content_type == "application/pdf":
        return _check_pdf(name, shown, data)
    return _reencode_image(name, shown, data, content_type)


def _check_pdf(name: str, shown: str, data: bytes) -> CheckedFile:
    # A PDF starts with its header and ends with an end-of-file marker
    # (perhaps followed by a line break or two).
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
        raise ValidationError(_("“%(name)s” is not a complete PDF; it may be damaged."), code="damaged", params={"name": shown})
    try:
        active = pdf_active_content(data)
    except PdfUnreadable:
        raise ValidationError(
            _("“%(name)s” could not be checked as a PDF (damaged or password-protected); save it again as a plain PDF."),
            code="unreadable",
            params={"name": shown},
        ) from None
    if active is not None:
        raise ValidationError(
            _("“%(name)s” contains content that runs when it is opened (scripts, embedded files or forms); send a plain PDF or a photo."),
            code="active_content",
            params={"name": shown},
        )
    return CheckedFile(file_name=_stored_name(name, "pdf"), content_type="application/pdf", data=data)


def _image_bomb(shown: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s” is too large an image (more than %(pixels)s million pixels)."),
        code="too_many_pixels",
        params={"name": shown, "pixels": attachment_max_pixels() // 1_000_000},
    )


def _reencode_image(name: str, shown: str, data: bytes, content_type: str) -> CheckedFile:
    fmt = _PILLOW_FORMATS[content_type]
    try:
        # A decompression bomb is refused twice over: by our own pixel
        # limit, read from the header before decoding, and by Pillow's
        # (Image.MAX_IMAGE_PIXELS), whose warning is made an error here.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[fmt]) as probe:
                width, height = probe.size
                if width * height > attachment_max_pixels():
                    raise _image_bomb(shown)
                probe.verify()
            with Image.open(io.BytesIO(data), formats=[fmt]) as image:
                image.load()  # the first frame of an animation only
                upright = ImageOps.exif_transpose(image)
            if upright.mode not in _KEEP_MODES[fmt]:
                upright = upright.convert("RGB" if fmt == "JPEG" else "RGBA")
            # Nothing of the original's metadata travels on: encoders read
            # defaults such as ICC profiles and XMP from `info`.
            upright.info = {}
            out = io.BytesIO()
            if fmt == "JPEG":
                upright.save(out, "JPEG", quality=85, optimize=True)
            elif fmt == "PNG":
                upright.save(out, "PNG")
            else:
                upright.save(out, "WEBP", quality=85)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _image_bomb(shown)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise ValidationError(
            _("“%(name)s” could not be read as an image; it may be damaged."), code="damaged", params={"name": shown}
        )
    return CheckedFile(
        file_name=_stored_name(name, ATTACHMENT_TYPES[content_type]),
        content_type=content_type,
        data=out.getvalue(),
        width=upright.width,
        height=upright.height,
    )
