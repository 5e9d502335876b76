"""Static files and compression: what a slow connection gets."""

from __future__ import annotations

import gzip
import re

import brotli


def _stylesheet(client) -> str:
    page = client.get("/").get_data(as_text=True)
    return re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]{12})"', page).group(1)


def test_static_files_have_fingerprinted_addresses_cached_for_a_year(client):
    address = _stylesheet(client)
    response = client.get(address)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_an_address_without_the_current_fingerprint_is_revalidated(client):
    for address in ("/static/css/app.css", "/static/css/app.css?v=000000000000"):
        response = client.get(address)
        assert response.headers["Cache-Control"] == "no-cache"
        assert response.headers.get("ETag")


def test_pages_travel_compressed_with_gzip_or_brotli(client):
    plain = client.get("/workshops/")
    squeezed = client.get("/workshops/", headers={"Accept-Encoding": "gzip"})
    assert squeezed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in squeezed.headers["Vary"]
    assert gzip.decompress(squeezed.data) == plain.data
    assert len(squeezed.data) < len(plain.data) / 2
    preferred = client.get("/workshops/", headers={"Accept-Encoding": "gzip, br"})
    assert preferred.headers["Content-Encoding"] == "br"
    assert brotli.decompress(preferred.data) == plain.data


def test_styles_travel_compressed(client):
    """Static files are sent as a stream: brotli (which every browser we serve accepts)."""
    address = _stylesheet(client)
    plain = client.get(address).data
    squeezed = client.get(address, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert squeezed.headers["Content-Encoding"] == "br"
    assert brotli.decompress(squeezed.data) == plain
    assert len(squeezed.data) < len(plain) / 2


def test_no_web_font_is_needed_to_read_a_page(client):
    stylesheet = client.get(_stylesheet(client)).get_data(as_text=True)
    assert "@font-face" not in stylesheet
    assert "url(" not in stylesheet.split("font-family", 1)[-1].split(";", 1)[0]
