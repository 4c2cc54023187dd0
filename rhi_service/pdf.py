"""Every PDF is the page's own template printed by WeasyPrint."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from flask import Response, render_template, request
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC = Path(__file__).resolve().parent.parent / "static"


class _LocalFetcher(URLFetcher):
    """Stylesheets and images come from disk: fetching them over HTTP from the same server could
    deadlock a single worker, and nothing outside this app may be fetched at all."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = urlsplit(url).path
        if path.startswith("/static/"):
            target = (STATIC / path[len("/static/"):]).resolve()
            if STATIC in target.parents and target.is_file():
                return URLFetcherResponse(url, target.read_bytes(), {"Content-Type": _mime(target)})
        raise ValueError(f"refused to fetch {url} while making a PDF")


def _mime(path: Path) -> str:
    return {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg"}.get(path.suffix, "application/octet-stream")


def pdf_bytes(template: str, **context) -> bytes:
    html = render_template(template, for_pdf=True, **context)
    return HTML(string=html, base_url=request.url_root, url_fetcher=_LocalFetcher()).write_pdf()


def pdf_response(template: str, filename: str, **context) -> Response:
    """`filename` must carry no personal data (ids only): it shows in download lists."""
    response = Response(pdf_bytes(template, **context), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
