"""API keys: created once and shown once, stored as a hash, with scopes and a tenant."""

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from api.store import JobStore, now
from api.tables import ApiKey

SCOPES = ("submit", "read", "admin", "audit")
KEY_PREFIX = "plk_"
PREFIX_SHOWN = 12


@dataclass(frozen=True)
class Caller:
    """Who is calling: the key's id and name, its tenant and scopes."""

    key_id: int
    name: str
    tenant: str
    scopes: frozenset[str]


def hash_key(key: str) -> str:
    """SHA-256 of the key: keys are 256-bit random, so a plain hash cannot be brute-forced."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def parse_scopes(text: str) -> frozenset[str]:
    """`submit,read` as a set; unknown scopes are an error."""
    scopes = frozenset(s.strip() for s in text.split(",") if s.strip())
    unknown = scopes - set(SCOPES)
    if unknown or not scopes:
        raise ValueError(f"scopes must be some of {', '.join(SCOPES)}; got '{text}'")
    return scopes


def create_key(store: JobStore, name: str, tenant: str, scopes: frozenset[str]) -> str:
    """A new key; only its hash is kept, so this is the one time it can be shown."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    with store.sessions.begin() as session:
        session.add(
            ApiKey(
                name=name,
                tenant=tenant,
                scopes=",".join(sorted(scopes)),
                key_hash=hash_key(key),
                prefix=key[:PREFIX_SHOWN],
                created_at=now(),
            )
        )
    return key


def revoke_key(store: JobStore, name_or_prefix: str) -> int:
    """Revoke the keys with this name or key prefix; returns how many were revoked."""
    with store.sessions.begin() as session:
        query = select(ApiKey).where(
            ApiKey.revoked_at.is_(None),
            (ApiKey.name == name_or_prefix) | (ApiKey.prefix == name_or_prefix[:PREFIX_SHOWN]),
        )
        keys = list(session.scalars(query))
        for key in keys:
            key.revoked_at = now()
        return len(keys)


def list_keys(store: JobStore) -> list[ApiKey]:
    """Every key, revoked ones included."""
    with store.readers() as session:
        return list(session.scalars(select(ApiKey).order_by(ApiKey.id)))


def authenticate(store: JobStore, key: str) -> Caller | None:
    """The caller a presented key belongs to, or None if it is unknown or revoked."""
    with store.readers() as session:
        found = session.scalars(
            select(ApiKey).where(ApiKey.key_hash == hash_key(key), ApiKey.revoked_at.is_(None))
        ).first()
    if found is None:
        return None
    return Caller(found.id, found.name, found.tenant, frozenset(found.scopes.split(",")))
