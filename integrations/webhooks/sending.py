"""One HTTP POST of a webhook, to the address that was checked, and nothing more.

Short timeouts, redirects never followed (a 3xx is a failure: the subscription should
name the final address), and only the first `WEBHOOK_RESPONSE_BODY_LIMIT` bytes of the
answer are read. The connection goes to the checked IP address while the Host header
and the TLS certificate check use the host name, which defeats DNS rebinding.
"""

import http.client
import socket
import ssl
import time
from dataclasses import dataclass

from django.conf import settings

from integrations.webhooks.addresses import Target

USER_AGENT = "Salesteam-Webhooks/1"


@dataclass(frozen=True)
class Answer:
    status_code: int | None
    body: str
    error: str
    duration_ms: int

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def open_socket(address: str, port: int, timeout: float) -> socket.socket:
    """Connect to a checked address (tests wrap this to stay on the loopback)."""
    return socket.create_connection((address, port), timeout=timeout)


class _PinnedConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self):
        self.sock = open_socket(self._address, self.port, self.timeout)


class _PinnedTLSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(
            target.host,
            target.port,
            timeout=timeout,
            context=ssl.create_default_context(),
        )
        self._address = target.address

    def connect(self):
        sock = open_socket(self._address, self.port, self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(*, target: Target, body: str, headers: dict[str, str]) -> Answer:
    """POST `body` as JSON; a network error or a timeout is an Answer with `error`."""
    started = time.monotonic()
    connection_class = (
        _PinnedTLSConnection if target.scheme == "https" else _PinnedConnection
    )
    connection = connection_class(target, timeout=settings.WEBHOOK_CONNECT_TIMEOUT)
    limit = settings.WEBHOOK_RESPONSE_BODY_LIMIT

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        connection.connect()
        connection.sock.settimeout(settings.WEBHOOK_READ_TIMEOUT)
        connection.request(
            "POST",
            target.path,
            body=body.encode(),
            headers={
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
                "Connection": "close",
                **headers,
            },
        )
        response = connection.getresponse()
        raw = response.read(limit)
        return Answer(
            status_code=response.status,
            body=raw.decode("utf-8", errors="replace"),
            error="",
            duration_ms=elapsed(),
        )
    except (OSError, http.client.HTTPException) as error:
        return Answer(
            status_code=None,
            body="",
            error=(f"{type(error).__name__}: {error}")[:300],
            duration_ms=elapsed(),
        )
    finally:
        connection.close()
