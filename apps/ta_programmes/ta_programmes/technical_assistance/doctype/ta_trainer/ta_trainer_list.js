frappe.listview_settings["TA Trainer"] = {
	add_fields: ["vetting_status", "active"],
	get_indicator(doc) {
		if (!doc.active) return [__("Inactive"), "gray", "active,=,0"];
		const colours = { Pending: "orange", Cleared: "green", Rejected: "red" };
		return [__(doc.vetting_status), colours[doc.vetting_status], "vetting_status,=," + doc.vetting_status];
	},
};
