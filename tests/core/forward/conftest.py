"""Real servers for the forwarding tests, each on 127.0.0.1 with a free port and a temp folder:
mosquitto (plain, with a password file, with TLS from a test CA), influxd (InfluxDB 1.x), a
webhook receiver (http.server) and an SMTP server (real SMTP on a socket, with STARTTLS/AUTH)."""

from __future__ import annotations

import base64
import datetime as dt
import http.server
import ipaddress
import json
import os
import signal
import socketserver
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.core.forward.servers import Broker, Influx, find_binary, free_port, wait_for

__all__ = ["free_port", "wait_for"]


def require(binary: str) -> str:
    exe = find_binary(binary)
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail(f"{binary} is missing: .ci/run must install it")
        pytest.skip(f"{binary} is not installed")
    return exe


# -- a test CA --------------------------------------------------------------------------------
@dataclass
class TestCA:
    ca_file: Path
    cert_file: Path
    key_file: Path
    client_cert: Path
    client_key: Path


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _write_key(key: ec.EllipticCurvePrivateKey, path: Path) -> None:
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )


def _issue(ca_key, ca_name, cn: str, key, server: bool) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(cn))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
    )
    if server:
        builder = builder.add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
    return builder.sign(ca_key, hashes.SHA256())


@pytest.fixture(scope="session")
def test_ca(tmp_path_factory) -> TestCA:
    d = tmp_path_factory.mktemp("ca")
    ca_key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("Watchkeeper test CA"))
        .issuer_name(_name("Watchkeeper test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True
        )
        .sign(ca_key, hashes.SHA256())
    )
    (d / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    out = {}
    for who, server in (("server", True), ("client", False)):
        key = ec.generate_private_key(ec.SECP256R1())
        cert = _issue(ca_key, ca.subject, "localhost" if server else "watchkeeper-client", key, server)
        (d / f"{who}.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        _write_key(key, d / f"{who}.key")
        out[who] = (d / f"{who}.pem", d / f"{who}.key")
    return TestCA(d / "ca.pem", *out["server"], *out["client"])


# -- mosquitto and influxd ------------------------------------------------------------------
@pytest.fixture
def broker_factory(tmp_path) -> Iterator:
    exe = require("mosquitto")
    brokers: list[Broker] = []

    def make(tls: TestCA | None = None, users: dict[str, str] | None = None) -> Broker:
        files = None if tls is None else (tls.ca_file, tls.cert_file, tls.key_file)
        passwd = require("mosquitto_passwd") if users else ""
        broker = Broker.create(exe, tmp_path / f"broker{len(brokers)}", files, users, passwd)
        brokers.append(broker)
        return broker

    yield make
    for b in brokers:
        b.stop(signal.SIGKILL)


@pytest.fixture(scope="session")
def influxd(tmp_path_factory) -> Iterator[Influx]:
    server = Influx.create(require("influxd"), tmp_path_factory.mktemp("influx"))
    yield server
    server.stop()


# -- a webhook receiver -----------------------------------------------------------------------
@dataclass
class Receiver:
    url: str
    posts: list[dict] = field(default_factory=list)
    headers: list[dict] = field(default_factory=list)
    status: int = 200  # what it answers; 503 plays an outage


@pytest.fixture
def webhook() -> Iterator[Receiver]:
    receiver = Receiver("")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if receiver.status == 200:
                receiver.posts.append(json.loads(body))
                receiver.headers.append(dict(self.headers))
            self.send_response(receiver.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield receiver
    server.shutdown()
    server.server_close()


# -- an SMTP server ---------------------------------------------------------------------------
@dataclass
class Mailbox:
    port: int
    messages: list[dict] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Enough SMTP (RFC 5321) for smtplib: EHLO, STARTTLS, AUTH PLAIN/LOGIN, MAIL, RCPT, DATA."""

    def reply(self, text: str) -> None:
        self.wfile.write(text.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        box: Mailbox = self.server.mailbox
        self.reply("220 localhost test SMTP")
        sender, rcpts, tls = "", [], False
        while line := self.rfile.readline():
            cmd = line.decode().strip()
            verb = cmd.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                features = ["250-localhost", "250-AUTH PLAIN LOGIN"] + ([] if tls else ["250-STARTTLS"])
                self.reply("\r\n".join([*features, "250 8BITMIME"]))
            elif verb == "STARTTLS":
                self.reply("220 go ahead")
                self.connection = self.server.context.wrap_socket(self.connection, server_side=True)
                self.rfile = self.connection.makefile("rb")
                self.wfile = self.connection.makefile("wb")
                tls = True
            elif verb == "AUTH":
                parts = cmd.split()
                if parts[1].upper() == "PLAIN":
                    _, user, password = base64.b64decode(parts[2]).decode().split("\0")
                else:
                    self.reply("334 VXNlcm5hbWU6")
                    user = base64.b64decode(self.rfile.readline().strip()).decode()
                    self.reply("334 UGFzc3dvcmQ6")
                    password = base64.b64decode(self.rfile.readline().strip()).decode()
                if (user, password) == self.server.credentials:
                    box.logins.append((user, password))
                    self.reply("235 ok")
                else:
                    self.reply("535 authentication failed")
            elif verb == "MAIL":
                sender, rcpts = cmd.split(":", 1)[1].strip().split()[0].strip("<>"), []
                self.reply("250 ok")
            elif verb == "RCPT":
                rcpts.append(cmd.split(":", 1)[1].strip().strip("<>"))
                self.reply("250 ok")
            elif verb == "DATA":
                self.reply("354 end with .")
                data = []
                while (row := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(row[1:] if row.startswith(b"..") else row)
                box.messages.append(
                    {"from": sender, "to": rcpts, "tls": tls, "data": b"".join(data).decode()}
                )
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


@pytest.fixture
def smtp_server(test_ca) -> Iterator[Mailbox]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SmtpHandler)
    server.daemon_threads = True
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(test_ca.cert_file, test_ca.key_file)
    server.context = context
    server.credentials = ("alarms@plant.example", "s3cret-mail")
    server.mailbox = Mailbox(server.server_address[1])
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.mailbox
    server.shutdown()
    server.server_close()
