frappe.listview_settings["TA Concern Report"] = {
	add_fields: ["status", "outcome", "overdue"],
	get_indicator(doc) {
		if (doc.overdue) return [__(doc.overdue), "red", "overdue,!=,"];
		if (doc.status === "Assessed") {
			const colour = { Founded: "red", Unfounded: "green", Inconclusive: "orange" }[doc.outcome] || "gray";
			return [__(doc.outcome || doc.status), colour, `outcome,=,${doc.outcome}`];
		}
		return [__(doc.status), doc.status === "Received" ? "blue" : "yellow", `status,=,${doc.status}`];
	},
};
