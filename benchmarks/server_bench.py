"""Backend benchmarks: ingest with rules, search, version-aware PUT, WebSocket latency, memory.

    python benchmarks/server_bench.py [--db sqlite|postgres|both] [--patients 1000] [--days 30]

Starts the real ``dho-server`` as a subprocess (auth on, seeded, ``--no-simulate``) on SQLite
and/or a throwaway PostgreSQL database (``--pg-url``, default the local server; the database is
created and dropped), gets a token for the service client with ``dho-server token``, and runs
each phase of ``server_load.py`` in a separate load-generator process with 8 connections over
loopback:

- ingest rate with rules: POST vital-signs Observations (random patients, ~1 in 12 outside
  the alert limits): target >= 500/s;
- search latency, one patient's last 100 Observations: p50 <= 5 ms;
- version-aware PUT (read, then PUT with If-Match): p50 <= 5 ms;
- POST-to-WebSocket latency with 10 subscribers (``/ws/notifications`` and topic
  Subscriptions): p50 <= 5 ms, p99 <= 15 ms;
- the server's RSS and peak RSS (VmHWM) at idle after seeding and after the ingest run.

Latency targets are judged on one request at a time (what one user sees); the figures with all
8 connections busy at once are printed beside them (on 2 cores they queue). Each HTTP phase runs
with two load-generator clients: httpx (as the console's stack; it costs ~1.5 ms of CPU per
request, taken from the same 2 cores as the server) and ``raw``, a minimal asyncio HTTP/1.1
client that leaves the server its CPU. The timed ingest follows a warm-up of ``--warmup`` POSTs
(plan and weight-series caches of the rules engine fill on first use per patient).

Against another server (standard FHIR R4 only):

    python benchmarks/server_bench.py --peer http://127.0.0.1:8103/fhir/R4 [--peer-token T]
        [--peer-pid PID] [--peer-patients 300] [--peer-per-patient 100] [--db sqlite|none]
    python benchmarks/server_bench.py --peer self-plain-r4 ...

runs the same phases against the peer's base URL (127.0.0.1 only): it first creates
``--peer-patients`` Patients with ``--peer-per-patient`` Observations each over ``--peer-days``
days and one ServiceRequest each through ordinary POSTs (``--peer-no-seed`` to use what is
there), then ingest, search and read-then-PUT exactly as for ours, and POST -> notification over
R4 Subscriptions (``channel.type = websocket``, ``$get-ws-binding-token``) when the peer's
CapabilityStatement offers them. The peer's RSS is read from ``--peer-pid`` when given. It prints
ours and the peer's figures side by side with ratios (how many times better ours is: rate / rate,
latency peer / latency ours, memory peer / ours). ``self-plain-r4`` starts a second instance of
this server in ``--profile plain-r4`` (no extensions, no server rules, R4 websocket
Subscriptions: what a third-party server offers) as the peer, to check the peer path here.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from common import ROOT, Backend, machine, memory, token, user_env
from server_load import _param

LOAD = ROOT / "benchmarks" / "server_load.py"
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of the server process and its --workers children."""
    total = 0.0
    pids = [pid]
    try:
        pids += [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        pass
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def settle(pid: int, longest: float) -> dict[str, float]:
    """Wait until the server is idle (under 5 % of a core for 3 s running), at most `longest`
    seconds, so the timed phases measure the requests and not the start-up passes a copied
    seed causes (its measurements are hours old: the missing-measurement pass opens items
    for most patients). Returns the CPU and wall time the wait took."""
    t0, c0 = time.perf_counter(), cpu_seconds(pid)
    quiet = 0
    while time.perf_counter() - t0 < longest and quiet < 3:
        before = cpu_seconds(pid)
        time.sleep(1.0)
        quiet = quiet + 1 if cpu_seconds(pid) - before < 0.05 else 0
    return {"wall_s": time.perf_counter() - t0, "cpu_s": cpu_seconds(pid) - c0}


def phase(name: str, base: str, tok: str, *extra: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, str(LOAD), name, base, tok, *extra],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=user_env(),
        timeout=900,
    )
    if done.returncode != 0:
        raise RuntimeError(f"load phase {name} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["loadavg"] = loadavg()
    return result


class PgDatabase:
    """A throwaway database on the local PostgreSQL server, dropped afterwards; or, with
    ``keep`` (``--pg-keep NAME``), a named one that is created if missing and kept, so that a
    large seed (10,000 x 90 d takes ~22 min) can be profiled again without seeding again. The
    server seeds only an empty database, so a kept one is reused as it is; each run's ingest
    adds its POSTs to it."""

    def __init__(self, admin_url: str, keep: str | None = None) -> None:
        import psycopg
        from sqlalchemy.engine import make_url

        url = make_url(admin_url)
        if url.host not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit("the benchmark only uses a PostgreSQL server on this machine")
        self.keep = keep is not None
        self.name = keep or f"dho_bench_{os.getpid()}"
        self._admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self.url = url.set(database=self.name).render_as_string(hide_password=False)
        with psycopg.connect(self._admin, autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (self.name,)
            ).fetchone()
            if not self.keep:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
            if not self.keep or not exists:
                conn.execute(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        if self.keep:
            return
        import psycopg

        with psycopg.connect(self._admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def run_one(kind: str, args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    pg: PgDatabase | None = None
    if kind == "sqlite":
        db_file = tmp / "bench.sqlite"
        if args.seeded_sqlite:  # start from a copy of a seeded file (--curve, development)
            shutil.copy(args.seeded_sqlite, db_file)
            wal = Path(f"{args.seeded_sqlite}-wal")
            if wal.exists():
                shutil.copy(wal, Path(f"{db_file}-wal"))
        db_url = f"sqlite:///{db_file}"
    else:
        pg = PgDatabase(args.pg_url, args.pg_keep)
        db_url = pg.url
    extra = ["--workers", str(args.workers)] if kind == "postgres" and args.workers > 1 else []
    if args.clock_ahead:
        # The server's clock this many hours past the seed's end: the centre after a night
        # without measurements, with an adherence item open for most patients.
        ahead = datetime.now(UTC) + timedelta(hours=args.clock_ahead)
        extra += ["--clock-start", ahead.isoformat()]
    t = time.perf_counter()
    print(f"[{kind}] starting and seeding {args.patients} patients x {args.days} days ...")
    backend = Backend(
        "--db",
        db_url,
        "--seed-patients",
        str(args.patients),
        "--history-days",
        str(args.days),
        "--no-simulate",
        "--auth",
        "on",
        *extra,
        log_path=tmp / f"backend-{kind}.log",
    )
    results: dict[str, Any] = {"kind": kind, "start_s": time.perf_counter() - t, "workers": 1}
    if extra:
        results["workers"] = args.workers
    try:
        tok = token(db_url, "dho-integration")
        time.sleep(2)  # let the rules engine warm its plan cache
        pid = backend.proc.pid
        if args.settle:
            results["startup"] = settle(pid, args.settle)
            print(
                f"[{kind}] start-up passes: {results['startup']['cpu_s']:.1f} s CPU over "
                f"{results['startup']['wall_s']:.1f} s"
            )
        results["mem_idle"] = memory(pid)
        run_phases(results, kind, backend.base_url, tok, pid, args, ws_phase="ws")
    finally:
        backend.stop()
        if pg is not None:
            pg.drop()
    return results


def run_phases(
    results: dict[str, Any],
    kind: str,
    base: str,
    tok: str,
    pid: int | None,
    args: argparse.Namespace,
    *,
    ws_phase: str,
) -> None:
    """Warm-up, ingest, search, PUT and POST -> WebSocket against ``base``; figures into
    ``results``. ``pid`` (the server's process, when known) gives CPU per POST and RSS."""
    common = ["--connections", str(args.connections)]
    print(f"[{kind}] warm-up ({args.warmup} Observations) ...")
    phase(
        "ingest", base, tok, *common, "--count", str(args.warmup), "--client", "raw", "--seed", "99"
    )
    for client in args.clients:
        print(f"[{kind}] ingest, {client} client ({args.ingest_count} max, {args.seconds}s max)")
        cpu0 = cpu_seconds(pid) if pid else 0.0
        spy = start_profile(args, kind, client, pid)
        try:
            ing = phase(
                "ingest",
                base,
                tok,
                *common,
                "--count",
                str(args.ingest_count),
                "--seconds",
                str(args.seconds),
                "--client",
                client,
            )
        finally:
            stop_profile(spy)
        ing["server_cpu_ms_per_request"] = (
            (cpu_seconds(pid) - cpu0) * 1000 / max(1, ing["created"]) if pid else float("nan")
        )
        results[f"ingest_{client}"] = ing
        time.sleep(1.5)  # audit flush
        if pid:
            results[f"mem_after_ingest_{client}"] = memory(pid)
    for client in args.clients:
        for name in ("search", "put"):
            print(f"[{kind}] {name}, {client} client ...")
            results[f"{name}_{client}"] = phase(
                name, base, tok, *common, "--count", "600", "--seconds", "40", "--client", client
            )
    if ws_phase == "ws" or r4_websocket_subscriptions(base, tok):
        print(f"[{kind}] {ws_phase} ...")
        results["ws"] = phase(
            ws_phase, base, tok, "--count", "300", "--subscribers", str(args.subscribers)
        )
    else:
        results["ws_note"] = "no R4 websocket Subscriptions in its CapabilityStatement"
    if pid:
        results["mem_end"] = memory(pid)


def start_profile(
    args: argparse.Namespace, kind: str, client: str, pid: int | None
) -> subprocess.Popen[bytes] | None:
    """py-spy on the server and its worker processes for the timed ingest (``--profile``).
    ``--gil`` keeps only the thread holding the GIL, so idle threads do not dilute the
    profile; its overhead (~2 % at 200 Hz) is in the ingest rate of a profiled run, which is
    why a profiled run's figures are not compared with unprofiled ones."""
    if not args.profile or not pid:
        return None
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(spy).exists():
        raise SystemExit("--profile needs py-spy (pip install py-spy)")
    out = Path(args.profile)
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"ingest-{kind}-{args.patients}x{args.days}-{client}.txt"
    print(f"[{kind}] profiling the ingest into {target}")
    proc = subprocess.Popen(
        [
            spy,
            "record",
            "--pid",
            str(pid),
            "--subprocesses",
            "--gil",
            "--rate",
            "200",
            "--format",
            "raw",
            "--output",
            str(target),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1.0)  # py-spy attaches before the load starts
    return proc


def stop_profile(proc: subprocess.Popen[bytes] | None) -> None:
    if proc is None:
        return
    proc.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# ----- another FHIR server (--peer) ------------------------------------------------------------


def r4_websocket_subscriptions(base: str, tok: str) -> bool:
    """Whether the peer offers R4 websocket Subscriptions: its CapabilityStatement says so (a
    Subscription resource that can be created and the ``get-ws-binding-token`` operation), or,
    when it lists Subscription as creatable without naming the operation (Medplum 5.0 does
    not name it), a websocket Subscription it accepts answers ``$get-ws-binding-token`` with a
    websocket URL (the probe's Subscription is deleted again)."""
    import httpx

    headers = {"Accept": "application/fhir+json"}
    if tok:
        headers["Authorization"] = f"Bearer {tok}"
    root = base.rstrip("/")
    cap = httpx.get(f"{root}/metadata", headers=headers, timeout=30).json()
    creatable = False
    for rest in cap.get("rest", []):
        for res in rest.get("resource", []):
            if res.get("type") != "Subscription":
                continue
            creates = any(i.get("code") == "create" for i in res.get("interaction", []))
            ops = {
                str(o.get(k, "")).rsplit("/", 1)[-1].lstrip("$")
                for o in res.get("operation", [])
                for k in ("name", "definition")
            }
            if creates and any(o.endswith("get-ws-binding-token") for o in ops):
                return True
            creatable = creatable or creates
    if not creatable:
        return False
    probe = {
        "resourceType": "Subscription",
        "status": "active",
        "reason": "server_bench probe",
        "criteria": "Observation?code=http://loinc.org|8867-4",
        "channel": {"type": "websocket"},
    }
    with httpx.Client(headers=headers, timeout=30) as http:
        made = http.post(f"{root}/Subscription", json=probe)
        if made.status_code not in (200, 201):
            return False
        sid = made.json().get("id")
        try:
            answer = http.get(f"{root}/Subscription/{sid}/$get-ws-binding-token")
            if answer.status_code != 200:
                return False
            return str(_param(answer.json(), "websocket-url") or "").startswith("ws")
        finally:
            http.delete(f"{root}/Subscription/{sid}")


def run_peer(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    """The same workload against another server, through standard FHIR R4 only."""
    started: Backend | None = None
    base, tok, pid = args.peer, args.peer_token or "", args.peer_pid
    if args.peer == "self-plain-r4":
        db_url = f"sqlite:///{tmp / 'peer.sqlite'}"
        print("[peer] starting a second dho-server, --profile plain-r4 ...")
        # One seeded patient only for the accounts (the service client's token); the data the
        # workload uses are created through the REST API below, as on any peer.
        started = Backend(
            "--db",
            db_url,
            "--profile",
            "plain-r4",
            "--seed-patients",
            "1",
            "--history-days",
            "1",
            "--no-simulate",
            "--auth",
            "on",
            log_path=tmp / "backend-peer.log",
        )
        base, pid = started.base_url, started.proc.pid
        try:
            tok = token(db_url, "dho-integration")
        except BaseException:
            started.stop()
            raise
    results: dict[str, Any] = {"kind": "peer", "base": base, "workers": 1}
    try:
        if pid:
            results["mem_idle"] = memory(pid)
        if not args.peer_no_seed:
            print(
                f"[peer] creating {args.peer_patients} Patients x {args.peer_per_patient} "
                f"Observations + 1 ServiceRequest each by POST ..."
            )
            results["seed"] = phase(
                "seed-r4",
                base,
                tok,
                "--connections",
                str(args.connections),
                "--patients",
                str(args.peer_patients),
                "--per-patient",
                str(args.peer_per_patient),
                "--days",
                str(args.peer_days),
            )
            print(f"[peer] seeded in {results['seed']['seconds']:.0f} s")
        run_phases(results, "peer", base, tok, pid, args, ws_phase="ws-r4")
    finally:
        if started is not None:
            started.stop()
    return results


def _better(ours: float | None, peer: float | None, higher_is_better: bool) -> str:
    if not ours or not peer or ours != ours or peer != peer:
        return ""
    ratio = ours / peer if higher_is_better else peer / ours
    return f"{ratio:.2f}x"


def _fmt(value: float | None, unit: str) -> str:
    return "" if value is None else f"{value:.1f} {unit}"


def comparison(ours: dict[str, Any], peer: dict[str, Any], client: str) -> str:
    """Ours beside the peer, with how many times better ours is (>1: ours is ahead)."""
    rows: list[tuple[str, float | None, float | None, bool, str]] = []

    def pick(r: dict[str, Any], *path: str) -> float | None:
        value: Any = r
        for key in path:
            if not isinstance(value, dict) or key not in value:
                return None
            value = value[key]
        return float(value)

    rows.append(
        (
            "ingest POST/s (ours: with rules)",
            pick(ours, f"ingest_{client}", "rate"),
            pick(peer, f"ingest_{client}", "rate"),
            True,
            "/s",
        )
    )
    for name, key, label in (
        ("search", "serial", "search last 100 of a patient"),
        ("put", "serial_put", "PUT with If-Match after a read"),
    ):
        for p in ("p50_ms", "p99_ms"):
            rows.append(
                (
                    f"{label}, {p[:3]}",
                    pick(ours, f"{name}_{client}", key, p),
                    pick(peer, f"{name}_{client}", key, p),
                    False,
                    "ms",
                )
            )
    for p in ("p50_ms", "p99_ms"):
        rows.append(
            (
                f"POST -> WebSocket, {p[:3]}",
                pick(ours, "ws", "all", p),
                pick(peer, "ws", "all", p),
                False,
                "ms",
            )
        )
    rows.append(
        (
            "server RSS at the end",
            pick(ours, "mem_end", "VmRSS"),
            pick(peer, "mem_end", "VmRSS"),
            False,
            "MiB",
        )
    )
    db = ours["kind"] + (f" ({ours['workers']} workers)" if ours["workers"] > 1 else "")
    lines = [
        f"### ours ({db}) vs peer {peer['base']} ({client} client)",
        "",
        "| figure | ours | peer | ours better by |",
        "| --- | --- | --- | --- |",
    ]
    for label, a, b, higher, unit in rows:
        peer_text = _fmt(b, unit)
        if b is None and label.startswith("POST -> WebSocket"):
            peer_text = peer.get("ws_note", "not measured")
        elif b is None and label.startswith("server RSS"):
            peer_text = "not measured (no --peer-pid)"
        lines.append(f"| {label} | {_fmt(a, unit)} | {peer_text} | {_better(a, b, higher)} |")
    ws = peer.get("ws")
    if ws:
        lines.append(
            f"\npeer POST -> WebSocket over {ws['sockets']} R4 websocket Subscriptions: "
            f"{ws['all']['n']} deliveries, {ws['timeouts']} timeouts"
        )
    return "\n".join(lines)


def seeded_file(patients: int, days: int, folder: Path) -> tuple[Path, float | None]:
    """``folder/p{patients}-d{days}.sqlite``, seeded by ``dho-server --seed-patients`` (the
    fastest path: bulk inserts with the indexes built afterwards) unless it is there already;
    returns it and the seconds seeding took (None when it was reused)."""
    path = folder / f"p{patients}-d{days}.sqlite"
    if path.exists():
        return path, None
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f"seeding-p{patients}-d{days}.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    t = time.perf_counter()
    print(f"[curve] seeding {patients} patients x {days} days into {path} ...")
    seeder = Backend(
        "--db",
        f"sqlite:///{partial}",
        "--seed-patients",
        str(patients),
        "--history-days",
        str(days),
        "--no-simulate",
        "--auth",
        "on",
        log_path=folder / f"seed-p{patients}-d{days}.log",
    )
    seeder.stop()  # closing the last connection checkpoints the WAL into the file
    took = time.perf_counter() - t
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    partial.rename(path)
    print(f"[curve] seeded in {took:.0f} s (load avg {loadavg()})")
    return path, took


def run_curve(args: argparse.Namespace, tmp: Path) -> list[dict[str, Any]]:
    """The SQLite figures for each patient count of ``--curve`` (copies of seeded files)."""
    out = []
    folder = Path(args.seed_cache)
    for n in args.curve:
        path, took = seeded_file(n, args.days, folder)
        args.seeded_sqlite = str(path)
        args.patients = n
        run_tmp = tmp / f"curve-{n}"
        run_tmp.mkdir()
        r = run_one("sqlite", args, run_tmp)
        r["patients"] = n
        r["kind"] = f"sqlite, {n} patients x {args.days} d"
        r["seed_s"] = took
        r["db_mib"] = path.stat().st_size / 2**20
        out.append(r)
    return out


def curve_report(rows: list[dict[str, Any]], days: int, client: str) -> str:
    lines = [
        f"### SQLite, {days} days of history, by patient count ({client} client)",
        "",
        "| patients | DB MiB | seeding s | ingest/s | search p50 / p99 ms | PUT p50 / p99 ms "
        "| WS p50 / p99 ms | RSS end MiB | load avg (ingest) | start-up passes CPU / wall s |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        ing, se, pu, ws = r[f"ingest_{client}"], r[f"search_{client}"], r[f"put_{client}"], r["ws"]
        seed = "cached" if r["seed_s"] is None else f"{r['seed_s']:.0f}"
        up = r.get("startup")
        startup = f"{up['cpu_s']:.1f} / {up['wall_s']:.1f}" if up else "not waited for"
        lines.append(
            f"| {r['patients']} | {r['db_mib']:.0f} | {seed} | {ing['rate']:.0f} | "
            f"{se['serial']['p50_ms']:.1f} / {se['serial']['p99_ms']:.1f} | "
            f"{pu['serial_put']['p50_ms']:.1f} / {pu['serial_put']['p99_ms']:.1f} | "
            f"{ws['all']['p50_ms']:.1f} / {ws['all']['p99_ms']:.1f} | "
            f"{r['mem_end']['VmRSS']:.0f} | {ing['loadavg']} | {startup} |"
        )
    return "\n".join(lines)


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def _lat(d: dict[str, Any]) -> str:
    return f"p50 {d['p50_ms']:.1f} ms, p99 {d['p99_ms']:.1f} ms"


def report(all_results: list[dict[str, Any]]) -> str:
    lines = [
        f"machine: {machine()}",
        f"date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        "",
        "| database | figure | value | target | | load avg |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in all_results:
        db = r["kind"] + (f" ({r['workers']} workers)" if r["workers"] > 1 else "")
        rows: list[tuple[str, str, str, str, str]] = [
            ("start + seed", f"{r['start_s']:.0f} s", "", "", ""),
            (
                "server RSS idle after seeding (peak)",
                f"{r['mem_idle']['VmRSS']:.0f} MiB ({r['mem_idle']['VmHWM']:.0f} MiB)",
                "",
                "",
                "",
            ),
        ]
        for client in ("httpx", "raw"):
            ing = r.get(f"ingest_{client}")
            if ing is None:
                continue
            mem = r[f"mem_after_ingest_{client}"]
            rows += [
                (
                    f"ingest with rules, 8 conn., {client} client",
                    f"{ing['rate']:.0f}/s ({ing['created']} in {ing['seconds']:.1f} s; POST "
                    f"{_lat(ing)}; server CPU {ing['server_cpu_ms_per_request']:.2f} ms/POST; "
                    f"statuses {ing['statuses']})",
                    ">= 500/s",
                    verdict(ing["rate"] >= 500),
                    ing["loadavg"],
                ),
                (
                    f"server RSS after the {client} ingest (peak)",
                    f"{mem['VmRSS']:.0f} MiB ({mem['VmHWM']:.0f} MiB)",
                    "",
                    "",
                    "",
                ),
            ]
        for client in ("httpx", "raw"):
            se = r.get(f"search_{client}")
            pu = r.get(f"put_{client}")
            if se is None or pu is None:
                continue
            rows += [
                (
                    f"search last 100 Obs of a patient, 1 at a time, {client}",
                    f"{_lat(se['serial'])} ({se['entries_p50']:.0f} entries)",
                    "p50 <= 5 ms",
                    verdict(se["serial"]["p50_ms"] <= 5),
                    se["loadavg"],
                ),
                (
                    f"search, 8 conn. at once, {client}",
                    f"{_lat(se['concurrent'])}, {se['concurrent']['rate']:.0f}/s",
                    "(info)",
                    "",
                    se["loadavg"],
                ),
                (
                    f"PUT with If-Match after a read, 1 at a time, {client}",
                    f"{_lat(pu['serial_put'])} (read p50 {pu['serial_read']['p50_ms']:.1f} ms)",
                    "p50 <= 5 ms",
                    verdict(pu["serial_put"]["p50_ms"] <= 5),
                    pu["loadavg"],
                ),
                (
                    f"read + PUT, 8 conn. at once, {client}",
                    f"PUT {_lat(pu['concurrent_put'])}, {pu['concurrent_put']['rate']:.0f} "
                    f"read+PUT/s, {pu['stale_412']} x 412",
                    "(info)",
                    "",
                    pu["loadavg"],
                ),
            ]
        ws = r["ws"]
        rows += [
            (
                f"POST -> WebSocket, {ws['sockets']} subscribers",
                f"{_lat(ws['all'])} (/ws/notifications p50 {ws['notifications']['p50_ms']:.1f},"
                f" Subscriptions p50 {ws['subscription']['p50_ms']:.1f} ms; {ws['all']['n']} "
                f"deliveries, {ws['timeouts']} timeouts)",
                "p50 <= 5 ms, p99 <= 15 ms",
                verdict(ws["all"]["p50_ms"] <= 5 and ws["all"]["p99_ms"] <= 15),
                ws["loadavg"],
            ),
            ("server RSS at the end", f"{r['mem_end']['VmRSS']:.0f} MiB", "", "", ""),
        ]
        lines += [f"| {db} | {a} | {b} | {c} | {d} | {e} |" for a, b, c, d, e in rows]
    return "\n".join(lines)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", choices=["sqlite", "postgres", "both", "none"], default="both")
    p.add_argument("--patients", type=int, default=1000)
    p.add_argument("--days", type=int, default=30)
    p.add_argument("--connections", type=int, default=8)
    p.add_argument("--ingest-count", type=int, default=15000)
    p.add_argument("--seconds", type=float, default=30.0, help="longest ingest run")
    p.add_argument("--subscribers", type=int, default=10)
    p.add_argument("--warmup", type=int, default=1000, help="POSTs before the timed ingest")
    p.add_argument(
        "--clock-ahead",
        type=float,
        default=0.0,
        help="start the server's clock this many hours after now (with --seeded-sqlite or "
        "--curve: the seed's patients are that many hours overdue)",
    )
    p.add_argument(
        "--settle",
        type=float,
        default=0.0,
        help="wait up to this many seconds for the server's start-up passes to finish "
        "before the warm-up (0: start at once, as the earlier runs did)",
    )
    p.add_argument(
        "--clients",
        default="httpx,raw",
        help="load-generator HTTP clients, comma-separated: httpx (~1.5 ms CPU per request on "
        "this kind of machine, taken from the server's 2 cores) and/or raw (a minimal asyncio "
        "HTTP/1.1 client)",
    )
    p.add_argument("--pg-url", default=os.environ.get("DHO_BENCH_POSTGRES_URL", PG_DEFAULT))
    p.add_argument("--workers", type=int, default=1, help="dho-server --workers (PostgreSQL)")
    p.add_argument(
        "--pg-keep",
        default=None,
        metavar="NAME",
        help="use this database on the local PostgreSQL server and keep it: seeded on first "
        "use, reused as it is afterwards (--patients and --days then only label the run)",
    )
    p.add_argument(
        "--profile",
        default=None,
        metavar="DIR",
        help="record py-spy (200 Hz, --gil, raw) on the server and its workers during each "
        "timed ingest, one file per database into DIR",
    )
    p.add_argument("--seeded-sqlite", default=None, help="copy this seeded SQLite file instead")
    p.add_argument("--json", default=None, help="also write the raw figures here")
    p.add_argument(
        "--peer",
        default=None,
        help="another FHIR R4 server's base URL on 127.0.0.1 to run the same workload against, "
        "or self-plain-r4 (a second instance of this server in --profile plain-r4)",
    )
    p.add_argument("--peer-token", default=None, help="a bearer token for the peer")
    p.add_argument("--peer-pid", type=int, default=None, help="the peer's process (for its RSS)")
    p.add_argument("--peer-patients", type=int, default=300)
    p.add_argument("--peer-per-patient", type=int, default=100, help="Observations per patient")
    p.add_argument("--peer-days", type=int, default=30)
    p.add_argument("--peer-no-seed", action="store_true", help="use the peer's data as it is")
    p.add_argument(
        "--curve",
        default=None,
        help="patient counts, comma-separated (e.g. 1000,3000,10000): the SQLite figures for "
        "each, from seeded files kept in --seed-cache, printed as a curve",
    )
    p.add_argument("--seed-cache", default=str(Path(tempfile.gettempdir()) / "dho-bench-seeds"))
    args = p.parse_args()
    if args.curve:
        args.curve = [int(n) for n in args.curve.split(",") if n]
        args.clients = [c for c in args.clients.split(",") if c]
        with tempfile.TemporaryDirectory(prefix="dho-server-curve-") as tmp_name:
            rows = run_curve(args, Path(tmp_name))
        if args.json:
            Path(args.json).write_text(json.dumps(rows, indent=1))
        print(f"machine: {machine()}")
        print(f"date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}")
        print(report(rows))
        for client in args.clients:
            print()
            print(curve_report(rows, args.days, client))
        return 0
    kinds = {"both": ["sqlite", "postgres"], "none": []}.get(args.db, [args.db])
    args.clients = [c for c in args.clients.split(",") if c]
    results = []
    with tempfile.TemporaryDirectory(prefix="dho-server-bench-") as tmp_name:
        for kind in kinds:
            results.append(run_one(kind, args, Path(tmp_name)))
        peer = run_peer(args, Path(tmp_name)) if args.peer else None
    if args.json:
        Path(args.json).write_text(json.dumps(results + ([peer] if peer else []), indent=1))
    if results:
        print(report(results))
    if peer is not None:
        print(f"\npeer {peer['base']}: load avg {loadavg()}")
        if "seed" in peer:
            seed = peer["seed"]
            print(f"seeded by POST: {seed['resources']} resources in {seed['seconds']:.0f} s")
        for ours in results or [{"kind": "(none)", "workers": 1}]:
            for client in args.clients:
                print()
                print(comparison(ours, peer, client))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
