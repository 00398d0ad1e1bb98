"""Webhook signatures: header ``Signature`` = lowercase hex HMAC-SHA256 of the raw request body (webhooks.md)."""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "Signature"


def compute_signature(raw_body: bytes, secret: str) -> str:
    """The signature Piggy sends for ``raw_body``: hex HMAC-SHA256 keyed with the subscription or account secret."""
    return hmac.new(secret.encode(), raw_body, hashlib.sha256).hexdigest()


def verify_signature(raw_body: bytes, signature: str | None, secret: str) -> bool:
    """True when ``signature`` is the body's HMAC under ``secret``; compared in constant time.

    Pass the exact bytes received (before any JSON parsing): re-encoding the JSON changes the bytes.
    A missing signature or an empty secret never verifies.
    """
    if not signature or not secret:
        return False
    expected = compute_signature(raw_body, secret).encode()
    return hmac.compare_digest(expected, signature.strip().lower().encode("utf-8", "replace"))
