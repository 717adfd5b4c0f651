frappe.ui.form.on("TA Indicator Actual", {
	// The periods of the chosen indicator, offered as suggestions (the server checks the value).
	indicator(frm) {
		if (!frm.doc.indicator) return;
		frappe.db.get_doc("TA Indicator", frm.doc.indicator).then((ind) => {
			const periods = (ind.targets || []).map((t) => t.period);
			frm.set_df_property("period", "description", __("Reporting periods: {0}", [periods.join(", ") || __("none yet")]));
		});
	},
	refresh(frm) {
		if (frm.doc.indicator) frm.trigger("indicator");
	},
});
