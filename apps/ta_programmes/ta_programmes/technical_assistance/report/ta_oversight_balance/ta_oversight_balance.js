frappe.query_reports["TA Oversight Balance"] = {
	filters: [
		{ fieldname: "from_year", label: __("From Year"), fieldtype: "Int" },
		{ fieldname: "to_year", label: __("To Year"), fieldtype: "Int" },
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (data && data.is_total) value = `<b>${value}</b>`;
		if (column.fieldname === "warning" && data && data.warning) value = `<span class="text-danger">${value}</span>`;
		return value;
	},
};
