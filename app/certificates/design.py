"""Each Data Space's certificate design: colour, wording, signatory, logo and signature, and an
optional layout of its own (HTML and CSS, checked in a sandbox before it is saved)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import filetype
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from app import storage
from app.audit import services as audit
from app.audit.models import AuditAction
from app.auth.models import User
from app.certificates import rendering, signing
from app.certificates.models import (
    Certificate,
    CertificateTemplate,
)
from app.dataspaces.models import DataSpace
from app.errors import DomainError
from app.extensions import db
from app.urls import external_url
from app.workshops.models import Programme

COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


IMAGE_TYPES = {"image/png", "image/jpeg"}


MAX_IMAGE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


def template_of(space: DataSpace) -> CertificateTemplate | None:
    return db.session.scalar(
        select(CertificateTemplate).where(CertificateTemplate.dataspace_id == space.id))


def _data_url(file_id: int | None) -> str | None:
    stored = storage.get(file_id)
    return stored.data_url if stored else None


def design_of(template: CertificateTemplate | None) -> rendering.Design:
    if template is None:
        return rendering.Design()
    return rendering.Design(
        html=template.html, css=template.css, colour=template.colour,
        wording=dict(template.wording), signatory_name=template.signatory_name,
        signatory_title=dict(template.signatory_title), logo=_data_url(template.logo_file_id),
        signature=_data_url(template.signature_file_id))


def designs_for(dataspace_ids: set[int]) -> dict[int, rendering.Design]:
    templates = db.session.scalars(select(CertificateTemplate).where(
        CertificateTemplate.dataspace_id.in_(dataspace_ids)))
    return {template.dataspace_id: design_of(template) for template in templates}


def sample_certificate(space: DataSpace) -> Certificate:
    """A certificate as the template will see one, for checking and previewing it."""
    snapshot = {**rendering.SAMPLE, "serial": f"{space.slug.upper()}-2026-0001",
                "issuer": dict(space.name),
                "verify_url": external_url("certificates.verify", code="sample")}
    return Certificate(id=0, snapshot=snapshot, signature=signing.sign(snapshot)[0])


def _checked_image(upload: Upload, field: str) -> storage.StoredFile:
    kind = filetype.guess(upload.data)
    if kind is None or kind.mime not in IMAGE_TYPES:
        raise DomainError(_l("Upload a PNG or JPEG image."), field=field)
    if len(upload.data) > MAX_IMAGE_BYTES:
        raise DomainError(_l("The image is larger than 1 MB."), field=field)
    return storage.store(upload.data, kind.mime)


def save_template(space: DataSpace, actor: User, *, colour: str, wording: Mapping[str, str],
                  signatory_name: str, signatory_title: Mapping[str, str], html: str, css: str,
                  logo: Upload | None = None, signature: Upload | None = None,
                  remove_logo: bool = False, remove_signature: bool = False
                  ) -> CertificateTemplate:
    """Check everything first, then write: a refused template leaves the saved one as it was."""
    if not COLOUR.match(colour or ""):
        raise DomainError(_l("Enter a colour as # and six hexadecimal digits."), field="colour")
    html, css = (html or "").strip(), (css or "").strip()
    template = template_of(space) or CertificateTemplate(dataspace_id=space.id)
    design = rendering.Design(html=html, css=css, colour=colour, wording=dict(wording),
                              signatory_name=signatory_name, signatory_title=dict(signatory_title))
    rendering.check_template(html, css, sample_certificate(space), design)
    images = {name: _checked_image(upload, name)
              for name, upload in (("logo", logo), ("signature", signature)) if upload}
    template.colour, template.html, template.css = colour, html, css
    template.wording, template.signatory_title = dict(wording), dict(signatory_title)
    template.signatory_name, template.updated_by_id = signatory_name.strip(), actor.id
    db.session.add(template)
    db.session.flush()
    for name, remove in (("logo", remove_logo), ("signature", remove_signature)):
        previous = getattr(template, f"{name}_file_id")
        if name in images or remove:
            setattr(template, f"{name}_file_id", images[name].id if name in images else None)
            db.session.flush()
            storage.discard(previous)
    db.session.flush()
    _draw_again(space)
    audit.record(actor.id, AuditAction.CERTIFICATE_TEMPLATE_SAVED, "dataspace", space.id,
                 dataspace_id=space.id, custom_layout=bool(html or css))
    return template


def _draw_again(space: DataSpace) -> None:
    """The certificates its former layout could not draw are drawn again with the new one."""
    programmes = select(Programme.id).where(Programme.dataspace_id == space.id)
    db.session.execute(
        update(Certificate).where(Certificate.programme_id.in_(programmes),
                                  Certificate.render_problem.is_not(None))
        .values(render_problem=None).execution_options(synchronize_session=False))


def preview(space: DataSpace) -> str:
    """The template filled in with a sample certificate, as HTML for the browser."""
    html, stylesheets = rendering.preview(sample_certificate(space), design_of(template_of(space)))
    style = "<style>" + "\n".join(stylesheets) + "</style>"
    return html.replace("</head>", f"{style}</head>", 1) if "</head>" in html else style + html
