"""Fills a site with a decade of realistic, valid data for performance work, with bulk inserts.

    /root/frappe-bench/env/bin/python tests/benchmark/bulk.py --site perf.localhost --new-site \
        [--activities 100000] [--programmes 2000] [--states 190] [--trainers 500] [--seed 2026] \
        [--writer sql|frappe] [--reset] [--verify 300]

Benchmark tooling, not part of the app: it writes raw SQL that bypasses the controllers, so it runs
only on a site marked as synthetic that holds nothing it did not make (``synthetic.py`` next to it,
checked before anything is written or deleted). ``--new-site`` creates the site with the app and
marks it (site config ``ta_synthetic_data: 1``); to fill a scratch site made otherwise, mark it
first: ``bench --site SITE set-config --parse ta_synthetic_data 1``. From Python (the benchmark, a
test): load this file and call :func:`generate`.

What it writes (every record as its controller would have left it; :func:`verify` re-runs the
controllers on a sample to prove it):

* users (a handful, through ``doc.insert``): programme officers, managers, OHCHR and
  civil-society reviewers, donor users;
* master data: partner organisations (15 accredited for oversight, three per UN regional group,
  each with a reviewer), donors, beneficiary states (existing Frappe ``Country`` records with a
  valid IANA time zone; their institutions), trainers (expertise, languages, calendar token);
* programmes over ten years (states with shares summing to 100, themes, partners, funding lines
  and the budget they give), with the status their dates imply; for every programme that was
  approved, a submitted human-rights review and the sign-offs (and, for a few, an overridden
  civil-society objection) that make the oversight gate hold: signed on the programme's
  current scope (``ta_programmes.oversight.current_scope``), renewed within the validity period
  for programmes still Approved or Active, by people other than the officer and the approver;
* activities with their sessions (local times in the host state's zone and their UTC times),
  trainers and hours, participants once Delivered (only after their last session ended), and
  the booking index (``TA Trainer Booking``, one row per trainer and session, kind ``session``).
* a results framework for every programme (:meth:`Generator.results_frameworks`): 2-4 results
  (outcomes from its themes, the outputs serving them), 1-3 indicators each (the site's standard
  indicators as officers adapt them, and a few of the programme's own, in every unit), a target
  per programme year, and for the years that ended an actual recorded by the M&E officer with its
  evidence — some missing, some off track, some by sex, institution type or state.

Trainers never overlap: each trainer takes at most one activity per calendar week (Monday to
Friday, 09:00-17:00 local), which leaves at least 38 hours between two activities anywhere on
earth, more than the 24-hour travel buffer between in-person sessions in different countries.

Names follow each doctype's naming series with a ``BULK`` marker (``TAP-BULK-2019-000001``,
``TAA-BULK-…``, ``TAT-BULK-…``, ``HRR-BULK-…``, ``SO-BULK-…``, ``OVR-BULK-…``, ``RES-BULK-…``,
``IND-BULK-…``, ``ACT-BULK-…``) so that they never clash with the series; master data made here
carries a marker too (``@bulk.ta.example`` e-mails, the ``bulk.ta.example`` website of partners
and donors, the risk source of states), which is how ``--reset`` finds what to delete.

Writers: ``sql`` (default) sends the same multi-row ``INSERT … VALUES`` statements as
``frappe.db.bulk_insert``, built with the connection's own escaping, from a writer thread so
that the database works while Python builds the next chunk; ``frappe`` calls
``frappe.db.bulk_insert`` itself (about four times slower: pypika builds a term per value).
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import random
import sys
import threading
import time
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import frappe
from dateutil.relativedelta import relativedelta
from pymysql.converters import escape_string as _escape_string

from ta_programmes.core import constants as C
from ta_programmes.core import oversight as core_oversight
from ta_programmes.core import rules as R
from ta_programmes.core import schedule as S

if str(Path(__file__).resolve().parent) not in sys.path:
	sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic  # noqa: E402  (the guard, next to this file)
from synthetic import DOMAIN, PREFIX, STATE_SOURCE, WEBSITE, RefusedSite  # noqa: E402

MARK = "BULK"
ADMIN = "Administrator"

# Standard columns of every table, and of child tables.
STD = ("name", "creation", "modified", "modified_by", "owner", "docstatus", "idx")
CHILD = ("parent", "parentfield", "parenttype")

FIRST_NAMES = (
	"Amina", "Tariq", "Elena", "Mateus", "Priya", "Lucia", "Kwame", "Sofia", "Daniel", "Fatima", "Hiroshi", "Ana",
	"Olena", "Samuel", "Mei", "Jonas", "Aisha", "Carlos", "Nadia", "Omar", "Ingrid", "Ravi", "Chloe", "Tomas",
	"Grace", "Yusuf", "Marta", "Kenji", "Zainab", "Pedro", "Leila", "Viktor", "Nia", "Arjun", "Camila", "Emeka",
)
LAST_NAMES = (
	"Mensah", "Nair", "Karimova", "Pereira", "Ibrahim", "Okafor", "Haddad", "Silva", "Novak", "Tanaka", "Osei",
	"Rossi", "Kovalenko", "Mwangi", "Chen", "Berg", "Diallo", "Gomez", "Petrova", "Rahman", "Larsen", "Singh",
	"Dubois", "Horvat", "Achieng", "Yilmaz", "Santos", "Sato", "Bello", "Costa", "Farah", "Ivanov",
)
EASTERN_EUROPE = {
	"Albania", "Armenia", "Azerbaijan", "Belarus", "Bosnia and Herzegovina", "Bulgaria", "Croatia", "Czech Republic",
	"Czechia", "Estonia", "Georgia", "Hungary", "Latvia", "Lithuania", "Moldova, Republic of", "Moldova", "Montenegro",
	"Macedonia", "North Macedonia", "Poland", "Romania", "Russian Federation", "Russia", "Serbia", "Slovakia",
	"Slovenia", "Ukraine",
}
WEOG_OUTSIDE_EUROPE = {"United States", "Canada", "Australia", "New Zealand", "Israel", "Turkey"}
AFRICAN_ISLANDS = ("Indian/Antananarivo", "Indian/Comoro", "Indian/Mauritius", "Indian/Mayotte", "Indian/Reunion",
				   "Indian/Mahe", "Atlantic/Cape_Verde", "Atlantic/St_Helena")
LANGUAGES_BY_GROUP = {
	"African": ("en", "fr", "pt", "ar", "sw"),
	"Asia-Pacific": ("en", "zh", "ar", "vi", "id", "th"),
	"Eastern European": ("ru", "en", "uk"),
	"Latin American & Caribbean": ("es", "pt", "en"),
	"Western European & Others": ("en", "fr", "de", "tr"),
}
INSTITUTIONS = (
	("National Police Cybercrime Unit", "Police"), ("Office of the Public Prosecutor", "Prosecution"),
	("Supreme Court Training Institute", "Judiciary"), ("National CERT", "CERT"), ("Ministry of Justice", "Ministry"),
	("Parliamentary Committee on Digital Affairs", "Parliament"), ("Digital Rights Coalition", "Civil Society"),
)
RISK_CATEGORIES = ("Surveillance misuse", "Arbitrary detention", "Freedom of expression")
MITIGATIONS = (
	"Human-rights vetting of participating units", "Human-rights module in every training",
	"Independent monitoring of follow-up cases", "Data-protection safeguards in the curriculum",
	"Complaint mechanism for affected persons",
)
CONDITIONS = ("Share the final curriculum with the reviewer", "Report on vetting outcomes before delivery",
			  "Include a civil-society trainer in every session")
JUSTIFICATION = (
	"The objection concerns a unit that is excluded from the programme; vetting and independent monitoring "
	"are in place and reported quarterly."
)
NO_CONFLICT = core_oversight.NO_CONFLICT


# --------------------------------------------------------------------------------------------
# Writing


def _lit(value) -> str:
	"""A value as an SQL literal, escaped by pymysql's rules (the ones frappe.db uses)."""
	t = type(value)
	if t is str:
		return "'" + _escape_string(value) + "'"
	if value is None:
		return "NULL"
	if t is int or t is float:
		return repr(value)
	if t is bool:
		return "1" if value else "0"
	if t is datetime:
		return "'" + value.isoformat(" ") + "'"
	if t is date:
		return "'" + value.isoformat() + "'"
	if t is Decimal:
		return str(value)
	return "'" + _escape_string(str(value)) + "'"


class Writer:
	"""Buffers rows per doctype and writes them in multi-row INSERTs of ``chunk`` rows.

	``mode='sql'`` builds each statement here and runs it on the site's connection from one
	writer thread (the main thread must not use ``frappe.db`` until :meth:`drain`);
	``mode='frappe'`` calls ``frappe.db.bulk_insert`` synchronously.
	"""

	def __init__(self, mode: str = "sql", chunk: int = 4000):
		if mode not in ("sql", "frappe"):
			raise ValueError("writer mode is sql or frappe")
		self.mode, self.chunk = mode, chunk
		self.buffers: dict[str, tuple[tuple[str, ...], list]] = {}
		self.rows = Counter()
		self.db_seconds = 0.0
		self._queue: queue.Queue | None = None
		self._thread: threading.Thread | None = None
		self._error: BaseException | None = None

	def add(self, doctype: str, fields: tuple[str, ...], row: tuple) -> None:
		buf = self.buffers.get(doctype)
		if buf is None:
			buf = self.buffers[doctype] = (fields, [])
		buf[1].append(row)
		if len(buf[1]) >= self.chunk:
			self._write(doctype)

	def _write(self, doctype: str) -> None:
		fields, rows = self.buffers[doctype]
		if not rows:
			return
		self.buffers[doctype] = (fields, [])
		self.rows[doctype] += len(rows)
		if self.mode == "frappe":
			started = time.perf_counter()
			frappe.db.bulk_insert(doctype, list(fields), rows, chunk_size=self.chunk)
			self.db_seconds += time.perf_counter() - started
			return
		columns = ", ".join(f"`{f}`" for f in fields)
		# map over a list comprehension: about 1.7 million values at the decade, the writer's main cost
		values = ",".join(["(" + ",".join(map(_lit, r)) + ")" for r in rows])
		self._send(f"INSERT INTO `tab{doctype}` ({columns}) VALUES {values}")

	def _send(self, sql: str) -> None:
		if self._error:
			raise self._error
		if self._thread is None:
			frappe.db.sql("select 1")  # make sure the connection is open  # nosemgrep: frappe-using-db-sql -- the decade-scale generator writes and checks in bulk SQL by design (see its docstring)
			conn = frappe.db._conn
			self._queue = queue.Queue(maxsize=3)
			self._thread = threading.Thread(target=self._run, args=(conn,), daemon=True)
			self._thread.start()
		self._queue.put(sql)

	def _run(self, conn) -> None:
		cursor = conn.cursor()
		while True:
			sql = self._queue.get()
			try:
				if sql is None:
					return
				if self._error is None:
					started = time.perf_counter()
					cursor.execute(sql)
					self.db_seconds += time.perf_counter() - started
			except BaseException as e:  # reported to the main thread
				self._error = e
			finally:
				self._queue.task_done()

	def drain(self) -> None:
		"""Write every buffered row and wait until the database has them all."""
		for doctype in list(self.buffers):
			self._write(doctype)
		if self._thread is not None:
			self._queue.put(None)
			self._thread.join()
			self._thread = None
		if self._error:
			error, self._error = self._error, None
			raise error


# --------------------------------------------------------------------------------------------
# Progress


class Progress:
	def __init__(self, enabled: bool, stream=None):
		self.enabled = enabled
		self.stream = stream or sys.stdout
		self.started = time.perf_counter()
		self.phase_started = self.started
		self._last = 0.0

	def phase(self, label: str) -> None:
		self.label = label
		self.phase_started = time.perf_counter()

	def update(self, done: int, total: int, force: bool = False) -> None:
		if not self.enabled:
			return
		now = time.perf_counter()
		if not force and now - self._last < 0.2 and done < total:
			return
		self._last = now
		width = 40
		filled = int(width * done / total) if total else width
		pct = int(100 * done / total) if total else 100
		self.stream.write(
			f"\r{self.label:<28} [{'=' * filled}{' ' * (width - filled)}] {pct:3d}% {done}/{total}  {now - self.started:6.1f}s"
		)
		self.stream.flush()

	def done(self, note: str = "") -> None:
		if self.enabled:
			self.stream.write(f"  ({time.perf_counter() - self.phase_started:.1f}s){'  ' + note if note else ''}\n")
			self.stream.flush()


# --------------------------------------------------------------------------------------------
# The generator


class Generator:
	def __init__(self, activities: int, programmes: int, states: int, trainers: int, seed: int,
				 progress: Progress, writer: Writer):
		self.n_activities, self.n_programmes, self.n_states, self.n_trainers = activities, programmes, states, trainers
		self.rng = random.Random(seed)
		self.seed = seed
		# read now: once rows are being written, the connection belongs to the writer thread
		self.library = {r.name: r for r in frappe.get_all("TA Standard Indicator", fields=["name", "definition", "means_of_verification"])}
		self.p = progress
		self.w = writer
		self.now = datetime.utcnow().replace(microsecond=0)  # naive UTC, as scheduling.utc_now
		self.today = frappe.utils.getdate(frappe.utils.today())
		self.counters = Counter()
		self.child_seq = 0
		self.stats = Counter()
		policy = frappe.get_cached_doc("TA Oversight Policy")
		self.validity_months = int(policy.validity_months or 12)
		self.quorum = {
			"Low": int(policy.quorum_low or 1), "Medium": int(policy.quorum_medium or 1),
			"High": int(policy.quorum_high or 2), "Critical": int(policy.quorum_critical or 3),
		}

	# -- helpers --------------------------------------------------------------------------------

	def child_name(self) -> str:
		self.child_seq += 1
		return f"bk{self.child_seq:08x}"

	def next_name(self, doctype: str, year: int) -> str:
		self.counters[doctype] += 1
		return f"{PREFIX[doctype]}{year}-{self.counters[doctype]:06d}"

	def add(self, doctype: str, fields: tuple[str, ...], row: tuple) -> None:
		self.w.add(doctype, fields, row)

	def moment(self, day: date, hour_from: int = 8, hour_to: int = 18) -> datetime:
		return datetime(day.year, day.month, day.day, self.rng.randint(hour_from, hour_to - 1), self.rng.randint(0, 59),
						self.rng.randint(0, 59))

	# -- users ----------------------------------------------------------------------------------

	def users(self) -> None:
		"""About fifty people, bulk-inserted as System Users with their roles (no password: they
		sign in with API keys; the User controller costs about half a second each)."""
		self.p.phase("users")
		plan = (
			[(f"officer{i}@{DOMAIN}", "Officer", "TA Programme Officer") for i in range(1, 21)]
			+ [(f"manager{i}@{DOMAIN}", "Manager", "TA Programme Manager") for i in range(1, 5)]
			+ [(f"ohchr{i}@{DOMAIN}", "OHCHR Reviewer", "TA OHCHR Reviewer") for i in range(1, 4)]
			+ [(f"civil{i}@{DOMAIN}", "Civil Society Reviewer", "TA Civil Society Reviewer") for i in range(1, 16)]
			+ [(f"donor{i}@{DOMAIN}", "Donor", "TA Donor") for i in range(1, 3)]
			+ [(f"mne@{DOMAIN}", "M&E Officer", "TA M&E Officer")]
		)
		existing = set(frappe.get_all("User", filters={"name": ("like", f"%@{DOMAIN}")}, pluck="name"))
		created = datetime(2015, 1, 5, 9, 0)
		user_fields = STD + ("email", "first_name", "last_name", "full_name", "enabled", "user_type", "send_welcome_email")
		role_fields = STD + CHILD + ("role",)
		self.full_names = {}
		for i, (email, label, role) in enumerate(plan):
			first, last = self.rng.choice(FIRST_NAMES), f"{self.rng.choice(LAST_NAMES)} ({label})"
			self.full_names[email] = f"{first} {last}"
			if email in existing:
				continue
			self.add("User", user_fields, (email, created, created, ADMIN, ADMIN, 0, 0, email, first, last, f"{first} {last}", 1, "System User", 0))
			self.add("Has Role", role_fields, (self.child_name(), created, created, ADMIN, ADMIN, 0, 1, email, "roles", "User", role))
			self.p.update(i + 1, len(plan))
		self.full_names.update(dict(frappe.get_all("User", filters={"name": ("in", list(existing) or [""])}, fields=["name", "full_name"], as_list=True)))
		self.officers = [e for e, _l, r in plan if r == "TA Programme Officer"]
		self.managers = [e for e, _l, r in plan if r == "TA Programme Manager"]
		self.ohchr = [e for e, _l, r in plan if r == "TA OHCHR Reviewer"]
		self.civil = [e for e, _l, r in plan if r == "TA Civil Society Reviewer"]
		self.donor_users = [e for e, _l, r in plan if r == "TA Donor"]
		self.p.done(f"{len(plan)}")

	# -- master data ----------------------------------------------------------------------------

	def states(self) -> None:
		import zoneinfo

		self.p.phase("beneficiary states")
		zones = zoneinfo.available_timezones()
		existing = {
			r.name: r for r in frappe.get_all("TA Beneficiary State", fields=["name", "regional_group", "time_zone", "status", "suspended_on"])
		}
		countries = frappe.get_all("Country", fields=["name", "code", "time_zones"], order_by="name")
		candidates = [c for c in countries if c.name not in existing and (c.time_zones or "").split() and c.time_zones.split()[0] in zones]
		wanted = max(0, self.n_states - len(existing))
		chosen = sorted(self.rng.sample(candidates, min(wanted, len(candidates))), key=lambda c: c.name)
		fields = STD + ("country", "iso_code", "regional_group", "status", "time_zone", "suspension_reason", "suspended_on",
						"hr_risk_rating", "risk_rated_on", "risk_source")
		inst_fields = STD + CHILD + ("institution_name", "institution_type", "notes")
		created = datetime(2015, 3, 2, 9, 0)
		self.state_info: dict[str, dict] = {}
		for name, r in existing.items():
			self.state_info[name] = {"group": r.regional_group, "zone": r.time_zone or "UTC",
									 "active": r.status == "Active" and not r.suspended_on}
		suspended = set(self.rng.sample(range(len(chosen)), min(3, len(chosen) // 40))) if chosen else set()
		for i, c in enumerate(chosen):
			zone = c.time_zones.split()[0]
			group = regional_group(c.name, zone)
			rating = self.rng.choice(("Low", "Medium", "Medium", "High", "Critical", None))
			is_suspended = i in suspended
			suspended_on = self.today - timedelta(days=self.rng.randint(30, 400)) if is_suspended else None
			self.add("TA Beneficiary State", fields, (
				c.name, created, created, ADMIN, ADMIN, 0, 0,
				c.name, c.code, group, "Suspended" if is_suspended else "Active", zone,
				"Serious human-rights concerns reported by OHCHR" if is_suspended else None, suspended_on,
				rating, self.today - timedelta(days=self.rng.randint(10, 700)) if rating else None,
				STATE_SOURCE,  # also without a rating: reset finds the states made here by it
			))
			for idx, (inst, kind) in enumerate(self.rng.sample(INSTITUTIONS, self.rng.randint(2, 4)), start=1):
				self.add("TA Beneficiary Institution", inst_fields, (
					self.child_name(), created, created, ADMIN, ADMIN, 0, idx, c.name, "institutions", "TA Beneficiary State",
					inst, kind, None,
				))
			self.state_info[c.name] = {"group": group, "zone": zone, "active": not is_suspended}
			self.p.update(i + 1, len(chosen))
		self.bulk_states = [c.name for c in chosen]
		self.p.done(f"{len(chosen)} new, {len(existing)} existing")

	def partners(self) -> None:
		self.p.phase("partner organisations")
		existing = set(frappe.get_all("TA Partner Organisation", pluck="name"))
		fields = STD + ("organisation_name", "short_name", "sector", "regional_group", "country", "iati_org_type",
						"iati_org_id", "website", "accredited_for_oversight", "accredited_on")
		rev_fields = STD + CHILD + ("user", "full_name")
		created = datetime(2015, 2, 2, 9, 0)
		orgs = []
		for name, short, country in (
			("United Nations Office on Drugs and Crime (Bulk)", "UNODC", "Austria"),
			("United Nations Development Programme (Bulk)", "UNDP", "United States"),
			("International Telecommunication Union (Bulk)", "ITU", "Switzerland"),
			("UN Interregional Crime and Justice Research Institute (Bulk)", "UNICRI", "Italy"),
		):
			orgs.append((name, short, "UN entity", None, country, False))
		for name, short, country in (
			("Council of Europe Cybercrime Programme Office (Bulk)", "C-PROC", "Romania"),
			("African Union Commission (Bulk)", "AUC", "Ethiopia"),
			("Organization of American States (Bulk)", "OAS", "United States"),
			("ASEAN Secretariat (Bulk)", "ASEAN", "Indonesia"),
			("INTERPOL Cybercrime Directorate (Bulk)", "INTERPOL", "Singapore"),
		):
			orgs.append((name, short, "Regional Organisation", None, country, False))
		for i in range(1, 9):
			orgs.append((f"National Cyber Security Agency {i} (Bulk)", f"NCSA{i}", "Government", None, None, False))
		for i in range(1, 7):
			orgs.append((f"Forensic Technology Partner {i} (Bulk)", f"FTP{i}", "Private Sector", None, None, False))
		for group in C.REGIONAL_GROUPS:
			short = "".join(w[0] for w in group.replace("&", "").split())
			for j in range(1, 4):
				sector = "Academia" if j == 3 else "Civil Society"
				kind = "Law School" if sector == "Academia" else "Digital Rights Forum"
				orgs.append((f"{group} {kind} {j} (Bulk)", f"{short}{j}", sector, group, None, True))
			orgs.append((f"{group} Privacy Network (Bulk)", f"{short}P", "Civil Society", group, None, False))
		self.partner_sector: dict[str, str] = {}
		self.leads, self.implementers, self.accredited = [], [], []
		civil = iter(self.civil)
		for i, (name, short, sector, group, country, accredited) in enumerate(orgs):
			self.partner_sector[name] = sector
			if sector in ("UN entity", "Regional Organisation", "Government"):
				self.leads.append(name)
			self.implementers.append(name)
			reviewer = next(civil) if accredited else None
			if name in existing:
				if accredited:
					reviewer = frappe.db.get_value("TA Organisation Reviewer", {"parent": name, "parenttype": "TA Partner Organisation"}, "user")
					self.accredited.append({"name": name, "group": group, "reviewer": reviewer})
				continue
			self.add("TA Partner Organisation", fields, (
				name, created, created, ADMIN, ADMIN, 0, 0,
				name, short, sector, group, country, C.DEFAULT_IATI_TYPE_BY_SECTOR[sector], None,
				f"{WEBSITE}/{short.lower()}", 1 if accredited else 0, date(2015, 1, 15) if accredited else None,
			))
			if accredited:
				self.add("TA Organisation Reviewer", rev_fields, (
					self.child_name(), created, created, ADMIN, ADMIN, 0, 1, name, "reviewers", "TA Partner Organisation",
					reviewer, self.full_names.get(reviewer),
				))
				self.accredited.append({"name": name, "group": group, "reviewer": reviewer})
			self.p.update(i + 1, len(orgs))
		self.p.done(f"{len(orgs)}")

	def donors(self) -> None:
		self.p.phase("donors")
		existing = set(frappe.get_all("TA Donor", pluck="name"))
		fields = STD + ("donor_name", "donor_type", "country", "iati_org_id", "iati_org_type", "website")
		user_fields = STD + CHILD + ("user", "full_name")
		created = datetime(2015, 2, 2, 9, 0)
		govs = ("Sweden", "Norway", "Denmark", "Finland", "Netherlands", "Germany", "France", "United Kingdom", "Canada",
				"Japan", "Australia", "Switzerland", "Ireland", "Spain", "Italy", "Korea, Republic of", "New Zealand",
				"Austria", "Belgium", "Luxembourg")
		plan = [(f"Government of {c} (Bulk)", "Government", c, f"XM-BULK-{i:03d}") for i, c in enumerate(govs, start=1)]
		plan += [(n, "Multilateral", None, None) for n in ("European Union (Bulk)", "World Bank Trust Fund (Bulk)", "UN Peacebuilding Fund (Bulk)")]
		plan += [(f"Open Society Foundation {i} (Bulk)", "Foundation", None, None) for i in range(1, 5)]
		plan += [(f"Tech Industry Fund {i} (Bulk)", "Private", None, None) for i in range(1, 4)]
		countries = set(frappe.get_all("Country", pluck="name"))
		self.donor_names = []
		for i, (name, kind, country, iati) in enumerate(plan):
			self.donor_names.append(name)
			if name in existing:
				continue
			self.add("TA Donor", fields, (
				name, created, created, ADMIN, ADMIN, 0, 0,
				name, kind, country if country in countries else None, iati, C.DEFAULT_IATI_TYPE_BY_DONOR_TYPE[kind],
				f"{WEBSITE}/donor-{i + 1}",
			))
			if i < len(self.donor_users):
				user = self.donor_users[i]
				self.add("TA Donor User", user_fields, (
					self.child_name(), created, created, ADMIN, ADMIN, 0, 1, name, "users", "TA Donor", user, self.full_names.get(user),
				))
			self.p.update(i + 1, len(plan))
		self.p.done(f"{len(plan)}")

	def trainers(self) -> None:
		from frappe.utils.password import encrypt

		self.p.phase("trainers")
		fields = STD + ("naming_series", "full_name", "email", "organisation", "sector", "active", "home_time_zone",
						"daily_rate", "rate_currency", "vetting_status", "vetting_date", "ics_token", "consent_public_profile",
						"public_bio")
		exp_fields = STD + CHILD + ("thematic_area",)
		lang_fields = STD + CHILD + ("language",)
		themes = [t[0] for t in C.THEMATIC_AREAS]
		self.themes = themes
		self.theme_category = {t[0]: t[1] for t in C.THEMATIC_AREAS}
		zones = sorted({s["zone"] for s in self.state_info.values()})
		start = self.counters["TA Trainer"]
		self.trainer_info: list[dict] = []
		auth = []
		for i in range(self.n_trainers):
			n = start + i + 1
			name = f"{PREFIX['TA Trainer']}{n:05d}"
			first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
			org = self.rng.choice(self.implementers)
			sector = self.partner_sector[org]
			created = datetime(2015, 6, 1, 9) + timedelta(days=self.rng.randint(0, 500), minutes=self.rng.randint(0, 600))
			# 2% inactive, 1% rejected: kept out of activities (they could not be assigned).
			roll = self.rng.random()
			active = 0 if roll < 0.02 else 1
			vetting = "Rejected" if 0.02 <= roll < 0.03 else ("Pending" if 0.03 <= roll < 0.06 else "Cleared")
			consent = self.rng.random() < 0.6
			expertise = self.rng.sample(themes, self.rng.randint(2, 4))
			token = frappe.generate_hash(length=32)
			zone = self.rng.choice(zones)
			rate = float(self.rng.choice(range(300, 1600, 50)))
			self.add("TA Trainer", fields, (
				name, created, created, ADMIN, ADMIN, 0, 0,
				"TAT-.#####", f"{first} {last}", f"{first.lower()}.{last.lower()}.{n}@trainers.{DOMAIN}", org, sector, active,
				zone, rate, "USD", vetting,
				(created + timedelta(days=self.rng.randint(5, 60))).date() if vetting != "Pending" else None,
				"*" * len(token), 1 if consent else 0,
				f"Specialist in {expertise[0].lower()}." if consent else None,
			))
			auth.append(("TA Trainer", name, "ics_token", encrypt(token), 1))
			for idx, theme in enumerate(expertise, start=1):
				self.add("TA Trainer Expertise", exp_fields, (
					self.child_name(), created, created, ADMIN, ADMIN, 0, idx, name, "expertise", "TA Trainer", theme,
				))
			for idx, lang in enumerate(self.rng.sample(("en", "fr", "es", "ar", "ru", "zh", "pt"), self.rng.randint(1, 3)), start=1):
				self.add("TA Trainer Language", lang_fields, (
					self.child_name(), created, created, ADMIN, ADMIN, 0, idx, name, "languages", "TA Trainer", lang,
				))
			self.trainer_info.append({
				"name": name, "full_name": f"{first} {last}", "sector": sector, "expertise": set(expertise),
				"assignable": bool(active) and vetting != "Rejected", "daily_rate": rate,
			})
			self.p.update(i + 1, self.n_trainers)
		self.counters["TA Trainer"] += self.n_trainers
		self.w.drain()
		for i in range(0, len(auth), 2000):
			values = ",".join(["(" + ",".join(map(_lit, r)) + ")" for r in auth[i : i + 2000]])
			frappe.db.sql(f"INSERT INTO `__Auth` (`doctype`, `name`, `fieldname`, `password`, `encrypted`) VALUES {values}")  # nosemgrep: frappe-using-db-sql -- the decade-scale generator writes and checks in bulk SQL by design (see its docstring)
		self.p.done(f"{self.n_trainers}")

	# -- programmes -----------------------------------------------------------------------------

	def plan_programmes(self) -> list[dict]:
		"""Dates, status, states, themes and funding of every programme; activities come next."""
		rng = self.rng
		today = self.today
		first_start, last_start = date(2016, 1, 4), date(2027, 9, 1)
		span_days = (last_start - first_start).days
		active_states = [s for s, info in self.state_info.items() if info["active"]]
		all_states = list(self.state_info)
		plans = []
		for i in range(self.n_programmes):
			start = first_start + timedelta(days=rng.randint(0, span_days))
			months = rng.choice((12, 18, 24, 24, 30, 36, 36, 48))
			end = core_oversight.add_months(start, months) - timedelta(days=1)
			if end < today:
				status = rng.choices(("Completed", "Suspended", "Cancelled"), (88, 4, 8))[0]
			elif start <= today:
				status = rng.choices(("Active", "Suspended", "Approved", "Under Review", "Cancelled"), (85, 6, 3, 4, 2))[0]
			else:
				status = rng.choices(("Draft", "Under Review", "Approved", "Cancelled"), (30, 30, 35, 5))[0]
			gated = status in ("Approved", "Active")
			pool = active_states if gated else all_states
			n_states = rng.choices((1, 2, 3, 4), (40, 30, 20, 10))[0]
			states = rng.sample(pool, n_states)
			plans.append({
				"i": i, "start": start, "end": end, "status": status, "states": states, "shares": shares(rng, n_states),
				"themes": rng.sample(self.themes, rng.choices((1, 2, 3, 4), (20, 35, 30, 15))[0]),
				"officer": rng.choice(self.officers), "lead": rng.choice(self.leads),
				"partners": rng.sample(self.implementers, rng.choice((0, 1, 1, 2))),
				"weeks": max(1, ((end - start).days - 6) // 7),
			})
		# Activities: shared out by length (with some spread), at least one per programme.
		weights = [p["weeks"] * rng.lognormvariate(0, 0.5) * (0.4 if p["status"] in ("Draft", "Cancelled") else 1) for p in plans]
		counts = allocate(self.n_activities, weights)
		for p, n in zip(plans, counts, strict=False):
			p["n_activities"] = n
		return plans

	def programmes_and_activities(self) -> None:
		plans = self.plan_programmes()
		self.epoch = min(p["start"] for p in plans) - timedelta(days=7)
		self.epoch -= timedelta(days=self.epoch.weekday())  # a Monday
		last = max(p["end"] for p in plans)
		n_weeks = (last - self.epoch).days // 7 + 2
		self.busy = [bytearray(n_weeks) for _t in self.trainer_info]
		self.assignable = [i for i, t in enumerate(self.trainer_info) if t["assignable"]]
		self.by_theme = {th: [i for i in self.assignable if th in self.trainer_info[i]["expertise"]] for th in self.themes}
		self.p.phase("programmes + activities")
		done = 0
		for p in plans:
			self.programme(p)
			done += p["n_activities"]
			self.p.update(done, self.n_activities)
		self.p.done(f"{len(plans)} programmes, {self.n_activities} activities")
		self.plans = plans

	def programme(self, p: dict) -> None:
		rng = self.rng
		status = p["status"]
		approved = status in ("Approved", "Active", "Completed", "Suspended")
		created = self.moment(p["start"] - timedelta(days=rng.randint(150, 300)))
		created = min(created, self.now - timedelta(days=rng.randint(40, 120)))
		year = created.year
		name = self.next_name("TA Programme", year)
		p["name"] = name
		region = self.state_info[p["states"][0]]["group"]
		p["title"] = f"{p['themes'][0]} capacity for {region} ({self.counters['TA Programme']:04d})"
		# Oversight dates: review, sign-offs, approval.
		approved_on = approved_by = None
		if approved:
			approval_day = min(p["start"] - timedelta(days=rng.randint(7, 60)), self.today - timedelta(days=rng.randint(1, 20)))
			approval_day = max(approval_day, created.date() + timedelta(days=40))
			approved_on = self.moment(approval_day)
			approved_by = rng.choice(self.managers)
		p["created"], p["approved_on"], p["approved_by"] = created, approved_on, approved_by
		if status == "Suspended":
			earliest = max(p["start"], approved_on.date() + timedelta(days=1))
			latest = min(p["end"], self.today - timedelta(days=1))
			p["suspended_on"] = earliest + timedelta(days=rng.randint(0, max(0, (latest - earliest).days)))
		else:
			p["suspended_on"] = None

		institution_types = set()
		for _n in range(p["n_activities"]):
			kind = self.activity(p)
			if kind:
				institution_types.add(kind)
		p["institution_types"] = sorted(institution_types)

		# Funding and budget (as TAProgramme.set_budget computes them).
		funding = []
		for donor in rng.sample(self.donor_names, rng.choices((1, 2, 3), (50, 35, 15))[0]):
			currency = "EUR" if rng.random() < 0.2 else "USD"
			rate = 1.08 if currency == "EUR" else 1.0
			amount = float(rng.randrange(50_000, 2_500_000, 10_000))
			funding.append((donor, amount, currency, rate, R.compute_budget([(amount, rate)])))
		budget = R.compute_budget((a, r) for _d, a, _c, r, _b in funding)
		scope = core_oversight.scope_of(p["states"], p["themes"], sorted(institution_types), budget, p["start"], p["end"], p["lead"])
		last_change = max(t for t in (created, approved_on, datetime.combine(p["suspended_on"], datetime.min.time()) if p["suspended_on"] else None) if t)
		if status in ("Completed", "Cancelled"):
			last_change = max(last_change, min(self.now, datetime.combine(min(p["end"], self.today), datetime.min.time()) + timedelta(hours=10)))
		officer = p["officer"]
		self.add("TA Programme", PROGRAMME_FIELDS, (
			name, created, last_change, officer if status in ("Draft", "Under Review") else (approved_by or officer), officer, 0, 0,
			"TAP-.YYYY.-", p["title"], p["lead"], officer, status, p["start"], p["end"], approved_by, approved_on, None,
			"Serious human-rights concerns raised by OHCHR; under review." if status == "Suspended" else None,
			p["suspended_on"], f"Strengthen {', '.join(t.lower() for t in p['themes'])} with human-rights safeguards.",
			None, "USD", budget,
		))
		for idx, (state, share) in enumerate(zip(p["states"], p["shares"], strict=False), start=1):
			self.add("TA Programme State", PSTATE_FIELDS, (
				self.child_name(), created, created, officer, officer, 0, idx, name, "beneficiary_states", "TA Programme",
				state, self.state_info[state]["group"], share,
			))
		for idx, theme in enumerate(p["themes"], start=1):
			self.add("TA Programme Theme", PTHEME_FIELDS, (
				self.child_name(), created, created, officer, officer, 0, idx, name, "thematic_areas", "TA Programme", theme,
			))
		for idx, partner in enumerate(p["partners"], start=1):
			self.add("TA Implementing Partner", PARTNER_FIELDS, (
				self.child_name(), created, created, officer, officer, 0, idx, name, "partners", "TA Programme",
				partner, self.partner_sector[partner], rng.choice(C.PARTNER_ROLES),
			))
		for idx, (donor, amount, currency, rate, base) in enumerate(funding, start=1):
			self.add("TA Funding Line", FUNDING_FIELDS, (
				self.child_name(), created, created, officer, officer, 0, idx, name, "funding_lines", "TA Programme",
				donor, amount, currency, rate, base,
			))
		if status != "Draft" and status != "Cancelled" or (status == "Cancelled" and rng.random() < 0.3):
			self.oversight(p, scope, approved)

	# -- oversight ------------------------------------------------------------------------------

	def oversight(self, p: dict, scope: dict, approved: bool) -> None:
		rng = self.rng
		status = p["status"]
		if not approved and rng.random() < 0.3:
			return  # not reviewed yet
		risk = rng.choices(C.RISK_LEVELS, (30, 40, 22, 8))[0]
		if approved:
			review_day = p["approved_on"].date() - timedelta(days=rng.randint(20, 35))
		else:
			review_day = min(self.today - timedelta(days=rng.randint(1, 20)), p["created"].date() + timedelta(days=rng.randint(20, 60)))
		review_day = max(review_day, p["created"].date() + timedelta(days=1))
		submitted = self.moment(review_day)
		officer = p["officer"]
		review = self.next_name("TA Human Rights Review", review_day.year)
		self.add("TA Human Rights Review", REVIEW_FIELDS, (
			review, submitted - timedelta(days=3), submitted, officer, officer, 1, 0,
			"HRR-.YYYY.-", p["name"], p["title"], officer, risk, 1 if rng.random() < 0.5 else 0, review_day,
			f"Risk rated {risk.lower()} from the latest country assessments and the recipients' mandates.",
			review_day - timedelta(days=2), None, None,
		))
		for idx in range(1, rng.randint(1, 3) + 1):
			self.add("TA Identified Risk", RISK_FIELDS, (
				self.child_name(), submitted, submitted, officer, officer, 1, idx, review, "risks", "TA Human Rights Review",
				rng.choice(RISK_CATEGORIES), "Risk identified from the country assessment.", rng.choice(("Low", "Medium", "High")),
				rng.choice(("Low", "Medium", "High")),
			))
		high = risk in core_oversight.HIGH_RISK
		plan = []
		for idx, measure in enumerate(rng.sample(MITIGATIONS, rng.randint(1, 3)), start=1):
			due = p["start"] - timedelta(days=rng.randint(1, 20)) if high or rng.random() < 0.5 else p["start"] + timedelta(days=30)
			plan.append((measure, due))
			done = high or p["start"] <= self.today
			self.add("TA Mitigation Measure", MITIGATION_FIELDS, (
				self.child_name(), submitted, submitted, officer, officer, 1, idx, review, "mitigations", "TA Human Rights Review",
				measure, "Programme office", due, rng.choice(("In place", "Verified")) if done else "Planned",
			))
		# What the sign-offs endorse includes the review (as oversight.current_scope computes it).
		scope = {**scope, "review": core_oversight.review_key(risk, plan)}
		needed = self.quorum[risk] + (1 if rng.random() < 0.3 else 0)
		if high:
			groups = rng.sample(C.REGIONAL_GROUPS, 2)
			first = [rng.choice([a for a in self.accredited if a["group"] == g]) for g in groups]
			rest = [a for a in self.accredited if a not in first]
			orgs = first + rng.sample(rest, max(0, needed - 2))
		else:
			orgs = rng.sample(self.accredited, needed)
		if not approved:
			orgs = orgs[: rng.randint(0, len(orgs))]
		first_day = review_day + timedelta(days=1)
		last_day = p["approved_on"].date() - timedelta(days=1) if approved else max(first_day, self.today - timedelta(days=1))
		last_day = max(last_day, first_day)

		def day_between(a: date, b: date) -> date:
			return a + timedelta(days=rng.randint(0, max(0, (b - a).days)))

		ohchr = rng.choice(self.ohchr)
		objection_org = None
		if approved and rng.random() < 0.05:
			objection_org = rng.choice([a for a in self.accredited if a not in orgs])
		signed_rounds = [("initial", first_day, last_day)]
		if status in ("Approved", "Active"):
			# Still under the gate: the current sign-offs must be within their validity.
			initial_ok = (self.today - last_day).days < 300
			if not initial_ok:
				signed_rounds.append(("renewal", self.today - timedelta(days=300), self.today - timedelta(days=1)))
		if status == "Under Review" and rng.random() < 0.5:
			ohchr = None
		objection = None
		for round_, a, b in signed_rounds:
			if ohchr:
				self.signoff(p, scope, "OHCHR", None, None, ohchr, "Endorse", day_between(a, b), high)
			for org in orgs:
				decision = "Endorse with conditions" if rng.random() < 0.2 else "Endorse"
				self.signoff(p, scope, "Civil Society", org["name"], org["group"], org["reviewer"], decision, day_between(a, b), high)
			if objection_org and round_ == "initial":
				objection = self.signoff(p, scope, "Civil Society", objection_org["name"], objection_org["group"],
										 objection_org["reviewer"], "Object", day_between(a, b), high)
		if objection:
			signed_day, name = objection
			recorded = day_between(signed_day, last_day)
			manager = rng.choice(self.managers)
			when = self.moment(recorded)
			self.add("TA Objection Override", OVERRIDE_FIELDS, (
				self.next_name("TA Objection Override", recorded.year), when, when, manager, manager, 1, 0,
				"OVR-.YYYY.-", name, p["name"], objection_org["name"], manager, recorded, JUSTIFICATION, None,
			))

	def signoff(self, p, scope, kind, org, group, signer, decision, day, high) -> tuple[date, str]:
		rng = self.rng
		name = self.next_name("TA Oversight Sign-off", day.year)
		when = self.moment(day)
		valid_until = core_oversight.add_months(day, self.validity_months)
		self.add("TA Oversight Sign-off", SIGNOFF_FIELDS, (
			name, when - timedelta(hours=2), when, signer, signer, 1, 0,
			"SO-.YYYY.-", p["name"], p["title"], kind, org, group, signer, decision, day, valid_until, NO_CONFLICT, None,
			"The recipient unit has been linked to arrests of online journalists." if decision == "Object" else None,
			core_oversight.fingerprint(scope), json.dumps(scope, indent=1, sort_keys=True), None,
		))
		if decision == "Endorse with conditions":
			for idx, cond in enumerate(rng.sample(CONDITIONS, rng.randint(1, 2)), start=1):
				due = p["start"] - timedelta(days=rng.randint(1, 10))
				self.add("TA Sign-off Condition", CONDITION_FIELDS, (
					self.child_name(), when, when, signer, signer, 1, idx, name, "conditions", "TA Oversight Sign-off",
					cond, "Programme office", due, "In place",
				))
		return day, name

	# -- activities -----------------------------------------------------------------------------

	def activity(self, p: dict) -> str | None:
		"""One activity of programme ``p`` with its sessions, trainers and bookings; returns its
		institution type when it counts in the programme's scope (not Cancelled)."""
		rng = self.rng
		first_week = (p["start"] - self.epoch).days // 7 + (1 if (p["start"] - self.epoch).days % 7 else 0)
		last_week = ((p["end"] - self.epoch).days - 4) // 7  # the week whose Friday is on or before the end
		if last_week < first_week:
			last_week = first_week
		state = rng.choices(p["states"], p["shares"])[0]
		info = self.state_info[state]
		zone = info["zone"]
		theme = rng.choice(p["themes"])
		mode = rng.choices(C.DELIVERY_MODES, (60, 25, 15))[0]
		n_days = rng.choices((1, 2, 3, 5), (35, 30, 20, 15))[0]
		n_trainers = rng.choices((1, 2, 3), (55, 40, 5))[0]
		week, chosen = self.pick_week_and_trainers(first_week, last_week, theme, n_trainers)
		monday = self.epoch + timedelta(days=7 * week)
		offset = rng.randint(0, 5 - n_days)
		half_day = mode == "Online"
		sessions = []
		for d in range(n_days):
			day = monday + timedelta(days=offset + d)
			local_start = datetime(day.year, day.month, day.day, 9)
			local_end = datetime(day.year, day.month, day.day, 13 if half_day else 17)
			sessions.append((local_start, local_end, S.to_utc(local_start, zone), S.to_utc(local_end, zone)))
		start_utc, end_utc = sessions[0][2], sessions[-1][3]
		status = self.activity_status(p, start_utc, end_utc)
		institution = rng.choice(C.INSTITUTION_TYPES) if rng.random() < 0.9 else None
		activity_type = rng.choice(C.ACTIVITY_TYPES)
		self.counters["activity_in_programme", p["i"]] += 1
		created = p["created"] + timedelta(days=rng.randint(1, 30), minutes=rng.randint(0, 600))
		name = self.next_name("TA Activity", created.year)
		title = f"{activity_type}: {theme} ({state}, {self.counters['activity_in_programme', p['i']]})"
		approved_on = None
		if status in ("Approved", "Scheduled", "Delivered") or (status in ("Postponed", "Cancelled") and p["approved_on"] and rng.random() < 0.5):
			if p["approved_on"]:
				latest = min(datetime.combine(sessions[0][0].date(), datetime.min.time()), self.now) - timedelta(hours=1)
				approved_on = min(max(p["approved_on"] + timedelta(days=rng.randint(0, 40)), created), latest)
				approved_on = max(approved_on, p["approved_on"])
		planned = rng.randint(12, 40)
		actual = women = men = other = 0  # Int columns are NOT NULL DEFAULT 0
		if status == "Delivered":
			actual = max(1, planned + rng.randint(-8, 6))
			women = int(actual * rng.uniform(0.2, 0.6))
			other = rng.choice((0, 0, 0, 1)) if actual - women > 1 else 0
			men = actual - women - other
		modified = created
		if approved_on:
			modified = max(modified, approved_on)
		if status == "Delivered":
			modified = max(modified, min(self.now, end_utc + timedelta(days=rng.randint(1, 10))))
		if status in ("Cancelled", "Postponed"):
			modified = max(modified, min(self.now, datetime.combine(p["suspended_on"], datetime.min.time())) if p["suspended_on"] else min(self.now, start_utc - timedelta(days=3)))
		modified = max(modified, created)
		in_person = mode in S.IN_PERSON_MODES
		city = zone.split("/")[-1].replace("_", " ") if in_person else None
		officer = p["officer"]
		lang = rng.choice(LANGUAGES_BY_GROUP.get(info["group"], ("en",)))
		hours_per_day = 4.0 if half_day else 7.0
		roles_hours = []
		for idx, t in enumerate(chosen, start=1):
			role = "Lead" if idx == 1 else rng.choice(("Co-trainer", "Co-trainer", "Guest"))
			roles_hours.append((t, role, hours_per_day * n_days if role != "Guest" else hours_per_day))
		totals = R.trainer_totals(
			(h, self.trainer_info[t]["sector"], self.trainer_info[t].get("daily_rate")) for t, _role, h in roles_hours
		)
		self.add("TA Activity", ACTIVITY_FIELDS, (
			name, created, modified, officer, officer, 0, 0,
			"TAA-.YYYY.-", title, p["name"], p["title"], activity_type, status, approved_on,
			1 if approved_on else 0, theme, self.theme_category[theme], state, institution,
			sessions[0][0], sessions[-1][1], zone, mode, "National Training Centre" if in_person else None, city,
			f"https://meet.{DOMAIN}/{name.lower()}" if mode != "In person" else None, lang,
			1 if rng.random() < 0.7 else 0, planned, actual, women, men, other, None, *totals,
		))
		for idx, (ls, le, us, ue) in enumerate(sessions, start=1):
			self.add("TA Activity Session", SESSION_FIELDS, (
				self.child_name(), created, modified, officer, officer, 0, idx, name, "sessions", "TA Activity",
				ls.strftime("%Y-%m-%d %H:%M"), ls, le, None, actual, us, ue, None,
			))
		busy = status not in ("Cancelled", "Postponed")
		for idx, (t, role, hours) in enumerate(roles_hours, start=1):
			info_t = self.trainer_info[t]
			self.add("TA Activity Trainer", ATRAINER_FIELDS, (
				self.child_name(), created, modified, officer, officer, 0, idx, name, "trainers", "TA Activity",
				info_t["name"], info_t["full_name"], info_t["sector"], role, hours,
			))
			if busy:
				for ls, _le, us, ue in sessions:
					self.add("TA Trainer Booking", BOOKING_FIELDS, (
						self.child_name(), modified, modified, ADMIN, ADMIN, 0, 0,
						info_t["name"], us, ue, S.SESSION, name, ls.strftime("%Y-%m-%d %H:%M"), state, 1 if in_person else 0, None,
					))
		if status == "Postponed":
			self.add("TA Activity Postponement", POSTPONEMENT_FIELDS, (
				self.child_name(), modified, modified, officer, officer, 0, 1, name, "postponements", "TA Activity",
				modified, p["approved_by"] or officer, sessions[0][0], sessions[-1][1],
				"Suspended programme" if p["suspended_on"] else "Postponed at the request of the host institution",
			))
		self.stats[status] += 1
		return institution if status != "Cancelled" else None

	def activity_status(self, p: dict, start_utc: datetime, end_utc: datetime) -> str:
		rng = self.rng
		status = p["status"]
		past = end_utc < self.now - timedelta(hours=1)
		if status in ("Draft", "Under Review"):
			return rng.choices(("Planned", "Cancelled"), (95, 5))[0]
		if status == "Cancelled":
			return "Cancelled"
		if status == "Suspended":
			before = end_utc.date() < p["suspended_on"]
			if before:
				return rng.choices(("Delivered", "Cancelled"), (90, 10))[0]
			return rng.choices(("Postponed", "Cancelled"), (70, 30))[0]
		if past:
			return rng.choices(("Delivered", "Cancelled"), (92, 8))[0]
		if start_utc <= self.now:
			return "Scheduled"
		return rng.choices(("Scheduled", "Approved", "Planned", "Postponed", "Cancelled"), (45, 25, 22, 4, 4))[0]

	def pick_week_and_trainers(self, first_week: int, last_week: int, theme: str, n: int) -> tuple[int, list[int]]:
		"""A week of the programme in which ``n`` trainers (experts in the theme first) are free."""
		rng = self.rng
		best_week, best = first_week, []
		for _attempt in range(6):
			week = rng.randint(first_week, last_week)
			chosen = []
			for pool, tries in ((self.by_theme.get(theme) or self.assignable, 8), (self.assignable, 40)):
				for _t in range(tries):
					if len(chosen) == n:
						break
					t = pool[rng.randrange(len(pool))]
					if not self.busy[t][week] and t not in chosen:
						chosen.append(t)
			if len(chosen) > len(best) or not best:
				best_week, best = week, chosen
			if len(chosen) == n:
				break
		for t in best:
			self.busy[t][best_week] = 1
		if len(best) < n:
			self.stats["activities with fewer trainers than wanted"] += 1
		return best_week, best

	# -- results frameworks ---------------------------------------------------------------------

	def results_frameworks(self) -> None:
		"""Every programme's results framework, as its officer plans it and the M&E officer measures
		it (the rules of ``core.results`` hold: outputs serve an outcome of the same programme,
		periods are the programme's years, targets and actuals fit the unit, categories belong to
		the disaggregation and a count's categories add up to its total). Its own random stream, so
		the rest of the data does not depend on this phase."""
		self.p.phase("results frameworks")
		rng = random.Random(f"{self.seed}-results")
		library = self.library
		shipped = {row[0]: row for row in C.STANDARD_INDICATORS}
		mne = f"mne@{DOMAIN}"
		cutoff = self.now - timedelta(days=1)
		for i, p in enumerate(self.plans, start=1):
			self.results_framework(p, rng, library, shipped, mne, cutoff)
			self.p.update(i, len(self.plans))
		self.p.done(
			f"{self.stats['results']} results, {self.stats['indicators']} indicators, {self.stats['targets']} targets, "
			f"{self.stats['actuals']} actuals"
		)

	def results_framework(self, p: dict, rng: random.Random, library: dict, shipped: dict, mne: str, cutoff: datetime) -> None:
		officer = p["officer"]
		created = p["created"] + timedelta(days=rng.randint(3, 25), minutes=rng.randint(0, 480))
		created = min(created, self.now - timedelta(days=1))
		# The programme's years (as the demo loader plans them): the last one ends with the programme.
		years, cursor = [], p["start"]
		while cursor <= p["end"]:
			following = cursor + relativedelta(years=1)
			years.append((f"Year {len(years) + 1}", cursor, min(following - timedelta(days=1), p["end"])))
			cursor = following
		measured = p["status"] in ("Active", "Completed", "Suspended") and p["approved_on"] is not None
		n_results = rng.choices((2, 3, 4), (35, 40, 25))[0]
		n_outcomes = min(len(p["themes"]), 1 if n_results == 2 else 2 if n_results == 4 else rng.choice((1, 2)))
		outputs_of = [1 + k for k in range(n_outcomes)]
		for k in range(n_results - 2 * n_outcomes):
			outputs_of[k % n_outcomes] += 1
		for o, theme in enumerate(p["themes"][:n_outcomes], start=1):
			outcome_title, output_title, outcome_keys = FRAMEWORK_BY_THEME[theme]
			outcome = self.result(p, created, officer, "Outcome", None, str(o), outcome_title)
			pool = list(outcome_keys) + [k for k in rng.sample(OUTCOME_EXTRA, len(OUTCOME_EXTRA)) if k not in outcome_keys]
			for key in pool[: rng.choices((1, 2, 3), (50, 35, 15))[0]]:
				self.indicator(p, rng, outcome, "Outcome", str(o), key, theme, years, created, officer, measured, library, shipped, mne, cutoff)
			titles = [output_title] + rng.sample(GENERIC_OUTPUTS, len(GENERIC_OUTPUTS))
			for j in range(outputs_of[o - 1]):
				code = f"{o}.{j + 1}"
				output = self.result(p, created, officer, "Output", outcome, code, titles[j])
				# a weighted draw without replacement (trainees counted most often)
				keys = sorted(OUTPUT_INDICATORS, key=lambda k: -rng.random() ** (1 / OUTPUT_INDICATORS[k]))
				for key in keys[: rng.choices((1, 2, 3), (50, 35, 15))[0]]:
					self.indicator(p, rng, output, "Output", code, key, theme, years, created, officer, measured, library, shipped, mne, cutoff)

	def result(self, p: dict, created: datetime, officer: str, level: str, parent: str | None, code: str, title: str) -> str:
		name = self.next_name("TA Result", created.year)
		self.add("TA Result", RESULT_FIELDS, (
			name, created, created, officer, officer, 0, 0,
			"RES-.YYYY.-", p["name"], p["title"], level, parent, code, title, None, f"{p['name']}|{code}",
		))
		self.stats["results"] += 1
		return name

	def indicator(self, p, rng, result, level, result_code, key, theme, years, created, officer, measured, library, shipped, mne, cutoff):
		standard, title, unit, direction, disaggregations, profile = INDICATORS[key]
		if key == "KNOW":
			title = f"Knowledge gain of trained {KNOW_WHO.get(theme, 'officials')}"
		if standard and standard in library:
			definition, verification = library[standard].definition, library[standard].means_of_verification
		elif standard:
			definition, verification = shipped[standard][6], shipped[standard][7]
			standard = None  # not in this site's library
		else:
			definition, verification = OWN_INDICATOR_TEXTS[key]
		disaggregation = disaggregations[0] if len(disaggregations) == 1 or rng.random() < 0.6 else rng.choice(disaggregations[1:])
		categories: tuple[str, ...] = ()
		if disaggregation == "Sex":
			categories = ("Women", "Men")
		elif disaggregation == "Institution type":
			kinds = p["institution_types"]
			categories = tuple(rng.sample(kinds, min(4, len(kinds))))
		elif disaggregation == "Beneficiary state":
			categories = tuple(p["states"])
		if disaggregation != "None" and len(categories) < 2:
			disaggregation, categories = "None", ()
		scale = (1.0, 5.0) if unit == "Scale" else (0.0, 0.0)
		baseline, targets = indicator_plan(profile, len(years), rng)
		name = self.next_name("TA Indicator", created.year)
		code = f"{result_code}.{key}"
		self.add("TA Indicator", INDICATOR_FIELDS, (
			name, created, created, officer, officer, 0, 0,
			"IND-.YYYY.-", result, p["name"], level, standard, code, title, definition, verification, unit, direction,
			disaggregation, scale[0], scale[1], baseline, p["start"] - timedelta(days=30), "Needs assessment",
			f"{p['name']}|{code}",
		))
		self.stats["indicators"] += 1
		for idx, ((period, start, end), target) in enumerate(zip(years, targets, strict=True), start=1):
			self.add("TA Indicator Target", TARGET_FIELDS, (
				self.child_name(), created, created, officer, officer, 0, idx, name, "targets", "TA Indicator",
				period, start, end, target,
			))
			self.stats["targets"] += 1
			if not measured:
				continue
			recorded = self.moment(end + timedelta(days=rng.randint(15, 75)), 9, 17)
			if recorded > cutoff or rng.random() < 0.1:  # not reported yet, or never
				self.stats["periods without an actual"] += 1
				continue
			value = actual_value(unit, baseline, target, direction, scale, rng)
			link = f"https://evidence.{DOMAIN}/{p['name'].lower()}/{key.lower()}-y{idx}"
			share = unit != "Number"
			sample = rng.randint(12, 120) if share else 0
			figures: list[tuple[str | None, float, int]] = []
			if categories and unit == "Number":
				parts = split_count(int(value), categories, rng)
				if disaggregation == "Sex" and value >= 10 and rng.random() < 0.2:
					parts = {**parts, "Women": parts["Women"] - 1, "Other": 1}
				if rng.random() < 0.8:
					figures.append((None, value, 0))  # else only the categories: the headline is their sum
				figures += [(c, float(v), 0) for c, v in parts.items()]
			else:
				figures.append((None, value, sample))
				for c in categories if share else ():
					figures.append((c, actual_value(unit, baseline, target, direction, scale, rng), rng.randint(6, max(6, sample // 2))))
			for category, figure, n in figures:
				self.add("TA Indicator Actual", ACTUAL_FIELDS, (
					self.next_name("TA Indicator Actual", recorded.year), recorded, recorded, mne, mne, 0, 0,
					"ACT-.YYYY.-", name, title, p["name"], unit, disaggregation, period, category, figure, n, None, link, None,
					mne, recorded, f"{name}|{period}|{category or ''}",
				))
				self.stats["actuals"] += 1


PROGRAMME_FIELDS = STD + (
	"naming_series", "title", "lead_agency", "programme_officer", "status", "planned_start", "planned_end", "approved_by",
	"approved_on", "gate_alert", "suspension_reason", "suspended_on", "objectives", "description", "currency", "budget",
)
PSTATE_FIELDS = STD + CHILD + ("beneficiary_state", "regional_group", "share")
PTHEME_FIELDS = STD + CHILD + ("thematic_area",)
PARTNER_FIELDS = STD + CHILD + ("partner", "sector", "role")
FUNDING_FIELDS = STD + CHILD + ("donor", "amount", "currency", "exchange_rate", "base_amount")
REVIEW_FIELDS = STD + (
	"naming_series", "programme", "programme_title", "drafted_by", "risk_level", "security_sector_recipient", "submitted_on",
	"rationale", "recipient_notified_on", "notification_evidence", "amended_from",
)
RISK_FIELDS = STD + CHILD + ("category", "description", "likelihood", "impact")
MITIGATION_FIELDS = STD + CHILD + ("measure", "owner_name", "due_date", "status")
SIGNOFF_FIELDS = STD + (
	"naming_series", "programme", "programme_title", "kind", "organisation", "regional_group", "signer", "decision",
	"signed_on", "valid_until", "coi_declaration", "coi_details", "comments", "scope_fingerprint", "scope_snapshot",
	"amended_from",
)
CONDITION_FIELDS = STD + CHILD + ("condition", "owner_name", "due_date", "status")
OVERRIDE_FIELDS = STD + (
	"naming_series", "objection", "programme", "organisation", "recorded_by", "recorded_on", "justification", "amended_from",
)
ACTIVITY_FIELDS = STD + (
	"naming_series", "title", "programme", "programme_title", "activity_type", "status", "approved_on", "oversight_verified",
	"thematic_area", "category", "beneficiary_state", "institution_type", "start", "end", "time_zone", "delivery_mode",
	"venue", "city", "online_link", "language", "includes_hr_module", "planned_participants", "actual_participants",
	"participants_women", "participants_men", "participants_other", "description", "trainer_hours", "outside_hours",
	"trainer_fees",
)
SESSION_FIELDS = STD + CHILD + (
	"session_label", "start", "end", "time_zone", "attendance", "start_utc", "end_utc", "notes",
)
ATRAINER_FIELDS = STD + CHILD + ("trainer", "trainer_name", "sector", "role", "hours")
BOOKING_FIELDS = STD + (
	"trainer", "start_utc", "end_utc", "kind", "activity", "session_label", "country", "in_person", "reason",
)
POSTPONEMENT_FIELDS = STD + CHILD + ("postponed_on", "postponed_by", "old_start", "old_end", "reason")
RESULT_FIELDS = STD + (
	"naming_series", "programme", "programme_title", "level", "parent_result", "code", "title", "description", "result_key",
)
INDICATOR_FIELDS = STD + (
	"naming_series", "result", "programme", "result_level", "standard_indicator", "code", "title", "definition",
	"means_of_verification", "unit", "direction", "disaggregation", "scale_min", "scale_max", "baseline_value", "baseline_date",
	"baseline_source", "indicator_key",
)
TARGET_FIELDS = STD + CHILD + ("period", "period_start", "period_end", "target_value")
ACTUAL_FIELDS = STD + (
	"naming_series", "indicator", "indicator_title", "programme", "unit", "disaggregation", "period", "category", "value",
	"sample_size", "evidence_file", "evidence_link", "notes", "recorded_by", "recorded_on", "actual_key",
)

# A programme's results framework, by theme (as in the demo programmes): the outcome, the output
# that serves it, and the outcome's own indicators (keys of INDICATORS).
FRAMEWORK_BY_THEME = {
	"Legislative Drafting": (
		"Cybercrime laws meet international human-rights standards", "Drafting committees advised on safeguards", ("LAW",),
	),
	"Electronic Evidence & Mutual Legal Assistance": (
		"Prosecutors use electronic evidence lawfully in their cases",
		"Prosecutors and central-authority staff trained in e-evidence and MLA", ("EVID", "MLA"),
	),
	"Digital Forensics": ("Forensic examinations follow due process", "Forensic examiners trained in lawful acquisition", ("KNOW",)),
	"Judicial Training": ("Judges adjudicate cybercrime cases fairly", "Judges trained on electronic evidence and rights", ("KNOW",)),
	"Law-Enforcement Investigation": (
		"Investigations respect legal safeguards", "Investigators trained with a human-rights module", ("APPL",),
	),
	"CERT / Incident Response": (
		"The national CERT handles incidents within its service level", "CERT staff trained and procedures adopted", ("CERT", "SOP"),
	),
	"Prevention & Awareness": (
		"People know how to stay safe online and where to report", "Awareness campaigns delivered with schools and media", ("PART",),
	),
	"Victim Support": (
		"Victims of cybercrime reach support services", "Referral pathways set up with support services", ("VICT", "SOP"),
	),
	"Human-Rights & Data-Protection Safeguards": (
		"Oversight bodies scrutinise cybercrime powers", "Data-protection authority and parliament staff trained", ("LAW", "CAP"),
	),
}
GENERIC_OUTPUTS = (
	"Standard operating procedures drafted with the host institution",
	"National trainers certified to train their peers",
	"Tools delivered with policies for their lawful use",
)
OUTCOME_EXTRA = ("PART", "APPL", "CAP")
OUTPUT_INDICATORS = {"TRN": 45, "INST": 20, "KNOW": 20, "QUAL": 10, "SOP": 5}  # and how often each is chosen
KNOW_WHO = {
	"Digital Forensics": "forensic examiners", "Judicial Training": "judges", "Law-Enforcement Investigation": "investigators",
	"Electronic Evidence & Mutual Legal Assistance": "prosecutors", "CERT / Incident Response": "CERT staff",
}
# key: (standard indicator or None, title, unit, direction, disaggregations (the first the most
# common), profile of its figures (see indicator_plan)).
INDICATORS = {
	"LAW": ("SI-LAW-01", "Laws amended with human-rights safeguards", "Number", "Increase", ("None",), "few"),
	"EVID": (
		"SI-EVID-01", "Trained prosecutors who used electronic evidence in a case within 12 months", "Percentage", "Increase",
		("None", "Sex"), "share",
	),
	"MLA": ("SI-MLA-01", "Days to answer an MLA request for electronic evidence", "Number", "Decrease", ("None",), "days"),
	"KNOW": ("SI-KNOW-01", "Knowledge gain of trained officials", "Percentage", "Increase", ("None", "Institution type"), "gain"),
	"APPL": ("SI-APPL-01", "Trained investigators who applied the skill safely", "Percentage", "Increase", ("None",), "share"),
	"CERT": ("SI-CERT-01", "Incidents handled within the CERT's service level", "Percentage", "Increase", ("None",), "share"),
	"PART": ("SI-PART-01", "Women's share of participants", "Percentage", "Increase", ("None",), "women"),
	"VICT": ("SI-VICT-01", "Victims of cybercrime referred to support services", "Number", "Increase", ("Sex", "None"), "count"),
	"TRN": (None, "Officials trained with a human-rights module", "Number", "Increase", ("None", "Sex", "Institution type"), "trained"),
	"INST": (None, "Institutions supported with procedures or tools", "Number", "Increase", ("None", "Beneficiary state"), "few"),
	"QUAL": (None, "Participants who rated the training useful for their work", "Percentage", "Increase", ("None",), "rating"),
	"SOP": (None, "Standard operating procedure in force at the host institution", "Yes/No", "Increase", ("None",), "yesno"),
	"CAP": (None, "Institutional safeguards score (1 to 5)", "Scale", "Increase", ("None",), "scale"),
}
OWN_INDICATOR_TEXTS = {
	"TRN": (
		"Officials of the beneficiary institutions who completed a training of the programme that included its human-rights module.",
		"Attendance sheets and certificates held by the programme office.",
	),
	"INST": (
		"Beneficiary institutions that received procedures, tools or equipment from the programme and confirmed their use.",
		"Hand-over records signed by the institutions.",
	),
	"QUAL": (
		"Share of participants who rated the training useful or very useful for their work at the end of the activity.",
		"End-of-activity evaluation forms.",
	),
	"SOP": (
		"Whether staff surveyed at the host institution work under a written procedure adopted with the programme's support.",
		"Staff survey; the adopted procedure.",
	),
	"CAP": (
		"Mean score, from 1 to 5, of the institution on the programme's safeguards checklist (legality, oversight, data protection).",
		"Checklist assessment by the programme office and an independent reviewer.",
	),
}


def indicator_plan(profile: str, n: int, rng: random.Random) -> tuple[float, list[float]]:
	"""An indicator's baseline and its target for each of ``n`` years (heading steadily towards
	the final target, as in the demo programmes)."""
	if profile == "few":
		base = float(rng.choice((0, 0, 0, 1, 2)))
		per = rng.choice((1, 1, 2, 3))
		return base, [base + max(1, per * k) for k in range(1, n + 1)]
	if profile == "count":
		base, per = float(rng.randint(10, 80)), rng.randint(20, 70)
		return base, [base + per * k for k in range(1, n + 1)]
	if profile == "trained":
		per = rng.randint(30, 150)
		return 0.0, [float(per * k) for k in range(1, n + 1)]
	if profile == "days":
		base, per = float(rng.randint(150, 300)), rng.randint(20, 50)
		return base, [max(30.0, base - per * k) for k in range(1, n + 1)]
	if profile == "share":
		base, gain = float(rng.randint(10, 50)), rng.randint(15, 35)
		return base, [min(95.0, base + round(gain * k / n)) for k in range(1, n + 1)]
	if profile == "gain":
		per = rng.randint(25, 40)
		return 0.0, [float(min(90, per * k)) for k in range(1, n + 1)]
	if profile == "women":
		base, per = float(rng.randint(15, 35)), rng.randint(4, 8)
		return base, [min(50.0, base + per * k) for k in range(1, n + 1)]
	if profile == "rating":
		base, per = float(rng.randint(50, 70)), rng.randint(5, 10)
		return base, [min(95.0, base + per * k) for k in range(1, n + 1)]
	if profile == "yesno":
		first = max(1, (n + 1) // 2)
		return 0.0, [1.0 if k >= first else 0.0 for k in range(1, n + 1)]
	if profile == "scale":
		base, final = rng.choice((1.0, 1.5, 2.0, 2.5)), rng.choice((3.5, 4.0, 4.5))
		return base, [round((base + (final - base) * k / n) * 2) / 2 for k in range(1, n + 1)]
	raise ValueError(profile)


def actual_value(unit: str, baseline: float, target: float, direction: str, scale: tuple[float, float], rng: random.Random) -> float:
	"""A period's figure: mostly on track, some partly, some off track (or moving the wrong way)."""
	f = rng.choices((rng.uniform(0.9, 1.25), rng.uniform(0.6, 0.9), rng.uniform(-0.15, 0.55)), (55, 25, 20))[0]
	if unit == "Yes/No":
		return target if f >= 0.6 else 1.0 - target if target == 0 and rng.random() < 0.2 else 0.0
	value = baseline + (target - baseline) * f
	if unit == "Number":
		return float(max(0, round(value)))
	if unit == "Percentage":
		return round(min(100.0, max(0.0, value)), 1)
	return min(scale[1], max(scale[0], round(value * 2) / 2))


def split_count(total: int, categories: Sequence[str], rng: random.Random) -> dict[str, int]:
	"""A count shared out over its categories (summing to it exactly)."""
	weights = [rng.uniform(0.5, 1.5) for _c in categories]
	s = sum(weights)
	parts = [int(total * w / s) for w in weights]
	parts[0] += total - sum(parts)
	return dict(zip(categories, parts, strict=True))


def allocate(total: int, weights: list[float]) -> list[int]:
	"""``total`` shared out in proportion to ``weights``, at least one each (largest remainders)."""
	n = len(weights)
	spare = total - n
	s = sum(weights) or 1.0
	exact = [spare * w / s for w in weights]
	counts = [1 + int(x) for x in exact]
	left = total - sum(counts)
	for k in sorted(range(n), key=lambda k: int(exact[k]) - exact[k])[:left]:
		counts[k] += 1
	return counts


def shares(rng: random.Random, n: int) -> list[int]:
	"""``n`` whole-number shares, each at least 5, summing to 100."""
	if n == 1:
		return [100]
	cuts = sorted(rng.sample(range(1, 20), n - 1))
	parts = [b - a for a, b in zip([0, *cuts], [*cuts, 20], strict=False)]
	return [5 * x for x in parts]


def regional_group(country: str, zone: str) -> str:
	"""The UN regional group of a country, from its name and time zone (good enough for test data)."""
	if country in EASTERN_EUROPE:
		return "Eastern European"
	if country in WEOG_OUTSIDE_EUROPE:
		return "Western European & Others"
	area = zone.split("/")[0]
	if zone in AFRICAN_ISLANDS or area == "Africa":
		return "African"
	if area == "America":
		return "Latin American & Caribbean"
	if area in ("Europe", "Atlantic", "Arctic"):
		return "Western European & Others"
	return "Asia-Pacific"


# --------------------------------------------------------------------------------------------
# Entry points


def existing_bulk() -> int:
	return frappe.db.count("TA Programme", {"name": ("like", f"{PREFIX['TA Programme']}%")})


def foreign_records(examples: int = 3) -> tuple[dict[str, int], dict[str, list[str]]]:
	"""Per doctype, how many records of the connected site the generator did not make, and a few names."""
	counts: dict[str, int] = {}
	names: dict[str, list[str]] = {}
	for doctype, (field, pattern) in synthetic.MARKS.items():
		exempt = synthetic.EXEMPT.get(doctype, ())
		where = f"ifnull(`{field}`, '') not like %(pattern)s" + (" and name not in %(exempt)s" if exempt else "")
		params = {"pattern": pattern, "exempt": exempt}
		# nosemgrep: frappe-using-db-sql -- fixed doctypes and fields from the guard's table; values are parameters
		counts[doctype] = frappe.db.sql(f"select count(*) from `tab{doctype}` where {where}", params)[0][0]
		if counts[doctype]:
			# nosemgrep: frappe-using-db-sql -- as above
			names[doctype] = [r[0] for r in frappe.db.sql(f"select name from `tab{doctype}` where {where} order by name limit {int(examples)}", params)]
	for doctype in synthetic.NEVER:
		counts[doctype] = frappe.db.count(doctype)
		if counts[doctype]:
			names[doctype] = frappe.get_all(doctype, pluck="name", order_by="name asc", limit=examples)
	return counts, names


def check_site() -> None:
	"""Raise :class:`synthetic.RefusedSite` unless the connected site is marked synthetic and holds
	only what the generator made (see synthetic.py). Called before anything is written or deleted."""
	counts, names = foreign_records()
	reason = synthetic.refusal(frappe.local.site, frappe.conf.get(synthetic.CONFIG_KEY), counts, names)
	if reason:
		raise RefusedSite(reason)


def generate(
	activities: int = 100_000,
	programmes: int = 2_000,
	states: int = 190,
	trainers: int = 500,
	seed: int = 2026,
	progress: bool = True,
	writer: str = "sql",
	reset: bool = False,
	commit: bool = True,
) -> dict:
	"""Fill the connected site; returns counts and timings. Refuses a site that is not marked as
	synthetic or holds records it did not make (:func:`check_site`), and to run twice unless ``reset``."""
	check_site()
	return _fill(activities, programmes, states, trainers, seed, progress, writer, reset, commit)


def _fill(
	activities: int, programmes: int, states: int, trainers: int, seed: int, progress: bool, writer: str, reset: bool,
	commit: bool,
) -> dict:
	"""The generation itself, unguarded: only :func:`generate` (after :func:`check_site`) and a test that
	rolls it back (commit=False) call it."""
	started = time.perf_counter()
	frappe.set_user("Administrator")
	if existing_bulk():
		if not reset:
			frappe.throw(f"This site already holds bulk data ({existing_bulk()} programmes); pass reset=True to replace it.")
		delete_bulk(progress)
		started = time.perf_counter()  # the generation itself, not the clean-up
	if programmes > activities:
		programmes = activities
	p = Progress(progress)
	w = Writer(writer)
	g = Generator(activities, programmes, states, trainers, seed, p, w)
	try:
		g.users()
		g.states()
		g.partners()
		g.donors()
		w.drain()
		g.trainers()
		g.programmes_and_activities()
		g.results_frameworks()
		p.phase("writing the last chunks")
		w.drain()
		p.done()
		# Activities written in SQL bypass their controller: the delivery rollup is rebuilt from them.
		from ta_programmes import rollup

		rollup.rebuild(quiet=not progress)
		frappe.clear_cache()
		if commit:
			frappe.db.commit()
	except BaseException:
		try:
			w.drain()
		except BaseException:
			pass
		frappe.db.rollback()
		raise
	seconds = time.perf_counter() - started
	result = {
		"seconds": round(seconds, 1),
		"db_seconds": round(w.db_seconds, 1),
		"writer": writer,
		"rows": dict(w.rows),
		"total_rows": sum(w.rows.values()),
		"activity_statuses": {k: v for k, v in g.stats.items() if k in C.ACTIVITY_STATUSES},
		"notes": {k: v for k, v in g.stats.items() if k not in C.ACTIVITY_STATUSES},
	}
	if progress:
		print(
			f"Generated {activities} activities, {programmes} programmes, {len(g.state_info)} states, {trainers} trainers "
			f"({result['total_rows']} rows) in {seconds:.1f}s (database {w.db_seconds:.1f}s, writer {writer})."
		)
	return result


def delete_bulk(progress: bool = True) -> None:
	"""Delete what an earlier run made (by the BULK markers)."""
	check_site()
	started = time.perf_counter()
	like = {dt: f"{prefix}%" for dt, prefix in PREFIX.items()}
	children = {
		"TA Programme": ("TA Programme State", "TA Programme Theme", "TA Implementing Partner", "TA Funding Line"),
		"TA Activity": ("TA Activity Session", "TA Activity Trainer", "TA Activity Postponement"),
		"TA Trainer": ("TA Trainer Expertise", "TA Trainer Language", "TA Conflict Declaration", "TA Trainer Unavailability"),
		"TA Human Rights Review": ("TA Identified Risk", "TA Mitigation Measure"),
		"TA Oversight Sign-off": ("TA Sign-off Condition",),
		"TA Indicator": ("TA Indicator Target",),
	}
	frappe.db.sql("delete from `tabTA Trainer Booking` where activity like %s or trainer like %s", (like["TA Activity"], like["TA Trainer"]))  # nosemgrep: frappe-using-db-sql -- the decade-scale generator writes and checks in bulk SQL by design (see its docstring)
	for parent, kids in children.items():
		for kid in kids:
			frappe.db.sql(f"delete from `tab{kid}` where parenttype = %s and parent like %s", (parent, like[parent]))  # nosemgrep: frappe-using-db-sql -- the decade-scale generator writes and checks in bulk SQL by design (see its docstring)
	for dt in PREFIX:
		frappe.db.sql(f"delete from `tab{dt}` where name like %s", (like[dt],))  # nosemgrep: frappe-using-db-sql -- the decade-scale generator writes and checks in bulk SQL by design (see its docstring)
	frappe.db.sql("delete from `__Auth` where doctype = 'TA Trainer' and name like %s", (like["TA Trainer"],))  # nosemgrep: frappe-using-db-sql -- the decade-scale generator writes and checks in bulk SQL by design (see its docstring)
	for dt, child in (("TA Partner Organisation", "TA Organisation Reviewer"), ("TA Donor", "TA Donor User")):
		names = frappe.get_all(dt, filters={"website": ("like", f"{WEBSITE}/%")}, pluck="name")
		if names:
			frappe.db.delete(child, {"parenttype": dt, "parent": ("in", names)})
			frappe.db.delete(dt, {"name": ("in", names)})
	states = frappe.get_all("TA Beneficiary State", filters={"risk_source": STATE_SOURCE}, pluck="name")
	used = set(frappe.get_all("TA Programme State", filters={"beneficiary_state": ("in", states or [""])}, pluck="beneficiary_state"))
	states = [s for s in states if s not in used]
	if states:
		frappe.db.delete("TA Beneficiary Institution", {"parenttype": "TA Beneficiary State", "parent": ("in", states)})
		frappe.db.delete("TA Beneficiary State", {"name": ("in", states)})
	frappe.db.commit()
	if progress:
		print(f"Deleted earlier bulk data in {time.perf_counter() - started:.1f}s.")


# --------------------------------------------------------------------------------------------
# Verification


def verify(sample: int = 300, seed: int = 7, progress: bool = True) -> list[str]:
	"""Re-run the controllers on a sample of generated records, inside a rollback, and check the
	data as a whole (shares, trainer overlaps, the gate of every approved programme). Returns the
	problems found (empty: valid)."""
	from ta_programmes import oversight

	rng = random.Random(seed)
	problems: list[str] = []
	frappe.set_user("Administrator")
	checked = Counter()

	def names(doctype, filters=None, n=10):
		rows = frappe.get_all(doctype, filters={"name": ("like", f"{PREFIX.get(doctype, '')}%"), **(filters or {})}, pluck="name")
		return rng.sample(rows, min(n, len(rows)))

	def resave(doctype, name):
		"""Save through the controller (all of Frappe's checks too) and compare what it computes."""
		doc = frappe.get_doc(doctype, name)
		before = _normalise(doc.as_dict(no_default_fields=True))
		frappe.db.savepoint("bulk_verify")
		try:
			doc.flags.ignore_version = True
			doc.save(ignore_permissions=True)
			after = _normalise(doc.as_dict(no_default_fields=True))
			drift = _diff(before, after)
			if drift:
				problems.append(f"{doctype} {name}: the controller changes {drift}")
			if doctype == "TA Programme" and doc.status in ("Approved", "Active") and doc.gate_alert:
				problems.append(f"{doctype} {name}: gate does not hold: {doc.gate_alert}")
		except Exception as e:
			problems.append(f"{doctype} {name}: {type(e).__name__}: {frappe.utils.strip_html(str(e))[:300]}")
		finally:
			frappe.db.rollback(save_point="bulk_verify")
			frappe.local.message_log = []
		checked[doctype] += 1

	def validate_submitted(doctype, name):
		doc = frappe.get_doc(doctype, name)
		frappe.db.savepoint("bulk_verify")
		try:
			doc.run_method("validate")
		except Exception as e:
			problems.append(f"{doctype} {name}: {type(e).__name__}: {frappe.utils.strip_html(str(e))[:300]}")
		finally:
			frappe.db.rollback(save_point="bulk_verify")
			frappe.local.message_log = []
		checked[doctype] += 1

	per_status = max(1, sample // 6)
	for status in C.ACTIVITY_STATUSES:
		for name in names("TA Activity", {"status": status}, per_status):
			resave("TA Activity", name)
	for status in C.PROGRAMME_STATUSES:
		for name in names("TA Programme", {"status": status}, max(2, sample // 30)):
			resave("TA Programme", name)
	for name in names("TA Trainer", None, 15):
		resave("TA Trainer", name)
	for doctype in ("TA Beneficiary State", "TA Partner Organisation", "TA Donor"):
		rows = frappe.get_all(doctype, pluck="name")
		for name in rng.sample(rows, min(8, len(rows))):
			resave(doctype, name)
	# Submitted records are validated on submit, while their programme is under oversight.
	open_programmes = frappe.get_all("TA Programme", filters={"status": ("in", ["Under Review", "Approved", "Active"]), "name": ("like", "TAP-BULK-%")}, pluck="name")
	for doctype in ("TA Human Rights Review", "TA Oversight Sign-off"):
		rows = frappe.get_all(doctype, filters={"programme": ("in", open_programmes or [""]), "name": ("like", f"{PREFIX[doctype]}%")}, pluck="name")
		for name in rng.sample(rows, min(15, len(rows))):
			validate_submitted(doctype, name)
	for name in names("TA Objection Override", None, 5):
		validate_submitted("TA Objection Override", name)
	# The results frameworks, through their controllers: results, indicators with their targets, and
	# actuals (totals and categories).
	for name in names("TA Result", None, 12):
		resave("TA Result", name)
	for name in names("TA Indicator", None, 20):
		resave("TA Indicator", name)
	for filters in ({"category": ("is", "not set")}, {"category": ("is", "set")}):
		for name in names("TA Indicator Actual", filters, 10):
			resave("TA Indicator Actual", name)
	problems.extend(results_problems())
	checked["results framework checks (all)"] = 1

	# The gate of every programme that must hold it.
	gated = frappe.get_all("TA Programme", filters={"status": ("in", ["Approved", "Active"]), "name": ("like", "TAP-BULK-%")}, fields=["name", "approved_by"])
	failed = 0
	for row in gated:
		doc = frappe.get_doc("TA Programme", row.name)
		decision = oversight.decide(doc, row.approved_by)
		if not decision.approvable:
			failed += 1
			if failed <= 5:
				problems.append(f"gate: {row.name}: {oversight.alert_text(decision)}")
	checked["gate (all approved/active)"] = len(gated)

	# Shares sum to 100 everywhere.
	bad = frappe.db.sql(  # nosemgrep: frappe-using-db-sql -- the decade-scale generator writes and checks in bulk SQL by design (see its docstring)
		"""select parent, sum(share) from `tabTA Programme State` where parenttype = 'TA Programme' and parent like 'TAP-BULK-%%'
		group by parent having abs(sum(share) - 100) > 0.01 limit 5"""
	)
	if bad:
		problems.append(f"shares: {bad}")
	# No trainer booked twice, with the travel buffer between in-person sessions in different countries.
	buffer = int(frappe.get_cached_doc("TA Scheduling Settings").travel_buffer_hours or 24)
	overlaps = trainer_overlaps(timedelta(hours=buffer))
	if overlaps:
		problems.append(f"trainer overlaps ({len(overlaps)}): {overlaps[:5]}")
	checked["booking overlap check (all)"] = 1
	late = frappe.db.sql(  # nosemgrep: frappe-using-db-sql -- the decade-scale generator writes and checks in bulk SQL by design (see its docstring)
		"""select a.name from `tabTA Activity` a join `tabTA Activity Session` s on s.parent = a.name and s.parenttype = 'TA Activity'
		where a.status = 'Delivered' and a.name like 'TAA-BULK-%%' and s.end_utc > utc_timestamp() limit 5"""
	)
	if late:
		problems.append(f"delivered before the end of their last session: {late}")
	if progress:
		print("Verified: " + ", ".join(f"{k} {v}" for k, v in checked.items()))
		print("No problem found." if not problems else "Problems:\n  " + "\n  ".join(problems))
	return problems


def results_problems() -> list[str]:
	"""The rules of the results framework over all generated records at once (the sample above
	goes through the controllers): outputs serve an outcome of their programme, periods lie in the
	programme and do not overlap, actuals are for a period of their indicator, and a count's
	categories never add up to more than its total."""
	checks = {
		"outputs without an outcome of their programme": """select r.name from `tabTA Result` r
			left join `tabTA Result` o on o.name = r.parent_result and o.level = 'Outcome' and o.programme = r.programme
			where r.name like 'RES-BULK-%%' and ((r.level = 'Output' and o.name is null) or (r.level = 'Outcome' and r.parent_result is not null))
			limit 5""",
		"indicators not under a result of their programme": """select i.name from `tabTA Indicator` i
			left join `tabTA Result` r on r.name = i.result and r.programme = i.programme and r.level = i.result_level
			where i.name like 'IND-BULK-%%' and r.name is null limit 5""",
		"periods outside their programme": """select t.parent, t.period from `tabTA Indicator Target` t
			join `tabTA Indicator` i on i.name = t.parent join `tabTA Programme` p on p.name = i.programme
			where t.parenttype = 'TA Indicator' and t.parent like 'IND-BULK-%%'
			and (t.period_start < p.planned_start or t.period_end > p.planned_end or t.period_end < t.period_start) limit 5""",
		"overlapping periods": """select a.parent, a.period, b.period from `tabTA Indicator Target` a
			join `tabTA Indicator Target` b on b.parent = a.parent and b.parenttype = a.parenttype and b.idx > a.idx
			where a.parenttype = 'TA Indicator' and a.parent like 'IND-BULK-%%'
			and b.period_start <= a.period_end and a.period_start <= b.period_end limit 5""",
		"actuals for a period their indicator does not have": """select a.name from `tabTA Indicator Actual` a
			left join `tabTA Indicator Target` t on t.parent = a.indicator and t.parenttype = 'TA Indicator' and t.period = a.period
			where a.name like 'ACT-BULK-%%' and t.name is null limit 5""",
		"categories adding up to more than the total": """select c.indicator, c.period from `tabTA Indicator Actual` c
			join `tabTA Indicator Actual` t on t.indicator = c.indicator and t.period = c.period and t.category is null
			where c.name like 'ACT-BULK-%%' and c.category is not null and c.unit = 'Number'
			group by c.indicator, c.period, t.value having sum(c.value) > t.value limit 5""",
	}
	problems = []
	for label, sql in checks.items():
		found = frappe.db.sql(sql)  # nosemgrep: frappe-using-db-sql -- the decade-scale generator writes and checks in bulk SQL by design (see its docstring)
		if found:
			problems.append(f"{label}: {found}")
	return problems


def trainer_overlaps(buffer: timedelta) -> list[tuple[str, str, str]]:
	"""Every pair of a trainer's bookings closer than the rules allow (one sweep over the index,
	trainer by trainer: a self-join cannot use the range part of the index here)."""
	rows = frappe.db.sql(  # nosemgrep: frappe-using-db-sql -- the decade-scale generator writes and checks in bulk SQL by design (see its docstring)
		"""select trainer, start_utc, end_utc, activity, country, in_person, kind from `tabTA Trainer Booking`
		order by trainer, start_utc"""
	)
	found = []
	window: list[tuple] = []
	current = None
	for row in rows:
		trainer, start, end, activity, country, in_person, kind = row
		if trainer != current:
			current, window = trainer, []
		window = [w for w in window if w[2] + buffer > start]
		for w in window:
			travelling = kind == w[6] == S.SESSION and in_person and w[5] and country and w[4] and country != w[4]
			gap = buffer if travelling else timedelta(0)
			if start < w[2] + gap and w[3] != activity:
				found.append((trainer, w[3], activity))
		window.append(row)
	return found


IGNORED = {"modified", "modified_by", "creation", "owner", "_user_tags", "_comments", "_assign", "_liked_by", "ics_token"}


def _normalise(value):
	if isinstance(value, dict):
		return {k: _normalise(v) for k, v in value.items() if k not in IGNORED and not k.startswith("__")}
	if isinstance(value, list):
		return [_normalise(v) for v in value]
	if isinstance(value, datetime):
		return value.replace(microsecond=0).isoformat(" ")
	if isinstance(value, date):
		return value.isoformat()
	if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
		return round(float(value), 4)
	if value == "":
		return None
	if isinstance(value, str):
		try:
			parsed = frappe.utils.get_datetime(value) if len(value) >= 16 and value[4] == "-" and value[10] == " " else None
		except Exception:
			parsed = None
		if parsed:
			return parsed.replace(microsecond=0).isoformat(" ")
	return value


def _diff(before, after, path="") -> str:
	if isinstance(before, dict) and isinstance(after, dict):
		for key in sorted(set(before) | set(after)):
			d = _diff(before.get(key), after.get(key), f"{path}.{key}" if path else key)
			if d:
				return d
		return ""
	if isinstance(before, list) and isinstance(after, list):
		if len(before) != len(after):
			return f"{path}: {len(before)} rows -> {len(after)} rows"
		for i, (a, b) in enumerate(zip(before, after, strict=False)):
			d = _diff(a, b, f"{path}[{i}]")
			if d:
				return d
		return ""
	if before != after:
		return f"{path}: {before!r} -> {after!r}"
	return ""


def new_site(site: str, sites: Path, admin_password: str, db_root_username: str, db_root_password: str) -> None:
	"""Create ``site`` with the app and mark it as synthetic (the one place that sets the mark)."""
	import subprocess

	if (sites / site).exists():
		raise RefusedSite(f"{sites / site} exists: --new-site creates a site, it never reuses one")

	def cli(*args: str, stdin: str | None = None) -> None:
		proc = subprocess.run([sys.executable, "-m", "frappe.utils.bench_helper", "frappe", *args], cwd=sites, text=True,
							  input=stdin, capture_output=True)
		if proc.returncode:
			raise SystemExit(f"{' '.join(args[:3])} failed (exit {proc.returncode}): {(proc.stdout + proc.stderr).strip()[-800:]}")

	print(f"Creating {site} with the app (synthetic)...", flush=True)
	# Frappe prompts for an empty root password, so it is also given on standard input.
	cli("new-site", site, "--admin-password", admin_password, "--db-root-username", db_root_username,
		"--db-root-password", db_root_password, "--mariadb-user-host-login-scope=%", "--install-app", "ta_programmes",
		stdin=db_root_password + "\n")
	cli("--site", site, "set-config", "--parse", synthetic.CONFIG_KEY, "1")


def main(argv: list[str] | None = None) -> int:
	parser = argparse.ArgumentParser(prog="tests/benchmark/bulk.py", description=__doc__.split("\n\n")[0])
	parser.add_argument("--site", required=True)
	parser.add_argument("--sites-path", default=None, help="default: the bench's sites folder")
	parser.add_argument("--new-site", action="store_true",
						help="create the site first, with the app, marked as synthetic (it must not exist)")
	parser.add_argument("--admin-password", default="admin", help="with --new-site (default admin)")
	parser.add_argument("--db-root-username", default="root", help="with --new-site (default root)")
	parser.add_argument("--db-root-password", default="", help="with --new-site (default empty)")
	parser.add_argument("--activities", type=int, default=100_000)
	parser.add_argument("--programmes", type=int, default=2_000)
	parser.add_argument("--states", type=int, default=190)
	parser.add_argument("--trainers", type=int, default=500)
	parser.add_argument("--seed", type=int, default=2026)
	parser.add_argument("--writer", choices=("sql", "frappe"), default="sql")
	parser.add_argument("--reset", action="store_true", help="delete an earlier bulk run first")
	parser.add_argument("--verify", type=int, default=0, metavar="N", help="afterwards, re-validate about N sampled records")
	parser.add_argument("--verify-only", action="store_true")
	parser.add_argument("--quiet", action="store_true")
	args = parser.parse_args(argv)

	sites = Path(args.sites_path or Path(frappe.__file__).resolve().parents[3] / "sites").resolve()
	os.chdir(sites)  # Frappe's logs are found relative to the sites folder
	try:
		if args.new_site:
			new_site(args.site, sites, args.admin_password, args.db_root_username, args.db_root_password)
		frappe.init(site=args.site, sites_path=str(sites))
		frappe.connect()
		try:
			if not args.verify_only:
				generate(args.activities, args.programmes, args.states, args.trainers, args.seed, not args.quiet, args.writer,
						 args.reset)
			problems = verify(args.verify, progress=not args.quiet) if (args.verify or args.verify_only) else []
			frappe.db.rollback()
		finally:
			frappe.destroy()
	except RefusedSite as e:
		print(f"REFUSED: {e}", file=sys.stderr)
		return 2
	return 1 if problems else 0


if __name__ == "__main__":
	sys.exit(main())
