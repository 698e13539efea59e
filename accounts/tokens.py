"""API tokens: issuing, revoking one, revoking all of a person's.

Tokens are django-rest-knox's: only a hash is stored, each expires after
`REST_KNOX["TOKEN_TTL"]`, and `Authorization: Token <t>` carries one. Tokens of DRF's
`authtoken` (before knox) no longer authenticate; its old table is left unused.
"""

from django.db import transaction
from knox.models import AuthToken

from accounts.models import User


def token_issue(*, user: User) -> str:
    """A new token for `user`; the caller sees it once, the database keeps its hash."""
    _instance, token = AuthToken.objects.create(user=user)
    return token


def token_revoke(*, token: AuthToken) -> None:
    token.delete()


@transaction.atomic
def tokens_revoke_all(*, user: User) -> int:
    """Revoke every token of `user` (after a password change or reset, or offboarding).

    Returns how many were revoked.
    """
    revoked, _ = AuthToken.objects.filter(user=user).delete()
    return revoked
