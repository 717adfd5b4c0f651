"""The request hooks of the transparency outputs: which /transparency views Frappe's page cache may
keep, and JSON responses gzipped for clients that accept it."""

from __future__ import annotations

import frappe
from frappe.website.page_renderers.base_renderer import BaseRenderer
from frappe.website.page_renderers.template_page import TemplatePage

from ta_programmes.transparency.published import settings


def before_request() -> None:
	"""Frappe keeps the rendered /transparency for Guests; only a plain GET of it (no query, no
	form body, no session) is served from, or stored in, that cache: a filtered, paged, posted or
	logged-in view never is (a POST with filters would otherwise be stored as everyone's page)."""
	request = getattr(frappe.local, "request", None)
	if request is None or request.path.rstrip("/") != "/transparency":
		return
	plain_get = request.method in ("GET", "HEAD") and not request.args and not request.content_length
	if not plain_get or request.cookies.get("sid", "Guest") not in ("", "Guest") or not settings().public_page_enabled:
		frappe.local.no_cache = True


class TransparencyPage(TemplatePage):
	"""/transparency, rendered as Frappe renders any www page (the same template, context and page
	cache), but found first (hook ``page_renderer``): before it, Frappe asks on every request
	whether a web form or a document's web view has the route, which builds a werkzeug routing
	map of the web forms and queries the database: about half of a page-cache hit's time. Any
	other path is left to Frappe's renderers, without looking for a file."""

	PATH = "transparency"

	def __init__(self, path, http_status_code=None):
		if (path or "").strip("/ ") == self.PATH:
			super().__init__(path, http_status_code)
		else:
			BaseRenderer.__init__(self, path, http_status_code)

	def can_render(self):
		return self.path == self.PATH and super().can_render()


# JSON responses (desk reports, lists, the API) and web pages are compressed for clients that accept
# gzip: a decade of the desk report is 0.7 MB of JSON per programme, 0.1 MB gzipped (level 1, as
# nginx's default, about 3 ms); /transparency is 0.3 MB of HTML, 40 kB gzipped. Off with the site
# setting "ta_gzip_json": 0 (a proxy compressing instead).
GZIP_MIN_BYTES = 1024
GZIP_LEVEL = 1
GZIP_TYPES = frozenset(("application/json", "text/html"))


def after_request(response=None, request=None) -> None:
	"""after_request hook: gzip a JSON or HTML response of more than 1 kB when the client accepts gzip.
	Files, streamed responses and anything already encoded are left alone."""
	import gzip

	if response is None or request is None or not frappe.conf.get("ta_gzip_json", 1):
		return
	if response.direct_passthrough or response.is_streamed or response.mimetype not in GZIP_TYPES:
		return
	if "Content-Encoding" in response.headers or not request.accept_encodings["gzip"]:
		return
	data = response.get_data()
	if len(data) < GZIP_MIN_BYTES:
		return
	response.set_data(gzip.compress(data, compresslevel=GZIP_LEVEL))
	response.headers["Content-Encoding"] = "gzip"
	response.vary.add("Accept-Encoding")
