"""Abuse the real backend with 10,000 fuzzed requests and print its memory (issue 10).

    python benchmarks/server_fuzz.py [--requests 10000] [--patients 100] [--db sqlite|postgres]

Starts ``dho-server`` (auth on, ``--no-simulate``, seeded), then sends, from one keep-alive
connection, a seeded random mix (the same every run):

- searches on every type with random parameters (dates with any UTC offset, ``_count`` up to
  10^6, ``_revinclude``, ``_include``, unknown names), ``$lastn`` and ``_history`` with large
  counts;
- creates with garbage, deeply nested, oversized (2-12 MB, answered 413) and *near-limit*
  bodies (~0.9 MB Observations, which are stored: afterwards every search over them must page
  instead of answering hundreds of MB, as it did before);
- updates with odd If-Match values, random paths and methods, odd headers (Authorization
  garbage, Content-Type, If-None-Exist);

half as a nurse of one department (access checks on every request), half as the
administrator. It counts answers by status (any 5xx fails the run), samples the server's RSS
every 100 requests, and prints the RSS at the end and its peak (VmHWM), with the largest
answer seen. Target: RSS < 400 MB after the 10,000 requests.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, machine, memory, token, user_env

from server.store.registry import RESOURCE_TYPES

TYPES = sorted(RESOURCE_TYPES)
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


class Fuzzer:
    def __init__(self, rng: random.Random, patients: list[str]) -> None:
        self.rng = rng
        self.patients = patients

    def text(self, n: int = 12) -> str:
        alphabet = "abcæøåÅ0123456789|:,-$_.*%&= \x00\u202e\U0001f600"
        return "".join(self.rng.choice(alphabet) for _ in range(self.rng.randint(0, n)))

    def ascii(self, n: int = 12) -> str:
        alphabet = "abcXYZ0123456789|:,-$_.*%&=; "
        text = "".join(self.rng.choice(alphabet) for _ in range(self.rng.randint(0, n)))
        return text.strip()  # (a header value cannot start or end with a blank)

    def date(self) -> str:
        r = self.rng
        prefix = r.choice(["", "ge", "lt", "sa", "eb", "ap", "ne", "xx"])
        tz = r.choice(["", "Z", f"{r.choice('+-')}{r.randint(0, 99):02d}:{r.randint(0, 99):02d}"])
        return (
            f"{prefix}{r.randint(0, 9999):04d}-{r.randint(0, 13):02d}-{r.randint(0, 32):02d}"
            f"T{r.randint(0, 25):02d}:{r.randint(0, 61):02d}:00{tz}"
        )

    def params(self, res_type: str) -> list[tuple[str, str]]:
        r = self.rng
        names = [*RESOURCE_TYPES[res_type].by_name, "_id", "_lastUpdated", "_count", "_sort"]
        out = []
        for _ in range(r.randint(0, 4)):
            name = r.choice([*names, "_revinclude", "_include", "_elements", self.text(6)])
            value = r.choice(
                [
                    self.date(),
                    self.text(),
                    str(r.randint(-5, 10**6)),
                    f"Patient/{r.choice(self.patients)}",
                    "http://loinc.org|8867-4",
                    "Observation:subject",
                    "*",
                ]
            )
            if name == "_count":
                value = str(r.choice([0, 1, 1000, 10**6]))
            out.append((name, value))
        return out

    def observation(self, notes: int = 0) -> dict[str, Any]:
        body: dict[str, Any] = {
            "resourceType": "Observation",
            "status": "final",
            "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]},
            "subject": {"reference": f"Patient/{self.rng.choice(self.patients)}"},
            "effectiveDateTime": "2026-01-01T10:00:00Z",
            "valueQuantity": {"value": self.rng.randint(30, 200), "unit": "/min"},
        }
        if notes:
            body["note"] = [{"text": "n" * 30_000} for _ in range(notes)]
        return body

    def body(self, res_type: str) -> bytes:
        r = self.rng
        kind = r.choices(
            ["valid", "near-limit", "garbage", "deep", "huge", "mutated"],
            weights=[30, 8, 15, 7, 4, 36],
        )[0]
        if kind == "valid":
            return json.dumps(self.observation()).encode()
        if kind == "near-limit":
            return json.dumps(self.observation(notes=29)).encode()  # ~0.9 MB, stored
        if kind == "garbage":
            return bytes(r.randrange(256) for _ in range(r.randint(0, 300)))
        if kind == "deep":
            depth = r.randint(100, 50_000)
            return b'{"resourceType":"Observation","x":' + b"[" * depth + b"]" * depth + b"}"
        if kind == "huge":
            size = r.randint(2, 12) << 20
            return json.dumps({**self.observation(), "note": [{"text": "h" * size}]}).encode()
        body: dict[str, Any] = {"resourceType": r.choice([res_type, "Patient", "", None])}
        for key in r.sample(["subject", "status", "code", "id", "meta", "identifier", "x"], 3):
            body[key] = r.choice(
                [self.text(), r.randint(-(2**70), 2**70), None, [], {}, {"reference": self.text()}]
            )
        return json.dumps(body).encode()

    def request(self) -> tuple[str, str, dict[str, Any]]:
        r = self.rng
        res_type = r.choice(TYPES)
        roll = r.random()
        if roll < 0.30:
            return "GET", f"/fhir/{res_type}", {"params": self.params(res_type)}
        if roll < 0.36:
            return (
                "GET",
                r.choice(["/fhir/Observation", "/fhir/Observation/$lastn", "/fhir/_history"]),
                {"params": [("_count", "1000"), ("max", "1000")][: r.randint(0, 2)]},
            )
        if roll < 0.62:
            headers = {"Content-Type": r.choice(["application/fhir+json", "text/plain", ""])}
            if r.random() < 0.2:
                headers["If-None-Exist"] = r.choice(["identifier=urn:x|1", self.ascii(), "&&"])
            t = "Observation" if r.random() < 0.6 else res_type
            return "POST", f"/fhir/{t}", {"content": self.body(t), "headers": headers}
        if roll < 0.72:
            pid = r.choice(self.patients)
            return (
                "PUT",
                f"/fhir/Patient/{pid}",
                {
                    "content": self.body("Patient"),
                    "headers": {"If-Match": r.choice(['W/"1"', "*", self.ascii(5), '"99"'])},
                },
            )
        if roll < 0.84:
            segments = [r.choice([*TYPES, "_history", "$lastn", self.text(8), "9" * 30])]
            segments += [r.choice([self.text(6), "1", "_history", "$everything"])][
                : r.randint(0, 1)
            ]
            method = r.choice(["GET", "DELETE", "PATCH", "OPTIONS", "HEAD", "POST"])
            return method, "/fhir/" + "/".join(quote(x, safe="$") for x in segments), {}
        headers = {
            r.choice(
                ["Authorization", "Prefer", "Accept", "If-Match", "X-Forwarded-For"]
            ): r.choice(["Bearer a.b.c", "Basic !!", "return=minimal", "*", "abc", "-1"])
        }
        return "GET", f"/fhir/{res_type}", {"headers": headers, "replace_auth": True}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--requests", type=int, default=10_000)
    p.add_argument("--patients", type=int, default=100)
    p.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    p.add_argument("--seed", type=int, default=10)
    args = p.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="dho-fuzz-"))
    if args.db == "sqlite":
        db_url = f"sqlite:///{tmp / 'dho.sqlite'}"
    else:
        import uuid

        import psycopg

        name = f"dho_fuzz_{uuid.uuid4().hex[:8]}"
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        db_url = PG_DEFAULT.rsplit("/", 1)[0] + f"/{name}"
    log = (tmp / "backend.log").open("wb")
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "server.cli",
            "--port",
            "0",
            "--db",
            db_url,
            "--seed-patients",
            str(args.patients),
            "--history-days",
            "7",
            "--no-simulate",
            "--auth",
            "on",
        ],
        stdout=subprocess.PIPE,
        stderr=log,
        cwd=ROOT,
        env=user_env(),
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().decode()
    match = re.search(r"listening on (\S+)/fhir", line)
    if match is None:
        print(f"backend did not start: {line!r}; see {tmp / 'backend.log'}")
        return 2
    root = match.group(1)
    print(f"machine: {machine()}")
    print(f"started and seeded {args.patients} patients in {time.perf_counter() - t0:.1f} s")
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    samples: list[float] = []
    largest = 0
    try:
        admin = {"Authorization": f"Bearer {token(db_url, 'admin')}"}
        nurse = {"Authorization": f"Bearer {token(db_url, 'geirtjessem')}"}
        with httpx.Client(base_url=root, timeout=120) as http:
            patients = [
                e["resource"]["id"]
                for e in http.get("/fhir/Patient?_count=1000", headers=admin).json()["entry"]
            ]
            fuzz = Fuzzer(random.Random(args.seed), patients)
            start_rss = memory(proc.pid)["VmRSS"]
            t1 = time.perf_counter()
            for i in range(args.requests):
                method, path, options = fuzz.request()
                who = admin if i % 2 else nurse
                headers = dict(who)
                extra = options.pop("headers", {})
                if options.pop("replace_auth", False):
                    headers = {}
                headers.update(extra)
                try:
                    r = http.request(method, path, headers=headers, **options)
                except httpx.HTTPError as exc:
                    statuses[0] += 1
                    big = len(options.get("content") or b"") > 1 << 20
                    if not big:  # (a 413 may close the connection mid-upload: that is fine)
                        failures.append(f"{method} {path}: {type(exc).__name__}: {exc}")
                    continue
                statuses[r.status_code] += 1
                largest = max(largest, len(r.content))
                if r.status_code >= 500:
                    failures.append(f"{method} {path} -> {r.status_code}: {r.text[:200]}")
                if i % 100 == 0:
                    samples.append(memory(proc.pid)["VmRSS"])
            elapsed = time.perf_counter() - t1
            # The abuse the issue found: one search over everything stored, large ones included.
            url: str | None = "/fhir/Observation?_count=1000&_sort=-_lastUpdated"
            pages = 0
            while url and pages < 40:
                r = http.get(url, headers=admin)
                largest = max(largest, len(r.content))
                pages += 1
                nxt = [x["url"] for x in r.json()["link"] if x["relation"] == "next"]
                url = nxt[0] if nxt else None
            end = memory(proc.pid)
        print(f"requests: {args.requests} in {elapsed:.1f} s ({args.requests / elapsed:.0f}/s)")
        print("(status 0: the server answered 413 and closed while a >1 MiB body was sent)")
        print("answers by status: " + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())))
        print(f"5xx answers: {sum(v for k, v in statuses.items() if k >= 500)}")
        print(f"largest answer: {largest / 2**20:.1f} MiB (a 40-page walk over Observations)")
        print(f"server RSS before: {start_rss:.0f} MiB")
        print(f"server RSS after {args.requests} requests: {end['VmRSS']:.0f} MiB (target < 400)")
        print(f"server RSS peak (VmHWM): {end['VmHWM']:.0f} MiB; max sampled {max(samples):.0f}")
        print(
            f"  of which at the end: anonymous {end['RssAnon']:.0f} MiB, file-backed (the "
            f"database's mmap, reclaimable) {end['RssFile']:.0f} MiB"
        )
        for failure in failures[:10]:
            print("FAIL", failure)
        ok = not failures and end["VmRSS"] < 400
        print("RESULT:", "ok" if ok else "FAILED")
        return 0 if ok else 1
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        proc.stdout.close()
        log.close()


if __name__ == "__main__":
    sys.exit(main())
