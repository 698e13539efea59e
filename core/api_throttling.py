"""API rate limits keyed by the client's real address.

DRF's own throttles believe any X-Forwarded-For header, so a client could pick a fresh
address per request. These read the address the way django-axes does for lock-outs:
from the one trusted header in `AXES_IPWARE_META_PRECEDENCE_ORDER` (`CLIENT_IP_HEADER`).
"""

from axes.helpers import get_client_ip_address
from rest_framework import throttling


class TrustedAddressMixin:
    def get_ident(self, request) -> str:
        return get_client_ip_address(request) or ""


class AnonRateThrottle(TrustedAddressMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(TrustedAddressMixin, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(TrustedAddressMixin, throttling.ScopedRateThrottle):
    pass
