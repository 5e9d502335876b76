"""A standard PDF signature (PAdES, with pyHanko) on every certificate PDF.

The same Ed25519 key that signs the snapshots signs the PDF, with an X.509 certificate for it:
``CERTIFICATE_SIGNING_CERT`` (PEM, ideally issued by a CA that PDF readers trust); in
development a self-signed one is made once in ``instance/``, which readers show as a valid
signature from an unknown signer.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import os
import threading
from functools import lru_cache
from pathlib import Path

from asn1crypto import cms
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID
from flask import current_app
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from app.certificates.signing import private_key
from app.config import made_once


def certificate_pem() -> bytes:
    configured = current_app.config.get("CERTIFICATE_SIGNING_CERT")
    if configured:
        return configured.encode()
    return made_once(Path(current_app.instance_path) / "certificate-signing-cert.pem",
                     _self_signed)


def _self_signed() -> bytes:
    key = private_key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME,
                                         "Data Space Training (development)")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True,
                                     key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, key_cert_sign=False, crl_sign=False,
                                     encipher_only=False, decipher_only=False), critical=True)
        .sign(key, algorithm=None)
    )
    return certificate.public_bytes(serialization.Encoding.PEM)


def signer() -> signers.SimpleSigner:
    key = private_key().private_bytes(serialization.Encoding.DER,
                                      serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption())
    return _signer(certificate_pem(), key)


@lru_cache(maxsize=4)
def _signer(certificate: bytes, key: bytes) -> signers.SimpleSigner:
    """Built once per key and certificate: loading them costs more than a signature."""
    cert = asn1_x509.Certificate.load(
        x509.load_pem_x509_certificate(certificate).public_bytes(serialization.Encoding.DER))
    return _ReusingSigner(signing_cert=cert, signing_key=asn1_keys.PrivateKeyInfo.load(key),
                          cert_registry=SimpleCertificateStore.from_certs([cert]))


class _ReusingSigner(signers.SimpleSigner):
    """pyHanko's signer, building the signed attributes once per process.

    Under PAdES they are the content type, the document's digest and the signing certificate
    (the signing time lives in the PDF's signature dictionary): from one signature to the next
    only the digest changes. Built by asn1crypto, they made it re-serialise the whole signature
    container several times, 80% of the cost of a signature. So the first ones come from
    pyHanko, and the next ones are the same bytes with the digest replaced, parsed back
    (tested: every signature validates)."""

    _built: dict[tuple, tuple[bytes, bytes]]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._built = {}

    async def signed_attrs(self, data_digest: bytes, digest_algorithm: str,
                           attr_settings=None, content_type="data", use_pades=False,
                           timestamper=None, dry_run=False, is_pdf_sig=True):
        reusable = (use_pades and timestamper is None and not dry_run and (
            attr_settings is None or (attr_settings.cades_signed_attrs is None
                                      and attr_settings.adobe_revinfo_attr is None)))
        key = (digest_algorithm, content_type, is_pdf_sig)
        if reusable and key in self._built:
            digest, der = self._built[key]
            if der.count(digest) == 1 and len(digest) == len(data_digest):
                return cms.CMSAttributes.load(der.replace(digest, data_digest))
        attributes = await super().signed_attrs(
            data_digest, digest_algorithm, attr_settings=attr_settings,
            content_type=content_type, use_pades=use_pades, timestamper=timestamper,
            dry_run=dry_run, is_pdf_sig=is_pdf_sig)
        if reusable:
            self._built[key] = (data_digest, attributes.dump())
        return attributes


def sign(pdf: bytes) -> bytes:
    key = signer()
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    metadata = signers.PdfSignatureMetadata(
        field_name="Signature", md_algorithm="sha512", subfilter=fields.SigSeedSubFilter.PADES,
        reason="Certificate issued by Data Space Training")
    # Room for the signature container, known in advance: without it pyHanko signs twice,
    # once only to measure the container (half the cost of signing).
    reserved = 2 * len(key.signing_cert.dump()) + 4096  # even, as pyHanko needs
    signing = signers.async_sign_pdf(writer, metadata, signer=key, bytes_reserved=reserved)
    return _event_loop().run_until_complete(signing).getvalue()


_loops: dict[tuple[int, int], asyncio.AbstractEventLoop] = {}


def _event_loop() -> asyncio.AbstractEventLoop:
    """One event loop per process and thread for pyHanko's coroutines. Its synchronous
    ``sign_pdf`` runs ``asyncio.run`` three times per signature, and each run, installing its
    Ctrl+C handler, formats the task's repr, which serialises pyHanko's ASN.1 values: half the
    cost of a signature. Keyed by process (a forked renderer must not share its parent's loop)
    and by thread (two scheduler jobs may sign at once)."""
    owner = (os.getpid(), threading.get_ident())
    if owner not in _loops:
        _loops[owner] = asyncio.new_event_loop()
    return _loops[owner]
