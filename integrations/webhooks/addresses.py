"""Where a webhook may be sent: public https addresses, and hosts a setting allows.

A subscription's address is checked when it is saved and again before every attempt,
after DNS resolution: every address the name resolves to must be public (not private,
loopback, link-local, reserved, multicast or unspecified, in IPv4 or IPv6, including
IPv4 inside IPv6). The connection then goes to the address that was checked, so a name
that resolves differently a moment later (DNS rebinding) cannot redirect it.
`WEBHOOK_ALLOWED_HOSTS` names hosts exempt from the address check (and from https).
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SCHEMES = {"http": 80, "https": 443}
NAT64 = ipaddress.ip_network("64:ff9b::/96")


@dataclass(frozen=True)
class Target:
    """A checked address: connect to `address`, say `host` (Host header, TLS name)."""

    scheme: str
    host: str
    port: int
    path: str  # with its query string
    address: str


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (tests replace this to avoid the network)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def is_public(address: str) -> bool:
    """Whether an IP address is one the public internet routes to a host."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6:
        if ip.ipv4_mapped is not None:  # the IPv4 host itself
            return is_public(str(ip.ipv4_mapped))
        embedded = ip.sixtofour or (ip.teredo or (None, None))[1]
        if embedded is None and ip in NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None and not is_public(str(embedded)):
            return False
        if ip.is_site_local:
            return False
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
        or not ip.is_global
    )


def allowed_hosts() -> set[str]:
    return {host.strip().lower().strip("[]") for host in settings.WEBHOOK_ALLOWED_HOSTS}


def target_check(url: str) -> Target:
    """Check a webhook address and resolve it; a refusal is a ValidationError on `url`.

    Raises with a message an admin can act on: the scheme, a user name in the address,
    a name that does not resolve, or the private address it resolves to.
    """

    def refuse(message: str):
        raise ValidationError({"url": [message]})

    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        refuse(_("Enter a valid address, such as https://hooks.example.com/salesteam."))
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".").lower()
    if scheme not in SCHEMES or not host:
        refuse(_("Enter a valid address, such as https://hooks.example.com/salesteam."))
    if parts.username is not None or parts.password is not None:
        refuse(
            _(
                "Leave the user name and password out of the address: receivers check "
                "the signature instead."
            )
        )
    allowed = host in allowed_hosts()
    if scheme != "https" and not allowed:
        refuse(_("Use an https address, so that no one on the way can read events."))
    port = port or SCHEMES[scheme]
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        try:
            addresses = resolve(host, port)
        except (OSError, UnicodeError):
            addresses = []
        if not addresses:
            refuse(
                _("%(host)s could not be found; check the address for typos.")
                % {"host": host}
            )
    if not allowed:
        for address in addresses:
            if not is_public(address):
                refuse(
                    _(
                        "%(host)s is a private, local or reserved address (%(address)s); "
                        "webhooks only go to public addresses unless an administrator "
                        "of the server allows the host in WEBHOOK_ALLOWED_HOSTS."
                    )
                    % {"host": host, "address": address}
                )
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(scheme=scheme, host=host, port=port, path=path, address=addresses[0])
