// Shared desk helpers for ta_programmes forms.
frappe.provide("ta_programmes");

ta_programmes.set_time_zone_options = function (frm, fieldnames) {
	// Offer the IANA time zones that Frappe itself offers for users.
	const apply = (zones) => fieldnames.forEach((f) => frm.set_df_property(f, "options", zones));
	if (ta_programmes._time_zones) return apply(ta_programmes._time_zones);
	frappe.call("frappe.core.doctype.user.user.get_timezones").then((r) => {
		ta_programmes._time_zones = r.message.timezones;
		apply(ta_programmes._time_zones);
	});
};
