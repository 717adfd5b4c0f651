"""An activity of another publisher, read from its IATI file by a TA IATI Import: the import is
its only writer (no role may create or edit one; every field is server-owned)."""

from frappe.model.document import Document


class TAExternalActivity(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF
		from ta_programmes.technical_assistance.doctype.ta_external_country.ta_external_country import (
			TAExternalCountry,
		)
		from ta_programmes.technical_assistance.doctype.ta_external_sector.ta_external_sector import (
			TAExternalSector,
		)

		budget: DF.Float
		countries: DF.Table[TAExternalCountry]
		currency: DF.Data | None
		end: DF.Date | None
		fingerprint: DF.Data | None
		iati_identifier: DF.Data
		iati_import: DF.Link | None
		imported_on: DF.Datetime | None
		reporting_org_name: DF.Data | None
		reporting_org_ref: DF.Data | None
		sectors: DF.Table[TAExternalSector]
		start: DF.Date | None
		title: DF.Data | None
	# end: auto-generated types
	pass
