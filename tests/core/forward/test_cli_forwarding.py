"""`watchkeeper record` with [forward.influx] in its config: status lines and the summary say
how each forwarder is doing, and the readings reach InfluxDB."""

from __future__ import annotations

from core.cli import run


def test_record_forwards_and_prints_the_forwarder_state(tmp_path, influxd, capsys):
    cfg = tmp_path / "wk.toml"
    cfg.write_text(
        f'[forward]\nsite = "mill"\ndevice = "pc1"\n[forward.influx]\nurl = "{influxd.url}"\n'
        'database = "cli"\nretry_max = 1\n',
        encoding="utf-8",
    )
    db = tmp_path / "f.duckdb"
    args = ["record", "--port", "sim://?channels=2&rate=20", "--config", str(cfg), "--db", str(db)]
    assert run([*args, "--duration", "6", "--status-interval", "1"]) == 0
    out = capsys.readouterr().out
    assert f"  forward influx -> {influxd.url} database cli: connected, backlog" in out, out
    assert f"  forward influx -> {influxd.url} database cli: stopped, backlog 0, sent" in out, out
    count = influxd.query("cli", "SELECT count(value) FROM readings")[0]["values"][0][1]
    assert count > 40
