frappe.ui.form.on("TA Oversight Sign-off", {
	setup(frm) {
		frm.set_query("programme", () => ({ filters: { status: ["in", ["Under Review", "Approved", "Active"]] } }));
		frm.set_query("organisation", () => ({ filters: { accredited_for_oversight: 1 } }));
	},
	onload(frm) {
		if (!frm.is_new() || frm.doc.kind) return;
		if (frappe.user.has_role("TA OHCHR Reviewer")) frm.set_value("kind", "OHCHR");
		else if (frappe.user.has_role("TA Civil Society Reviewer")) frm.set_value("kind", "Civil Society");
	},
	refresh(frm) {
		if (frm.doc.docstatus === 1) {
			frm.set_intro(
				__("A submitted sign-off cannot be edited; only its conditions' status can be updated. Cancel and amend it to change your position."),
				"blue"
			);
		}
	},
});
