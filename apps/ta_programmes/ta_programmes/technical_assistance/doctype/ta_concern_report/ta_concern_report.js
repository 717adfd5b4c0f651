frappe.ui.form.on("TA Concern Report", {
	refresh(frm) {
		if (frm.is_new()) return;
		if (frm.doc.overdue) {
			frm.dashboard.set_headline_alert(__("{0}: acknowledge by {1}, assess by {2}.", [
				__(frm.doc.overdue), frappe.datetime.str_to_user(frm.doc.acknowledge_by), frappe.datetime.str_to_user(frm.doc.assess_by),
			]), "red");
		} else if (frm.doc.status === "Assessed" && frm.doc.outcome === "Founded") {
			frm.dashboard.set_headline_alert(
				__("Founded: the programme's oversight gate needs a new human-rights review and new sign-offs, and new activities in this state wait."),
				"orange",
			);
		}
		if (frm.doc.status === "Received" && frm.perm[0] && frm.perm[0].write) {
			frm.add_custom_button(__("Acknowledge"), () => {
				frm.set_value("status", "Acknowledged");
				frm.save();
			});
		}
		frm.set_intro(
			__("Reported in confidence: the reporter's account and contact are seen by OHCHR and by the accredited organisations that signed the programme off, nobody else. The reporter follows the stage and the outcome with a secret link; the reasons stay here."),
		);
	},
});
