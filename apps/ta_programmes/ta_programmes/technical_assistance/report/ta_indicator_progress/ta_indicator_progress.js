frappe.query_reports["TA Indicator Progress"] = {
	filters: [
		{ fieldname: "programme", label: __("Programme"), fieldtype: "Link", options: "TA Programme" },
		{ fieldname: "period", label: __("Period"), fieldtype: "Data" },
		{
			fieldname: "light",
			label: __("Status"),
			fieldtype: "Select",
			options: [
				"",
				{ value: "green", label: __("On track") },
				{ value: "amber", label: __("Partly") },
				{ value: "red", label: __("Off track") },
				{ value: "grey", label: __("No data") },
			],
		},
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "status" && data) {
			const color = { green: "green", amber: "orange", red: "red", grey: "gray" }[data.light];
			return `<span class="indicator-pill ${color}">${value}</span>`;
		}
		return value;
	},
};
