from frappe.model.document import Document
from frappe.utils import getdate

from ta_programmes import oversight_balance as balance
from ta_programmes.core import balance as core
from ta_programmes.enforce import as_date, rules


class TAOversightMeeting(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF
		from ta_programmes.technical_assistance.doctype.ta_meeting_participant.ta_meeting_participant import TAMeetingParticipant

		amended_from: DF.Link | None
		city: DF.Data | None
		country: DF.Link | None
		decisions: DF.Text | None
		meeting_date: DF.Date
		minutes: DF.TextEditor | None
		mode: DF.Literal["In person", "Online"]
		naming_series: DF.Literal["OM-.YYYY.-"]
		participants: DF.Table[TAMeetingParticipant]
		programme: DF.Link | None
		regional_group: DF.Literal["", "African", "Asia-Pacific", "Eastern European", "Latin American & Caribbean", "Western European & Others"]
		title: DF.Data
	# end: auto-generated types

	def validate(self):
		for row in self.participants:
			if row.sector == core.OHCHR:
				row.regional_group = None  # a UN body: the field is hidden for it in the form
		if self.mode == core.ONLINE:
			self.city = self.country = self.regional_group = None
		elif self.country and not self.regional_group:
			self.regional_group = balance.place_group_of(self.country)
		self.check_meeting()

	def check_meeting(self):
		with rules():
			core.check_meeting(
				meeting_date=as_date(self.meeting_date),
				mode=self.mode,
				city=self.city,
				country=self.country,
				place_group=self.regional_group,
				participants=balance.participants_of(self),
				today=getdate(),
				decisions=self.decisions,
				minutes=self.minutes,
			)

	def before_submit(self):
		"""Submitting publishes the decisions on /oversight-meetings."""
		with rules():
			core.check_publish(as_date(self.meeting_date), self.decisions, getdate())

	def before_update_after_submit(self):
		self.check_meeting()
