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

	refresh(frm) {
		frm.add_custom_button(__("Generate Sessions"), () => ta_programmes.session_dialog(frm), __("Schedule"));
		if (!frm.is_new()) {
			frm.add_custom_button(__("Find Trainers"), () => ta_programmes.find_trainers(frm), __("Schedule"));
			ta_programmes.render_schedule(frm);
		}
	},

	programme(frm) {
		frm.set_value("beneficiary_state", null);
		frm.set_value("thematic_area", null);
	},
});

frappe.provide("ta_programmes");

ta_programmes.session_dialog = function (frm) {
	const d = new frappe.ui.Dialog({
		title: __("Generate Sessions"),
		fields: [
			{ fieldname: "first_day", label: __("From"), fieldtype: "Date", reqd: 1 },
			{ fieldname: "until", label: __("Until"), fieldtype: "Date", reqd: 1 },
			{
				fieldname: "weekdays",
				label: __("Days (e.g. TU,TH)"),
				fieldtype: "Data",
				reqd: 1,
				default: "TU,TH",
			},
			{ fieldname: "cb", fieldtype: "Column Break" },
			{ fieldname: "start_time", label: __("Start (host time)"), fieldtype: "Time", reqd: 1, default: "09:00:00" },
			{ fieldname: "end_time", label: __("End (host time)"), fieldtype: "Time", reqd: 1, default: "12:30:00" },
			{ fieldname: "exclude", label: __("Skip dates (YYYY-MM-DD, comma-separated)"), fieldtype: "Small Text" },
			{ fieldname: "replace", label: __("Replace existing sessions"), fieldtype: "Check", default: 1 },
		],
		primary_action_label: __("Generate"),
		primary_action(values) {
			frappe
				.call("ta_programmes.api.schedule.generate_sessions", {
					activity: frm.is_new() ? null : frm.doc.name,
					time_zone: frm.doc.time_zone,
					first_day: values.first_day,
					until: values.until,
					weekdays: values.weekdays,
					start_time: values.start_time,
					end_time: values.end_time,
					exclude: values.exclude || "",
				})
				.then((r) => {
					if (values.replace) frm.clear_table("sessions");
					(r.message || []).forEach((s) => frm.add_child("sessions", s));
					frm.refresh_field("sessions");
					ta_programmes.follow_sessions(frm);
					frm.dirty();
					d.hide();
					frappe.show_alert({ message: __("{0} sessions added; save to book them.", [r.message.length]), indicator: "green" });
				});
		},
	});
	if (!frm.doc.time_zone) {
		frappe.msgprint(__("Choose the beneficiary state (or a host time zone) first."));
		return;
	}
	d.show();
};

// The activity's start and end follow its sessions (the server does the same on save).
ta_programmes.follow_sessions = function (frm) {
	const rows = (frm.doc.sessions || []).filter((s) => s.start && s.end);
	if (!rows.length) return;
	const starts = rows.map((s) => s.start).sort();
	const ends = rows.map((s) => s.end).sort();
	frm.set_value("start", starts[0]);
	frm.set_value("end", ends[ends.length - 1]);
};

frappe.ui.form.on("TA Activity Session", {
	start: ta_programmes.follow_sessions,
	end: ta_programmes.follow_sessions,
	sessions_remove: ta_programmes.follow_sessions,
});

ta_programmes.render_schedule = function (frm) {
	const field = frm.get_field("schedule_html");
	if (!field) return;
	frappe.call("ta_programmes.api.schedule.schedule_in_my_zone", { activity: frm.doc.name }).then((r) => {
		const rows = (r.message || [])
			.map((s) => `<tr><td>${frappe.utils.escape_html(s.session)}</td><td>${frappe.utils.escape_html(s.when)}</td><td>${frappe.utils.escape_html(s.until)}</td></tr>`)
			.join("");
		field.$wrapper.html(
			rows
				? `<table class="table table-sm table-bordered"><thead><tr><th>${__("Session")}</th><th>${__("Starts (host, and yours)")}</th><th>${__("Ends")}</th></tr></thead><tbody>${rows}</tbody></table>`
				: ""
		);
	});
};

ta_programmes.find_trainers = function (frm) {
	frappe.call("ta_programmes.api.schedule.find_trainers", { activity: frm.doc.name }).then((r) => {
		const data = r.message;
		const esc = frappe.utils.escape_html;
		const ranked = data.ranked
			.map(
				(t) => `<tr>
					<td><b>${esc(t.full_name)}</b><div class="text-muted small">${esc(t.name)}</div></td>
					<td>${esc(__(t.sector || ""))}</td><td>${t.score}</td>
					<td class="small">${t.reasons.map(esc).join("<br>")}</td>
					<td><button class="btn btn-xs btn-primary ta-add-trainer" data-trainer="${esc(t.name)}">${__("Add")}</button></td>
				</tr>`
			)
			.join("");
		const excluded = data.excluded
			.map((t) => `<tr><td>${esc(t.full_name || t.name)}</td><td class="small">${t.reasons.map(esc).join("<br>")}</td></tr>`)
			.join("");
		const d = new frappe.ui.Dialog({ title: __("Find Trainers"), size: "extra-large" });
		d.$body.html(`
			<p>${esc(data.mix)}</p>
			<table class="table table-sm ta-ranked"><thead><tr><th>${__("Trainer")}</th><th>${__("Sector")}</th><th>${__("Score")}</th><th>${__("Why")}</th><th></th></tr></thead>
			<tbody>${ranked || `<tr><td colspan="5">${__("No trainer is free and cleared for every session.")}</td></tr>`}</tbody></table>
			<details><summary>${__("Not available ({0})", [data.excluded.length])}</summary>
			<table class="table table-sm"><tbody>${excluded}</tbody></table></details>`);
		d.$body.on("click", ".ta-add-trainer", (e) => {
			const trainer = $(e.currentTarget).attr("data-trainer");
			frm.add_child("trainers", { trainer, role: (frm.doc.trainers || []).length ? "Co-trainer" : "Lead" });
			frm.refresh_field("trainers");
			frm.save().then(() => d.hide());
		});
		d.show();
	});
};
