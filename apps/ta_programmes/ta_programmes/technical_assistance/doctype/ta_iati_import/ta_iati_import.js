frappe.ui.form.on("TA IATI Import", {
	refresh(frm) {
		if (frm.is_new() || !frm.doc.import_file) return;
		frm.add_custom_button(frm.doc.status === "Imported" ? __("Import Again") : __("Import"), () =>
			frappe
				.call({
					method: "ta_programmes.api.deconfliction.import_iati",
					args: { iati_import: frm.doc.name },
					freeze: true,
					freeze_message: __("Reading the IATI file…"),
				})
				.then((r) => {
					const s = r.message;
					frappe.show_alert({
						message: __("{0} activities: {1} created, {2} updated, {3} unchanged", [s.activities, s.created, s.updated, s.unchanged]),
						indicator: "green",
					});
					frm.reload_doc();
				})
		);
		if (frm.doc.status === "Imported") {
			frm.add_custom_button(__("External Activities"), () =>
				frappe.set_route("List", "TA External Activity", { iati_import: frm.doc.name })
			);
		}
	},
});
