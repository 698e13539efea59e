"""A real Radicale CalDAV server for the tests, and a client of its own to read it back.

`RadicaleServer` runs `python -m radicale` on 127.0.0.1 (a free port, a temporary
storage folder, htpasswd auth with plain-text users), waits until it answers (bounded),
and can be killed and started again on the same port and storage. `read_back` reads a
calendar with a raw REPORT (niquests) and parses it with icalendar, so what the tests
check does not go through the `caldav` library Salesteam writes with.
"""

import socket
import subprocess
import sys
import time
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

import icalendar
import niquests

START_TIMEOUT = 20.0  # seconds
USERS = {"eleni": "secret", "mark": "secret2"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RadicaleServer:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.users = folder / "users"
        self.users.write_text("".join(f"{u}:{p}\n" for u, p in USERS.items()))
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "radicale",
                "--server-hosts",
                f"127.0.0.1:{self.port}",
                "--storage-filesystem-folder",
                str(self.folder / "storage"),
                "--auth-type",
                "htpasswd",
                "--auth-htpasswd-filename",
                str(self.users),
                "--auth-htpasswd-encryption",
                "plain",
                "--logging-level",
                "warning",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Radicale exited with {self.process.returncode}")
            try:
                niquests.get(self.url, timeout=1)
                return
            except niquests.exceptions.ConnectionError:
                time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"Radicale did not answer within {START_TIMEOUT} s")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def new_calendar(self, user: str = "eleni") -> str:
        """A fresh, empty event calendar of `user`; its URL."""
        url = f"{self.url}{user}/{uuid.uuid4().hex[:12]}/"
        body = (
            '<?xml version="1.0" encoding="utf-8"?>'
            '<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
            "<D:set><D:prop><D:displayname>Work</D:displayname>"
            '<C:supported-calendar-component-set><C:comp name="VEVENT"/>'
            "</C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>"
        )
        response = niquests.request(
            "MKCALENDAR", url, data=body, auth=(user, USERS[user]), timeout=10
        )
        assert response.status_code == 201, response.status_code
        return url


NS = {"D": "DAV:", "C": "urn:ietf:params:xml:ns:caldav"}
REPORT_BODY = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
    "<D:prop><D:getetag/><C:calendar-data/></D:prop>"
    '<C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>'
)


def read_back(calendar_url: str, user: str = "eleni") -> dict[str, dict]:
    """Every object of the calendar by UID: {"href", "etag", "calendar", "events"}."""
    response = niquests.request(
        "REPORT",
        calendar_url,
        data=REPORT_BODY,
        headers={"Depth": "1", "Content-Type": "application/xml; charset=utf-8"},
        auth=(user, USERS[user]),
        timeout=10,
    )
    assert response.status_code == 207, response.status_code
    found = {}
    for item in ET.fromstring(response.content).findall("D:response", NS):
        data = item.findtext(".//C:calendar-data", namespaces=NS)
        if not data:
            continue
        calendar = icalendar.Calendar.from_ical(data)
        events = [c for c in calendar.walk() if c.name == "VEVENT"]
        uid = str(events[0]["UID"])
        assert uid not in found, f"two objects with UID {uid}"
        found[uid] = {
            "href": item.findtext("D:href", namespaces=NS),
            "etag": item.findtext(".//D:getetag", namespaces=NS),
            "calendar": calendar,
            "events": events,
        }
    return found


def put_event(calendar_url: str, name: str, ical: str, user: str = "eleni") -> str:
    """Write an object straight into Radicale (as another calendar app would)."""
    response = niquests.put(
        f"{calendar_url}{name}.ics",
        data=ical.encode(),
        headers={"Content-Type": "text/calendar; charset=utf-8"},
        auth=(user, USERS[user]),
        timeout=10,
    )
    assert response.status_code in (201, 204), response.status_code
    return f"{calendar_url}{name}.ics"


def delete_object(url: str, user: str = "eleni") -> None:
    response = niquests.delete(url, auth=(user, USERS[user]), timeout=10)
    assert response.status_code in (200, 204), response.status_code
