from frappe import _
from frappe.model.document import Document
from frappe.utils import today

from ta_programmes.core import rules as R
from ta_programmes.enforce import as_date, rules


class TATrainer(Document):
	def validate(self):
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
