frappe.ui.form.on("TA Programme", {
	setup(frm) {
		frm.set_query("lead_agency", () => ({ filters: { sector: ["in", ["UN entity", "Regional Organisation"]] } }));
		frm.set_query("beneficiary_state", "beneficiary_states", () => ({ filters: { status: "Active" } }));
	},

	refresh(frm) {
		if (frm.is_new()) return;
		frm.add_custom_button(__("Activities"), () => frappe.set_route("List", "TA Activity", { programme: frm.doc.name }));
		ta_programmes.render_oversight(frm);
		ta_programmes.add_oversight_buttons(frm);
		if (frm.doc.gate_alert) {
			frm.dashboard.set_headline_alert(
				`<div class="text-danger">${__("Oversight alert")}: ${frappe.utils.escape_html(frm.doc.gate_alert)}</div>`
			);
		}
	},

	// The workflow's Suspend action asks for the reason, which the server requires.
	before_workflow_action(frm) {
		if (frm.selected_workflow_action !== "Suspend") return;
		return new Promise((resolve, reject) => {
			frappe.prompt(
				{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason for suspension"), reqd: 1 },
				(values) => {
					frappe.db
						.set_value(frm.doctype, frm.doc.name, "suspension_reason", values.reason)
						.then(() => frm.reload_doc())
						.then(resolve, reject);
				},
				__("Suspend Programme"),
				__("Suspend")
			);
		});
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

frappe.provide("ta_programmes");

ta_programmes.render_oversight = function (frm) {
	const wrapper = frm.get_field("oversight_html").$wrapper;
	wrapper.html(`<div class="text-muted">${__("Loading oversight checklist…")}</div>`);
	frappe.call("ta_programmes.oversight.get_checklist", { programme: frm.doc.name }).then((r) => {
		const data = r.message;
		frm.ta_checklist = data;
		const esc = frappe.utils.escape_html;
		const checks = data.checks
			.map(
				(c) => `<tr>
					<td style="width:2em" class="${c.ok ? "text-success" : "text-danger"}">${c.ok ? "✔" : "✘"}</td>
					<td style="width:30%"><b>${esc(c.label)}</b></td>
					<td>${c.messages.map(esc).join("<br>")}</td>
				</tr>`
			)
			.join("");
		const colours = { valid: "green", expired: "orange", stale: "orange", superseded: "gray", cancelled: "gray", objection: "red" };
		const signoffs = (data.signoffs || [])
			.map(
				(s) => `<tr>
					<td><a href="/app/ta-oversight-sign-off/${encodeURIComponent(s.name)}">${esc(s.name)}</a></td>
					<td>${esc(__(s.kind))}${s.organisation ? ": " + esc(s.organisation) : ""}</td>
					<td>${esc(__(s.decision))}</td>
					<td>${esc(s.signer)}</td>
					<td>${frappe.datetime.str_to_user(s.signed_on) || ""}</td>
					<td>${frappe.datetime.str_to_user(s.valid_until) || ""}</td>
					<td><span class="indicator-pill ${colours[s.state] || "gray"}">${esc(s.state_label)}</span>
						${s.changed ? `<div class="small text-muted">${__("scope changed since sign-off: {0}", [esc(s.changed)])}</div>` : ""}</td>
				</tr>`
			)
			.join("");
		const verdict = data.approvable
			? `<div class="alert alert-success">${__("All oversight requirements are met.")}</div>`
			: `<div class="alert alert-warning">${__("Not approvable yet: the requirements marked ✘ fail.")}</div>`;
		wrapper.html(`
			<div class="ta-oversight">
				${verdict}
				<table class="table table-bordered table-sm ta-checklist">${checks}</table>
				<h6>${__("Sign-offs")}</h6>
				${
					signoffs
						? `<table class="table table-bordered table-sm ta-signoffs"><thead><tr>
							<th>${__("Sign-off")}</th><th>${__("Kind")}</th><th>${__("Decision")}</th><th>${__("Signer")}</th>
							<th>${__("Signed On")}</th><th>${__("Valid Until")}</th><th>${__("State")}</th></tr></thead>
							<tbody>${signoffs}</tbody></table>`
						: `<p class="text-muted">${__("No sign-offs yet.")}</p>`
				}
			</div>`);
	});
};

ta_programmes.add_oversight_buttons = function (frm) {
	const doc = frm.doc;
	const group = __("Oversight");
	const reviewer = frappe.user.has_role("TA OHCHR Reviewer") || frappe.user.has_role("TA Civil Society Reviewer");
	if (reviewer && ["Under Review", "Approved", "Active"].includes(doc.status) && doc.programme_officer !== frappe.session.user) {
		frm.add_custom_button(
			__("Sign Off"),
			() => frappe.new_doc("TA Oversight Sign-off", { programme: doc.name }),
			group
		);
	}
	if (doc.status === "Under Review" && frappe.user.has_role("TA Programme Officer")) {
		frm.add_custom_button(
			__("Request Review"),
			() =>
				frappe
					.call("ta_programmes.api.oversight.request_review", { programme: doc.name })
					.then((r) => frappe.show_alert({ message: __("{0} reviewers notified", [r.message]), indicator: "green" })),
			group
		);
		frm.add_custom_button(
			__("Human-Rights Review"),
			() => frappe.new_doc("TA Human Rights Review", { programme: doc.name }),
			group
		);
	}
	if (frappe.user.has_role("TA Programme Manager")) {
		frm.add_custom_button(
			__("Override an Objection"),
			() => frappe.new_doc("TA Objection Override", {}),
			group
		);
	}
};
