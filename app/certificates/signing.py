"""Ed25519 signatures over certificates, checkable without the database.

The QR code of a certificate carries ``<verify URL>#<payload>``, where the payload is
``DSC2.<canonical snapshot, deflated, base64url>.<signature, base64url>``. Deflated with the
preset :data:`DICTIONARY`, the snapshot takes 40% of its size and the QR code half its area:
quicker to scan and to draw. ``DSC1`` payloads carry it uncompressed and are still read. The
signature covers the canonical snapshot itself, not its compressed form. Anyone holding the
public key (published at ``/certificates/public-key.pem``) can check it offline:
``flask --app app certificates verify PAYLOAD --public-key key.pem``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zlib
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask import current_app

from app.config import made_once

PREFIX = "DSC2"
_UNCOMPRESSED = "DSC1"
#: Deflate's preset dictionary for DSC2 payloads: the keys and usual values of a snapshot. It
#: makes the QR code a third smaller (version 15 instead of 18 for a typical certificate). It
#: is part of the format: changing it needs a new prefix.
DICTIONARY = (
    b'{"attendance":100,"code":"","dates":{"end":"20","start":"20"},"hours":"",'
    b'"issued_at":"20T00:00:00+00:00","issuer":{"ar":"","en":"Data Space ","es":"Data Space ",'
    b'"fr":"Data Space ","pt":"Data Space "},"modules":[{"revision":1,"title":{"en":""}}],'
    b'"name":"","place":{"city":{"en":""},"country":""},"programme":{"kind":"workshop",'
    b'"seasonal-school","summer-school","languages":["en","es","fr","pt","ar"],'
    b'"title":{"en":"","es":""}},"serial":"-20","verify_url":"https://verify/"}'
)
_MAX_SNAPSHOT = 64 * 1024  # a payload never inflates beyond this (no zip bombs)


class BadCertificate(ValueError):
    """The payload is malformed, or its signature does not match its content."""


def canonical(snapshot: dict) -> bytes:
    """One byte sequence per snapshot: sorted keys, no spaces, UTF-8."""
    return json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _new_key_pem() -> bytes:
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())


def private_key() -> Ed25519PrivateKey:
    """From ``CERTIFICATE_SIGNING_KEY`` (PEM); in development one is made once in instance/."""
    pem = current_app.config.get("CERTIFICATE_SIGNING_KEY")
    if not pem:
        pem = made_once(Path(current_app.instance_path) / "certificate-signing-key.pem",
                        _new_key_pem).decode()
    # An environment file holds one line per variable: newlines may come written as "\n".
    return serialization.load_pem_private_key(pem.replace("\\n", "\n").encode(), password=None)


def public_key_pem() -> bytes:
    return (
        private_key()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def sign(snapshot: dict) -> tuple[str, str]:
    """``(signature, key id)`` for the snapshot."""
    key = private_key()
    return _b64(key.sign(canonical(snapshot))), key_id(key.public_key())


def payload(snapshot: dict, signature: str) -> str:
    deflater = zlib.compressobj(9, zdict=DICTIONARY)
    deflated = deflater.compress(canonical(snapshot)) + deflater.flush()
    return f"{PREFIX}.{_b64(deflated)}.{signature}"


def _snapshot_bytes(prefix: str, data: bytes) -> bytes:
    if prefix == _UNCOMPRESSED:
        return data
    inflater = zlib.decompressobj(zdict=DICTIONARY)
    inflated = inflater.decompress(data, _MAX_SNAPSHOT)
    if inflater.unconsumed_tail or not inflater.eof:
        raise ValueError("truncated or oversized snapshot")
    return inflated


def verify_signature(snapshot: dict, signature: str, public: Ed25519PublicKey) -> bool:
    return _signed_by(public, canonical(snapshot), signature)


def verify_payload(text: str, public_pem: bytes) -> dict:
    """The snapshot a QR payload certifies, if its signature holds (no database needed)."""
    text = text.split("#", 1)[-1].strip()
    parts = text.split(".")
    if len(parts) != 3 or parts[0] not in (PREFIX, _UNCOMPRESSED):
        raise BadCertificate("not a Data Space Training certificate payload")
    try:
        signed = _snapshot_bytes(parts[0], _unb64(parts[1]))
        snapshot = json.loads(signed, object_pairs_hook=_refuse_repeated_keys)
        public = serialization.load_pem_public_key(public_pem)
    except (ValueError, zlib.error, RecursionError) as error:  # RecursionError: [[[[…]]]]
        raise BadCertificate("the payload or the key is malformed") from error
    # The exact bytes are checked, not a re-serialization of what was read from them: a
    # payload that reads differently in another JSON parser (a repeated key) cannot pass.
    if not isinstance(snapshot, dict) or not _signed_by(public, signed, parts[2]):
        raise BadCertificate("the signature does not match the content")
    return snapshot


def _refuse_repeated_keys(pairs: list[tuple[str, object]]) -> dict:
    keys = [key for key, _value in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("a key appears twice")
    return dict(pairs)


def _signed_by(public: Ed25519PublicKey, data: bytes, signature: str) -> bool:
    try:
        public.verify(_unb64(signature), data)
    except (InvalidSignature, ValueError):
        return False
    return True
