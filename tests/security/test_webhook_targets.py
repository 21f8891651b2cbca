"""Webhook deliveries reach only public addresses: checked once, connected to that very address, no redirects."""

import http.server
import socket
import threading

import pytest
from django.core.exceptions import ValidationError

from partners.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from partners.webhooks import webhook_address_allowed, webhook_delivery_attempt, webhook_url_validate


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",  # CGNAT
        "0.0.0.0",
        "240.0.0.1",  # reserved
        "224.0.0.1",  # multicast
        "255.255.255.255",
        "192.0.2.1",  # documentation
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fec0::1",  # site-local
        "ff02::1",  # multicast
        "::ffff:127.0.0.1",  # IPv4-mapped
        "::ffff:8.8.8.8",  # IPv4-mapped, even of a public address
        "::10.0.0.1",  # IPv4-compatible
        "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
        "64:ff9b::808:808",  # NAT64, even of a public address
        "2002:a00:1::1",  # 6to4 of 10.0.0.1
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
        "2001:db8::1",  # documentation
    ],
)
def test_non_global_and_embedded_ipv4_addresses_are_refused(address):
    assert webhook_address_allowed(address) is False


@pytest.mark.parametrize("address", ["8.8.8.8", "93.184.216.34", "2606:4700:4700::1111", "2a00:1450:4001::200e"])
def test_public_addresses_are_allowed(address):
    assert webhook_address_allowed(address) is True


def _fake_dns(monkeypatch, answers: list[str]) -> list[str]:
    """getaddrinfo answers each call with the next address of `answers` (the last one repeats)."""
    calls: list[str] = []

    def getaddrinfo(host, port, *args, **kwargs):
        address = answers[min(len(calls), len(answers) - 1)]
        calls.append(host)
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return calls


@pytest.mark.parametrize("address", ["::ffff:10.0.0.1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::1", "100.64.1.2"])
def test_a_host_name_resolving_to_an_embedded_or_cgnat_address_is_refused(monkeypatch, address):
    _fake_dns(monkeypatch, [address])
    with pytest.raises(ValidationError):
        webhook_url_validate("https://hooks.partner.example/in")


def _subscription(partner, url):
    return WebhookSubscription.objects.create(partner=partner, url=url, events=["role.published"], secret="whsec_x")


def _delivery(subscription):
    from django.utils import timezone

    return WebhookDelivery.objects.create(
        subscription=subscription,
        event_id="6f1c2b9e-7a0e-4a5b-9d53-0d6f7e3f1a11",
        event_type="role.published",
        payload={"type": "role.published"},
        next_attempt_at=timezone.now(),
    )


def test_delivery_connects_to_the_address_it_checked_not_to_a_second_dns_answer(acme, receiver, monkeypatch, settings):
    """DNS rebinding: the name resolves to a public address when checked, to loopback a moment later."""
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    port = int(receiver.url.rsplit(":", 1)[1].split("/")[0])
    calls = _fake_dns(monkeypatch, ["93.184.216.34", "127.0.0.1"])
    connected: list[tuple[str, int]] = []

    def no_network(address, port, timeout):
        connected.append((address, port))
        raise ConnectionRefusedError("test: no network")

    monkeypatch.setattr("partners.webhooks._open_connection", no_network)
    delivery = _delivery(_subscription(acme.partner, f"http://rebind.partner.example:{port}/hooks"))

    webhook_delivery_attempt(delivery_id=delivery.pk)

    assert receiver.requests == []  # the loopback receiver was never reached
    assert len(calls) == 1  # one lookup per attempt
    assert connected == [("93.184.216.34", port)]
    delivery.refresh_from_db()
    assert "ConnectionRefusedError" in delivery.last_error


def test_delivery_sends_the_host_name_in_the_host_header(acme, receiver, monkeypatch):
    port = int(receiver.url.rsplit(":", 1)[1].split("/")[0])
    _fake_dns(monkeypatch, ["127.0.0.1"])
    delivery = _delivery(_subscription(acme.partner, f"http://hooks.partner.example:{port}/hooks?x=1"))

    webhook_delivery_attempt(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert receiver.requests[0]["headers"]["Host"] == f"hooks.partner.example:{port}"


def test_a_redirect_is_a_failed_delivery_and_is_not_followed(acme, settings, eager_celery):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    followed: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            if self.path.startswith("/internal"):
                followed.append(self.path)
                self.send_response(200)
            else:
                self.send_response(307)
                self.send_header("Location", f"http://127.0.0.1:{self.server.server_address[1]}/internal")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        delivery = _delivery(_subscription(acme.partner, f"http://127.0.0.1:{server.server_address[1]}/hook"))
        webhook_delivery_attempt(delivery_id=delivery.pk)
    finally:
        server.shutdown()
        server.server_close()
    delivery.refresh_from_db()
    assert followed == []
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.response_status == 307
