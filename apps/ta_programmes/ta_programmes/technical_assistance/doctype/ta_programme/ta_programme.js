frappe.ui.form.on("TA Programme", {
	setup(frm) {
		frm.set_query("lead_agency", () => ({ filters: { sector: ["in", ["UN entity", "Regional Organisation"]] } }));
		frm.set_query("beneficiary_state", "beneficiary_states", () => ({ filters: { status: "Active" } }));
	},
	refresh(frm) {
		if (!frm.is_new()) {
			frm.add_custom_button(__("Activities"), () =>
				frappe.set_route("List", "TA Activity", { programme: frm.doc.name })
			);
		}
	},
});

frappe.ui.form.on("TA Programme State", {
	share(frm) {
		const total = (frm.doc.beneficiary_states || []).reduce((s, r) => s + (r.share || 0), 0);
		if (Math.abs(total - 100) > 0.01) {
			frm.dashboard.set_headline(__("Beneficiary state shares add up to {0}%; they must add up to 100%.", [total]));
		} else {
			frm.dashboard.clear_headline();
		}
	},
});
