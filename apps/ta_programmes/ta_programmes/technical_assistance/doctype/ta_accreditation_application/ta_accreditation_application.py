from frappe.model.document import Document
from frappe.utils import now_datetime

from ta_programmes import oversight_balance as balance
from ta_programmes.core import balance as core
from ta_programmes.enforce import rules
from ta_programmes.core.i18n import N_, reason

TEXT_FIELDS = (
	"organisation_name",
	"sector",
	"regional_group",
	"country",
	"website",
	"contact_name",
	"contact_email",
	"mandate",
	"independence_statement",
)


class TAAccreditationApplication(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		contact_email: DF.Data
		contact_name: DF.Data
		country: DF.Link
		decided_by: DF.Link | None
		decided_on: DF.Datetime | None
		decision_reason: DF.Text | None
		independence_statement: DF.Text
		mandate: DF.Text
		naming_series: DF.Literal["ACC-.YYYY.-"]
		organisation_name: DF.Data
		partner_organisation: DF.Link | None
		received_on: DF.Datetime | None
		regional_group: DF.Literal["", "African", "Asia-Pacific", "Eastern European", "Latin American & Caribbean", "Western European & Others"]
		sector: DF.Literal["Civil Society", "Academia"]
		status: DF.Literal["Pending", "Accredited", "Refused"]
		website: DF.Data | None
	# end: auto-generated types

	def before_validate(self):
		balance.require_text(self, TEXT_FIELDS)  # Guests post any JSON through the web form
		for field in TEXT_FIELDS:
			if self.get(field):
				self.set(field, self.get(field).strip())

	def validate(self):
		if self.is_new():  # the decision fields are server-owned: empty on a new application
			self.status = core.PENDING
			self.received_on = now_datetime()
		with rules():
			core.check_application(
				organisation_name=self.organisation_name,
				sector=self.sector,
				regional_group=self.regional_group,
				country=self.country,
				website=self.website,
				contact_name=self.contact_name,
				contact_email=self.contact_email,
				mandate=self.mandate,
				independence=self.independence_statement,
			)

	def after_insert(self):
		"""The programme managers, who decide, are told of a new application."""
		from ta_programmes import oversight

		oversight.notify(
			oversight.users_with_role(core.DECIDER_ROLE),
			reason(N_("Accreditation application from {0}"), self.organisation_name),
			self,
		)
