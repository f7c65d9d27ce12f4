"""In production, static files are fingerprinted, precompressed (brotli and gzip) and cached
for good; pages are gzipped for browsers that ask."""

import json

from tests.config.test_settings import PRODUCTION, run_python

CHECK = """
import json, django
django.setup()
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client
call_command("collectstatic", "--no-input", verbosity=0)
client = Client()
url = static("vendor/bootstrap/css/bootstrap.min.css")
asset = client.get(url, HTTP_ACCEPT_ENCODING="gzip, br", secure=True)
page = client.get(
    "/accounts/login/", HTTP_ACCEPT_ENCODING="gzip", HTTP_HOST="bk.example.sch.id", secure=True
)
print(json.dumps({
    "url": url,
    "asset": [asset.status_code, asset.get("Content-Encoding"), asset.get("Cache-Control")],
    "page": [page.status_code, page.get("Content-Encoding")],
}))
"""


def test_assets_are_fingerprinted_compressed_and_immutable_and_pages_gzipped(tmp_path):
    result = run_python("-c", CHECK, **PRODUCTION, DJANGO_STATIC_ROOT=str(tmp_path))
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    name = seen["url"].rsplit("/", 1)[-1]
    assert name.startswith("bootstrap.min.") and name != "bootstrap.min.css"  # a content hash
    assert seen["asset"] == [200, "br", "max-age=315360000, public, immutable"]
    assert seen["page"] == [200, "gzip"]
    assert (tmp_path / "vendor/bootstrap/css/bootstrap.min.css.br").exists()
