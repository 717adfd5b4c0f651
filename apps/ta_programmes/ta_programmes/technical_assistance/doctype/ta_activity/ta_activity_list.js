frappe.listview_settings["TA Activity"] = {
	add_fields: ["status", "start"],
	get_indicator(doc) {
		const colours = {
			Planned: "gray",
			Approved: "blue",
			Scheduled: "purple",
			Delivered: "green",
			Postponed: "orange",
			Cancelled: "red",
		};
		return [__(doc.status), colours[doc.status] || "gray", "status,=," + doc.status];
	},
};
