"""API tokens: issuing, revoking one, revoking all of a person's.

Tokens are django-rest-knox's: only a hash is stored, each expires after
`REST_KNOX["TOKEN_TTL"]`, and `Authorization: Token <t>` carries one. Tokens of DRF's
`authtoken` (before knox) no longer authenticate; its old table is left unused.

Authentication is knox's, less one query per request: knox reads all of the person's
tokens on every request to delete the expired ones. Here an expired token is refused
(and deleted) when it is presented, and a person's other expired tokens are deleted when
they are issued a new one, so the table stays as small without the per-request read.
"""

from django.db import transaction
from django.utils import timezone
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.models import AuthToken
from knox.signals import token_expired

from accounts.models import User


class TokenAuthentication(KnoxTokenAuthentication):
    """`Authorization: Token <t>`: one query (the token and its user), as knox checks it."""

    def _cleanup_token(self, auth_token) -> bool:
        """True (and the token deleted) if it has expired; other tokens are not read."""
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            username = auth_token.user.get_username()
            auth_token.delete()
            token_expired.send(
                sender=self.__class__, username=username, source="auth_token"
            )
            return True
        return False


class TokenScheme(KnoxTokenScheme):
    """The OpenAPI schema describes it as knox's (the same header, the same name)."""

    target_class = "accounts.tokens.TokenAuthentication"


@transaction.atomic
def token_issue(*, user: User) -> str:
    """A new token for `user`; the caller sees it once, the database keeps its hash.

    The person's expired tokens are deleted on the way (see the module's docstring).
    """
    AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
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
