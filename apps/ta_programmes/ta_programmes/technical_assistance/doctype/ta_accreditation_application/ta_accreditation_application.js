// A programme manager decides a pending application: Accredit or Refuse, with a reason that is kept.
frappe.ui.form.on("TA Accreditation Application", {
	refresh(frm) {
		if (frm.is_new() || frm.doc.status !== "Pending" || !frappe.user.has_role("TA Programme Manager")) {
			return;
		}
		const decide = (decision) => {
			frappe.prompt(
				{
					fieldname: "reason",
					fieldtype: "Small Text",
					label: __("Reason (kept with the application)"),
					reqd: 1,
				},
				({ reason }) =>
					frappe
						.call({
							method: "ta_programmes.api.accreditation.decide",
							args: { application: frm.doc.name, decision, reason },
							freeze: true,
						})
						.then(() => frm.reload_doc()),
				decision === "Accredited" ? __("Accredit {0}", [frm.doc.organisation_name]) : __("Refuse {0}", [frm.doc.organisation_name]),
				decision === "Accredited" ? __("Accredit") : __("Refuse")
			);
		};
		frm.add_custom_button(__("Accredit"), () => decide("Accredited"), __("Decide"));
		frm.add_custom_button(__("Refuse"), () => decide("Refused"), __("Decide"));
	},
});
