"""Files: a record that names a file already on the site must name one its user may open.

Frappe makes a File record from a bare ``file_url`` (``upload_file``, ``/api/resource/File``, the
copy it makes for an Attach field), and such a record then lets its owner download the file — or,
with ``/files/../../private/files/…``, writes a public copy of a private one. Any user allowed to
create a File could so read any private file whose name they guess: a concern's evidence, a
state's request for assistance, another user's report. Here the address must be a plain file of
this site that the user may already open."""

from __future__ import annotations

import re
from urllib.parse import unquote

import frappe
from frappe import _
from frappe.core.doctype.file.file import File

LOCAL_FILE = re.compile(r"/(private/)?files/[^/\\]+")


def check_file_url(url: str | None, label: str | None = None) -> None:
	"""``url`` is a file of this site (no path tricks) that the session user may open."""
	if frappe.session.user == "Administrator":
		return
	path = unquote(url or "").strip()
	readable = (
		bool(LOCAL_FILE.fullmatch(path))
		and ".." not in path
		and any(
			frappe.get_doc("File", name).is_downloadable()
			for name in frappe.get_all("File", filters={"file_url": path}, pluck="name")
		)
	)
	if not readable:
		# One answer whether the file exists or not: the refusal tells nothing about other files.
		frappe.throw(
			_("{0}: you may use only a file of this site that you may open yourself.").format(
				label or _("File")
			),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)


class TAFile(File):
	def before_insert(self):
		if not self.is_folder and not self.get("content") and self.file_url and not self.is_remote_file:
			check_file_url(self.file_url)
		super().before_insert()
