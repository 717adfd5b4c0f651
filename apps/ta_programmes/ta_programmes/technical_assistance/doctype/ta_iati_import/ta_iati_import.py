"""An officer's import of another publisher's IATI activity file: attach the file, then Import
(``ta_programmes.api.deconfliction.import_iati``). The summary is the server's."""

from frappe.model.document import Document

from ta_programmes import deconfliction


class TAIATIImport(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		activities: DF.Int
		created: DF.Int
		import_file: DF.Attach
		imported_by: DF.Link | None
		imported_on: DF.Datetime | None
		naming_series: DF.Literal["TAI-.YYYY.-"]
		publishers: DF.SmallText | None
		status: DF.Literal["Pending", "Imported"]
		unchanged: DF.Int
		undated: DF.Int
		updated: DF.Int

	# end: auto-generated types
	def validate(self):
		if self.is_new() or not self.status:
			self.status = "Pending"
		deconfliction.check_import_file(self)
