"""Call events over HTTP, as Twilio and a Standard Webhooks sender send them.

An admin connects the dialers on the Dialers page and copies the addresses it shows;
the requests are then signed with Twilio's own RequestValidator and the standardwebhooks
package over exactly those addresses and sent to the live server.
"""

import datetime as dt
import html
import json
import re
import uuid

import pytest
import requests
from standardwebhooks import Webhook
from twilio.request_validator import RequestValidator

from integrations.models import CallSource

pytestmark = pytest.mark.services
AUTH_TOKEN = "f" * 32


def connect(
    pages, org, name: str, kind: str, secret: str = ""
) -> tuple[str, CallSource]:
    pages.submit(
        "/integrations/dialers/", {"name": name, "kind": kind, "secret": secret}
    )
    source = CallSource.objects.get(name=name)
    page = pages.get(f"/integrations/dialers/{source.pk}/").text
    match = re.search(r'id="source-url" type="text" readonly value="([^"]+)"', page)
    assert match, page[:2000]
    return html.unescape(match.group(1)), source


def as_twilio(url: str, params: dict, token: str = AUTH_TOKEN) -> requests.Response:
    signature = RequestValidator(token).compute_signature(url, params)
    return requests.post(
        url, data=params, headers={"X-Twilio-Signature": signature}, timeout=30
    )


def test_twilio_and_a_zap_log_calls_once_and_unknown_numbers_wait(org, pages, as_role):
    rep = org["rep_a"]
    rep.phone = "+302101234567"
    rep.save(update_fields=["phone"])
    pages.log_in(org["admin"])
    twilio_url, _source = connect(pages, org, "Twilio", "twilio", AUTH_TOKEN)
    assert twilio_url.startswith(org["url"])
    params = {
        "AccountSid": "AC" + "1" * 32,
        "CallSid": "CA" + uuid.uuid4().hex,
        "CallStatus": "completed",
        "CallDuration": "61",
        "Direction": "outbound-api",
        "From": rep.phone,
        "To": "+14155550100",
    }
    # Twilio's callback and two retries: one call
    answers = [as_twilio(twilio_url, params) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert [answer.json()["duplicate"] for answer in answers] == [False, True, True]
    # A tampered one: 403, nothing written
    tampered = as_twilio(twilio_url, params | {"CallSid": "CA" + "0" * 32}, "e" * 32)
    assert tampered.status_code == 403
    # An unknown number waits for the admin
    stranger = params | {"CallSid": "CA" + uuid.uuid4().hex, "From": "+442079460000"}
    assert as_twilio(twilio_url, stranger).json()["status"] == "unmatched"

    zap_url, zap = connect(pages, org, "Zapier", "standard")
    body = json.dumps(
        {
            "rep_email": rep.email,
            "occurred_at": (
                dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
            ).isoformat(),
            "outcome": "voicemail",
            "external_id": "zap-1",
        }
    )
    now, msg_id = dt.datetime.now(dt.UTC), "msg_" + uuid.uuid4().hex
    headers = {
        "content-type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(zap.secret).sign(msg_id, now, body),
    }
    assert (
        requests.post(zap_url, data=body, headers=headers, timeout=30).json()["status"]
        == "logged"
    )
    headers["webhook-signature"] = Webhook("whsec_" + "A" * 44).sign(msg_id, now, body)
    assert (
        requests.post(zap_url, data=body, headers=headers, timeout=30).status_code
        == 403
    )

    mine = as_role("rep_a").get("/api/v1/activities/").json()
    assert sorted(entry["outcome"] for entry in mine["results"]) == [
        "connected",
        "voicemail",
    ]
    admin = as_role("admin")
    waiting = admin.get("/api/v1/inbound-calls/?status=unmatched").json()["results"]
    assert [call["rep_phone"] for call in waiting] == ["+442079460000"]
    assigned = admin.post(
        f"/api/v1/inbound-calls/{waiting[0]['id']}/assign/", json={"rep": rep.pk}
    )
    assert assigned.status_code == 200
    assert as_role("rep_a").get("/api/v1/activities/").json()["count"] == 3
    # A rep may not read the list
    assert as_role("rep_a").get("/api/v1/inbound-calls/").status_code == 403
