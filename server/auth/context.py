"""The auth state of one app: settings, accounts, scope resolver and audit log."""

from __future__ import annotations

from dataclasses import dataclass, field

from server.auth import tokens
from server.auth.accounts import AuthStore, TrainingUser
from server.auth.audit import AuditLog
from server.auth.liveness import AccountCheck
from server.auth.principal import Principal
from server.auth.scope import ScopeResolver
from server.auth.throttle import Policy, SignInThrottle
from server.store import Store

DEFAULT_ACCESS_MINUTES = 5.0


@dataclass
class AuthSettings:
    """``enabled`` = tokens required (``--auth on``); audit follows it unless set."""

    enabled: bool = False
    access_minutes: float = DEFAULT_ACCESS_MINUTES
    audit: bool | None = None
    audit_interval: float = 0.5
    throttle: Policy = field(default_factory=Policy)


@dataclass
class AuthContext:
    settings: AuthSettings
    accounts: AuthStore
    resolver: ScopeResolver
    audit: AuditLog | None
    key: bytes = field(repr=False, default=b"")
    liveness: AccountCheck = field(init=False)
    throttle: SignInThrottle = field(init=False)
    #: The sign-in page's training users and when they were read (server.api.auth_routes):
    #: this backend's own, never another app's in the same process.
    training_users: tuple[float, list[TrainingUser]] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.liveness = AccountCheck(self.accounts.account_problem)
        self.throttle = SignInThrottle(self.accounts.engine, self.settings.throttle)

    @classmethod
    def create(cls, store: Store, settings: AuthSettings) -> AuthContext:
        accounts = AuthStore(store)
        accounts.create_schema()
        accounts.ensure_clients()
        audit_on = settings.enabled if settings.audit is None else settings.audit
        return cls(
            settings=settings,
            accounts=accounts,
            resolver=ScopeResolver(store),
            audit=AuditLog(store, interval=settings.audit_interval) if audit_on else None,
            key=accounts.signing_key(),
        )

    @property
    def enabled(self) -> bool:
        return self.settings.enabled

    @property
    def access_lifetime(self) -> int:
        return max(1, int(self.settings.access_minutes * 60))

    def issue(self, principal: Principal, *, lifetime: int | None = None) -> str:
        claims = principal.claims(lifetime=lifetime or self.access_lifetime)
        return tokens.encode(claims, self.key)

    def verify(self, token: str) -> Principal:
        """The Principal of a valid access token; raises tokens.TokenError otherwise."""
        return Principal.from_claims(tokens.decode(token, self.key))

    def accounts_changed(self) -> None:
        """A Practitioner or PractitionerRole was written here: re-check accounts at once."""
        self.liveness.invalidate()
