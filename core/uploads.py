"""Checking an uploaded file by what it contains, not by its name.

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

from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

logger = logging.getLogger(__name__)

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
# A real document from a school has a few thousand objects; more is refused
# rather than walked without end.
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
        walked += 1
        if walked > MAX_OBJECTS:
            raise PdfUnreadable("too many objects")
        try:
            if isinstance(node, IndirectObject):
                ref = (node.idnum, node.generation)
                if ref in seen:
                    continue
                seen.add(ref)
                node = node.get_object()
            if isinstance(node, DictionaryObject):
                for key in node.keys():
                    if key in _ACTIVE_KEYS:
                        return _ACTIVE_KEYS[key]
                action = node.get("/S")
                if isinstance(action, NameObject) and action in _ACTIVE_ACTIONS:
                    return f"an action of type {action[1:]}"
                stack.extend(node.values())
            elif isinstance(node, ArrayObject):
                stack.extend(node)
        except PdfUnreadable:
            raise
        except Exception as error:  # noqa: BLE001
            raise PdfUnreadable(str(error)) from error
    return None
