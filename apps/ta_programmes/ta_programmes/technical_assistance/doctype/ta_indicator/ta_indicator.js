frappe.ui.form.on("TA Indicator", {
	setup(frm) {
		frm.set_query("result", () => ({ filters: frm.doc.programme ? { programme: frm.doc.programme } : {} }));
	},
	// Picking a standard indicator copies its definition; everything stays editable.
	standard_indicator(frm) {
		if (!frm.doc.standard_indicator) return;
		frappe.db.get_doc("TA Standard Indicator", frm.doc.standard_indicator).then((lib) => {
			const fields = ["definition", "unit", "direction", "disaggregation", "scale_min", "scale_max", "means_of_verification"];
			fields.forEach((f) => frm.set_value(f, lib[f]));
			if (!frm.doc.title) frm.set_value("title", lib.indicator_name);
		});
	},
});
