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
	onload(listview) {
		if (!(frappe.user.has_role("TA OHCHR Reviewer") || frappe.user.has_role("TA Civil Society Reviewer"))) return;
		listview.page.add_inner_button(__("Awaiting My Sign-off"), () => {
			frappe.call("ta_programmes.api.oversight.awaiting_my_signoff").then((r) => {
				const names = (r.message || []).map((p) => p.name);
				listview.filter_area.clear(false).then(() =>
					listview.filter_area.add([[listview.doctype, "name", "in", names.length ? names : [""]]])
				);
			});
		});
	},
};
