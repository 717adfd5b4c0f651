frappe.query_reports["TA Assistance Delivered"] = {
	filters: [
		{
			// Per programme (the report opens so), per programme and state (the detail), or per state.
			fieldname: "group_by",
			label: __("Group by"),
			fieldtype: "Select",
			options: [
				{ value: "Programme", label: __("Programme") },
				{ value: "Programme and State", label: __("Programme and State") },
				{ value: "Beneficiary State", label: __("Beneficiary State") },
			],
			default: "Programme",
			reqd: 1,
		},
		{ fieldname: "from_date", label: __("From"), fieldtype: "Date", default: frappe.datetime.year_start() },
		{ fieldname: "to_date", label: __("To"), fieldtype: "Date", default: frappe.datetime.year_end() },
		{ fieldname: "donor", label: __("Donor"), fieldtype: "Link", options: "TA Donor" },
		{ fieldname: "beneficiary_state", label: __("Beneficiary State"), fieldtype: "Link", options: "TA Beneficiary State" },
		{
			fieldname: "regional_group",
			label: __("Regional Group"),
			fieldtype: "Select",
			options: ["", "African", "Asia-Pacific", "Eastern European", "Latin American & Caribbean", "Western European & Others"],
		},
		{ fieldname: "thematic_area", label: __("Thematic Area"), fieldtype: "Link", options: "TA Thematic Area" },
		{ fieldname: "category", label: __("Category"), fieldtype: "Select", options: ["", "Enforcement", "Prevention", "Safeguards"] },
		{
			fieldname: "lead_agency",
			label: __("Lead Agency"),
			fieldtype: "Link",
			options: "TA Partner Organisation",
			get_query: () => ({ filters: { sector: ["in", ["UN entity", "Regional Organisation"]] } }),
		},
	],
	onload(report) {
		report.page.add_inner_button(__("PDF Report"), () => {
			frappe
				.call("ta_programmes.api.transparency.request_pdf", { filters: report.get_filter_values() })
				.then((r) => {
					if (r.message && r.message.file_url) {
						window.open(r.message.file_url);
					} else {
						frappe.show_alert({ message: __("The PDF is being prepared; you will be notified."), indicator: "blue" });
					}
				});
		});
		frappe.realtime.on("ta_pdf_progress", (data) => {
			frappe.show_progress(__("Preparing PDF"), data.done, data.total, data.message || "");
			if (data.done >= data.total) setTimeout(() => frappe.hide_progress(), 800);
			if (data.file_url) {
				frappe.msgprint({
					title: __("PDF ready"),
					message: `<a href="${data.file_url}" target="_blank">${__("Open the report")}</a>`,
					indicator: "green",
				});
			}
		});
	},
};
