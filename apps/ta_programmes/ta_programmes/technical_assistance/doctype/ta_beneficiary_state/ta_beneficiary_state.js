frappe.ui.form.on("TA Beneficiary State", {
	setup(frm) {
		ta_programmes.set_time_zone_options(frm, ["time_zone"]);
	},
});
