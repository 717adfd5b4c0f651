frappe.query_reports["TA Assistance Balance"] = {
	filters: [
		{
			fieldname: "group_by",
			label: __("Group by"),
			fieldtype: "Select",
			options: ["Programme", "Beneficiary State", "Year"],
			default: "Programme",
		},
	],
};
