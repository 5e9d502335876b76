"""Health of the parts the app depends on."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db


def database_problem() -> str | None:
    """``None`` when the database answers, else a short reason."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        db.session.rollback()
        return type(getattr(error, "orig", None) or error).__name__
    return None
