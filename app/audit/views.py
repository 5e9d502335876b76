from __future__ import annotations

from flask import Blueprint, render_template

from app.audit import services
from app.auth.permissions import admin_required

bp = Blueprint("audit", __name__, template_folder="templates")


@bp.get("/admin/audit")
@admin_required
def index():
    return render_template("audit/index.html", entries=services.recent_entries())
