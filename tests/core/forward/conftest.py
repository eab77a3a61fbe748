"""Real servers for the forwarding tests, each on 127.0.0.1 with a free port and a temp folder:
mosquitto (plain, with a password file, with TLS from a test CA), influxd (InfluxDB 1.x), a
webhook receiver (http.server) and an SMTP server (real SMTP on a socket, with STARTTLS/AUTH)."""

from __future__ import annotations

import base64
import datetime as dt
import getpass
import http.server
import ipaddress
import json
import os
import shutil
import signal
import socket
import socketserver
import ssl
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def require(binary: str) -> str:
    exe = shutil.which(binary) or next(
        (p for p in (f"/usr/sbin/{binary}", f"/usr/bin/{binary}") if os.path.exists(p)), None
    )
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail(f"{binary} is missing: .ci/run must install it")
        pytest.skip(f"{binary} is not installed")
    return exe


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, timeout: float = 30.0, interval: float = 0.05, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


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


# -- mosquitto --------------------------------------------------------------------------------
@dataclass
class Broker:
    exe: str
    folder: Path
    port: int
    lines: list[str]
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def start(self) -> None:
        conf = self.folder / "mosquitto.conf"
        conf.write_text("\n".join(self.lines) + "\n")
        log = (self.folder / "mosquitto.out").open("ab")
        self.proc = subprocess.Popen([self.exe, "-c", str(conf)], stdout=log, stderr=subprocess.STDOUT)
        wait_for(lambda: _port_open(self.port) or self.proc.poll() is not None, 20, what="mosquitto")
        if self.proc.poll() is not None:
            raise AssertionError((self.folder / "mosquitto.out").read_text())

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(20)
        self.proc = None
        wait_for(lambda: not _port_open(self.port), 10, what="mosquitto to let go of its port")


@pytest.fixture
def broker_factory(tmp_path) -> Iterator:
    exe = require("mosquitto")
    brokers: list[Broker] = []

    def make(tls: TestCA | None = None, users: dict[str, str] | None = None) -> Broker:
        folder = tmp_path / f"broker{len(brokers)}"
        folder.mkdir()
        port = free_port()
        lines = [
            f"user {getpass.getuser()}",
            f"listener {port} 127.0.0.1",
            "persistence true",
            f"persistence_location {folder}/",
            "log_dest stdout",
            "max_queued_messages 100000",
        ]
        if users:
            pw = folder / "passwd"
            pw.write_text("")
            for user, password in users.items():
                subprocess.run([require("mosquitto_passwd"), "-b", str(pw), user, password], check=True)
            lines += [f"password_file {pw}", "allow_anonymous false"]
        else:
            lines.append("allow_anonymous true")
        if tls is not None:
            lines += [f"cafile {tls.ca_file}", f"certfile {tls.cert_file}", f"keyfile {tls.key_file}"]
        broker = Broker(exe, folder, port, lines)
        broker.start()
        brokers.append(broker)
        return broker

    yield make
    for b in brokers:
        b.stop(signal.SIGKILL)


# -- influxd ----------------------------------------------------------------------------------
@dataclass
class Influx:
    port: int
    proc: subprocess.Popen

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def query(self, db: str, q: str) -> list[dict]:
        url = f"{self.url}/query?" + urllib.parse.urlencode({"db": db, "q": q, "epoch": "u"})
        with urllib.request.urlopen(url, timeout=10) as r:
            return json.loads(r.read())["results"][0].get("series", [])


@pytest.fixture(scope="module")
def influxd(tmp_path_factory) -> Iterator[Influx]:
    exe = require("influxd")
    d = tmp_path_factory.mktemp("influx")
    port, rpc = free_port(), free_port()
    (d / "influxdb.conf").write_text(f"""
reporting-disabled = true
bind-address = "127.0.0.1:{rpc}"
[meta]
  dir = "{d}/meta"
[data]
  dir = "{d}/data"
  wal-dir = "{d}/wal"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:{port}"
  log-enabled = false
[monitor]
  store-enabled = false
[subscriber]
  enabled = false
[continuous_queries]
  enabled = false
""")
    log = (d / "influxd.out").open("ab")
    proc = subprocess.Popen([exe, "-config", str(d / "influxdb.conf")], stdout=log, stderr=subprocess.STDOUT)

    def ready() -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/ping", timeout=1) as r:
                return r.status == 204
        except OSError:
            return proc.poll() is not None

    wait_for(ready, 60, 0.2, "influxd")
    assert proc.poll() is None, (d / "influxd.out").read_text()
    yield Influx(port, proc)
    proc.terminate()
    proc.wait(20)


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
