"""No secret or identifier in any log, at any level: a filter that rewrites every record.

Installed on every handler of ``dho-server`` (uvicorn's access and error logs included, whose
access lines carry query strings and whose ``trace`` level dumps headers and bodies). It
redacts

- bearer and basic credentials, JWTs anywhere (``eyJ...``), and the values of secret-carrying
  fields in queries, forms, JSON and Python reprs: ``access_token``, ``refresh_token``,
  ``token``, ``code``, ``code_verifier``, ``password``, ``client_secret``, ``authorization``;
- every query parameter value except a short list of harmless ones (``_count``, ``_sort``...),
  so identifier searches (``identifier=urn:oid:2.16.578.1.12.4.1.4.1|<fødselsnummer>``,
  ``patient.identifier``, chained parameters) never reach a log;
- any run of exactly 11 digits (a fødselsnummer or D-number), wherever it appears;
- the payload of WebSocket frames logged at debug level (resources: names, messages).

The record's message is formatted once, redacted, and stored back without arguments.
"""

from __future__ import annotations

import logging
import re
from typing import Final
from urllib.parse import parse_qsl, quote

REDACTED: Final = "[redacted]"
#: Query parameters whose values are kept in access logs (they name no one).
SAFE_PARAMS: Final = frozenset(
    {
        "_count",
        "_sort",
        "_summary",
        "_total",
        "_format",
        "_pretty",
        "_elements",
        "_include",
        "_revinclude",
        "_lastUpdated",
        "_since",
        "_cursor",
        "types",
        "max",
        "category",
        "status",
        "date",
        "content",
        "eventsSinceNumber",
        "eventsUntilNumber",
        "response_type",
        "client_id",
        "scope",
        "code_challenge_method",
        "ui_locales",
    }
)
_SECRET_NAMES = (
    r"access_token|refresh_token|id_token|token|code_verifier|code|password|client_secret|"
    r"authorization|state|login_hint"
)
# name=value (queries, forms), "name": "value" (JSON), 'name': 'value' / b'name', b'value'
_PAIR = re.compile(
    rf"(?i)(?P<key>(?:\b|_)(?:{_SECRET_NAMES}))(?P<sep>=|[\"']?\s*[:,]\s*b?[\"']|\s*=\s*b?[\"'])"
    r"(?!\[redacted\])(?P<value>[^&\s\"',;)}\]]+)"
)
_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+(?!\[redacted\])[A-Za-z0-9\-._~+/]+=*")
_JWT = re.compile(r"\beyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+(?:\.[A-Za-z0-9_\-]*)?")
_FNR = re.compile(r"(?<!\d)\d{11}(?!\d)")
# WebSocket frames at debug level carry whole resources (names, messages): only their size.
_FRAME_DATA = re.compile(r"data=b(?P<q>['\"])(?:\\.|(?!(?P=q)).)*(?P=q)")
# A request target in an access line: "GET /fhir/Patient?identifier=... HTTP/1.1"
_TARGET = re.compile(r"(?P<path>/[^\s?\"]*)\?(?P<query>[^\s\"]*)")


def _query(match: re.Match[str]) -> str:
    try:
        pairs = parse_qsl(match.group("query"), keep_blank_values=True)
    except ValueError:
        return f"{match.group('path')}?{REDACTED}"
    kept = []
    for name, value in pairs:
        shown = value if name in SAFE_PARAMS else REDACTED
        kept.append(f"{quote(name, safe=':._-')}={quote(shown, safe='|:/,._-[]')}")
    return f"{match.group('path')}?{'&'.join(kept)}"


def redact(text: str) -> str:
    """``text`` with credentials, query values and fødselsnummer replaced."""
    if not text:
        return text
    text = _FRAME_DATA.sub(lambda m: f"data=<{len(m.group(0)) - 8} bytes>", text)
    text = _TARGET.sub(_query, text)
    text = _BEARER.sub(lambda m: f"{m.group(1)} {REDACTED}", text)
    text = _JWT.sub(REDACTED, text)
    text = _PAIR.sub(lambda m: f"{m.group('key')}{m.group('sep')}{REDACTED}", text)
    return _FNR.sub(REDACTED, text)


def _safe_arg(value: object) -> object:
    if isinstance(value, bool | int | float) or value is None:
        return value
    return redact(value if isinstance(value, str) else repr(value))


class RedactingFilter(logging.Filter):
    """Rewrites each record's message (and exception text) through :func:`redact`."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args:
            # Keep the arguments (uvicorn's access formatter unpacks them), each redacted.
            record.args = tuple(_safe_arg(a) for a in record.args)
            record.msg = redact(str(record.msg))
        else:
            try:
                message = record.getMessage()
            except Exception:  # a bad format string: log what we can, redacted
                message = f"{record.msg!r} {record.args!r}"
            record.msg = redact(message)
            record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
            record.exc_info = None  # formatters would render it again, unredacted
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def install(
    logger_names: tuple[str, ...] = ("", "uvicorn", "uvicorn.error", "uvicorn.access"),
) -> None:
    """Put the filter on every handler of these loggers (and on the loggers themselves)."""
    flt = RedactingFilter()
    for name in logger_names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(flt)
        for handler in logger.handlers:
            if not any(isinstance(f, RedactingFilter) for f in handler.filters):
                handler.addFilter(flt)


def uvicorn_log_config(level: str = "warning") -> dict[str, object]:
    """uvicorn's logging configuration with the redacting filter on each of its handlers,
    and our own ``dho.*`` loggers (and the root) going through the same."""
    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, object] = {k: v for k, v in LOGGING_CONFIG.items()}
    handlers = {name: dict(h) for name, h in LOGGING_CONFIG["handlers"].items()}
    for handler in handlers.values():
        handler["filters"] = ["redact"]
        # stdout carries the "listening on" line a parent process reads; logs go to stderr.
        handler["stream"] = "ext://sys.stderr"
    config["handlers"] = handlers
    config["filters"] = {"redact": {"()": "server.logsafe.RedactingFilter"}}
    loggers = {name: dict(c) for name, c in LOGGING_CONFIG["loggers"].items()}
    numeric = logging.getLevelName(level.upper())
    dho_level = level.upper() if isinstance(numeric, int) else "DEBUG"
    loggers["dho"] = {"handlers": ["default"], "level": dho_level, "propagate": False}
    config["loggers"] = loggers
    config["root"] = {"handlers": ["default"], "level": "WARNING"}
    return config
