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
		const colours = { valid: "green", expired: "orange", stale: "orange", superseded: "gray", cancelled: "gray", objection: "red", unaccredited: "gray", partner: "gray" };
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

// Results, needs and lessons (api/results.programme_panel): read-only, built from the records.
ta_programmes.render_results = function (frm) {
	const field = frm.get_field("results_html");
	if (!field || frm.is_new()) return;
	const esc = frappe.utils.escape_html;
	const num = (v) => (v === null || v === undefined ? "—" : esc(String(Math.round(v * 100) / 100)));
	const light = (l) =>
		`<span class="indicator-pill ${{ green: "green", amber: "orange", red: "red", grey: "gray" }[l]}">${esc(
			{ green: __("on track"), amber: __("partly"), red: __("off track"), grey: __("no data") }[l]
		)}</span>`;
	frappe
		.call({ method: "ta_programmes.api.results.programme_panel", args: { programme: frm.doc.name }, error_handlers: { 403: () => {} } })
		.then((r) => {
			const d = r.message;
			if (!d) return;
			const warnings = d.warnings.map((w) => `<div class="alert alert-warning">${esc(w)}</div>`).join("");
			const needs = d.needs.length
				? d.needs
						.map(
							(n) => `<li><b>${esc(n.beneficiary_state)}</b>: ${__("requested by {0} on {1}", [esc(n.requested_by), esc(n.request_date)])}
							— <a href="/app/ta-needs-assessment/${encodeURIComponent(n.name)}">${__("assessment")}</a><br>
							<span class="text-muted">${__("Gaps")}: ${esc(n.gaps)}</span></li>`
						)
						.join("")
				: `<li class="text-muted">${__("No needs assessment yet: one per beneficiary state, with its request, before review.")}</li>`;
			const rows = d.tracking
				.map(
					(t) => `<tr><td>${esc(t.result_code || "")} ${esc(t.level || "")}</td>
					<td><a href="/app/ta-indicator/${encodeURIComponent(t.indicator)}">${esc(t.code)}</a> ${esc(t.title)}</td>
					<td>${esc(t.period || "—")}</td><td class="text-right">${num(t.baseline)}</td><td class="text-right">${num(t.target)}</td>
					<td class="text-right">${num(t.actual)}</td><td class="text-right">${t.achievement === null ? "—" : num(t.achievement) + "%"}</td>
					<td>${light(t.light)}</td></tr>`
				)
				.join("");
			const table = rows
				? `<table class="table table-sm table-bordered"><caption>${__("Indicator tracking")}</caption><thead><tr>
					<th scope="col">${__("Result")}</th><th scope="col">${__("Indicator")}</th><th scope="col">${__("Period")}</th>
					<th scope="col">${__("Baseline")}</th><th scope="col">${__("Target")}</th><th scope="col">${__("Actual")}</th>
					<th scope="col">${__("% of target")}</th><th scope="col">${__("Status")}</th></tr></thead><tbody>${rows}</tbody></table>`
				: `<p class="text-muted">${__("No indicators yet.")} <a href="/app/ta-result/new?programme=${encodeURIComponent(frm.doc.name)}">${__("Add a result")}</a></p>`;
			const fu = d.follow_ups;
			const follow = `<p>${__("Follow-ups: {0} links issued, {1} answers ({2}), {3} human-rights concerns reported.", [
				fu.invited, fu.answered, fu.rate === null ? "—" : fu.rate + "%", fu.concerns,
			])}</p>`;
			const lessons = d.lessons.length
				? `<h5>${__("Lessons from earlier programmes in these states")}</h5><ul>` +
				  d.lessons
						.map(
							(l) => `<li><a href="/app/ta-impact-review/${encodeURIComponent(l.name)}">${esc(l.programme_title || l.programme)}</a>
							(${esc(l.reviewed_on)}): ${esc(l.lessons)}</li>`
						)
						.join("") + "</ul>"
				: "";
			field.$wrapper.html(`${warnings}<h5>${__("Needs assessments")}</h5><ul>${needs}</ul>${table}${follow}${lessons}`);
		});
};

frappe.ui.form.on("TA Programme", {
	refresh(frm) {
		ta_programmes.render_results(frm);
	},
});

// Deconfliction (api/deconfliction.programme_candidates): others' assistance overlapping this
// programme, ranked, with why each matched and its coordination note. Staff and reviewers only.
ta_programmes.render_deconfliction = function (frm) {
	const field = frm.get_field("deconfliction_html");
	if (!field || frm.is_new()) return;
	const esc = frappe.utils.escape_html;
	frappe
		.call({
			method: "ta_programmes.api.deconfliction.programme_candidates",
			args: { programme: frm.doc.name },
			error_handlers: { 403: () => {} },
		})
		.then((r) => {
			const d = r.message;
			if (!d) return;
			if (!d.candidates.length) {
				field.$wrapper.html(`<p class="text-muted">${__("No overlapping assistance found.")}</p>`);
				return;
			}
			const route = (c) => `/app/${frappe.router.slug(c.kind)}/${encodeURIComponent(c.name)}`;
			const rows = d.candidates
				.map(
					(c) => `<tr>
					<td><a href="${route(c)}">${esc(c.title)}</a><div class="small text-muted">${esc(__(c.kind))}: ${esc(c.owner)}</div></td>
					<td class="text-right">${esc(String(c.score))}</td>
					<td>${c.strong ? `<span class="indicator-pill red">${__("strong")}</span>` : `<span class="indicator-pill gray">${__("weak")}</span>`}</td>
					<td class="small">${c.reasons.map(esc).join("<br>")}</td>
					<td class="small">${
						c.note
							? `<b>${esc(c.note.relation)}</b>: ${esc(c.note.reason)}`
							: c.strong
							? `<span class="text-danger">${__("Note required before review")}</span>`
							: "—"
					}</td></tr>`
				)
				.join("");
			const missing = d.missing.length
				? `<div class="alert alert-warning">${__(
						"{0} strong match(es) without a coordination note: add a row to Coordination Notes for each before submitting for review.",
						[d.missing.length]
				  )}</div>`
				: "";
			field.$wrapper.html(`${missing}<table class="table table-sm table-bordered"><caption>${__(
				"Strong: same state, same DAC purpose code, at least {0} days in common.",
				[d.strong_min_days]
			)}</caption><thead><tr><th scope="col">${__("Candidate")}</th><th scope="col">${__("Score")}</th>
				<th scope="col">${__("Match")}</th><th scope="col">${__("Why")}</th><th scope="col">${__("Coordination note")}</th>
				</tr></thead><tbody>${rows}</tbody></table>`);
		});
};

frappe.ui.form.on("TA Programme", {
	refresh(frm) {
		ta_programmes.render_deconfliction(frm);
	},
});

// Approval dossier (print format "TA Approval Dossier", assembled for the reader by dossier.py):
// downloaded as a PDF in the desk's language; the Print menu shows it as well.
ta_programmes.download_dossier = function (frm) {
	const params = new URLSearchParams({
		doctype: frm.doctype,
		name: frm.doc.name,
		format: "TA Approval Dossier",
		no_letterhead: 1,
		language: frappe.boot.lang || "en",
	});
	const link = document.createElement("a");
	link.href = `/api/method/frappe.utils.print_format.download_pdf?${params}`;
	link.download = `${frm.doc.name}-dossier.pdf`;
	document.body.appendChild(link);
	link.click();
	link.remove();
};

frappe.ui.form.on("TA Programme", {
	refresh(frm) {
		if (frm.is_new() || !frappe.model.can_print(frm.doctype, frm)) return;
		frm.add_custom_button(__("Approval dossier"), () => ta_programmes.download_dossier(frm));
	},
});
