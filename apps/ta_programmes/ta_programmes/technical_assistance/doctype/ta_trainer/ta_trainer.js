frappe.ui.form.on("TA Trainer", {
	setup(frm) {
		ta_programmes.set_time_zone_options(frm, ["home_time_zone"]);
	},
	refresh(frm) {
		if (frm.is_new()) return;
		const show = (regenerate) =>
			frappe
				.call("ta_programmes.api.schedule.calendar_link", { trainer: frm.doc.name, regenerate })
				.then((r) => frappe.msgprint({ title: __("Calendar Feed"), message: `<p>${__("Subscribe to this link in a calendar program:")}</p><code style="word-break:break-all">${frappe.utils.escape_html(r.message)}</code>` }));
		frm.add_custom_button(__("Calendar Link"), () => show(0), __("Calendar"));
		frm.add_custom_button(__("Revoke and Renew Link"), () => frappe.confirm(__("Old links stop working. Continue?"), () => show(1)), __("Calendar"));
		frm.add_custom_button(__("Sessions"), () => frappe.set_route("List", "TA Activity", { trainer: frm.doc.name }), __("Calendar"));
	},
});
