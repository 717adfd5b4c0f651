import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import today

from ta_programmes import scheduling
from ta_programmes.core import rules as R
from ta_programmes.enforce import as_date, rules


class TATrainer(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF
		from ta_programmes.technical_assistance.doctype.ta_conflict_declaration.ta_conflict_declaration import TAConflictDeclaration
		from ta_programmes.technical_assistance.doctype.ta_trainer_expertise.ta_trainer_expertise import TATrainerExpertise
		from ta_programmes.technical_assistance.doctype.ta_trainer_language.ta_trainer_language import TATrainerLanguage
		from ta_programmes.technical_assistance.doctype.ta_trainer_unavailability.ta_trainer_unavailability import TATrainerUnavailability

		active: DF.Check
		conflict_declarations: DF.Table[TAConflictDeclaration]
		consent_public_profile: DF.Check
		daily_rate: DF.Currency
		email: DF.Data | None
		expertise: DF.TableMultiSelect[TATrainerExpertise]
		full_name: DF.Data
		home_time_zone: DF.Autocomplete | None
		ics_token: DF.Password | None
		languages: DF.TableMultiSelect[TATrainerLanguage]
		naming_series: DF.Literal["TAT-.#####"]
		organisation: DF.Link | None
		public_bio: DF.SmallText | None
		rate_currency: DF.Link | None
		sector: DF.Data | None
		unavailability: DF.Table[TATrainerUnavailability]
		user: DF.Link | None
		vetting_date: DF.Date | None
		vetting_status: DF.Literal["Pending", "Cleared", "Rejected"]
	# end: auto-generated types

	def validate(self):
		if not self.ics_token or self.flags.renew_ics_token:
			# Server-owned (emptied on a new trainer by server_fields): the feed's secret is made here.
			self.ics_token = frappe.generate_hash(length=32)
		if not self.consent_public_profile:
			# Never keep a public text for someone who has not (or no longer) consented.
			self.public_bio = None
		with rules():
			R.check_time_zone(_("Home time zone"), self.home_time_zone)
			R.check_vetting(self.vetting_status, as_date(self.vetting_date), as_date(today()))
			R.check_non_negative(_("Daily rate"), self.daily_rate)
			R.check_unique(((r.idx, r.thematic_area, r.thematic_area) for r in self.expertise), _("Thematic area"))
			R.check_unique(((r.idx, r.language, r.language) for r in self.languages), _("Language"))
			for row in self.conflict_declarations:
				R.check_not_future(_("Declaration date"), as_date(row.declared_on), as_date(today()), row.idx)
		scheduling.check_unavailability(self)

	def on_update(self):
		scheduling.sync_unavailability(self)

	def on_trash(self):
		frappe.db.delete(scheduling.BOOKING, {"trainer": self.name})
