from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template

from app.dataspaces.services import list_dataspaces
from app.extensions import csrf, limiter
from app.site import sitemap
from app.site.services import database_problem

bp = Blueprint("site", __name__, template_folder="templates")


@bp.get("/")
def index():
    return render_template("site/index.html", dataspaces=list_dataspaces())


@bp.get("/healthz")
@csrf.exempt
@limiter.exempt
def healthz():
    problem = database_problem()
    if problem:
        return jsonify(status="error", database=problem), 503
    return jsonify(status="ok", database="ok")


@bp.get("/sitemap.xml")
def sitemap_xml():
    return Response(sitemap.sitemap_xml(sitemap.public_pages()), mimetype="application/xml")


@bp.get("/robots.txt")
def robots_txt():
    return Response(sitemap.robots_txt(), mimetype="text/plain")
