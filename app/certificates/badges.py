"""Certificates as Open Badges 3.0 credentials (W3C Verifiable Credentials v2), for people who
keep them in a wallet or a CV.

The proof is a Data Integrity proof with the ``eddsa-jcs-2022`` cryptosuite: Ed25519 over the
SHA-256 of the JCS-canonical (RFC 8785) proof options and document, made with the same key that
signs the certificates. The documents hold only strings and whole numbers, for which sorted,
compact JSON is the JCS form.
"""

from __future__ import annotations

import hashlib
import json

import base58
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from app.certificates import signing
from app.certificates.models import Certificate
from app.multilingual import MultilingualText
from app.urls import external_url

CONTEXTS = ["https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]


def _jcs(document: dict) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode()


def _hash_data(document: dict, options: dict) -> bytes:
    return hashlib.sha256(_jcs(options)).digest() + hashlib.sha256(_jcs(document)).digest()


def credential(certificate: Certificate) -> dict:
    """The certificate as a signed OpenBadgeCredential."""
    snapshot = certificate.snapshot
    title = MultilingualText(snapshot["programme"]["title"])
    issuer = external_url("certificates.public_key")
    document = {
        "@context": CONTEXTS,
        "id": snapshot["verify_url"],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": title.get_text("en"),
        "issuer": {"id": issuer, "type": ["Profile"],
                   "name": MultilingualText(snapshot["issuer"]).get_text("en")},
        "validFrom": snapshot["issued_at"],
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": snapshot["name"],
            "achievement": {
                "id": snapshot["verify_url"] + "#achievement",
                "type": ["Achievement"],
                "name": title.get_text("en"),
                "description": f"{snapshot['programme']['kind']}, "
                               f"{snapshot['dates']['start']} to {snapshot['dates']['end']}, "
                               f"{snapshot['hours']} hours",
                "criteria": {"narrative": "Completed the programme with the attendance its "
                                          "certificate requires."},
            },
        },
    }
    options = {"@context": CONTEXTS, "type": "DataIntegrityProof",
               "cryptosuite": "eddsa-jcs-2022", "created": snapshot["issued_at"],
               "verificationMethod": issuer + "#key-1", "proofPurpose": "assertionMethod"}
    signature = signing.private_key().sign(_hash_data(document, options))
    proof = {**options, "proofValue": "z" + base58.b58encode(signature).decode()}
    del proof["@context"]
    return {**document, "proof": proof}


def verify(credential_document: dict, public: Ed25519PublicKey) -> bool:
    """Check an OpenBadgeCredential made by :func:`credential`."""
    document = dict(credential_document)
    proof = dict(document.pop("proof"))
    value = proof.pop("proofValue", "")
    options = {"@context": document.get("@context"), **proof}
    try:
        public.verify(base58.b58decode(value[1:]), _hash_data(document, options))
    except Exception:  # any malformed or wrong signature
        return False
    return value.startswith("z")
