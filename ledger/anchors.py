"""Anchoring each ledger chain outside the database (#13 item 9).

A chain's head (its last ``seq`` and ``entry_hash``) is printed on every filing report at
filing time, so the paper copy kept by the higher committee is an anchor the database cannot
rewrite; the same head is stored as a ``ChainAnchor`` for ``verify_ledger`` to check.

With ``settings.JIFEN_LEDGER_HMAC_KEY`` set, every head (``ChainHead.signature``) and every
anchor is signed with HMAC-SHA256 under that server key: someone with database access who
recomputes every hash and rewrites the head and anchors still cannot produce the signatures.
"""
import hashlib
import hmac

from django.conf import settings

from .models import GENESIS_HASH, ChainAnchor, ChainHead


def hmac_key() -> bytes:
    key = getattr(settings, "JIFEN_LEDGER_HMAC_KEY", "") or ""
    return key.encode("utf-8") if isinstance(key, str) else bytes(key)


def sign(organisation_id, seq, entry_hash) -> str:
    """The HMAC of one head or anchor under the server key, or "" without a key."""
    key = hmac_key()
    if not key:
        return ""
    message = f"jifen-ledger-head:v1:{organisation_id}:{seq}:{entry_hash}".encode("ascii")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def signature_ok(organisation_id, seq, entry_hash, signature) -> bool:
    """True without a key (nothing to check); with one, the stored signature must match."""
    expected = sign(organisation_id, seq, entry_hash)
    return not expected or hmac.compare_digest(expected, signature or "")


def head(organisation):
    """``(seq, entry_hash)`` of ``organisation``'s chain head; ``(0, GENESIS_HASH)`` for an empty chain."""
    row = ChainHead.objects.filter(organisation=organisation).values_list("seq", "entry_hash").first()
    return row if row is not None else (0, GENESIS_HASH)


def record_anchor(organisation, reason) -> ChainAnchor:
    """Store the chain head of ``organisation`` as an anchor (and return it) to print on a report."""
    seq, entry_hash = head(organisation)
    return ChainAnchor.objects.create(organisation=organisation, seq=seq, entry_hash=entry_hash, reason=reason[:100],
                                      signature=sign(organisation.pk, seq, entry_hash))
