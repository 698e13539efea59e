"""Invitation links: signed, single-use and expiring.

A link carries the invitation's id and its current secret, signed with SECRET_KEY. Resending
rotates the secret, so only the newest email works; accepting or revoking ends the link.
"""

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Invitation

SALT = "accounts.invitation"


class InvitationUnusable(Exception):
    """The link cannot be used; `reason` is a message to show the person who opened it."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


INVALID = _("This invitation link is not valid. Check that you copied the whole link.")
USED = _("This invitation was already used. Log in with the password you chose.")
REVOKED = _("This invitation was withdrawn. Ask your admin for a new one.")
EXPIRED = _("This invitation has expired. Ask your admin to send a new one.")


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "s": invitation.secret}, salt=SALT)


def invitation_from_token(token: str, *, for_update: bool = False) -> Invitation:
    """The pending invitation behind a link, or InvitationUnusable saying why not."""
    try:
        payload = signing.loads(token, salt=SALT)
        invitation_id, secret = int(payload["i"]), str(payload["s"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise InvitationUnusable(INVALID) from error
    invitations = Invitation.objects.select_related("user")
    if for_update:
        invitations = invitations.select_for_update()
    invitation = invitations.filter(pk=invitation_id).first()
    if invitation is None:
        raise InvitationUnusable(INVALID)
    if invitation.accepted_at:
        raise InvitationUnusable(USED)
    if invitation.revoked_at:
        raise InvitationUnusable(REVOKED)
    if invitation.secret != secret:
        raise InvitationUnusable(INVALID)
    if invitation.expires_at <= timezone.now():
        raise InvitationUnusable(EXPIRED)
    return invitation
