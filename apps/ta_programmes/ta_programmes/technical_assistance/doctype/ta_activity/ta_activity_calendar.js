frappe.views.calendar["TA Activity"] = {
	field_map: {
		start: "start",
		end: "end",
		id: "name",
		title: "title",
		allDay: "all_day",
		status: "status",
	},
	style_map: {
		Planned: "default",
		Approved: "info",
		Scheduled: "standard",
		Delivered: "success",
		Postponed: "warning",
		Cancelled: "danger",
	},
	filters: [
		{ fieldtype: "Link", fieldname: "programme", options: "TA Programme", label: __("Programme") },
		{ fieldtype: "Link", fieldname: "beneficiary_state", options: "TA Beneficiary State", label: __("Beneficiary State") },
		{ fieldtype: "Link", fieldname: "trainer", options: "TA Trainer", label: __("Trainer") },
	],
	get_events_method: "ta_programmes.api.calendar.get_events",
	gantt: true,
};
