"""No token, password, client secret or fødselsnummer in the real backend's log at debug level
with the access log on (issue 10): the WebSocket query string, identifier searches, the sign-in
form, the token endpoint and Basic credentials are all exercised, then the log is read."""

from __future__ import annotations

import base64
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from websockets.sync.client import connect

from server.logsafe import redact
from tests.backend import ROOT, _child_env, start_backend
from tests.server.test_auth_helpers import exchange, login

FNR_SYSTEM = "urn:oid:2.16.578.1.12.4.1.4.1"
PASSWORD = "Sv4rt-hemmelig-passord"


@pytest.mark.slow
def test_no_secret_or_identifier_reaches_the_log(tmp_path: Path) -> None:
    backend = start_backend(
        tmp_path, seed_patients=12, auth=True, extra_args=["--log-level", "debug", "--access-log"]
    )
    secrets: list[str] = [PASSWORD, "trening-integrasjon"]
    try:
        admin = backend.token("admin")
        secrets.append(admin)
        headers = {"Authorization": f"Bearer {admin}"}
        root = backend.base_url.rsplit("/fhir", 1)[0]
        with httpx.Client(base_url=root, timeout=15) as http:
            patients = http.get("/fhir/Patient?_count=3", headers=headers).json()["entry"]
            numbers = [
                i["value"]
                for e in patients
                for i in e["resource"]["identifier"]
                if i["system"] == FNR_SYSTEM
            ]
            secrets += numbers
            for number in numbers:
                r = http.get(f"/fhir/Patient?identifier={FNR_SYSTEM}|{number}", headers=headers)
                assert r.status_code == 200 and r.json()["total"] == 1
                http.get(f"/fhir/Observation?patient.identifier={number}", headers=headers)
            # A user with a real password signs in: form, code, verifier, refresh token.
            done = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "server.cli",
                    "passwd",
                    "egilnorheim",
                    "--db",
                    backend.db_url,
                ],
                input=PASSWORD + "\n",
                capture_output=True,
                text=True,
                cwd=ROOT,
                env=_child_env(),
                timeout=60,
            )
            assert done.returncode == 0, done.stderr
            response, verifier = login(http, "egilnorheim", PASSWORD)
            assert response.status_code == 303, response.text
            code = response.headers["location"].split("code=")[1].split("&")[0]
            tokens = exchange(http, code, verifier)
            secrets += [code, verifier, tokens["access_token"], tokens["refresh_token"]]
            again = http.post(
                "/oauth2/token",
                data={
                    "grant_type": "refresh_token",
                    "refresh_token": tokens["refresh_token"],
                    "client_id": "dho-console",
                },
            ).json()
            secrets += [again["access_token"], again["refresh_token"]]
            login(http, "egilnorheim", "feil-" + PASSWORD)  # a wrong password, logged nowhere
            basic = base64.b64encode(b"dho-integration:trening-integrasjon").decode()
            service = http.post(
                "/oauth2/token",
                data={"grant_type": "client_credentials"},
                headers={"Authorization": f"Basic {basic}"},
            ).json()
            secrets += [basic, service["access_token"]]
            # A bad token is refused (and its text not echoed to the log either).
            http.get("/fhir/Patient", headers={"Authorization": "Bearer eyJmYWtl.eyJ4.c2ln"})
        # Browsers put the token in the WebSocket URL: the access log must not keep it.
        ws_url = f"{backend.ws_url}?types=Observation&access_token={admin}"
        with connect(ws_url, open_timeout=10) as ws:
            assert '"handshake"' in str(ws.recv(timeout=10))
    finally:
        backend.stop()
    log = backend.stderr_text()
    assert "GET /fhir/Patient?identifier=" in log  # the access log is on and was written
    assert "[redacted]" in log
    for secret in secrets:
        for part in {secret, secret[-24:]} if len(secret) > 24 else {secret}:
            assert part not in log, f"a secret ({len(secret)} characters) reached the log"


def test_redaction_covers_trace_dumps_and_reprs() -> None:
    """uvicorn's trace level logs ASGI scopes (headers, query strings) and messages."""
    token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"
    samples = [
        f"ASGI [1] Started scope={{'headers': [(b'authorization', b'Bearer {token}')],"
        " 'query_string': b'identifier=urn%3Aoid%3A2.16.578.1.12.4.1.4.1%7C06848598079'}",
        "b'grant_type=refresh_token&refresh_token=Zx9_abc-123xyz&client_id=dho-console'",
        '{"access_token": "abc.def.ghi", "refresh_token": "r3fr3sh", "password": "pw1"}',
        "username=kari&password=Hemmelig%21&request=abc",
        "Authorization: Basic ZGhvLWludGVncmF0aW9uOnRyZW5pbmc=",
        "fødselsnummer 06848598079 i teksten",
    ]
    for sample in samples:
        out = redact(sample)
        for secret in (token, "06848598079", "Zx9_abc-123xyz", "r3fr3sh", "pw1", "Hemmelig"):
            assert secret not in out, out
        assert "ZGhvLWludGVncmF0aW9uOnRyZW5pbmc" not in out
