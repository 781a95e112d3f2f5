"""Refresh tokens in the keyring: chunked, cleared on sign-out, refused without a secure store."""

from __future__ import annotations

import keyring
from keyring.backends import fail

from console.services.secrets import CHUNK, TokenStore
from tests.conftest import MemoryKeyring


def test_large_token_round_trips_in_chunks(memory_keyring: MemoryKeyring) -> None:
    store = TokenStore()
    token = "x" * (CHUNK * 3 + 17)
    assert store.save("https://fhir/|kari", token)
    assert store.load("https://fhir/|kari") == token
    assert len(memory_keyring.store) == 1 + 4  # header + four chunks
    assert all(len(v) <= CHUNK for k, v in memory_keyring.store.items() if "#" in k[1])


def test_clear_removes_every_chunk(memory_keyring: MemoryKeyring) -> None:
    store = TokenStore()
    store.save("acct", "y" * (CHUNK * 2))
    store.clear("acct")
    assert memory_keyring.store == {}
    assert store.load("acct") is None


def test_shorter_token_replaces_longer_without_leftovers(memory_keyring: MemoryKeyring) -> None:
    store = TokenStore()
    store.save("acct", "a" * (CHUNK * 3))
    store.save("acct", "short")
    assert store.load("acct") == "short"
    assert len(memory_keyring.store) == 2


def test_missing_chunk_means_no_token(memory_keyring: MemoryKeyring) -> None:
    store = TokenStore()
    store.save("acct", "b" * (CHUNK * 2))
    del memory_keyring.store[("dho-console", "acct#1")]
    assert store.load("acct") is None


def test_no_secure_store_is_reported_and_nothing_stored() -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        store = TokenStore()
        status = store.status()
        assert not status.available
        assert "cannot store" in status.detail
        assert store.save("acct", "secret") is False
        assert store.load("acct") is None
    finally:
        keyring.set_keyring(previous)
