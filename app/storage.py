"""Files kept in the database, shared by every domain that stores content (course materials,
certificate PDFs, certificate logos and signatures).

They live in the database rather than on disk so that every app host serves the same files
without a shared volume. A domain keeps the id of its file and asks here for the content.
"""

from __future__ import annotations

import base64
import hashlib

from sqlalchemy import LargeBinary, String, delete
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class StoredFile(db.Model):
    """The content of one file, its type and its SHA-256 checksum."""

    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    content_type: Mapped[str] = mapped_column(String(100))
    data: Mapped[bytes] = mapped_column(LargeBinary())

    @property
    def data_url(self) -> str:
        """The content inline, for a document that must not fetch anything (a PDF being drawn)."""
        return f"data:{self.content_type};base64,{base64.b64encode(self.data).decode()}"


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def store(data: bytes, content_type: str) -> StoredFile:
    """Keep ``data``; the returned file has its id (flushed)."""
    stored = StoredFile(sha256=checksum(data), size=len(data), content_type=content_type,
                        data=data)
    db.session.add(stored)
    db.session.flush()
    return stored


def get(file_id: int | None) -> StoredFile | None:
    return db.session.get(StoredFile, file_id) if file_id else None


def discard(file_id: int | None) -> None:
    """Delete a file no row refers to any longer (flush the row that referred to it first)."""
    if file_id is not None:
        db.session.execute(delete(StoredFile).where(StoredFile.id == file_id))
