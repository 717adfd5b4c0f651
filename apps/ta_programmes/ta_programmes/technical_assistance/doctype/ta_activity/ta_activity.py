import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime

from ta_programmes import concerns, oversight, rollup, scheduling
from ta_programmes.core import lifecycle as L
from ta_programmes.core import results as MR
from ta_programmes.core import rules as R
from ta_programmes.core import schedule as S
from ta_programmes.enforce import as_date, as_datetime, rules


class TAActivity(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF
		from ta_programmes.technical_assistance.doctype.ta_activity_postponement.ta_activity_postponement import TAActivityPostponement
		from ta_programmes.technical_assistance.doctype.ta_activity_session.ta_activity_session import TAActivitySession
		from ta_programmes.technical_assistance.doctype.ta_activity_trainer.ta_activity_trainer import TAActivityTrainer

		activity_type: DF.Literal["Training", "Workshop", "Legislative Advisory", "Study Visit", "Mentoring", "Awareness Campaign", "Equipment/Tools"]
		actual_participants: DF.Int
		approved_on: DF.Datetime | None
		beneficiary_state: DF.Link
		category: DF.Data | None
		city: DF.Data | None
		delivery_mode: DF.Literal["In person", "Online", "Hybrid"]
		description: DF.TextEditor | None
		end: DF.Datetime | None
		includes_hr_module: DF.Check
		institution_type: DF.Literal["", "Police", "Prosecution", "Judiciary", "CERT", "Ministry", "Parliament", "Civil Society", "Private Sector", "Academia"]
		language: DF.Link | None
		naming_series: DF.Literal["TAA-.YYYY.-"]
		online_link: DF.Data | None
		outside_hours: DF.Float
		oversight_verified: DF.Check
		participants_men: DF.Int
		participants_other: DF.Int
		participants_women: DF.Int
		planned_participants: DF.Int
		postponements: DF.Table[TAActivityPostponement]
		programme: DF.Link
		programme_title: DF.Data | None
		result: DF.Link | None
		sessions: DF.Table[TAActivitySession]
		start: DF.Datetime | None
		status: DF.Literal["Planned", "Approved", "Scheduled", "Delivered", "Postponed", "Cancelled"]
		thematic_area: DF.Link
		time_zone: DF.Autocomplete | None
		title: DF.Data
		trainer_fees: DF.Currency
		trainer_hours: DF.Float
		trainers: DF.Table[TAActivityTrainer]
		venue: DF.Data | None
	# end: auto-generated types

	def validate(self):
		if not (self.programme and frappe.db.exists("TA Programme", self.programme)):
			return  # Frappe's own mandatory and link checks report this next.
		programme = frappe.get_cached_doc("TA Programme", self.programme)
		if not self.time_zone and self.beneficiary_state:
			self.time_zone = frappe.db.get_value("TA Beneficiary State", self.beneficiary_state, "time_zone")
		with rules():
			# Sessions are stored in UTC from the host zone: without one there is no conflict check.
			R.check_required(_("Host time zone"), self.time_zone, _("(the beneficiary state has no default time zone)"))
			R.check_time_zone(_("Host time zone"), self.time_zone)
		with rules():
			if not self.sessions:
				R.check_required(_("Start and end"), self.start and self.end, _("when the activity has no sessions"))
		sessions = scheduling.sync_sessions(self)
		trainers = self.trainer_facts()
		with rules():
			R.check_date_order(as_datetime(self.start), as_datetime(self.end), _("Start"), _("End"), allow_equal=False)
			R.check_within(
				as_datetime(self.start),
				as_datetime(self.end),
				as_date(programme.planned_start),
				as_date(programme.planned_end),
				_("The activity"),
				_("the programme's planned period"),
			)
			scope = programme.scope()
			R.check_member(self.beneficiary_state, scope["states"], _("Beneficiary state"), self.programme)
			R.check_member(self.thematic_area, scope["themes"], _("Thematic area"), self.programme)
			R.check_delivery_mode(self.delivery_mode, self.venue, self.city, self.online_link)
			if self.result:
				result = frappe.db.get_value("TA Result", self.result, ["level", "programme"], as_dict=True) or frappe._dict()
				MR.check_activity_output(self.result, result.level, result.programme, self.programme)
			R.check_unique(((r.idx, r.trainer, r.trainer_name or r.trainer) for r in self.trainers), _("Trainer"))
			for row in self.trainers:
				R.check_non_negative(_("Hours"), row.hours, row.idx)
				facts = trainers.get(row.trainer) or frappe._dict(active=True)
				R.check_trainer_assignable(row.idx, row.trainer_name or row.trainer, bool(facts.active), facts.vetting_status)
			rates = {line.currency: line.exchange_rate for line in programme.funding_lines if line.currency and line.exchange_rate}
			totals_rows = []
			for r in self.trainers:
				facts = trainers.get(r.trainer) or frappe._dict()
				rate = R.rate_in(programme.currency, facts.daily_rate, facts.rate_currency, rates, r.trainer_name or r.trainer)
				totals_rows.append((r.hours, facts.sector, rate))
			self.trainer_hours, self.outside_hours, self.trainer_fees = R.trainer_totals(totals_rows)
			R.check_non_negative(_("Planned participants"), self.planned_participants)
			actuals = (self.actual_participants, self.participants_women, self.participants_men, self.participants_other)
			R.check_actuals_only_when_delivered(self.status, actuals)
			R.check_participants(*actuals)
			self.check_status_change(programme)
			if self.status == "Delivered" and sessions:
				L.check_delivery_time(scheduling.utc_now(), S.span(sessions)[1])
		self.check_founded_concerns()
		scheduling.check_trainer_conflicts(self, sessions)

	def check_founded_concerns(self):
		"""In the state and theme of a founded concern, an activity is not created, moved there
		(another state, theme or programme), approved or scheduled until a new review and new
		sign-offs post-date the concern; delivered ones stay as they were."""
		before = None if self.is_new() else self.get_doc_before_save()
		if before:
			place = ("beneficiary_state", "thematic_area", "programme")
			same_place = all(before.get(f) == self.get(f) for f in place)
			going_ahead = self.status in L.GATED_ACTIVITY_STATES and before.status != self.status
			if same_place and not going_ahead:
				return
		concerns.check_new_activity(self)

	def check_status_change(self, programme):
		before = None if self.is_new() else self.get_doc_before_save()
		old = before.status if before else None
		changed = tuple(f for f in L.MATERIAL_ACTIVITY_FIELDS if before and (before.get(f) or None) != (self.get(f) or None))
		regate = L.check_activity_change(
			before.programme if before else None, self.programme, self.status, bool(self.approved_on), changed, translate=_
		)
		if old == self.status and not regate:
			return
		L.check_activity_transition(old, self.status)
		decision = None
		if self.status in L.GATED_ACTIVITY_STATES and programme.status in L.APPROVED_PROGRAMME_STATES:
			scope = oversight.current_scope(programme, (self.institution_type,), exclude_activity=None if self.is_new() else self.name)
			decision = oversight.decide(programme, programme.approved_by or frappe.session.user, scope)
		state_suspended = frappe.db.get_value("TA Beneficiary State", self.beneficiary_state, "status") == "Suspended"
		L.check_activity_may_proceed(
			self.status, programme.name, programme.status, decision, self.beneficiary_state, state_suspended,
			bool(self.approved_on), translate=_,
		)
		if self.status in L.GATED_ACTIVITY_STATES:
			self.approved_on = self.approved_on or now_datetime()
			self.oversight_verified = 1
		if self.status == "Postponed" and before and old != self.status:
			self.append(
				"postponements",
				{"postponed_on": now_datetime(), "postponed_by": frappe.session.user, "old_start": before.start, "old_end": before.end},
			)
		if old != self.status:
			self.flags.status_change = (old, self.status)

	def before_save(self):
		rollup.remember(self)  # the delivery rollup, kept in the same transaction (see ta_programmes.rollup)

	def on_update(self):
		rollup.record(self)
		scheduling.sync_activity_bookings(self)
		change = self.flags.pop("status_change", None)
		if change and change[0]:
			self.add_comment("Info", _("Status {0} → {1} by {2}.").format(_(change[0]), _(change[1]), frappe.session.user))
		# Its institution type is part of what the programme's reviewers signed: a new, cancelled or
		# moved activity, or a new institution type, may change the scope of the programme(s) concerned.
		before = self.get_doc_before_save()
		if not before or any(before.get(f) != self.get(f) for f in ("programme", "institution_type", "status")):
			programmes = {self.programme, before.programme if before else None} - {None}
			oversight.recheck(programmes, _("Activity {0} saved").format(self.name))

	def on_trash(self):
		rollup.forget(self)
		frappe.db.delete(scheduling.BOOKING, {"activity": self.name})

	def after_delete(self):
		oversight.recheck([self.programme], _("Activity {0} deleted").format(self.name))

	def trainer_facts(self) -> dict[str, frappe._dict]:
		names = [r.trainer for r in self.trainers if r.trainer]
		if not names:
			return {}
		rows = frappe.get_all(
			"TA Trainer",
			filters={"name": ("in", names)},
			fields=["name", "active", "vetting_status", "sector", "daily_rate", "rate_currency"],
		)
		return {r.name: r for r in rows}


def on_doctype_update():
	# Covers the transparency aggregates (delivered activities by programme, state, theme, year).
	frappe.db.add_index(
		"TA Activity",
		[
			"status", "programme", "beneficiary_state", "thematic_area", "`end`", "participants_women", "participants_men",
			"participants_other", "actual_participants", "oversight_verified", "trainer_hours", "outside_hours", "trainer_fees",
		],
		"delivery_cover",
	)
