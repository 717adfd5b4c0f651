frappe.ui.form.on("TA Activity", {
	setup(frm) {
		ta_programmes.set_time_zone_options(frm, ["time_zone"]);
		// Only the programme's own states and themes can be chosen.
		const from_programme = (child_table, fieldname) => () => {
			if (!frm.doc.programme) return {};
			return {
				query: "ta_programmes.api.lookups.programme_scope",
				filters: { programme: frm.doc.programme, table: child_table, fieldname },
			};
		};
		frm.set_query("beneficiary_state", from_programme("TA Programme State", "beneficiary_state"));
		frm.set_query("thematic_area", from_programme("TA Programme Theme", "thematic_area"));
		frm.set_query("trainer", "trainers", () => ({
			filters: { active: 1, vetting_status: ["!=", "Rejected"] },
		}));
	},
	programme(frm) {
		frm.set_value("beneficiary_state", null);
		frm.set_value("thematic_area", null);
	},
});
