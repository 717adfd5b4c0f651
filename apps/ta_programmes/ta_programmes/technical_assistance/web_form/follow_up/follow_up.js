frappe.ready(function () {
	// The token comes from the link (query string) and is sent with the answers; it is never shown.
	frappe.web_form.set_df_property("token", "hidden", 1);
});
