frappe.ui.form.on("TA Objection Override", {
	setup(frm) {
		frm.set_query("objection", () => ({
			filters: { decision: "Object", kind: "Civil Society", docstatus: 1 },
		}));
	},
});
