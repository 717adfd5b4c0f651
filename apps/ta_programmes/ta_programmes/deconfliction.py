"""Deconfliction on a site: the sources from the database, the IATI import, the coordination notes.

The rule is ``core.deconfliction``; here the programme and the sources it may overlap are read
from the database and handed to it:

- the sources are fetched with indexed WHERE clauses on the programme's states (TA Programme
  State ``beneficiary_state``, TA External Country ``country``) and its period, one query per
  table, then indexed by ``core.deconfliction.Index`` and checked by ``find_overlaps``; nothing
  loads all programmes or all external activities;
- only other lead agencies' programmes count (``core.deconfliction.COUNTED_STATUSES``): a lead
  agency's own programmes are its portfolio, and so are the IATI activities its own publisher
  identifier (TA Partner Organisation ``iati_org_id``) reports;
- the programme controller calls :func:`stamp_notes` on every save and :func:`check_before_review`
  when the programme goes to review (desk, REST and scripts alike).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import frappe
from frappe import _
from frappe.utils import getdate, now_datetime

from ta_programmes.core import deconfliction as D
from ta_programmes.core import iati_import as P
from ta_programmes.enforce import rules

EXTERNAL, PROGRAMME = D.EXTERNAL, D.PROGRAMME


# --- sources -------------------------------------------------------------------------------------
def lookups() -> frappe._dict:
	return frappe._dict(
		iso=dict(frappe.get_all("TA Beneficiary State", fields=["name", "iso_code"], as_list=True)),
		dac=dict(frappe.get_all("TA Thematic Area", fields=["name", "dac_code"], as_list=True)),
	)


def _iso_states(names, iso) -> frozenset[str]:
	return frozenset(s for s in (D.norm_state(n, iso) for n in names) if s)


def _codes(themes, dac) -> frozenset[str]:
	return frozenset(c for c in (D.norm_code(dac.get(t)) for t in themes) if c)


def programme_source(doc, lk: frappe._dict | None = None) -> D.Source:
	"""The programme as the check sees it, from the document (saved or not)."""
	lk = lk or lookups()
	themes = [r.thematic_area for r in doc.thematic_areas]
	institutions = (
		frappe.get_all(
			"TA Activity",
			filters={"programme": doc.name, "institution_type": ("is", "set")},
			pluck="institution_type",
			distinct=True,
		)
		if doc.name and not doc.is_new()
		else []
	)
	org_id = (
		frappe.db.get_value("TA Partner Organisation", doc.lead_agency, "iati_org_id")
		if doc.lead_agency
		else None
	)
	return D.Source(
		kind=PROGRAMME,
		key=doc.name or "",
		title=doc.title or "",
		owner=doc.lead_agency or "",
		states=_iso_states([r.beneficiary_state for r in doc.beneficiary_states], lk.iso),
		codes=_codes(themes, lk.dac),
		start=getdate(doc.planned_start),
		end=getdate(doc.planned_end),
		institution_types=frozenset(institutions),
		themes=frozenset(themes),
		owner_ids=D.owner_ids(doc.lead_agency, org_id),
	)


def other_programmes(me: D.Source, lk: frappe._dict) -> list[D.Source]:
	"""Programmes of other lead agencies in the programme's states and period."""
	names = [n for n, iso in lk.iso.items() if D.norm_state(n, lk.iso) in me.states]
	if not names:
		return []
	rows = frappe.db.sql(
		"""select distinct p.name, p.title, p.lead_agency, p.planned_start, p.planned_end, o.iati_org_id
		from `tabTA Programme State` s
		join `tabTA Programme` p on p.name = s.parent
		left join `tabTA Partner Organisation` o on o.name = p.lead_agency
		where s.parenttype = 'TA Programme' and s.beneficiary_state in %(states)s and p.name != %(me)s
			and p.status in %(statuses)s and p.planned_start <= %(until)s and p.planned_end >= %(start)s""",
		{"states": names, "me": me.key, "statuses": D.COUNTED_STATUSES, "until": me.until, "start": me.start},
		as_dict=True,
	)
	if not rows:
		return []
	programmes = [r.name for r in rows]
	states, themes, institutions = defaultdict(list), defaultdict(list), defaultdict(set)
	for parent, state in frappe.db.sql(
		"select parent, beneficiary_state from `tabTA Programme State` where parenttype = 'TA Programme' and parent in %(p)s",
		{"p": programmes},
	):
		states[parent].append(state)
	for parent, theme in frappe.db.sql(
		"select parent, thematic_area from `tabTA Programme Theme` where parenttype = 'TA Programme' and parent in %(p)s",
		{"p": programmes},
	):
		themes[parent].append(theme)
	for programme, kind in frappe.db.sql(
		"""select distinct programme, institution_type from `tabTA Activity`
		where programme in %(p)s and ifnull(institution_type, '') != ''""",
		{"p": programmes},
	):
		institutions[programme].add(kind)
	return [
		D.Source(
			kind=PROGRAMME,
			key=r.name,
			title=r.title,
			owner=r.lead_agency,
			states=_iso_states(states[r.name], lk.iso),
			codes=_codes(themes[r.name], lk.dac),
			start=getdate(r.planned_start),
			end=getdate(r.planned_end),
			institution_types=frozenset(institutions[r.name]),
			themes=frozenset(themes[r.name]),
			owner_ids=D.owner_ids(r.lead_agency, r.iati_org_id),
		)
		for r in rows
	]


def external_activities(me: D.Source) -> list[D.Source]:
	"""External activities in the programme's states and period (undated ones are never compared)."""
	if not me.states:
		return []
	rows = frappe.db.sql(
		"""select distinct a.name, a.title, a.reporting_org_name, a.reporting_org_ref, a.start, a.`end`
		from `tabTA External Country` c
		join `tabTA External Activity` a on a.name = c.parent
		where c.parenttype = 'TA External Activity' and c.country in %(states)s
			and a.start is not null and a.start <= %(until)s and (a.`end` is null or a.`end` >= %(start)s)""",
		{"states": sorted(me.states), "until": me.until, "start": me.start},
		as_dict=True,
	)
	if not rows:
		return []
	names = [r.name for r in rows]
	countries, codes = defaultdict(set), defaultdict(set)
	for parent, country in frappe.db.sql(
		"select parent, country from `tabTA External Country` where parenttype = 'TA External Activity' and parent in %(p)s",
		{"p": names},
	):
		countries[parent].add(country.upper())
	for parent, code, vocabulary in frappe.db.sql(
		"select parent, code, vocabulary from `tabTA External Sector` where parenttype = 'TA External Activity' and parent in %(p)s",
		{"p": names},
	):
		if norm := D.norm_code(code, vocabulary):
			codes[parent].add(norm)
	return [
		D.Source(
			kind=EXTERNAL,
			key=r.name,
			title=r.title or r.name,
			owner=r.reporting_org_name or r.reporting_org_ref or "",
			states=frozenset(countries[r.name]),
			codes=frozenset(codes[r.name]),
			start=getdate(r.start),
			end=getdate(r.end) if r.end else None,
			owner_ids=D.owner_ids(r.reporting_org_ref),
		)
		for r in rows
	]


def candidates_for(doc) -> list[D.Candidate]:
	"""The ranked candidates of a programme (document, saved or not)."""
	lk = lookups()
	me = programme_source(doc, lk)
	if not (me.states and me.codes and doc.planned_start and doc.planned_end):
		return []
	sources = other_programmes(me, lk) + external_activities(me)
	return D.find_overlaps(me, D.Index(sources))


# --- coordination notes --------------------------------------------------------------------------
def notes_of(doc) -> list[D.Note]:
	return [
		D.Note(r.candidate_type, r.candidate, r.relation, r.reason or "")
		for r in doc.get("coordination_notes") or []
	]


def note_key(row) -> tuple:
	return (row.candidate_type, row.candidate, row.relation, (row.reason or "").strip())


def check_notes_kept(doc, before, old: dict, rows) -> None:
	"""Once a programme has gone to review its notes are part of the record the reviewers read:
	new ones may be added, none removed or rewritten."""
	if not before or before.status == "Draft" or doc.status == "Draft":
		return
	kept = {r.name: r for r in rows}
	if any(name not in kept or note_key(kept[name]) != note_key(prior) for name, prior in old.items()):
		frappe.throw(
			_(
				"Programme {0} has gone to review: its coordination notes stay as the reviewers read them. Add a note; do not remove or change one."
			).format(doc.name),
			frappe.ValidationError,
			title=_("Coordination Notes Kept"),
		)


def stamp_notes(doc) -> None:
	"""Check the notes; a new or changed note is recorded by whoever saves it, now."""
	rows = doc.get("coordination_notes") or []
	before = None if doc.is_new() else doc.get_doc_before_save()
	if before and before.get("coordination_notes"):
		check_notes_kept(doc, before, {r.name: r for r in before.coordination_notes}, rows)
	if not rows:
		return
	with rules():
		D.check_notes(notes_of(doc))
	old = {r.name: r for r in (before.get("coordination_notes") or [])} if before else {}
	for row in rows:
		row.candidate_title = frappe.db.get_value(row.candidate_type, row.candidate, "title")
		if row.candidate_type == PROGRAMME and row.candidate == doc.name:
			frappe.throw(
				_("A programme needs no coordination note about itself."),
				frappe.ValidationError,
				title=_("Invalid Value"),
			)
		prior = old.get(row.name)
		if prior and note_key(prior) == note_key(row):
			row.recorded_by, row.recorded_on = prior.recorded_by, prior.recorded_on
		else:
			row.recorded_by, row.recorded_on = frappe.session.user, now_datetime()


def check_before_review(doc) -> None:
	"""A programme goes to review only with a coordination note on each strong candidate."""
	with rules():
		D.check_notes_cover(candidates_for(doc), notes_of(doc))


def as_rows(candidates: list[D.Candidate], notes: list[D.Note]) -> list[dict]:
	"""The candidates as the programme form shows them, translated."""
	by_ref = {n.ref: n for n in notes}
	out = []
	for c in candidates:
		note = by_ref.get(c.ref)
		out.append(
			{
				"kind": c.source.kind,
				"name": c.source.key,
				"title": c.source.title,
				"owner": c.source.owner,
				"score": c.score,
				"strong": c.strong,
				"overlap_days": c.overlap_days,
				"reasons": [_(t).format(*a) for t, a in c.reasons],
				"note": {"relation": _(note.relation), "reason": note.reason} if note else None,
			}
		)
	return out


# --- the IATI import -----------------------------------------------------------------------------
def check_import_file(doc) -> None:
	"""The attachment of a TA IATI Import: an .xml file of this site, within the size limit."""
	url = (doc.import_file or "").strip()
	if not url:
		return
	if not url.startswith("/private/files/"):
		frappe.throw(
			_("Attach the IATI file to the import (uploaded to this site, private)."),
			frappe.ValidationError,
			title=_("IATI File Refused"),
		)
	if not url.lower().endswith(".xml"):
		frappe.throw(
			_("The IATI file must be an .xml file."), frappe.ValidationError, title=_("IATI File Refused")
		)
	file = frappe.db.get_value("File", {"file_url": url}, ["name", "file_size", "is_private"], as_dict=True)
	if not file:
		frappe.throw(
			_("The IATI file {0} was not found.").format(url),
			frappe.ValidationError,
			title=_("IATI File Refused"),
		)
	if (file.file_size or 0) > P.MAX_BYTES:
		frappe.throw(
			_("The IATI file is larger than {0} MB.").format(P.MAX_BYTES // (1024 * 1024)),
			frappe.ValidationError,
			title=_("IATI File Refused"),
		)


def read_import_file(doc) -> bytes:
	check_import_file(doc)
	file = frappe.get_doc("File", {"file_url": doc.import_file})
	frappe.has_permission("File", "read", doc=file, throw=True)
	content = file.get_content()
	return content.encode() if isinstance(content, str) else content


def run_import(iati_import: str) -> dict:
	"""Import the file of a TA IATI Import (the caller checked write permission on it)."""
	doc = frappe.get_doc("TA IATI Import", iati_import, for_update=True)
	summary = import_activities(read_import_file(doc), doc.name)
	doc.update(
		{**summary, "status": "Imported", "imported_by": frappe.session.user, "imported_on": now_datetime()}
	)
	doc.flags.server_update = True
	doc.save(ignore_permissions=True)
	return summary


def import_activities(content: bytes, iati_import: str | None = None) -> dict:
	"""Parse the whole file, then upsert its activities by IATI identifier: all or nothing."""
	with rules():
		parsed = P.parse(content)
	return upsert(parsed, iati_import)


# Who may change activities already imported: an update can remove a strong match (and so a
# coordination note the officer would owe), so officers add new activities only.
UPDATERS = ("TA Programme Manager", "TA Administrator", "System Manager")


def check_updates(changed: list[P.ExternalActivity]) -> None:
	"""An import that changes activities already on the site: only a programme manager or an
	administrator runs it, and never to give an activity another publisher."""
	if not changed:
		return
	if frappe.session.user != "Administrator" and not set(frappe.get_roles()) & set(UPDATERS):
		frappe.throw(
			_(
				"This file changes {0} activities already imported (for example {1}): a programme manager imports it."
			).format(len(changed), changed[0].identifier),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)
	stored = dict(
		frappe.get_all(
			"TA External Activity",
			filters={"name": ("in", [a.identifier for a in changed])},
			fields=["name", "reporting_org_ref"],
			as_list=True,
		)
	)
	moved = [a.identifier for a in changed if (stored.get(a.identifier) or "") != (a.reporting_org_ref or "")]
	if moved:
		frappe.throw(
			_(
				"This file gives activities already imported another publisher ({0}): an activity keeps its publisher."
			).format(", ".join(moved[:5])),
			frappe.ValidationError,
			title=_("IATI File Refused"),
		)


def upsert(parsed: list[P.ExternalActivity], iati_import: str | None = None) -> dict:
	"""Create or update the external activities by IATI identifier, in one savepoint: all or nothing."""
	existing: dict[str, str] = {}
	identifiers = [a.identifier for a in parsed]
	for i in range(0, len(identifiers), 1000):
		existing.update(
			frappe.get_all(
				"TA External Activity",
				filters={"name": ("in", identifiers[i : i + 1000])},
				fields=["name", "fingerprint"],
				as_list=True,
			)
		)
	summary = {"activities": len(parsed), "created": 0, "updated": 0, "unchanged": 0, "undated": 0}
	publishers = sorted(
		{
			a.reporting_org_name or a.reporting_org_ref
			for a in parsed
			if a.reporting_org_name or a.reporting_org_ref
		}
	)
	summary["publishers"] = ", ".join(publishers)[:1000]
	check_updates(
		[a for a in parsed if a.identifier in existing and existing[a.identifier] != a.fingerprint()]
	)
	now = now_datetime()
	frappe.db.savepoint("ta_iati_import")
	try:
		for a in parsed:
			summary["undated"] += a.start is None
			fingerprint = a.fingerprint()
			if a.identifier in existing and existing[a.identifier] == fingerprint:
				summary["unchanged"] += 1
				continue
			new = a.identifier not in existing
			doc = (
				frappe.new_doc("TA External Activity")
				if new
				else frappe.get_doc("TA External Activity", a.identifier)
			)
			doc.update(
				{
					"iati_identifier": a.identifier,
					"title": a.title,
					"reporting_org_ref": a.reporting_org_ref,
					"reporting_org_name": a.reporting_org_name,
					"start": a.start,
					"end": a.end,
					"budget": float(a.budget) if isinstance(a.budget, Decimal) else None,
					"currency": a.currency,
					"iati_import": iati_import,
					"imported_on": now,
					"fingerprint": fingerprint,
				}
			)
			doc.set("countries", [{"country": c} for c in a.countries])
			doc.set(
				"sectors",
				[{"code": code[:20], "vocabulary": vocabulary[:10]} for code, vocabulary in a.sectors],
			)
			doc.flags.server_update = True
			doc.flags.ignore_permissions = True
			doc.insert() if new else doc.save()
			summary["created" if new else "updated"] += 1
	except Exception:
		frappe.db.rollback(save_point="ta_iati_import")
		raise
	return summary
