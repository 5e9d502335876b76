"""``flask --app app certificates …``"""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import AppGroup

from app.certificates import eligibility, issuing, jobs, signing
from app.errors import DomainError
from app.workshops import services as workshops

certificates_cli = AppGroup("certificates", help="Issue and verify certificates.")


@certificates_cli.command("issue")
@click.argument("programme")
def issue(programme: str) -> None:
    """Issue every certificate still due for PROGRAMME (its slug), with a progress bar."""
    item = workshops.get_programme(programme)
    if item is None:
        raise click.ClickException(f"No programme {programme!r}.")
    with click.progressbar(
        length=max(1, sum(c.may_issue for c in eligibility.candidates(item))),
        label="Issuing certificates",
    ) as bar:
        try:
            issued = jobs.issue_all(item, None, progress=lambda done, total: bar.update(1))
        except DomainError as error:
            raise click.ClickException(str(error.message)) from error
    click.echo(f"{issued} certificates issued.")
    missing = sum(1 for c in issuing.of_programme(item) if c.pdf_file_id is None)
    with click.progressbar(length=max(1, missing), label="Rendering PDFs") as bar:
        jobs.render_missing(item, progress=lambda done, total: bar.update(done - bar.pos))


@certificates_cli.command("verify")
@click.argument("payload")
@click.option(
    "--public-key",
    "key_file",
    type=click.Path(exists=True, dir_okay=False),
    help="The published public key (PEM); without it, this app's own key is used.",
)
def verify(payload: str, key_file: str | None) -> None:
    """Check a certificate from its QR payload alone, without the database."""
    pem = Path(key_file).read_bytes() if key_file else signing.public_key_pem()
    try:
        snapshot = signing.verify_payload(payload, pem)
    except signing.BadCertificate as error:
        raise click.ClickException(f"NOT VALID: {error}") from error
    click.echo("VALID signature. The certificate states:")
    click.echo(json.dumps(snapshot, ensure_ascii=False, indent=2))
