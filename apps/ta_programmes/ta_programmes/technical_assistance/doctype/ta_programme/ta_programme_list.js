frappe.listview_settings["TA Programme"] = {
	add_fields: ["status"],
	get_indicator(doc) {
		const colours = {
			Draft: "gray",
			"Under Review": "orange",
			Approved: "blue",
			Active: "green",
			Suspended: "red",
			Completed: "darkgrey",
			Cancelled: "red",
		};
		return [__(doc.status), colours[doc.status] || "gray", "status,=," + doc.status];
	},
};
