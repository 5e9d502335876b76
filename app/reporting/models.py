"""Funder reports, built in the background as PDFs (the scheduler's ``build-funder-reports``)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.database import LabelledEnum, UTCDateTime, enum_column
from app.extensions import db
from app.timeutil import utcnow


class BuildStatus(LabelledEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


BuildStatus.LABELS = {"queued": _l("Waiting to start"), "running": _l("Being built"),
                      "done": _l("Ready"), "failed": _l("Failed")}


class FunderReport(db.Model):
    """One requested PDF report of a grant, in the requester's language, and how far its
    building has gone (``progress``, in percent)."""

    __tablename__ = "funder_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("grants.id", ondelete="CASCADE"),
                                          index=True)
    language: Mapped[str] = mapped_column(String(10))
    status: Mapped[BuildStatus] = mapped_column(enum_column(BuildStatus, "build_status"),
                                                default=BuildStatus.QUEUED)
    progress: Mapped[int] = mapped_column(default=0)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id",
                                                           ondelete="SET NULL"))
    error: Mapped[str | None] = mapped_column(String(500))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                   ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The running job's last sign of life (``app.jobs.beat``): a lapsed one is taken over.
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
