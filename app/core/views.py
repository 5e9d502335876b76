from __future__ import annotations

from flask import Blueprint, jsonify, render_template

from app.core.services import database_problem
from app.dataspaces.services import list_dataspaces
from app.extensions import csrf, limiter

bp = Blueprint("core", __name__, template_folder="templates")


@bp.get("/")
def index():
    return render_template("core/index.html", dataspaces=list_dataspaces())


@bp.get("/healthz")
@csrf.exempt
@limiter.exempt
def healthz():
    problem = database_problem()
    if problem:
        return jsonify(status="error", database=problem), 503
    return jsonify(status="ok", database="ok")
