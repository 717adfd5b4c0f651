import frappe
from frappe import _
from frappe.model.document import Document

from ta_programmes.core import results as R
from ta_programmes.enforce import rules
from ta_programmes.results import claim_key


class TAResult(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		code: DF.Data
		description: DF.SmallText | None
		level: DF.Literal["Outcome", "Output"]
		naming_series: DF.Literal["RES-.YYYY.-"]
		parent_result: DF.Link | None
		programme: DF.Link
		programme_title: DF.Data | None
		result_key: DF.Data | None
		title: DF.Data
	# end: auto-generated types
	def validate(self):
		self.code = (self.code or "").strip()
		if self.level == "Outcome":
			self.parent_result = None
		parent = frappe.db.get_value("TA Result", self.parent_result, ["level", "programme"], as_dict=True) if self.parent_result else None
		with rules():
			R.check_result_parent(
				self.level, self.parent_result, parent.level if parent else None, parent.programme if parent else None,
				self.programme, name=self.name,
			)
		if not self.is_new() and self.level == "Output" and frappe.db.exists("TA Result", {"parent_result": self.name}):
			frappe.throw(_("Outputs serve this result: it stays an outcome."), frappe.ValidationError, title=_("Invalid Results Framework"))
		if not self.is_new() and self.has_value_changed("programme") and (
			frappe.db.exists("TA Indicator", {"result": self.name})
			or frappe.db.exists("TA Activity", {"result": self.name})
			or frappe.db.exists("TA Result", {"parent_result": self.name})
		):
			frappe.throw(
				_("Indicators, activities or outputs refer to this result: it stays with its programme."),
				frappe.ValidationError, title=_("Invalid Results Framework"),
			)
		claim_key(self, "result_key", (self.programme, self.code), _("Result {0} of programme {1}").format(self.code, self.programme))

	def on_trash(self):
		for doctype, field in (("TA Result", "parent_result"), ("TA Indicator", "result"), ("TA Activity", "result")):
			if frappe.db.exists(doctype, {field: self.name}):
				frappe.throw(
					_("{0} records still refer to this result; remove them first.").format(_(doctype)),
					frappe.LinkExistsError, title=_("Result in Use"),
				)
