// Website pages of the app (hooks.web_include_js). On a web form, each field's label names its
// input (Frappe's web form labels have no "for"): screen readers announce the question, and a tap
// on the label focuses the field.
frappe.ready(function () {
	if (!frappe.web_form) return;
	for (const field of Object.values(frappe.web_form.fields_dict || {})) {
		const input = field.$input && field.$input.get(0);
		const label = field.label_area;
		if (!input || !label || input.type === "checkbox") continue;
		input.id = input.id || `ta-field-${field.df.fieldname}`;
		label.htmlFor = input.id;
	}
});
