"""Secrets at rest (CalDAV passwords, dialer tokens): Fernet from `cryptography`.

Keys come from the `ENCRYPTION_KEYS` setting, newest first; `MultiFernet` decrypts with any
of them and encrypts with the first, so a key is rotated by putting a new one in front
(and `rotated` re-encrypts a stored value with it).
"""

from functools import cache

from cryptography.fernet import Fernet as _Fernet
from cryptography.fernet import InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

__all__ = ["EncryptedTextField", "InvalidToken", "decrypt", "encrypt", "rotated"]


@cache
def _fernet() -> MultiFernet:
    return MultiFernet([_Fernet(key) for key in settings.ENCRYPTION_KEYS])


def encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def rotated(token: str) -> str:
    return _fernet().rotate(token.encode()).decode()


class EncryptedTextField(models.TextField):
    """A text column stored encrypted; Python sees the plain text ('' stays '')."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value
