"""A real webhook receiver on 127.0.0.1 for the tests: http.server in a thread.

It answers each POST with the next status of its script (then 200), keeps every request
(headers and raw body), and verifies nothing itself: tests verify with the
`standardwebhooks` package, as an integrator would.
"""

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    port: int
    script: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    extra_headers: dict[str, str] = field(default_factory=dict)
    answer_body: bytes = b"ok"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/salesteam?team=a"


def receiver_start() -> tuple[Receiver, ThreadingHTTPServer]:
    state: Receiver | None = None

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            state.received.append(
                Received(path=self.path, headers=dict(self.headers.items()), body=body)
            )
            code = state.script.pop(0) if state.script else 200
            self.send_response(code)
            for name, value in state.extra_headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(state.answer_body)))
            self.end_headers()
            self.wfile.write(state.answer_body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state = Receiver(port=server.server_address[1])
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return state, server
