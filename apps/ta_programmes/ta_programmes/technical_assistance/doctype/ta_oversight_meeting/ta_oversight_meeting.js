// Oversight meeting: OHCHR participants have no regional group; the place follows the mode.
frappe.ui.form.on("TA Oversight Meeting", {
	mode(frm) {
		if (frm.doc.mode === "Online") {
			frm.set_value({ city: "", country: "", regional_group: "" });
		}
	},
});

frappe.ui.form.on("TA Meeting Participant", {
	sector(frm, cdt, cdn) {
		if (locals[cdt][cdn].sector === "OHCHR") {
			frappe.model.set_value(cdt, cdn, "regional_group", "");
		}
	},
	organisation(frm, cdt, cdn) {
		const row = locals[cdt][cdn];
		if (!row.organisation) return;
		frappe.db.get_value("TA Partner Organisation", row.organisation, ["sector", "regional_group"]).then(({ message }) => {
			if (!message) return;
			const sectors = ["Civil Society", "Academia", "Private Sector"];
			if (!row.sector && sectors.includes(message.sector)) frappe.model.set_value(cdt, cdn, "sector", message.sector);
			if (!row.regional_group && message.regional_group) frappe.model.set_value(cdt, cdn, "regional_group", message.regional_group);
		});
	},
});
