frappe.ui.form.on("TA Trainer", {
	setup(frm) {
		ta_programmes.set_time_zone_options(frm, ["home_time_zone"]);
	},
});
