"""mosquitto and influxd as child processes on 127.0.0.1 with free ports and their own folders
(the test fixtures and benchmarks/forward.py both start them through here)."""

from __future__ import annotations

import getpass
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path


def find_binary(name: str) -> str | None:
    """Debian puts mosquitto in /usr/sbin, which a normal user's PATH may lack."""
    return shutil.which(name) or next(
        (p for p in (f"/usr/sbin/{name}", f"/usr/bin/{name}") if os.path.exists(p)), None
    )


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


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


@dataclass
class Broker:
    exe: str
    folder: Path
    port: int
    lines: list[str]
    proc: subprocess.Popen | None = None

    @classmethod
    def create(
        cls,
        exe: str,
        folder: Path,
        tls: tuple[Path, Path, Path] | None = None,
        users: dict[str, str] | None = None,
        passwd_exe: str = "mosquitto_passwd",
    ) -> Broker:
        """A broker with persistence in ``folder``; ``tls``: (ca, cert, key); ``users``: a password file."""
        folder.mkdir(parents=True, exist_ok=True)
        port = free_port()
        lines = [
            f"user {getpass.getuser()}",
            f"listener {port} 127.0.0.1",
            "persistence true",
            f"persistence_location {folder}/",
            "log_dest stdout",
            "max_queued_messages 1000000",
        ]
        if users:
            pw = folder / "passwd"
            pw.write_text("")
            for user, password in users.items():
                subprocess.run([passwd_exe, "-b", str(pw), user, password], check=True)
            lines += [f"password_file {pw}", "allow_anonymous false"]
        else:
            lines.append("allow_anonymous true")
        if tls is not None:
            lines += [f"cafile {tls[0]}", f"certfile {tls[1]}", f"keyfile {tls[2]}"]
        broker = cls(exe, folder, port, lines)
        broker.start()
        return broker

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def start(self) -> None:
        conf = self.folder / "mosquitto.conf"
        conf.write_text("\n".join(self.lines) + "\n")
        log = (self.folder / "mosquitto.out").open("ab")
        self.proc = subprocess.Popen([self.exe, "-c", str(conf)], stdout=log, stderr=subprocess.STDOUT)
        wait_for(lambda: port_open(self.port) or self.proc.poll() is not None, 20, what="mosquitto")
        if self.proc.poll() is not None:
            raise AssertionError((self.folder / "mosquitto.out").read_text())

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(20)
        self.proc = None
        wait_for(lambda: not port_open(self.port), 10, what="mosquitto to let go of its port")


_INFLUX_CONF = """
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
"""


@dataclass
class Influx:
    port: int
    proc: subprocess.Popen

    @classmethod
    def create(cls, exe: str, folder: Path) -> Influx:
        """influxd (1.x) with its data, meta and WAL folders under ``folder``."""
        folder.mkdir(parents=True, exist_ok=True)
        port, rpc = free_port(), free_port()
        (folder / "influxdb.conf").write_text(_INFLUX_CONF.format(rpc=rpc, d=folder, port=port))
        log = (folder / "influxd.out").open("ab")
        proc = subprocess.Popen(
            [exe, "-config", str(folder / "influxdb.conf")], stdout=log, stderr=subprocess.STDOUT
        )

        def ready() -> bool:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/ping", timeout=1) as r:
                    return r.status == 204
            except OSError:
                return proc.poll() is not None

        wait_for(ready, 60, 0.2, "influxd")
        if proc.poll() is not None:
            raise AssertionError((folder / "influxd.out").read_text())
        return cls(port, proc)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def query(self, db: str, q: str) -> list[dict]:
        url = f"{self.url}/query?" + urllib.parse.urlencode({"db": db, "q": q, "epoch": "u"})
        with urllib.request.urlopen(url, timeout=30) as r:
            return json.loads(r.read())["results"][0].get("series", [])

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(20)
