"""The one-time passwords of a roster import, sealed while they wait for
their one download.

They cannot be hashed (the uploader must read them to hand them out), so
they are encrypted with Fernet (AES-128-CBC with HMAC-SHA256, from the
`cryptography` package) under a key derived from SECRET_KEY: a copy of the
database alone, a backup or a dump, does not reveal them. The sealed copy
is deleted at the one download (services.roster_credentials_take) or, if
nobody downloads it, after CREDENTIALS_KEEP_DAYS by the nightly purge.
SECRET_KEY_FALLBACKS still open what was sealed before a key rotation.
"""

import base64
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.crypto import salted_hmac

CREDENTIALS_KEEP_DAYS = 7
_PURPOSE = "banwu.students.roster.credentials"


def _key(secret: str) -> bytes:
    digest = salted_hmac(_PURPOSE, "fernet key", secret=secret, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest)


def _fernet() -> MultiFernet:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([Fernet(_key(secret)) for secret in secrets])


def seal(credentials: list[dict]) -> bytes:
    return _fernet().encrypt(json.dumps(credentials, ensure_ascii=False).encode())


class Unreadable(Exception):
    """Sealed under a secret key the server no longer has."""


def unseal(sealed: bytes) -> list[dict]:
    try:
        return json.loads(_fernet().decrypt(bytes(sealed)))
    except InvalidToken as exc:
        raise Unreadable from exc
