"""Benchmark of ta_programmes' hot paths, each measured against the straightforward way of doing it.

    /root/frappe-bench/env/bin/python tests/benchmark/run.py --site perf.localhost [--size tiny|full] [--generate]
        [--sites-path PATH] [--port 8020] [--profile DIR] [--json FILE] [--markdown]

One run, one site: (a) the desk report TA Assistance Delivered (``execute({})``) against frappe.get_all +
Python aggregation (the two must give the same figures); (b) the trainer-conflict check on save
(``scheduling.check_trainer_conflicts``: locked, indexed range query on TA Trainer Booking) against
scanning every activity and session of the trainers in Python; (c) the oversight gate
(``oversight.decide``) against loading every review, sign-off and activity as documents; (d) a PDF of
about 200 pages from ``transparency.public_report`` / ``report_data`` / ``core.report_pdf.build_pdf``;
(e) the public /transparency page and the desk list and report endpoints through gunicorn on
127.0.0.1 with 8 concurrent clients. Then EXPLAIN of each hot query. Peak memory: tracemalloc peak
of one extra run (in process), the largest worker RSS (HTTP).

It measures and reports; it asserts only that both ways give the same answers, never on time.
``--size tiny`` (2 000 activities) is the CI smoke: it proves the benchmark runs, in well under a
minute. ``--generate`` (re)fills the site with ta_programmes.demo.bulk at the chosen size first;
without it a site with no bulk data is filled, a filled one is used as it is.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import tracemalloc
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

SIZES = {
	"tiny": {
		"generate": {"activities": 2_000, "programmes": 40, "states": 30, "trainers": 60},
		"runs": {"report": 3, "report_naive": 1, "public": 2, "conflict": 20, "conflict_naive": 5, "decide": 20,
				 "decide_naive": 5, "pdf": 1},
		"pdf_pages": 6,
		"http_requests_per_client": 2,
		"http_seconds": 20,
	},
	"full": {
		"generate": {"activities": 100_000, "programmes": 2_000, "states": 190, "trainers": 500},
		"runs": {"report": 15, "report_naive": 3, "public": 5, "conflict": 300, "conflict_naive": 30, "decide": 300,
				 "decide_naive": 30, "pdf": 3},
		"pdf_pages": 200,
		"http_requests_per_client": 25,
		"http_seconds": 120,
	},
}
CLIENTS = 8
TARGETS = {
	"report": ("≤ 0.5 s, ≥ 10×", 0.5, 10.0),
	"conflict": ("≤ 5 ms", 0.005, None),
	"conflict_hit": ("≤ 5 ms", 0.005, None),
	"decide": ("≤ 10 ms", 0.010, None),
	"pdf": ("≤ 3 s", 3.0, None),
	"http": ("p95 ≤ 150 ms", 0.150, None),
	"dedup": ("≤ 20 ms, ≥ 10×", 0.020, 10.0),
}
# The duplication check (pure core, synthetic sources; tests/benchmark/deconfliction.py):
# (site sources, external activities, programmes checked).
DEDUP = {"tiny": (2_000, 1_000, 20), "full": (100_000, 50_000, 200)}
API_USER = "benchmark-manager@bulk.ta.example"
REPORT = "TA Assistance Delivered"

frappe = None  # imported once the sites folder is known


# --------------------------------------------------------------------------------------------
# Measuring


def percentile(values: list[float], pct: float) -> float:
	"""Nearest-rank percentile."""
	ordered = sorted(values)
	if not ordered:
		return float("nan")
	rank = max(1, min(len(ordered), int(-(-pct * len(ordered) // 100))))
	return ordered[rank - 1]


def timed(fn, runs: int, warmup: int = 1, after=None) -> list[float]:
	for _ in range(warmup):
		fn()
		if after:
			after()
	times = []
	for _ in range(runs):
		started = time.perf_counter()
		fn()
		times.append(time.perf_counter() - started)
		if after:
			after()
	return times


def peak_mb(fn, after=None) -> float:
	"""Peak Python allocation (tracemalloc) of one call, in MB."""
	tracemalloc.start()
	try:
		fn()
		_current, peak = tracemalloc.get_traced_memory()
	finally:
		tracemalloc.stop()
		if after:
			after()
	return peak / 1e6


@contextmanager
def captured_sql():
	"""Every query sent through frappe.db.sql meanwhile, with its values (for EXPLAIN)."""
	db = frappe.db
	original = db.sql
	queries: list[tuple[str, object]] = []

	def sql(query, values=(), *args, **kwargs):
		queries.append((str(query), values))
		return original(query, values, *args, **kwargs)

	db.sql = sql
	try:
		yield queries
	finally:
		del db.sql


def explain(query: str, values) -> list[dict]:
	q = query.strip().rstrip(";")
	if q.lower().endswith("for update"):
		q = q[: -len("for update")]
	try:
		if values:
			return frappe.db.sql("EXPLAIN " + q, values, as_dict=True)
		return frappe.db.sql("EXPLAIN " + q, as_dict=True)  # values already inlined (frappe.get_all)
	except Exception as e:
		return [{"table": "?", "type": f"EXPLAIN failed: {type(e).__name__}: {e}"[:160]}]


def fmt_s(seconds: float | None) -> str:
	if seconds is None or seconds != seconds:
		return "—"
	if seconds < 0.001:
		return f"{seconds * 1e6:.0f} µs"
	if seconds < 1:
		return f"{seconds * 1000:.1f} ms"
	return f"{seconds:.2f} s"


# --------------------------------------------------------------------------------------------
# (a) the desk report and its straightforward twin


def report_execute():
	from ta_programmes.technical_assistance.report.ta_assistance_delivered import (
		ta_assistance_delivered as rpt,
	)

	return rpt.execute({})


def report_naive() -> list[dict]:
	"""The report's rows from frappe.get_all and Python: what one writes without GROUP BY."""
	from frappe.utils import flt
	from ta_programmes.core.constants import OUTSIDE_EXPERTISE_SECTORS
	from ta_programmes.transparency import HOURS_PER_DAY, REPORTED_STATUSES

	programmes = {p.name: p for p in frappe.get_all("TA Programme", fields=["name", "title", "lead_agency", "status", "budget", "currency"])}
	groups = {s.name: s.regional_group for s in frappe.get_all("TA Beneficiary State", fields=["name", "regional_group"])}
	themes = set(frappe.get_all("TA Thematic Area", pluck="name"))
	activities = [
		a
		for a in frappe.get_all(
			"TA Activity",
			filters={"status": "Delivered"},
			fields=["name", "programme", "beneficiary_state", "thematic_area", "participants_women", "participants_men",
					"participants_other", "actual_participants", "oversight_verified"],
		)
		if a.programme in programmes and programmes[a.programme].status in REPORTED_STATUSES
		and a.beneficiary_state in groups and a.thematic_area in themes
	]
	by_name = {a.name: a for a in activities}
	trainers = {t.name: t for t in frappe.get_all("TA Trainer", fields=["name", "sector", "daily_rate"])}
	delivered: dict[tuple, dict] = {}
	for a in activities:
		d = delivered.setdefault((a.programme, a.beneficiary_state), {"activities": 0, "women": 0, "men": 0, "other": 0, "participants": 0, "verified": 0})
		d["activities"] += 1
		d["women"] += a.participants_women or 0
		d["men"] += a.participants_men or 0
		d["other"] += a.participants_other or 0
		d["participants"] += a.actual_participants or 0
		d["verified"] += a.oversight_verified or 0
	hours: dict[tuple, dict] = {}
	for row in frappe.get_all("TA Activity Trainer", filters={"parenttype": "TA Activity"}, fields=["parent", "trainer", "hours"]):
		a = by_name.get(row.parent)
		t = trainers.get(row.trainer)
		if not a or not t:
			continue
		h = hours.setdefault((a.programme, a.beneficiary_state), {"trainer_hours": 0.0, "outside": 0.0, "fees": 0.0})
		h["trainer_hours"] += row.hours or 0
		h["outside"] += (row.hours or 0) if t.sector in OUTSIDE_EXPERTISE_SECTORS else 0
		h["fees"] += (row.hours or 0) * (t.daily_rate or 0) / HOURS_PER_DAY
	budgets = {
		(s.parent, s.beneficiary_state): float(programmes[s.parent].budget or 0) * float(s.share or 0) / 100
		for s in frappe.get_all("TA Programme State", filters={"parenttype": "TA Programme"}, fields=["parent", "beneficiary_state", "share"])
		if s.parent in programmes
	}
	overrides: dict[str, int] = {}
	for o in frappe.get_all("TA Objection Override", filters={"docstatus": 1}, fields=["programme"]):
		overrides[o.programme] = overrides.get(o.programme, 0) + 1
	rows = []
	for key in sorted(delivered, key=lambda k: (programmes[k[0]].title, k[1])):
		d, h = delivered[key], hours.get(key) or {"trainer_hours": 0.0, "outside": 0.0, "fees": 0.0}
		p = programmes[key[0]]
		th = flt(h["trainer_hours"])
		rows.append({
			"programme": key[0], "title": p.title, "lead_agency": p.lead_agency, "beneficiary_state": key[1],
			"regional_group": groups.get(key[1]), "activities": d["activities"], "women": d["women"], "men": d["men"],
			"other": d["other"], "participants": d["participants"], "trainer_hours": th,
			"outside_share": round(100 * h["outside"] / th, 1) if th else 0, "currency": p.currency, "budget": flt(budgets.get(key), 2),
			"spent": flt(h["fees"], 2), "oversight_coverage": round(100 * d["verified"] / d["activities"], 1) if d["activities"] else 0,
			"overrides": overrides.get(key[0], 0),
		})
	return rows


def same_rows(a: list[dict], b: list[dict]) -> str:
	"""'' when the two reports agree (numbers to the cent), else the first difference."""
	if len(a) != len(b):
		return f"{len(a)} rows vs {len(b)} rows"
	for i, (x, y) in enumerate(zip(a, b, strict=False)):
		for key in x:
			u, v = x[key], y.get(key)
			if isinstance(u, (int, float)) or isinstance(v, (int, float)):
				if abs(float(u or 0) - float(v or 0)) > 0.011:
					return f"row {i} {key}: {u} vs {v}"
			elif u != v:
				return f"row {i} {key}: {u!r} vs {v!r}"
	return ""


# --------------------------------------------------------------------------------------------
# (b) the trainer-conflict check


def conflict_case():
	"""A future activity whose trainers have the most bookings, its sessions, and a clash (the
	sessions of another activity of its lead trainer)."""
	from ta_programmes.core import schedule as S

	row = frappe.db.sql(
		"""select a.name, count(b.name) as n from `tabTA Activity` a
		join `tabTA Activity Trainer` t on t.parent = a.name and t.parenttype = 'TA Activity'
		join `tabTA Trainer Booking` b on b.trainer = t.trainer
		where a.status in ('Scheduled', 'Approved', 'Planned') and a.start > now()
		group by a.name order by n desc limit 1""",
		as_dict=True,
	)
	if not row:
		raise SystemExit("No future activity with trainers on this site: generate data first (--generate).")
	doc = frappe.get_doc("TA Activity", row[0].name)
	sessions = [S.Session(r.start_utc, r.end_utc, r.session_label, doc.name) for r in doc.sessions]
	lead = doc.trainers[0].trainer
	other = frappe.db.sql(
		"""select b.activity from `tabTA Trainer Booking` b where b.trainer = %s and b.kind = 'session'
		and b.activity != %s order by b.start_utc desc limit 1""",
		(lead, doc.name),
	)[0][0]
	clash = [
		S.Session(r.start_utc, r.end_utc, r.session_label, doc.name) for r in frappe.get_doc("TA Activity", other).sessions
	]
	return doc, sessions, clash, row[0].n


def conflicts_optimised(doc, sessions) -> set:
	"""What check_trainer_conflicts finds (the same steps, returning instead of raising)."""
	from ta_programmes import scheduling
	from ta_programmes.core import schedule as S

	trainers = sorted({r.trainer for r in doc.trainers if r.trainer})
	new = S.as_busy(sessions, doc.beneficiary_state, doc.delivery_mode in S.IN_PERSON_MODES, doc.time_zone)
	buffer = scheduling.travel_buffer()
	found = S.find_conflicts(new, [], buffer)
	existing = scheduling.bookings_in_window(trainers, S.query_window(new, buffer), exclude_activity=doc.name)
	for t in trainers:
		found += S.find_conflicts(new, existing.get(t, []), buffer, trainer=t, among_new=False)
	return {(c.trainer, c.existing.activity, c.existing.session, c.new.session) for c in found}


def conflicts_naive(doc, sessions) -> set:
	"""Every activity and session of each trainer, loaded and checked in Python."""
	from frappe.utils import get_datetime
	from ta_programmes import scheduling
	from ta_programmes.core import schedule as S

	trainers = sorted({r.trainer for r in doc.trainers if r.trainer})
	new = S.as_busy(sessions, doc.beneficiary_state, doc.delivery_mode in S.IN_PERSON_MODES, doc.time_zone)
	buffer = scheduling.travel_buffer()
	found = S.find_conflicts(new, [], buffer)
	for t in trainers:
		parents = frappe.get_all("TA Activity Trainer", filters={"trainer": t, "parenttype": "TA Activity"}, pluck="parent")
		activities = {
			a.name: a
			for a in frappe.get_all(
				"TA Activity",
				filters={"name": ("in", parents or [""]), "status": ("not in", scheduling.NOT_BUSY_STATUSES)},
				fields=["name", "beneficiary_state", "delivery_mode"],
			)
			if a.name != doc.name
		}
		busy = [
			S.Busy(s.start_utc, s.end_utc, s.parent, s.session_label, activities[s.parent].beneficiary_state,
				   activities[s.parent].delivery_mode in S.IN_PERSON_MODES, S.SESSION)
			for s in frappe.get_all(
				"TA Activity Session",
				filters={"parenttype": "TA Activity", "parent": ("in", list(activities) or [""])},
				fields=["parent", "start_utc", "end_utc", "session_label"],
			)
		]
		zone = frappe.db.get_value("TA Trainer", t, "home_time_zone") or "UTC"
		for u in frappe.get_all("TA Trainer Unavailability", filters={"parent": t, "parenttype": "TA Trainer"}, fields=["from_datetime", "to_datetime"]):
			busy.append(S.Busy(S.to_utc(get_datetime(u.from_datetime), zone), S.to_utc(get_datetime(u.to_datetime), zone), kind=S.UNAVAILABILITY))
		found += S.find_conflicts(new, busy, buffer, trainer=t, among_new=False)
	return {(c.trainer, c.existing.activity, c.existing.session, c.new.session) for c in found}


def check_conflicts_raises(doc, sessions) -> bool:
	from ta_programmes import scheduling
	from ta_programmes.core.schedule import TrainerConflict

	try:
		scheduling.check_trainer_conflicts(doc, sessions)
	except TrainerConflict:
		return True
	except frappe.ValidationError:
		return True
	return False


# --------------------------------------------------------------------------------------------
# (c) the oversight gate


def gate_case():
	row = frappe.db.sql(
		"""select p.name, p.approved_by, count(s.name) as n from `tabTA Programme` p
		join `tabTA Oversight Sign-off` s on s.programme = p.name and s.docstatus = 1
		where p.status in ('Active', 'Approved') group by p.name
		order by n desc, (select count(*) from `tabTA Activity` a where a.programme = p.name) desc limit 1""",
		as_dict=True,
	)
	if not row:
		raise SystemExit("No approved programme with sign-offs on this site: generate data first (--generate).")
	return frappe.get_doc("TA Programme", row[0].name), row[0].approved_by, row[0].n


def decide_naive(programme, approver):
	"""The same decision from whole documents: every review, sign-off, override, state and activity."""
	import json as _json

	from frappe.utils import get_datetime, getdate, today
	from ta_programmes import oversight
	from ta_programmes.core import oversight as core
	from ta_programmes.enforce import as_date

	reviews = [frappe.get_doc("TA Human Rights Review", n) for n in frappe.get_all("TA Human Rights Review", filters={"programme": programme.name}, pluck="name")]
	reviews = sorted((r for r in reviews if r.docstatus == 1), key=lambda r: (str(r.submitted_on), str(r.creation)), reverse=True)
	review = None
	if reviews:
		r = reviews[0]
		review = core.Review(r.name, r.risk_level, get_datetime(r.submitted_on),
							 tuple(core.Item(m.measure, as_date(m.due_date), m.status) for m in r.mitigations))
	signoffs = []
	for n in frappe.get_all("TA Oversight Sign-off", filters={"programme": programme.name}, pluck="name"):
		s = frappe.get_doc("TA Oversight Sign-off", n)
		if s.docstatus != 1:
			continue
		org = frappe.get_doc("TA Partner Organisation", s.organisation) if s.organisation else None
		accredited = s.kind != core.CIVIL_SOCIETY or bool(
			org and org.accredited_for_oversight and s.signer in {r.user for r in org.reviewers}
		)
		signoffs.append(core.SignOff(
			s.name, s.kind, s.organisation, s.regional_group, s.signer, s.decision, get_datetime(s.signed_on), getdate(s.valid_until),
			_json.loads(s.scope_snapshot or "{}"), tuple(core.Item(c.condition, as_date(c.due_date), c.status) for c in s.conditions),
			accredited=accredited,
		))
	overrides = []
	for n in frappe.get_all("TA Objection Override", filters={"programme": programme.name}, pluck="name"):
		o = frappe.get_doc("TA Objection Override", n)
		if o.docstatus == 1:
			overrides.append(core.Override(o.name, o.objection, o.recorded_by, tuple(frappe.get_roles(o.recorded_by)), o.justification))
	states = [frappe.get_doc("TA Beneficiary State", r.beneficiary_state) for r in programme.beneficiary_states]
	types = {a.institution_type for a in frappe.get_all("TA Activity", filters={"programme": programme.name}, fields=["status", "institution_type"])
			 if a.status != "Cancelled" and a.institution_type}
	scope = core.scope_of(
		[r.beneficiary_state for r in programme.beneficiary_states], [r.thematic_area for r in programme.thematic_areas],
		sorted(types), programme.budget, as_date(programme.planned_start), as_date(programme.planned_end), programme.lead_agency,
		core.review_key(review.risk_level, [(m.description, m.due) for m in review.mitigations]) if review else "",
	)
	dates = [get_datetime(d) for d in [programme.suspended_on, *(s.suspended_on for s in states)] if d]
	inp = core.GateInput(
		programme=core.Programme(
			name=programme.name, officer=programme.programme_officer, status=programme.status,
			planned_start=as_date(programme.planned_start), scope=scope, suspended=programme.status == "Suspended",
			suspended_states=tuple(s.name for s in states if s.status == "Suspended"), not_before=max(dates) if dates else None,
		),
		approver=approver, approver_roles=tuple(frappe.get_roles(approver)) if approver else (), review=review,
		signoffs=tuple(signoffs), overrides=tuple(overrides), policy=oversight.get_policy(), today=getdate(today()),
	)
	return core.evaluate(inp)


# --------------------------------------------------------------------------------------------
# (d) the PDF


def pdf_data(pages_wanted: int):
	"""The public report's data, its programme list repeated if needed to make about ``pages_wanted`` pages."""
	from ta_programmes import transparency as T
	from ta_programmes.core.report_pdf import build_pdf

	report = T.public_report(T.Filters())
	data = T.report_data(report, "Technical Assistance Delivered")
	pages = build_pdf(data, io.BytesIO())
	base = list(data.programmes)
	if pages < pages_wanted and base:
		# Pages grow with the programme list; stretch it (copies keep their titles, marked) to reach the size.
		per_page = max(1.0, len(base) / max(1, pages - 2))
		want_rows = int(per_page * (pages_wanted - 2))
		copies = [
			{**p, "title": f"{p['title']} [copy {1 + i // len(base)}]"} if i >= len(base) else p
			for i, p in enumerate(base[i % len(base)] for i in range(want_rows))
		]
		data.programmes = copies
		pages = build_pdf(data, io.BytesIO())
		while pages < pages_wanted:
			data.programmes += base[: max(1, int(per_page * (pages_wanted - pages)))]
			pages = build_pdf(data, io.BytesIO())
	return data, pages, len(base)


# --------------------------------------------------------------------------------------------
# (e) HTTP through gunicorn


def free_port(preferred: int) -> int:
	for port in [preferred, *range(8020, 8030)]:
		with socket.socket() as s:
			try:
				s.bind(("127.0.0.1", port))
				return port
			except OSError:
				continue
	raise SystemExit("No free port in 8020-8029 for gunicorn.")


class Server:
	"""gunicorn from the bench's env, on loopback, stopped (its process group) at the end."""

	def __init__(self, bench: Path, port: int, workers: int = 2):
		self.bench, self.port, self.workers = bench, port, workers
		self.proc = None
		self.log = open(bench / "logs" / f"benchmark-gunicorn-{port}.log", "w")

	def start(self, site: str) -> None:
		cmd = [str(self.bench / "env" / "bin" / "gunicorn"), "-b", f"127.0.0.1:{self.port}", "-w", str(self.workers), "-t", "120",
			   "frappe.app:application", "--preload"]
		self.proc = subprocess.Popen(cmd, cwd=self.bench / "sites", stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
		deadline = time.time() + 90
		while time.time() < deadline:
			if self.proc.poll() is not None:
				raise SystemExit(f"gunicorn exited; see {self.log.name}")
			try:
				status, _body, _t = request(self.port, site, "GET", "/api/method/ping")
				if status == 200:
					return
			except OSError:
				pass
			time.sleep(0.3)
		raise SystemExit(f"gunicorn did not answer within 90 s; see {self.log.name}")

	def pids(self) -> list[int]:
		import psutil

		try:
			main = psutil.Process(self.proc.pid)
			return [main.pid, *(c.pid for c in main.children(recursive=True))]
		except psutil.Error:
			return []

	def stop(self) -> None:
		if self.proc and self.proc.poll() is None:
			os.killpg(self.proc.pid, signal.SIGTERM)
			try:
				self.proc.wait(15)
			except subprocess.TimeoutExpired:
				os.killpg(self.proc.pid, signal.SIGKILL)
				self.proc.wait(5)
		self.log.close()


def request(port: int, site: str, method: str, path: str, headers: dict | None = None, body: str | None = None):
	conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
	try:
		started = time.perf_counter()
		hdrs = {"Host": site, "Accept": "application/json, text/html", **(headers or {})}
		if body is not None:
			hdrs["Content-Type"] = "application/x-www-form-urlencoded"
		conn.request(method, path, body=body, headers=hdrs)
		response = conn.getresponse()
		data = response.read()
		return response.status, data, time.perf_counter() - started
	finally:
		conn.close()


def load(port: int, site: str, endpoint: dict, per_client: int, max_seconds: float, pids: list[int]) -> dict:
	"""``CLIENTS`` threads, each sending ``per_client`` requests one after the other (bounded by time)."""
	import psutil

	latencies: list[float] = []
	errors: list[str] = []
	sizes: list[int] = []
	lock = threading.Lock()
	stop = time.time() + max_seconds
	peak = {"rss": 0}
	sampling = threading.Event()

	def sample():
		procs = [psutil.Process(p) for p in pids if psutil.pid_exists(p)]
		while not sampling.is_set():
			for p in procs:
				try:
					peak["rss"] = max(peak["rss"], p.memory_info().rss)
				except psutil.Error:
					pass
			time.sleep(0.05)

	def client():
		for _ in range(per_client):
			if time.time() > stop:
				return
			try:
				status, body, seconds = request(port, site, endpoint["method"], endpoint["path"], endpoint.get("headers"), endpoint.get("body"))
			except OSError as e:
				with lock:
					errors.append(type(e).__name__)
				continue
			with lock:
				latencies.append(seconds)
				sizes.append(len(body))
				if status != 200:
					errors.append(f"HTTP {status}: {body[:200]!r}")

	sampler = threading.Thread(target=sample, daemon=True)
	sampler.start()
	started = time.perf_counter()
	threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
	for t in threads:
		t.start()
	for t in threads:
		t.join()
	wall = time.perf_counter() - started
	sampling.set()
	sampler.join()
	return {
		"n": len(latencies), "p50": percentile(latencies, 50), "p95": percentile(latencies, 95), "max": max(latencies or [0]),
		"rps": len(latencies) / wall if wall else 0, "errors": errors, "bytes": int(statistics.median(sizes)) if sizes else 0,
		"worker_rss_mb": peak["rss"] / 1e6,
	}


LIST_FIELDS = [f"`tabTA Activity`.`{f}`" for f in (
	"name", "owner", "creation", "modified", "modified_by", "_user_tags", "_comments", "_assign", "_liked_by", "docstatus",
	"idx", "title", "programme", "status", "beneficiary_state", "start",
)]


def endpoints(auth: dict) -> list[dict]:
	form = urllib.parse.urlencode
	return [
		{"key": "http_transparency", "label": "GET /transparency (Guest)", "method": "GET", "path": "/transparency"},
		{"key": "http_list", "label": "desk list: reportview.get (TA Activity, 20 rows)", "method": "POST",
		 "path": "/api/method/frappe.desk.reportview.get", "headers": auth,
		 "body": form({"doctype": "TA Activity", "fields": json.dumps(LIST_FIELDS), "filters": "[]",
					   "order_by": "`tabTA Activity`.`start` desc", "start": 0, "page_length": 20, "view": "List",
					   "group_by": "", "with_comment_count": 1})},
		{"key": "http_count", "label": "desk list count: reportview.get_count", "method": "POST",
		 "path": "/api/method/frappe.desk.reportview.get_count", "headers": auth,
		 "body": form({"doctype": "TA Activity", "filters": "[]", "fields": "[]", "distinct": "false", "limit": 1001})},
		{"key": "http_report", "label": f"desk report: query_report.run ({REPORT})", "method": "POST",
		 "path": "/api/method/frappe.desk.query_report.run", "headers": auth,
		 "body": form({"report_name": REPORT, "filters": "{}", "ignore_prepared_report": "false", "are_default_filters": "true"})},
	]


def api_auth() -> dict:
	from frappe.core.doctype.user.user import generate_keys

	if not frappe.db.exists("User", API_USER):
		user = frappe.get_doc({"doctype": "User", "email": API_USER, "first_name": "Benchmark", "last_name": "Manager",
							   "send_welcome_email": 0, "user_type": "System User", "roles": [{"role": "TA Programme Manager"}]})
		user.flags.no_welcome_mail = True
		user.insert(ignore_permissions=True)
	secret = generate_keys(API_USER)["api_secret"]
	key = frappe.db.get_value("User", API_USER, "api_key")
	frappe.db.commit()
	return {"Authorization": f"token {key}:{secret}"}


# --------------------------------------------------------------------------------------------
# Profiles (pyinstrument)


def profile(label: str, fn, folder: Path | None) -> str | None:
	if not folder:
		return None
	try:
		from pyinstrument import Profiler
	except ImportError:
		return None
	folder.mkdir(parents=True, exist_ok=True)
	profiler = Profiler(interval=0.0005)
	profiler.start()
	try:
		fn()
	except Exception:
		pass
	profiler.stop()
	path = folder / f"{label}.txt"
	path.write_text(profiler.output_text(unicode=True, color=False, show_all=False))
	return str(path)


def profile_request(label: str, site: str, endpoint: dict, folder: Path | None) -> str | None:
	"""One request through Frappe's WSGI application in this process (own thread and context)."""
	if not folder:
		return None
	try:
		from pyinstrument import Profiler
	except ImportError:
		return None
	from frappe.utils import get_test_client

	out = {}

	def run():
		profiler = Profiler(interval=0.0005)
		client = get_test_client(use_cookies=False)
		profiler.start()
		client.open(endpoint["path"], method=endpoint["method"], base_url=f"http://{site}/", headers=endpoint.get("headers") or {},
					data=endpoint.get("body"), content_type="application/x-www-form-urlencoded" if endpoint.get("body") else None)
		profiler.stop()
		out["text"] = profiler.output_text(unicode=True, color=False)

	t = threading.Thread(target=run)
	t.start()
	t.join()
	folder.mkdir(parents=True, exist_ok=True)
	path = folder / f"{label}.txt"
	path.write_text(out.get("text", "(no profile)"))
	return str(path)


# --------------------------------------------------------------------------------------------
# The run


def machine() -> dict:
	info = {"nproc": os.cpu_count(), "python": platform.python_version()}
	try:
		cpu = next((ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name")), "?")
		mem = next((int(ln.split()[1]) for ln in open("/proc/meminfo") if ln.startswith("MemTotal")), 0)
		info.update(cpu=cpu, memory_gb=round(mem / 1024 / 1024, 1))
	except OSError:
		pass
	v = frappe.db.sql("select @@version, @@innodb_buffer_pool_size")[0]
	info.update(mariadb=v[0], innodb_buffer_pool_mb=int(v[1]) // 2**20, frappe=frappe.__version__)
	try:
		info["loadavg_at_start"] = " ".join(open("/proc/loadavg").read().split()[:3])
	except OSError:
		pass
	return info


def main(argv=None) -> int:
	global frappe
	parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
	parser.add_argument("--site", required=True)
	parser.add_argument("--size", choices=tuple(SIZES), default="full")
	parser.add_argument("--generate", action="store_true", help="(re)fill the site at this size first")
	parser.add_argument("--sites-path", default=None)
	parser.add_argument("--port", type=int, default=8020)
	parser.add_argument("--skip-http", action="store_true")
	parser.add_argument("--profile", default=None, metavar="DIR", help="write pyinstrument profiles of every path there")
	parser.add_argument("--json", default=None, metavar="FILE")
	parser.add_argument("--markdown", action="store_true", help="print the table as Markdown too")
	args = parser.parse_args(argv)
	size = SIZES[args.size]
	runs = size["runs"]
	started_all = time.perf_counter()

	import frappe as _frappe

	frappe = _frappe
	sites = Path(args.sites_path or Path(frappe.__file__).resolve().parents[3] / "sites").resolve()
	bench = sites.parent
	os.chdir(sites)
	frappe.init(site=args.site, sites_path=str(sites))
	frappe.connect()
	frappe.set_user("Administrator")
	profiles = Path(args.profile).resolve() if args.profile else None
	results: dict[str, dict] = {}
	explains: list[tuple[str, str, list[dict]]] = []
	notes: list[str] = []
	server = None
	try:
		from ta_programmes.demo import bulk

		if args.generate or not bulk.existing_bulk():
			print(f"== generating the {args.size} dataset")
			gen = bulk.generate(**size["generate"], reset=True, progress=True)
			notes.append(f"generator: {gen['seconds']} s for {size['generate']['activities']} activities ({gen['total_rows']} rows)")
		counts = {dt: frappe.db.count(dt) for dt in ("TA Programme", "TA Activity", "TA Activity Session", "TA Trainer Booking", "TA Trainer", "TA Beneficiary State")}
		info = machine()
		print("== machine: " + ", ".join(f"{k} {v}" for k, v in info.items()))
		print("== data: " + ", ".join(f"{v} {k}" for k, v in counts.items()))

		# (a) desk report
		print("== (a) desk report TA Assistance Delivered")
		with captured_sql() as report_sql:
			_cols, rows, *_rest = report_execute()
		naive_rows = report_naive()
		diff = same_rows(rows, naive_rows)
		if diff:
			raise SystemExit(f"The report and its straightforward twin disagree: {diff}")
		t_opt = timed(report_execute, runs["report"])
		t_naive = timed(report_naive, runs["report_naive"], warmup=0)
		results["report"] = {
			"label": "desk report execute({}) vs get_all + Python", "opt": t_opt, "naive": t_naive,
			"mem": peak_mb(report_execute), "mem_naive": peak_mb(report_naive), "note": f"{len(rows)} rows, equal figures",
		}
		profile("report_execute", report_execute, profiles)
		profile("report_naive", report_naive, profiles)
		for q, v in report_sql:
			if q.lstrip().lower().startswith("select") and "tabTA Activity" in q:
				explains.append(("report", q, explain(q, v)))

		from ta_programmes import transparency as T

		t_public = timed(lambda: T.public_report(T.Filters()), runs["public"])
		results["public"] = {"label": "public_report() (/transparency data, cache miss)", "opt": t_public, "naive": None,
							 "mem": peak_mb(lambda: T.public_report(T.Filters())), "note": "cached 10 min by the page"}
		profile("public_report", lambda: T.public_report(T.Filters()), profiles)

		# (b) conflict check
		print("== (b) trainer-conflict check")
		from ta_programmes import scheduling

		doc, sessions, clash, n_bookings = conflict_case()
		if conflicts_optimised(doc, sessions) != conflicts_naive(doc, sessions):
			raise SystemExit("The conflict check and its straightforward twin disagree (no-clash case).")
		hit_opt, hit_naive = conflicts_optimised(doc, clash), conflicts_naive(doc, clash)
		if not hit_opt or hit_opt != hit_naive:
			raise SystemExit(f"The conflict check and its straightforward twin disagree (clash case): {hit_opt} vs {hit_naive}")
		if not check_conflicts_raises(doc, clash):
			raise SystemExit("check_trainer_conflicts did not refuse a clash.")
		frappe.db.rollback()
		with captured_sql() as conflict_sql:
			scheduling.check_trainer_conflicts(doc, sessions)
		frappe.db.rollback()
		rollback = frappe.db.rollback
		results["conflict"] = {
			"label": "check_trainer_conflicts on save (no clash) vs Python scan", "opt": timed(lambda: scheduling.check_trainer_conflicts(doc, sessions), runs["conflict"], after=rollback),
			"naive": timed(lambda: conflicts_naive(doc, sessions), runs["conflict_naive"]),
			"mem": peak_mb(lambda: scheduling.check_trainer_conflicts(doc, sessions), rollback),
			"mem_naive": peak_mb(lambda: conflicts_naive(doc, sessions)),
			"note": f"{doc.name}: {len(doc.trainers)} trainers with {n_bookings} bookings, {len(sessions)} sessions",
		}
		results["conflict_hit"] = {
			"label": "check_trainer_conflicts (clash found, message) vs Python scan", "opt": timed(lambda: check_conflicts_raises(doc, clash), runs["conflict"], after=rollback),
			"naive": timed(lambda: conflicts_naive(doc, clash), runs["conflict_naive"]),
			"mem": peak_mb(lambda: check_conflicts_raises(doc, clash), rollback), "mem_naive": peak_mb(lambda: conflicts_naive(doc, clash)),
			"note": f"{len(hit_opt)} conflicts found by both",
		}
		profile("conflict_check", lambda: (scheduling.check_trainer_conflicts(doc, sessions), rollback()), profiles)
		profile("conflict_naive", lambda: conflicts_naive(doc, sessions), profiles)
		for q, v in conflict_sql:
			if "TA Trainer" in q:
				explains.append(("conflict", q, explain(q, v)))

		# (c) oversight gate
		print("== (c) oversight gate")
		from ta_programmes import oversight

		programme, approver, n_signoffs = gate_case()
		d_opt, d_naive = oversight.decide(programme, approver), decide_naive(programme, approver)
		if (d_opt.approvable, d_opt.failed, d_opt.signoff_states) != (d_naive.approvable, d_naive.failed, d_naive.signoff_states):
			raise SystemExit("oversight.decide and its straightforward twin disagree.")
		if not d_opt.approvable:
			notes.append(f"gate of {programme.name} does not hold: {oversight.alert_text(d_opt)}")
		with captured_sql() as gate_sql:
			oversight.decide(programme, approver)
		results["decide"] = {
			"label": "oversight.decide on approve vs whole documents", "opt": timed(lambda: oversight.decide(programme, approver), runs["decide"]),
			"naive": timed(lambda: decide_naive(programme, approver), runs["decide_naive"]),
			"mem": peak_mb(lambda: oversight.decide(programme, approver)), "mem_naive": peak_mb(lambda: decide_naive(programme, approver)),
			"note": f"{programme.name}: {n_signoffs} sign-offs, {frappe.db.count('TA Activity', {'programme': programme.name})} activities, approvable={d_opt.approvable}",
		}
		profile("decide", lambda: oversight.decide(programme, approver), profiles)
		for q, v in gate_sql:
			if q.lstrip().lower().startswith("select") and "tabTA" in q:
				explains.append(("gate", q, explain(q, v)))

		# (d) PDF
		print(f"== (d) PDF of about {size['pdf_pages']} pages")
		from ta_programmes.core.report_pdf import build_pdf

		data, pages, n_programmes = pdf_data(size["pdf_pages"])
		results["pdf"] = {
			"label": f"transparency PDF, {pages} pages (build_pdf)", "opt": timed(lambda: build_pdf(data, io.BytesIO()), runs["pdf"], warmup=0),
			"naive": None, "mem": peak_mb(lambda: build_pdf(data, io.BytesIO())),
			"note": f"{len(data.programmes)} programme rows ({n_programmes} real, the rest repeated to reach the size)"
			if len(data.programmes) > n_programmes else f"{len(data.programmes)} programme rows",
		}
		profile("pdf", lambda: build_pdf(data, io.BytesIO()), profiles)

		# (f) duplication check, pure core on synthetic sources at the issue's scale
		print("== (f) duplication check (core.deconfliction.find_overlaps vs scan)")
		sys.path.insert(0, str(Path(__file__).resolve().parent))
		import deconfliction as dedup_bench

		results["dedup"] = dedup_bench.measure(*DEDUP[args.size])

		# list queries EXPLAIN: the desk's own endpoints, in process, as the API user
		from frappe.desk import reportview

		frappe.set_user(API_USER if frappe.db.exists("User", API_USER) else "Administrator")
		with captured_sql() as list_sql:
			for ep in endpoints({}):
				if ep["key"] in ("http_list", "http_count"):
					frappe.local.form_dict = frappe._dict(urllib.parse.parse_qsl(ep["body"]))
					(reportview.get if ep["key"] == "http_list" else reportview.get_count)()
		frappe.local.form_dict = frappe._dict()
		frappe.set_user("Administrator")
		for q, v in list_sql:
			if "tabTA Activity" in q:
				explains.append(("list", q, explain(q, v)))

		# (e) HTTP
		if not args.skip_http:
			print(f"== (e) HTTP: gunicorn on 127.0.0.1, {CLIENTS} concurrent clients")
			auth = api_auth()
			port = free_port(args.port)
			server = Server(bench, port)
			server.start(args.site)
			eps = endpoints(auth)
			for ep in eps:  # warm every worker
				for _ in range(4):
					request(port, args.site, ep["method"], ep["path"], ep.get("headers"), ep.get("body"))
			frappe.cache.delete_keys(T.CACHE_KEY)
			_s, _b, cold = request(port, args.site, "GET", "/transparency")
			notes.append(f"/transparency cold (cache miss, one request): {fmt_s(cold)}")
			for ep in eps:
				r = load(port, args.site, ep, size["http_requests_per_client"], size["http_seconds"], server.pids())
				results[ep["key"]] = {
					"label": ep["label"], "opt": None, "p50": r["p50"], "p95": r["p95"], "naive": None, "mem": None,
					"rss": r["worker_rss_mb"],
					"note": f"{r['n']} requests, {r['rps']:.1f} req/s, max {fmt_s(r['max'])}, {r['bytes'] // 1000} kB"
					+ (f", {len(r['errors'])} errors: {r['errors'][:2]}" if r["errors"] else ""),
				}
				if r["errors"]:
					notes.append(f"{ep['label']}: {len(r['errors'])} errors, first: {r['errors'][0]}")
				profile_request(ep["key"], args.site, ep, profiles)
	finally:
		if server:
			server.stop()
		frappe.db.rollback()

	table = render(results)
	print()
	print(table)
	print()
	for n in notes:
		print("note: " + n)
	print()
	print("EXPLAIN of the hot queries (table: access type, key used, rows examined):")
	import re

	seen = set()
	for area, q, plan in explains:
		short = " ".join(q.split())
		shape = re.sub(r"'[^']*'", "?", short)
		if (area, shape) in seen:
			continue  # the same query for another row (e.g. the conditions of each sign-off)
		seen.add((area, shape))
		print(f"[{area}] {short[:230]}{'…' if len(short) > 230 else ''}")
		for p in plan:
			print(f"    {p.get('table')}: type={p.get('type')} key={p.get('key')} rows={p.get('rows')} {p.get('Extra') or ''}")
	if args.markdown:
		print()
		print(render(results, markdown=True))
	if profiles:
		print(f"\npyinstrument profiles in {profiles}")
	try:
		load_end = " ".join(open("/proc/loadavg").read().split()[:3])
	except OSError:
		load_end = "?"
	print(f"\nbenchmark ({args.size}) finished in {time.perf_counter() - started_all:.1f} s (load average at the end: {load_end})")
	if args.json:
		Path(args.json).write_text(json.dumps({"machine": info, "counts": counts, "results": results, "notes": notes}, indent=1, default=str))
	frappe.destroy()
	return 0


def render(results: dict, markdown: bool = False) -> str:
	head = ["path", "optimised median", "optimised p95", "straightforward median", "ratio", "target", "met?", "peak memory", "notes"]
	lines = []
	for key, r in results.items():
		target_key = "http" if key.startswith("http_") else key
		target, limit, ratio_min = TARGETS.get(target_key, ("—", None, None))
		if key.startswith("http_"):
			med, p95 = r["p50"], r["p95"]
			mem = f"{r['rss']:.0f} MB RSS/worker"
		else:
			med, p95 = statistics.median(r["opt"]), percentile(r["opt"], 95)
			mem = f"{r['mem']:.1f} MB" + (f" (vs {r['mem_naive']:.1f} MB)" if r.get("mem_naive") is not None else "")
		naive = statistics.median(r["naive"]) if r.get("naive") else None
		ratio = naive / med if naive and med else None
		met = "—"
		if limit is not None:
			ok = (p95 if key.startswith("http_") else med) <= limit and (ratio_min is None or (ratio or 0) >= ratio_min)
			met = "yes" if ok else "**NO**" if markdown else "NO"
		lines.append([r["label"], fmt_s(med) + (" (p50)" if key.startswith("http_") else ""), fmt_s(p95), fmt_s(naive),
					  f"{ratio:.0f}×" if ratio else "—", target, met, mem, r.get("note", "")])
	if markdown:
		out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
		out += ["| " + " | ".join(str(c) for c in line) + " |" for line in lines]
		return "\n".join(out)
	widths = [max(len(str(x)) for x in col) for col in zip(head, *lines, strict=False)]
	sep = "  "
	out = [sep.join(h.ljust(w) for h, w in zip(head, widths, strict=False)), sep.join("-" * w for w in widths)]
	out += [sep.join(str(c).ljust(w) for c, w in zip(line, widths, strict=False)) for line in lines]
	return "\n".join(out)


if __name__ == "__main__":
	sys.exit(main())
