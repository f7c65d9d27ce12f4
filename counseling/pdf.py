"""HTML to PDF with WeasyPrint, offline: the page's static files come from the project itself.

WeasyPrint needs Pango from the operating system. A server without it still serves every page;
the PDF links then explain which Debian packages to install (see PDF_SYSTEM_PACKAGES).
"""

import importlib
import logging
import mimetypes
from pathlib import Path
from types import ModuleType
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

# What `apt-get install` needs on Debian and Ubuntu for WeasyPrint to load.
PDF_SYSTEM_PACKAGES = ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0")
# The documents are rendered against this made-up origin; only its static files are served.
BASE_URL = "https://ruangbk.invalid/"


def import_weasyprint() -> ModuleType:
    """Import WeasyPrint (raises ImportError or OSError when it or a system library is
    missing); the tests stand in for it here, not for importlib as a whole."""
    return importlib.import_module("weasyprint")


def load_weasyprint() -> ModuleType | None:
    """The weasyprint module, or None when it or its system libraries cannot be loaded."""
    # Its step-by-step progress is not worth a log line per PDF.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    try:
        return import_weasyprint()
    except (ImportError, OSError) as exc:
        logger.warning("PDF export unavailable, WeasyPrint cannot be loaded: %s", exc)
        return None


def unavailable_response(
    request: HttpRequest, *, print_url: str, back_url: str, back_label: str
) -> HttpResponse:
    """The page a PDF link shows when WeasyPrint cannot be loaded (503): what to install, and
    the print view meanwhile."""
    context = {
        "print_url": print_url,
        "back_url": back_url,
        "back_label": back_label,
        "packages": " ".join(PDF_SYSTEM_PACKAGES),
    }
    return render(request, "pdf_unavailable.html", context, status=503)


def pdf_response(
    weasyprint: ModuleType, request: HttpRequest, template: str, context: dict, filename: str
) -> HttpResponse:
    """A print view's template rendered as a PDF file, never cached on the way."""
    html = render_to_string(template, {**context, "for_pdf": True}, request=request)
    response = HttpResponse(html_to_pdf(weasyprint, html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def static_file_path(url: str) -> Path | None:
    """The file behind a static URL of the rendered document, or None for any other URL."""
    static_prefix = urlsplit(BASE_URL).path.rstrip("/") + "/" + settings.STATIC_URL.strip("/") + "/"
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}/" != BASE_URL or not parts.path.startswith(static_prefix):
        return None
    name = unquote(parts.path[len(static_prefix) :])
    if not name or ".." in Path(name).parts:
        return None
    found = finders.find(name)
    if found:
        return Path(found)
    # Production after collectstatic: hashed names live only in STATIC_ROOT.
    try:
        collected = Path(staticfiles_storage.path(name))
    except NotImplementedError:
        return None
    return collected if collected.is_file() else None


def _fetcher_class(weasyprint: ModuleType) -> type:
    base = weasyprint.urls.URLFetcher

    class StaticFilesFetcher(base):
        """Serves the document's static files from disk and fetches nothing else: no network,
        no local files outside the static folders."""

        def fetch(self, url, headers=None):
            path = static_file_path(url)
            if path is None:
                raise ValueError(f"Not a static file of this site: {url}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return weasyprint.urls.URLFetcherResponse(
                url, body=path.read_bytes(), headers={"Content-Type": content_type}
            )

    return StaticFilesFetcher


def html_to_pdf(weasyprint: ModuleType, html: str) -> bytes:
    """The PDF of an HTML document whose links are relative to the site (e.g. /static/…)."""
    fetcher = _fetcher_class(weasyprint)()
    return weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf()
