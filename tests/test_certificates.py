"""Certificates: who may get one, signed snapshots verifiable offline, verification pages,
revocation and reissue."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.attendance import services as attendance
from app.attendance.models import Mark
from app.auth.models import Role
from app.certificates import design, eligibility, issuing, jobs, rendering, signing
from app.certificates.models import Certificate
from app.certificates.rendering import fonts, layers
from app.enrollment import profiles as enrollment_profiles
from app.enrollment import seats as enrollment_seats
from app.errors import DomainError
from app.extensions import db
from app.timeutil import frozen_time, utcnow
from app.workshops import services as workshops
from app.workshops.models import ProgrammeState
from tests import factories
from tests.pdf import page_image, pdf_text


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Certificate))


@pytest.fixture
def finished(app):
    """A completed programme: Ana attended everything, Bo half."""
    teacher = factories.user(role=Role.INSTRUCTOR)
    programme = factories.open_programme(capacity=3, instructors=[teacher], days=2)
    sessions = [factories.session(programme, starts_local=factories.wall(2030, 3, 4 + n, 9),
                                  instructors=[teacher]) for n in range(2)]
    ana = enrollment_seats.enroll(factories.participant("ana@example.org",
                                                           given_name="Ana María"), programme)
    bo = enrollment_seats.enroll(factories.participant("bo@example.org", given_name="Bo"),
                                    programme)
    for session, marks in zip(sessions, [(Mark.PRESENT, Mark.PRESENT),
                                         (Mark.LATE, Mark.ABSENT)], strict=True):
        with frozen_time(session.starts_at + timedelta(minutes=5)):
            attendance.record_marks(session, {ana.id: marks[0], bo.id: marks[1]}, teacher)
    for state in (ProgrammeState.REGISTRATION_CLOSED, ProgrammeState.IN_PROGRESS):
        workshops.transition(programme, state, None)
    db.session.commit()
    return programme, ana, bo


def complete(programme):
    workshops.transition(programme, ProgrammeState.COMPLETED, None)
    db.session.commit()


def test_nothing_is_issued_before_the_programme_is_completed(app, finished):
    _programme, ana, _ = finished
    with pytest.raises(DomainError, match="completed"):
        issuing.issue(ana, None)
    assert count() == 0


def test_a_cancelled_participant_gets_no_certificate(app, finished):
    from app.enrollment.models import EnrollmentStatus

    programme, ana, _ = finished
    complete(programme)
    ana.status = EnrollmentStatus.CANCELLED
    db.session.commit()
    with pytest.raises(DomainError, match="not a confirmed participant"):
        issuing.issue(ana, None)
    assert count() == 0


def test_issue_all_issues_the_eligible_once(app, runner, finished):
    programme, ana, _bo = finished
    complete(programme)
    result = runner.invoke(args=["certificates", "issue", programme.slug])
    assert result.exit_code == 0, result.output
    assert "1 certificates issued" in result.output
    again = runner.invoke(args=["certificates", "issue", programme.slug])
    assert "0 certificates issued" in again.output
    [certificate] = db.session.scalars(select(Certificate)).all()
    assert certificate.enrollment_id == ana.id
    assert certificate.serial.endswith("-0001") and len(certificate.code) >= 32
    snapshot = certificate.snapshot
    assert snapshot["name"] == "Ana María" and snapshot["attendance"] == 100
    assert snapshot["dates"]["start"] == programme.start_date.isoformat()


def test_a_batch_whose_scheduler_stopped_is_taken_over_and_a_live_one_is_not(app, finished):
    """A scheduler killed mid-batch leaves it "running": once its lease lapses (no sign of
    life for JOB_LEASE_SECONDS), the next scheduler claims it and finishes it, issuing each
    certificate once."""
    from app.certificates import batches
    from app.certificates.models import BatchStatus, CertificateBatch

    programme, ana, _bo = finished
    complete(programme)
    batch = batches.request_batch(programme, factories.user(role=Role.ADMIN))
    batch.status, batch.heartbeat_at = BatchStatus.RUNNING, utcnow()  # claimed, then killed
    db.session.commit()
    assert jobs.run_batches() == 0  # its lease still holds
    with frozen_time(utcnow() + timedelta(seconds=app.config["JOB_LEASE_SECONDS"] + 1)):
        assert jobs.run_batches() == 1
        assert jobs.run_batches() == 0
    db.session.refresh(batch)
    assert batch.status == BatchStatus.DONE
    assert db.session.scalars(select(Certificate.enrollment_id)).all() == [ana.id]
    assert db.session.get(CertificateBatch, batch.id).heartbeat_at is not None


def test_an_exception_needs_a_reason_and_is_audited(app, finished):
    from app.audit.models import AuditEntry

    programme, _, bo = finished
    complete(programme)
    coordinator = factories.user(role=Role.COORDINATOR, dataspace=programme.dataspace)
    with pytest.raises(DomainError, match="minimum attendance"):
        issuing.issue(bo, coordinator)
    with pytest.raises(DomainError, match="reason"):
        eligibility.override(bo, "  ", coordinator)
    eligibility.override(bo, "Medical leave, documented", coordinator)
    certificate = issuing.issue(bo, coordinator)
    assert certificate.snapshot["attendance"] == 50
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"certificate.override", "certificate.issued"} <= actions


def test_a_crash_midway_leaves_whole_certificates_and_a_rerun_finishes(app, finished):
    programme, _ana, bo = finished
    complete(programme)
    eligibility.override(bo, "Exception", factories.user(role=Role.ADMIN))
    db.session.commit()

    def crash(done, total):
        if done == 1:
            raise RuntimeError("the machine went down")

    with pytest.raises(RuntimeError, match="went down"):
        jobs.issue_all(programme, None, progress=crash)
    db.session.rollback()
    assert count() == 1
    assert jobs.issue_all(programme, None) == 1
    assert count() == 2


@pytest.fixture
def issued(app, finished):
    programme, ana, _ = finished
    complete(programme)
    certificate = issuing.issue(ana, None)
    db.session.commit()
    return certificate


def test_the_signed_payload_verifies_offline_and_tampering_fails(app, issued):
    payload = signing.payload(issued.snapshot, issued.signature)
    public = signing.public_key_pem()
    assert signing.verify_payload(payload, public)["name"] == "Ana María"
    for field, value in [("name", "Ana Maria"), ("hours", "99"), ("attendance", 80),
                         ("dates", {"start": "2030-01-01", "end": "2030-01-02"})]:
        forged = {**issued.snapshot, field: value}
        with pytest.raises(signing.BadCertificate, match="signature does not match"):
            signing.verify_payload(signing.payload(forged, issued.signature), public)


def test_a_payload_that_reads_two_ways_or_nests_deeply_is_refused(app, issued):
    import base64

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    public = signing.public_key_pem()
    signed = signing.canonical(issued.snapshot)
    # A parser that keeps the first of two equal keys would read "Mallory"; Python keeps the
    # last, and a re-serialization of what it read would match the signature.
    twice = b'{"name":"Mallory",' + signed[1:]
    for forged in (twice, b"[" * 100_000 + b"]" * 100_000, b"{" * 50_000):
        with pytest.raises(signing.BadCertificate, match="malformed"):
            signing.verify_payload(f"DSC1.{b64(forged)}.{issued.signature}", public)


def test_older_uncompressed_payloads_verify_and_oversized_ones_are_refused(app, issued):
    import base64
    import zlib

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    public = signing.public_key_pem()
    plain = f"DSC1.{b64(signing.canonical(issued.snapshot))}.{issued.signature}"
    assert signing.verify_payload(plain, public)["serial"] == issued.serial
    assert len(signing.payload(issued.snapshot, issued.signature)) < len(plain) * 0.8
    bomb = f"DSC2.{b64(zlib.compress(b' ' * 10_000_000))}.{issued.signature}"
    with pytest.raises(signing.BadCertificate, match="malformed"):
        signing.verify_payload(bomb, public)


def test_the_verify_command_needs_no_database(app, runner, issued, tmp_path):
    key = tmp_path / "key.pem"
    key.write_bytes(signing.public_key_pem())
    payload = f"http://training.test/verify/{issued.code}#" + signing.payload(
        issued.snapshot, issued.signature)
    result = runner.invoke(args=["certificates", "verify", payload, "--public-key", str(key)])
    assert result.exit_code == 0 and "VALID" in result.output
    body = payload.split("#")[1].split(".")[1]
    tampered = payload.replace(body, body[:-6] + ("A" if body[-6] != "A" else "B") + body[-5:])
    bad = runner.invoke(args=["certificates", "verify", tampered, "--public-key", str(key)])
    assert bad.exit_code != 0 and "NOT VALID" in bad.output


def test_verification_page_and_api_show_no_personal_data(app, client, issued):
    html = client.get(f"/verify/{issued.code}?lang=es").get_data(as_text=True)
    assert "Ana María" in html and "Certificado válido" in html
    assert "ana@example.org" not in html
    data = client.get(f"/api/v1/certificates/{issued.code}").get_json()
    assert data["status"] == "valid" and data["signature_valid"] is True
    assert "ana@example.org" not in json.dumps(data)
    assert client.get("/verify/not-a-code?lang=fr").status_code == 404
    assert client.get("/api/v1/certificates/not-a-code").status_code == 404
    key = client.get("/certificates/public-key.pem")
    assert key.data.startswith(b"-----BEGIN PUBLIC KEY-----")


def test_lookups_are_rate_limited(app, client, issued):
    codes = [client.get(f"/api/v1/certificates/guess-{n}").status_code for n in range(31)]
    assert codes[:30] == [404] * 30 and codes[30] == 429


def test_revoke_then_reissue_points_from_the_old_to_the_new(app, client, post_form, issued):
    programme = issued.programme
    factories.sign_in(client, factories.user(role=Role.COORDINATOR,
                                              dataspace=programme.dataspace))
    page = f"/certificates/programmes/{programme.slug}"
    assert post_form(f"/certificates/{issued.id}/reissue", {}, page=page).status_code == 302
    db.session.expire_all()
    old = db.session.get(Certificate, issued.id)
    assert not old.is_valid and old.replaced_by is not None and old.replaced_by.is_valid
    html = client.get(f"/verify/{old.code}?lang=en").get_data(as_text=True)
    assert "revoked" in html and old.replaced_by.code in html
    again = post_form(f"/certificates/{old.id}/revoke", {"reason": "Twice"}, page=page)
    assert again.status_code == 409


def test_participants_find_their_certificates_and_download_them(app, client, issued):
    factories.sign_in(client, user_of(issued))
    page = client.get("/me/certificates?lang=es").get_data(as_text=True)
    assert issued.serial in page and "PDF en preparación" in page
    jobs.render_missing()
    page = client.get("/me/certificates").get_data(as_text=True)
    pdf_url = f"/verify/{issued.code}/certificate.pdf"
    assert pdf_url in page
    assert client.get(pdf_url).headers["Content-Type"] == "application/pdf"
    assert pdf_url in client.get(f"/verify/{issued.code}").get_data(as_text=True)


def test_the_participant_is_emailed_in_their_language(app, mailbox, finished):
    programme, ana, _ = finished
    ana.user.preferred_language = "pt"
    complete(programme)
    issuing.issue(ana, None)
    db.session.commit()
    [message] = mailbox.to("ana@example.org")[-1:]
    certificate = db.session.scalar(select(Certificate))
    body = message.get_content()
    assert certificate.code in body and f"/verify/{certificate.code}/certificate.pdf" in body
    assert "Descarregue-o em PDF" in body
    assert message["Subject"].startswith("Seu certificado")


def test_open_badges_credential_is_signed_and_tamper_evident(app, client, issued):
    from app.certificates import badges

    response = client.get(f"/verify/{issued.code}/badge.json")
    assert response.status_code == 200
    document = response.get_json()
    assert "OpenBadgeCredential" in document["type"]
    assert document["credentialSubject"]["name"] == "Ana María"
    assert document["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    public = signing.private_key().public_key()
    assert badges.verify(document, public)
    document["credentialSubject"]["name"] = "Somebody Else"
    assert not badges.verify(document, public)


def test_the_pdf_is_a4_landscape_bilingual_and_its_qr_code_verifies(app, client, issued):
    import io

    import zxingcpp
    from pypdf import PdfReader

    waiting = client.get(f"/verify/{issued.code}/certificate.pdf")
    assert waiting.status_code == 202, "web workers never render; the scheduler does"
    assert jobs.render_missing() == 1
    response = client.get(f"/verify/{issued.code}/certificate.pdf")
    assert response.headers["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 595)
    text = page.extract_text()
    assert "Ana María" in text and issued.serial in text
    db.session.expire_all()
    stored = db.session.get(Certificate, issued.id)
    assert stored.pdf_sha256 == __import__("hashlib").sha256(response.data).hexdigest()
    [code] = zxingcpp.read_barcodes(page_image(response.data))
    url, payload = code.text.split("#")
    assert url.endswith(f"/verify/{issued.code}")
    assert signing.verify_payload(payload, signing.public_key_pem())["name"] == "Ana María"
    again = client.get(f"/verify/{issued.code}/certificate.pdf")
    assert again.data == response.data, "served from the stored file"


def test_certificate_templates_cannot_reach_the_app_or_fetch_files(app, issued):
    import io

    from pypdf import PdfReader

    escape = rendering.Design(html="{{ name.__class__.__mro__[1].__subclasses__() }}")
    with pytest.raises(DomainError, match="outside the certificate's fields"):
        rendering.check_template(escape.html, "", issued, escape)
    with pytest.raises(DomainError, match="may not load files"):
        rendering.check_template("", "body { background: url(file:///etc/passwd) }", issued,
                                 rendering.Design())
    fetching = rendering.Design(html='<img src="file:///etc/passwd"><p>{{ name }}</p>'
                                     '<img src="https://example.org/x.png">')
    page = PdfReader(io.BytesIO(rendering.render(issued, fetching))).pages[0]
    assert "Ana María" in page.extract_text()
    assert list(page.images) == [], "neither the file nor the web address was fetched"


def test_the_pdf_carries_a_valid_pades_signature(app, client, issued):
    import io

    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from app.certificates import pades

    jobs.render_missing()
    pdf = client.get(f"/verify/{issued.code}/certificate.pdf").data
    root = asn1_x509.Certificate.load(x509.load_pem_x509_certificate(
        pades.certificate_pem()).public_bytes(serialization.Encoding.DER))
    # The signer reuses its signed attributes after the first signature: every one validates.
    others = [pades.sign(rendering.render(Certificate(
        id=issued.id, snapshot={**issued.snapshot, "name": name}, signature=issued.signature)))
        for name in ("Bo", "Chioma")]
    for signed in (pdf, *others):
        [signature] = PdfFileReader(io.BytesIO(signed)).embedded_signatures
        status = validate_pdf_signature(signature, ValidationContext(trust_roots=[root]))
        assert status.intact and status.valid and status.coverage.name == "ENTIRE_FILE"
    # One byte of the signed range changed (in the binary comment after the header, so the
    # file still opens): the signature must no longer hold.
    tampered = pdf[:11] + bytes([pdf[11] ^ 1]) + pdf[12:]
    [broken] = PdfFileReader(io.BytesIO(tampered)).embedded_signatures
    assert not validate_pdf_signature(broken, ValidationContext(trust_roots=[root])).intact


def test_issue_all_runs_in_the_scheduler_with_progress_on_the_page(app, client, post_form,
                                                                   server, finished):
    import threading

    from app.certificates.models import BatchStatus, CertificateBatch

    programme, _ana, bo = finished
    complete(programme)
    eligibility.override(bo, "Documented absence", factories.user(role=Role.ADMIN))
    db.session.commit()
    factories.sign_in(client, factories.user(role=Role.COORDINATOR,
                                              dataspace=programme.dataspace))
    page = f"/certificates/programmes/{programme.slug}"
    assert post_form(f"{page}/issue", {}, page=page).status_code == 302
    assert post_form(f"{page}/issue", {}, page=page).status_code == 302  # no second batch
    assert db.session.scalar(select(func.count()).select_from(CertificateBatch)) == 1
    html = client.get(page + "?lang=en").get_data(as_text=True)
    assert "Waiting to start" in html and 'http-equiv="refresh"' in html

    barrier = threading.Barrier(2, timeout=60)
    ran = []

    def scheduler():
        barrier.wait()
        with server.app_context():
            ran.append(jobs.run_batches())
            db.session.remove()

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(ran) == [0, 1], "two scheduler processes: the batch ran once"
    db.session.expire_all()
    batch = db.session.scalar(select(CertificateBatch))
    assert (batch.status, batch.done, batch.total) == (BatchStatus.DONE, 2, 2)
    assert count() == 2
    assert all(c.pdf_sha256 for c in db.session.scalars(select(Certificate)))
    assert '<progress max="100" value="100"' in client.get(page).get_data(as_text=True)


NAMES_IN_EVERY_SCRIPT = [
    "Ana María Pérez-Ñúñez", "Nguyễn Thị Hoa", "Zoë Øvergaard Łukasz", "محمد الأحمد",
    "王小明", "山田 さくら", "김민준", "陳美玲",
    "Jose\u0301 Nu\u0303n\u0303ez",  # accents typed as combining marks (NFD)
]


@pytest.mark.parametrize("name", NAMES_IN_EVERY_SCRIPT)
def test_names_in_every_script_are_drawn_with_real_glyphs(app, issued, name):
    """The renderer sees only the shipped fonts, so this holds on a machine without fonts."""
    from tests.pdf_fonts import unprintable

    snapshot = {**issued.snapshot, "name": name}
    snapshot["programme"] = {**snapshot["programme"], "languages": ["ar", "en"],
                             "title": {"en": "Big Data School", "ar": "مدرسة البيانات الضخمة"}}
    pdf = rendering.render(Certificate(id=issued.id, snapshot=snapshot,
                                       signature=issued.signature))
    assert unprintable(pdf, name) == []
    assert unprintable(pdf, "مدرسة البيانات الضخمة Big Data School") == []
    assert rendering.missing_glyphs(name) == []


@pytest.mark.parametrize("name", ["Ana María Pérez", "محمد الأحمد", "王小明", "Maria " * 20])
def test_a_certificate_drawn_in_layers_looks_the_same_as_drawn_whole(app, issued, name):
    """A batch draws the name, serial and QR code over a layer its certificates share: the
    page must not change (long names included), nor its text."""
    from PIL import ImageChops

    certificate = Certificate(id=issued.id, snapshot={**issued.snapshot, "name": name},
                              signature=issued.signature)
    layered = rendering.render(certificate)
    whole = layers._pdf(*rendering.filled_in(certificate))
    difference = ImageChops.difference(page_image(layered).convert("L"),
                                       page_image(whole).convert("L"))
    changed = sum(count for count, level in difference.getcolors() if level > 64)
    assert changed < 50, f"{changed} pixels differ"
    assert pdf_text(layered).split() == pdf_text(whole).split()
    text = pdf_text(layered)
    assert name.split()[0] in text and issued.snapshot["programme"]["title"]["en"] in text


def test_on_a_weasyprint_release_the_patch_was_not_written_for_certificates_still_print(
        app, issued, monkeypatch):
    from weasyprint.pdf import fonts as subsetting

    unpatched = getattr(subsetting.ffi, "_ffi", subsetting.ffi)
    monkeypatch.setattr(subsetting, "ffi", unpatched)
    assert fonts._parse_glyph_arrays_once("69.0") is False
    assert subsetting.ffi is unpatched, "an unknown release is left as it is"
    name = "王小明 Ana María محمد"
    certificate = Certificate(id=issued.id, snapshot={**issued.snapshot, "name": name},
                              signature=issued.signature)
    text = pdf_text(layers._pdf(*rendering.filled_in(certificate)))
    assert "王小明" in text and "Ana María" in text
    assert fonts._parse_glyph_arrays_once("68.1") is True
    assert isinstance(subsetting.ffi, fonts._OpenArrays)


def test_a_character_no_shipped_font_holds_is_caught(app, issued):
    from tests.pdf_fonts import unprintable

    name = "Ana 𠀋 ༀ"  # a rare Han character (extension B) and Tibetan: not shipped
    pdf = rendering.render(Certificate(id=issued.id, snapshot={**issued.snapshot, "name": name},
                                       signature=issued.signature))
    assert set(unprintable(pdf, name)) == {"𠀋", "ༀ"}
    assert rendering.missing_glyphs(name) == ["ༀ", "𠀋"]


def test_a_corrected_chinese_name_is_reissued_and_printed(app, client, issued):
    from tests.pdf_fonts import unprintable

    enrollment_profiles.profile_of(user_of(issued)).certificate_name = "王小明 (Wang Xiaoming)"
    new = issuing.reissue(issued, factories.user(role=Role.ADMIN))
    db.session.commit()
    jobs.render_missing()
    pdf = client.get(f"/verify/{new.code}/certificate.pdf").data
    assert unprintable(pdf, "王小明 (Wang Xiaoming)") == []
    assert "王小明 (Wang Xiaoming)" in pdf_text(pdf)
    old = client.get(f"/api/v1/certificates/{issued.code}").json
    assert old["status"] == "revoked" and old["replaced_by"].endswith(new.code)


def user_of(record):
    """The participant of a certificate or an enrollment."""
    from app.auth.models import User

    return db.session.get(User, record.user_id)


# --- each Data Space's template --------------------------------------------------------------


def _png(colour: tuple[int, int, int], size=(120, 40)) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def _template_values(**changes) -> dict:
    values = {"colour": "#c8102e", "wording-en": "has successfully completed",
              "wording-es": "ha completado con éxito", "signatory_name": "Dra. Lucía Gómez",
              "signatory_title-en": "Director, Data Space Latin America", "html": "", "css": ""}
    return {**values, **changes}


@pytest.fixture
def coordinator(app, sign_in_as, finished):
    sign_in_as(Role.COORDINATOR, finished[0].dataspace)
    return finished[0].dataspace


def test_a_data_space_brands_its_certificates(app, client, post_form, coordinator, issued):
    import io

    from pypdf import PdfReader

    url = f"/certificates/templates/{coordinator.slug}"
    response = post_form(url, _template_values(
        logo=(io.BytesIO(_png((200, 16, 46))), "logo.png"),
        signature=(io.BytesIO(_png((20, 20, 20))), "signature.png")),
        content_type="multipart/form-data")
    assert response.status_code == 302
    issuing.reissue(issued, factories.user(role=Role.ADMIN))  # issued after the change
    db.session.commit()
    jobs.render_missing()
    new = db.session.scalar(select(Certificate).where(Certificate.status == "valid"))
    pdf = client.get(f"/verify/{new.code}/certificate.pdf").data
    text = pdf_text(pdf)
    assert "has successfully completed" in text and "Dra. Lucía Gómez" in text
    assert "Director" in text and ", Data Space Latin America" in text  # two runs of text
    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 3, "logo, signature, QR code"
    image = page_image(pdf).convert("RGB")
    red = sum(count for count, (r, g, b) in image.getcolors(1 << 24)
              if r > 170 and g < 60 and b < 80)
    assert red > 1000, "the frame and the logo take the Data Space's colour"


def test_a_custom_layout_renders_with_its_styles(app, client, post_form, coordinator, issued):
    layout = ('<html><body><p class="big">{{ name }} · {{ parts[0].title }}</p>'
              '<img src="{{ qr }}" alt=""></body></html>')
    response = post_form(f"/certificates/templates/{coordinator.slug}",
                         _template_values(html=layout, css=".big { font-size: 40pt }"))
    assert response.status_code == 302
    drawn_with = design.design_of(design.template_of(coordinator))
    text = pdf_text(rendering.render(issued, drawn_with))
    assert "Ana María" in text and "Certificate" not in text, "the Data Space's layout"
    preview = client.get(f"/certificates/templates/{coordinator.slug}/preview")
    assert "Ana María Pérez" in preview.get_data(as_text=True)
    assert "sandbox" in preview.headers["Content-Security-Policy"]


@pytest.mark.parametrize(("changes", "message"), [
    ({"html": "<p>{{ nmae }}</p>"}, "field that does not exist"),
    ({"html": "<p>{% if %}</p>"}, "Line 1 of the template"),
    ({"html": "{{ name.__class__.__mro__ }}"}, "outside the certificate"),
    ({"css": "@import url(https://example.org/x.css);"}, "may not load files"),
    ({"colour": "red"}, "six hexadecimal digits"),
])
def test_a_broken_template_is_refused_and_nothing_is_written(app, client, post_form,
                                                               coordinator, changes, message):
    from app.certificates.models import CertificateTemplate

    url = f"/certificates/templates/{coordinator.slug}"
    assert post_form(url, _template_values()).status_code == 302
    response = post_form(url, _template_values(signatory_name="Someone else", **changes))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    [saved] = db.session.scalars(select(CertificateTemplate))
    assert saved.signatory_name == "Dra. Lucía Gómez" and saved.html == ""


def test_a_file_that_is_not_an_image_is_refused(app, client, post_form, coordinator):
    import io

    from app.storage import StoredFile

    response = post_form(f"/certificates/templates/{coordinator.slug}", _template_values(
        logo=(io.BytesIO(b"<svg onload='alert(1)'/>"), "logo.png")),
        content_type="multipart/form-data", headers={"Accept-Language": "es"})
    assert response.status_code == 422
    assert "Sube una imagen PNG o JPEG" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 0


def test_names_the_fonts_cannot_print_are_flagged_before_issuing(app, client, coordinator,
                                                                 finished):
    _programme, ana, _ = finished
    complete(finished[0])
    enrollment_profiles.profile_of(user_of(ana)).certificate_name = "Tenzin ༀ"
    db.session.commit()
    page = client.get(f"/certificates/programmes/{finished[0].slug}").get_data(as_text=True)
    assert "cannot print these characters of the name: ༀ" in page



def _certified_programme(count: int):
    teacher = factories.user(role=Role.INSTRUCTOR)
    programme = factories.open_programme(capacity=50, instructors=[teacher], days=1)
    session = factories.session(programme, starts_local=factories.wall(2030, 3, 4, 9),
                                instructors=[teacher])
    people = [enrollment_seats.enroll(factories.participant(given_name=f"P{n}"), programme)
              for n in range(count)]
    with frozen_time(session.starts_at + timedelta(minutes=5)):
        attendance.record_marks(session, {e.id: Mark.PRESENT for e in people}, teacher)
    for state in (ProgrammeState.REGISTRATION_CLOSED, ProgrammeState.IN_PROGRESS,
                  ProgrammeState.COMPLETED):
        workshops.transition(programme, state, None)
    db.session.commit()
    assert jobs.issue_all(programme, None) == count
    return programme


def test_the_certificates_page_runs_a_fixed_number_of_queries(app, client):
    from tests.querycount import count_queries

    small, large = _certified_programme(2), _certified_programme(8)
    factories.sign_in(client, factories.user(role=Role.ADMIN))
    counts = []
    for programme in (small, large):
        with count_queries(client.application) as queries:
            page = client.get(f"/certificates/programmes/{programme.slug}")
        assert page.status_code == 200
        counts.append(queries.total)
    assert counts[0] == counts[1]


def test_a_template_that_fails_on_one_certificate_falls_back_to_the_default(app, issued,
                                                                             caplog):
    # Passes the check (the sample has 40 hours) but divides by zero on this certificate.
    layout = rendering.Design(html="<p>{{ name }}: {{ 40 // (hours|int) }} weeks</p>")
    rendering.check_template(layout.html, "", design.sample_certificate(
        db.session.get(Certificate, issued.id).programme.dataspace), layout)
    text = pdf_text(rendering.render(issued, layout))
    assert "Certificate" in text and "Ana María" in text, "the network's layout"
    assert "failed; default used" in caplog.text


# --- a Data Space's layout is bounded in work, size and time --------------------------------

STALLS_ON_REAL_NAMES = (
    "{% if name != 'Ana María Pérez' %}{% for a in range(100000) %}{% for b in range(100000) %}"
    "{% for c in range(100000) %}x{% endfor %}{% endfor %}{% endfor %}{% endif %}<p>{{ name }}</p>"
)
DOUBLING = "{% set t = name %}" + "{% set t = t ~ t %}" * 40 + "{{ t }}"


@pytest.mark.parametrize(("layout", "message"), [
    ("{% for a in range(20000) %}{% for b in range(20000) %}x{% endfor %}{% endfor %}",
     "more work than a certificate needs"),
    ("{% for a in range(300) %}{% for b in range(300) %}x{% endfor %}{% endfor %}",
     "more work than a certificate needs"),
    ("{{ 'x' * 50000000 }}", "more work than a certificate needs"),
    ("{{ 2 ** 99999999 }}", "more work than a certificate needs"),
    (DOUBLING, "more work than a certificate needs"),
    ("{{ lipsum(100000) }}", "field that does not exist"),
    ("{{ name|center(2000000000) }}", "simplify it"),  # the child's memory ceiling
])
def test_a_layout_that_asks_for_too_much_is_refused_and_the_saved_one_stays(
        app, client, post_form, coordinator, layout, message):
    url = f"/certificates/templates/{coordinator.slug}"
    assert post_form(url, _template_values()).status_code == 302
    response = post_form(url, _template_values(html=layout))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert design.template_of(coordinator).html == ""


def test_a_layout_that_stalls_on_real_names_delays_no_other_data_space(app, coordinator,
                                                                       finished):
    elsewhere = _certified_programme(1)  # another Data Space, the network's layout
    design.save_template(coordinator, factories.user(role=Role.ADMIN), colour="#0b5d66",
                           wording={}, signatory_name="", signatory_title={},
                           html=STALLS_ON_REAL_NAMES, css="")  # the sample passes the check
    complete(finished[0])
    stalling = issuing.issue(finished[1], None)
    db.session.commit()
    assert jobs.render_missing() == 2
    db.session.expire_all()
    assert all(c.pdf_file_id for c in db.session.scalars(select(Certificate)))
    text = pdf_text(issuing.stored_pdf(db.session.get(Certificate, stalling.id)))
    assert "Certificate" in text and "Ana María" in text, "drawn with the network's layout"
    assert elsewhere.dataspace_id != coordinator.id


def test_a_certificate_that_takes_too_long_to_draw_is_marked_and_the_rest_goes_on(
        app, client, post_form, coordinator, finished):
    app.config["CERTIFICATE_RENDER_SECONDS"] = 0.5
    client.application.config["CERTIFICATE_RENDER_SECONDS"] = 0.5
    elsewhere = _certified_programme(2)
    slow = "{% for i in range(10000) %}<p>{{ name }} {{ i }}</p>{% endfor %}"  # 200 pages
    assert post_form(f"/certificates/templates/{coordinator.slug}",
                     _template_values(html=slow)).status_code == 302
    complete(finished[0])
    stalled = issuing.issue(finished[1], None)
    db.session.commit()
    jobs.render_missing()
    db.session.expire_all()
    stalled = db.session.get(Certificate, stalled.id)
    assert stalled.pdf_file_id is None and stalled.render_problem == "overran"
    drawn = db.session.scalars(select(Certificate).where(
        Certificate.programme_id == elsewhere.id)).all()
    assert len(drawn) == 2 and all(c.pdf_file_id for c in drawn)
    page = client.get(f"/certificates/programmes/{finished[0].slug}").get_data(as_text=True)
    assert "took longer than 0.5 seconds" in page
    assert jobs.render_missing() == 0, "not tried again with the same layout"
    assert post_form(f"/certificates/templates/{coordinator.slug}",
                     _template_values()).status_code == 302
    assert jobs.render_missing() == 1, "a new layout draws it again"
    db.session.expire_all()
    assert db.session.get(Certificate, stalled.id).pdf_file_id is not None


def test_refused_issue_and_exception_forms_write_nothing(app, client, post_form, coordinator,
                                                         finished):
    from app.audit.models import AuditEntry
    from app.certificates.models import EligibilityOverride

    programme, _ana, bo = finished
    complete(programme)
    elsewhere = _certified_programme(1)
    foreign = db.session.scalar(select(Certificate).where(
        Certificate.programme_id == elsewhere.id)).enrollment_id
    before = (count(), db.session.scalar(select(func.count()).select_from(AuditEntry)))
    page = f"/certificates/programmes/{programme.slug}"
    refusals = [
        (f"{page}/issue", {"enrollment": str(foreign)}, 404),  # another programme's
        (f"{page}/issue", {"enrollment": str(bo.id)}, 409),  # Bo attended half
        (f"{page}/override", {"enrollment": str(bo.id), "reason": ""}, 422),
        (f"{page}/override", {"enrollment": str(foreign), "reason": "Sick leave"}, 404),
    ]
    for url, data, status in refusals:
        assert post_form(url, data, page=page).status_code == status, url
    db.session.expire_all()
    assert (count(), db.session.scalar(select(func.count()).select_from(AuditEntry))) == before
    assert db.session.scalar(select(func.count()).select_from(EligibilityOverride)) == 0
