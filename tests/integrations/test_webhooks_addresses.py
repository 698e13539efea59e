"""SSRF: which addresses a webhook may go to, after DNS resolution, IPv4 and IPv6."""

import pytest
from django.core.exceptions import ValidationError

from integrations.webhooks import addresses
from integrations.webhooks.addresses import is_public, target_check

REFUSED = [
    "127.0.0.1",  # loopback
    "127.8.9.10",
    "10.1.2.3",  # private
    "172.16.0.1",
    "192.168.1.20",
    "169.254.169.254",  # link-local (cloud metadata)
    "100.64.0.1",  # shared address space
    "0.0.0.0",  # unspecified
    "224.0.0.1",  # multicast
    "240.0.0.1",  # reserved
    "255.255.255.255",
    "192.0.2.10",  # documentation
    "::1",  # IPv6 loopback
    "::",  # unspecified
    "fe80::1",  # link-local
    "fc00::1",  # unique local
    "fd12:3456::1",
    "fec0::1",  # site-local
    "ff02::1",  # multicast
    "::ffff:127.0.0.1",  # IPv4-mapped loopback
    "::ffff:10.0.0.1",
    "2002:7f00:1::",  # 6to4 of 127.0.0.1
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "2001:db8::1",  # documentation
]
ALLOWED = ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "::ffff:93.184.215.14"]


@pytest.mark.parametrize("address", REFUSED)
def test_private_local_reserved_and_multicast_addresses_are_not_public(address):
    assert not is_public(address)


@pytest.mark.parametrize("address", ALLOWED)
def test_public_addresses_are_public(address):
    assert is_public(address)


def refusal(url: str) -> str:
    with pytest.raises(ValidationError) as caught:
        target_check(url)
    return " ".join(caught.value.message_dict["url"])


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://[::1]/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::ffff:192.168.0.1]/",
        "https://10.0.0.7:8443/",
    ],
)
def test_an_address_literal_that_is_not_public_is_refused(url):
    assert "private, local or reserved address" in refusal(url)


def test_a_name_is_checked_after_resolution_every_address(monkeypatch):
    # Given a name that resolves to a public and a private address
    monkeypatch.setattr(
        addresses, "resolve", lambda host, port: ["93.184.215.14", "10.0.0.5"]
    )
    # Then it is refused, naming the private one
    message = refusal("https://hooks.example.com/in")
    assert "hooks.example.com" in message and "10.0.0.5" in message


def test_a_public_name_is_accepted_with_its_checked_address(monkeypatch):
    monkeypatch.setattr(addresses, "resolve", lambda host, port: ["93.184.215.14"])
    target = target_check("https://Hooks.Example.com./in?x=1")
    assert (target.scheme, target.host, target.port) == (
        "https",
        "hooks.example.com",
        443,
    )
    assert (target.path, target.address) == ("/in?x=1", "93.184.215.14")


def test_a_name_that_does_not_resolve_is_refused_clearly(monkeypatch):
    def fail(host, port):
        raise OSError("Name or service not known")

    monkeypatch.setattr(addresses, "resolve", fail)
    assert "could not be found" in refusal("https://nowhere.invalid/")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://93.184.215.14/", "Use an https address"),
        ("ftp://93.184.215.14/", "Enter a valid address"),
        ("https:///path", "Enter a valid address"),
        ("https://93.184.215.14:99999/", "Enter a valid address"),
        ("https://user:pw@93.184.215.14/", "Leave the user name and password out"),
    ],
)
def test_other_bad_addresses_get_a_clear_message(url, message):
    assert message in refusal(url)


def test_a_host_the_settings_allow_may_be_local_and_plain_http(settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1", "n8n.office.lan"]
    assert target_check("http://127.0.0.1:8080/x").address == "127.0.0.1"
    # Others stay refused
    assert "private" in refusal("https://127.0.0.2/")
