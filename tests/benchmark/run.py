"""Benchmark of ta_programmes' hot paths, each measured against the straightforward way of doing it.

    /root/frappe-bench/env/bin/python tests/benchmark/run.py --site perf.localhost [--size tiny|full] [--generate]
        [--sites-path PATH] [--port 8020] [--workers 2] [--threads 4] [--skip-http] [--load-seconds 60] [--external N]
        [--time-bulk SCRATCH_SITE] [--only a,b] [--skip a,b] [--profile DIR] [--json FILE] [--markdown]

One run, one site, every target of issue 13 side by side:

* cached paths are measured COLD, the cache invalidated before each timed run as an edit of an
  activity does (the cache-clearing doc_events of TA Activity, ``transparency.clear_public_cache``
  at least: a new cache generation and Frappe's page cache of /transparency dropped), and their
  cache hits on rows of their own: the desk report TA Assistance Delivered (``execute({})``, against
  frappe.get_all + Python aggregation: the two must give the same figures), the public report
  (``transparency.public_report_cached``: unfiltered, and random Guest filters drawn with a fixed
  seed), the indicator report TA Indicator Progress, and over HTTP the public page and the desk report;
* the trainer-conflict check (``scheduling.check_trainer_conflicts``) without and with 13 clashes,
  the oversight gate (``oversight.decide``), a ~200-page PDF, the IATI file of every programme
  (``api.iati.activities``: to the last byte, tracemalloc peak; over HTTP time to first and last
  byte and worker RSS), the duplication check of the programme form (``deconfliction.candidates_for``
  on the site, with synthetic external IATI activities inserted in a transaction that is rolled back,
  against loading every source and ``core.deconfliction.scan``; and the pure core on synthetic
  sources), the bulk generator's time;
* HTTP through gunicorn on 127.0.0.1 with 8 concurrent clients (``Accept-Encoding: gzip``, the size
  on the wire and the encoding are printed), and a load test: 8 Guests sending random filters to
  /transparency for ``--load-seconds`` while a probe requests the unfiltered page; its p95 and the
  failures of every request are the result.

Then EXPLAIN of each hot query (each query shape once) and, with --profile, pyinstrument profiles.

It measures and reports; it asserts only that both ways give the same answers, never on time. A
path that does not exist (yet) in the app is shown as "n/a", a path that fails as "ERROR": the
table is always printed, and the exit status is 1 when two ways disagree or a path failed.
``--size tiny`` (2 000 activities) is the CI smoke: it proves the benchmark runs, in about a
minute. ``--generate`` (re)fills the site with tests/benchmark/bulk.py at the chosen size first
(its time is the bulk generator's row); without it a site with no bulk data is filled, a filled
one is used as it is (``--time-bulk SCRATCH_SITE`` times the generator on another site). The
generator refuses a site not marked as synthetic or holding records it did not make (see bulk.py).
"""

from __future__ import annotations

import argparse
import contextvars
import gzip
import http.client
import importlib
import io
import json
import os
import platform
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import traceback
import tracemalloc
import urllib.parse
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

SIZES = {
	"tiny": {
		"generate": {"activities": 2_000, "programmes": 40, "states": 30, "trainers": 60},
		"runs": {"report": 3, "report_naive": 1, "report_hit": 5, "public": 2, "public_hit": 5, "filters": 8,
				 "conflict": 20, "conflict_naive": 5, "decide": 20, "decide_naive": 5, "pdf": 1, "iati": 1,
				 "dedup_site": 5, "dedup_naive": 1, "indicators": 3},
		"pdf_pages": 6,
		"external": 1_000,
		"http_requests_per_client": 2,
		"http_cold_requests_per_client": 2,
		"http_seconds": 20,
		"load_seconds": 5,
	},
	"full": {
		"generate": {"activities": 100_000, "programmes": 2_000, "states": 190, "trainers": 500},
		"runs": {"report": 15, "report_naive": 3, "report_hit": 30, "public": 5, "public_hit": 30, "filters": 20,
				 "conflict": 300, "conflict_naive": 30, "decide": 300, "decide_naive": 30, "pdf": 3, "iati": 3,
				 "dedup_site": 30, "dedup_naive": 3, "indicators": 7},
		"pdf_pages": 200,
		"external": 50_000,
		"http_requests_per_client": 25,
		"http_cold_requests_per_client": 10,
		"http_seconds": 120,
		"load_seconds": 60,
	},
}
CLIENTS = 8
SEED = 2026
SECTIONS = ("report", "public", "conflict", "gate", "pdf", "iati", "dedup", "indicators", "http")

# key: (target as printed, limit in seconds, minimum ratio, statistic judged). Rows without a
# target (cache hits, paths the issue sets none for) print "—".
TARGETS = {
	"report": ("≤ 0.2 s, ≥ 30×", 0.2, 30.0, "median"),
	"public": ("≤ 300 ms", 0.300, None, "median"),
	"public_filtered": ("≤ 300 ms (p95)", 0.300, None, "p95"),
	"conflict": ("≤ 5 ms", 0.005, None, "median"),
	"conflict_hit": ("≤ 5 ms", 0.005, None, "median"),
	"decide": ("≤ 10 ms", 0.010, None, "median"),
	"pdf": ("≤ 3 s", 3.0, None, "median"),
	"iati": ("≤ 2 s", 2.0, None, "median"),
	"dedup_site": ("≤ 50 ms", 0.050, None, "median"),
	"dedup": ("≤ 20 ms, ≥ 10×", 0.020, 10.0, "median"),
	"indicators": ("≤ 0.3 s", 0.3, None, "median"),
	"bulk": ("≤ 30 s", 30.0, None, "median"),
	"http_transparency": ("p95 ≤ 150 ms", 0.150, None, "p95"),
	"http_list": ("p95 ≤ 150 ms", 0.150, None, "p95"),
	"http_count": ("p95 ≤ 150 ms", 0.150, None, "p95"),
	"http_report": ("p95 ≤ 150 ms", 0.150, None, "p95"),
	"http_load": ("probe p95 ≤ 150 ms, no failure", 0.150, None, "p95"),
	"http_iati": ("≤ 2 s to last byte", 2.0, None, "median"),
}
# The duplication check (pure core, synthetic sources; tests/benchmark/deconfliction.py):
# (site sources, external activities, programmes checked).
DEDUP = {"tiny": (2_000, 1_000, 20), "full": (100_000, 50_000, 200)}
API_USER = "benchmark-manager@bulk.ta.example"
ADMIN_USER = "benchmark-admin@bulk.ta.example"
REPORT = "TA Assistance Delivered"
REPORT_MODULE = "ta_programmes.technical_assistance.report.ta_assistance_delivered.ta_assistance_delivered"
INDICATOR_REPORT = "TA Indicator Progress"
INDICATOR_MODULE = "ta_programmes.technical_assistance.report.ta_indicator_progress.ta_indicator_progress"
IATI_METHOD = "ta_programmes.api.iati.activities"
EXTERNAL_PREFIX = "XM-BENCH-"

frappe = None  # imported once the sites folder is known


# --------------------------------------------------------------------------------------------
# The app's functions, looked up when used: another change may rename or not yet have them.


class Missing(Exception):
	"""A path of the app that does not exist (yet): its row says n/a."""


def resolve(*paths: str):
	"""The first of ``module:attribute`` paths that exists, else Missing."""
	tried = []
	for path in paths:
		module, _sep, attr = path.partition(":")
		try:
			obj = importlib.import_module(module)
		except ImportError as e:
			tried.append(f"{module} ({e})")
			continue
		for part in attr.split(".") if attr else ():
			obj = getattr(obj, part, Missing)
			if obj is Missing:
				break
		if obj is not Missing:
			return obj
		tried.append(path)
	raise Missing("not in the app: " + "; ".join(tried))


# --------------------------------------------------------------------------------------------
# Measuring


def percentile(values: list[float], pct: float) -> float:
	"""Nearest-rank percentile."""
	ordered = sorted(values)
	if not ordered:
		return float("nan")
	rank = max(1, min(len(ordered), int(-(-pct * len(ordered) // 100))))
	return ordered[rank - 1]


def timed(fn, runs: int, warmup: int = 1, before=None, after=None) -> list[float]:
	"""``runs`` timings of ``fn()``; ``before`` and ``after`` run around each call, untimed."""
	for _ in range(warmup):
		if before:
			before()
		fn()
		if after:
			after()
	times = []
	for _ in range(runs):
		if before:
			before()
		started = time.perf_counter()
		fn()
		times.append(time.perf_counter() - started)
		if after:
			after()
	return times


def peak_mb(fn, before=None, after=None) -> float:
	"""Peak Python allocation (tracemalloc) of one call, in MB."""
	if before:
		before()
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


@contextmanager
def as_user(user: str):
	"""Run as ``user`` (language English), then back to Administrator."""
	previous = frappe.session.user
	frappe.set_user(user)
	frappe.local.lang = "en"
	try:
		yield
	finally:
		frappe.set_user(previous or "Administrator")
		frappe.local.lang = "en"


def new_request() -> None:
	"""What a new web request starts with: an empty ``frappe.local.cache`` (Frappe keeps every
	Redis value it has read, None included, there for the rest of the request)."""
	frappe.local.cache = {}


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


def fmt_kb(n: float) -> str:
	return f"{n / 1e6:.2f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"


class Run:
	"""The results, notes and EXPLAINs of one run; a section that fails leaves a row saying so."""

	def __init__(self, only: set[str], skip: set[str]):
		self.results: dict[str, dict] = {}
		self.notes: list[str] = []
		self.explains: list[tuple[str, str, list[dict]]] = []
		self.shapes: set[str] = set()
		self.failed: list[str] = []
		self.only, self.skip = only, skip

	def wanted(self, section: str) -> bool:
		return (not self.only or section in self.only) and section not in self.skip

	def na(self, key: str, label: str, why: str) -> None:
		self.results[key] = {"label": label, "na": why}

	def error(self, key: str, label: str, why: str) -> None:
		self.results[key] = {"label": label, "error": why}
		self.failed.append(f"{label}: {why}")

	@contextmanager
	def section(self, name: str, key: str, label: str):
		"""Measure one part: Missing -> n/a row, another exception -> ERROR row; never stops the run."""
		if not self.wanted(name):
			yield False
			return
		try:
			yield True
		except Missing as e:
			self.na(key, label, str(e)[:200])
			print(f"   n/a: {e}")
		except KeyboardInterrupt:
			raise
		except BaseException as e:  # SystemExit included: a helper that gives up on this site
			traceback.print_exc()
			self.error(key, label, f"{type(e).__name__}: {e}"[:300])
		finally:
			try:
				frappe.db.rollback()
			except Exception:
				pass

	def explain_queries(self, area: str, queries, keep=lambda q: True) -> None:
		"""EXPLAIN each query shape once (literals and IN lists folded)."""
		for q, v in queries:
			if not q.lstrip().lower().startswith("select") or "tabTA" not in q or not keep(q):
				continue
			shape = re.sub(r"'[^']*'", "?", " ".join(q.split()))
			shape = re.sub(r"\((?:\s*(?:\?|%\(\w+\)s|%s|\d+)\s*,?)+\)", "(…)", shape)
			if shape in self.shapes:
				continue  # the same query for another row (e.g. the conditions of each sign-off) or path
			self.shapes.add(shape)
			self.explains.append((area, q, explain(q, v)))


# --------------------------------------------------------------------------------------------
# Cache invalidation, as an edit of an activity does it


class Invalidator:
	"""What saving an activity does to the caches: every cache-clearing doc_event of TA Activity
	(``on_update``, by name) and always ``transparency.clear_public_cache`` (a new generation of
	``transparency.cached``, Frappe's page cache of /transparency and /my-programmes dropped).
	The data-maintaining hooks (an aggregate updated with the activity) are not caches and not run:
	what they maintain stays as it is, as after an edit. Called in process before each cold run and
	from the HTTP client threads (serialised, in this process's Frappe context) before each cold request."""

	DEFAULT = "ta_programmes.transparency.cache.clear_public_cache"

	def __init__(self):
		events = (frappe.get_hooks("doc_events") or {}).get("TA Activity") or {}
		names = [fn for fn in events.get("on_update") or [] if "cache" in fn.rsplit(".", 1)[-1].lower()]
		if self.DEFAULT not in names:
			names.insert(0, self.DEFAULT)
		self.hooks = []
		for name in names:
			try:
				self.hooks.append((name, frappe.get_attr(name)))
			except Exception:
				pass
		activity = frappe.db.get_value("TA Activity", {"status": "Delivered"}, "name")
		self.doc = frappe.get_doc("TA Activity", activity) if activity else frappe._dict(doctype="TA Activity")
		self.lock = threading.Lock()
		self.context = None
		self.count = 0

	def describe(self) -> str:
		return ", ".join(n for n, _fn in self.hooks) or "nothing to invalidate"

	def __call__(self) -> None:
		for _name, fn in self.hooks:
			fn(self.doc, "on_update")
		self.count += 1
		new_request()  # the edit was another request; the measured call is a new one

	def for_threads(self) -> Invalidator:
		self.context = contextvars.copy_context()
		return self

	def from_thread(self) -> None:
		with self.lock:
			self.context.run(self)


# --------------------------------------------------------------------------------------------
# (a) the desk report and its straightforward twin

STATE_GRAIN = ("programme", "beneficiary_state")
PROGRAMME_GRAIN = ("programme",)
PERCENT_FIELDS = ("outside_share", "oversight_coverage")
TEXT_FIELDS = ("title", "lead_agency", "currency", "regional_group")


def report_execute(filters=None):
	return resolve(f"{REPORT_MODULE}:execute")(filters or {})


def report_rows(result) -> list[dict]:
	if isinstance(result, dict):
		return list(result.get("result") or result.get("data") or [])
	return list(result[1] or [])


def report_naive(grain: tuple[str, ...] = STATE_GRAIN) -> list[dict]:
	"""The report's rows from frappe.get_all and Python: what one writes without GROUP BY, per
	programme and state (or per programme, if that is the report's grain)."""
	from frappe.utils import flt
	from ta_programmes.core.constants import OUTSIDE_EXPERTISE_SECTORS
	from ta_programmes.transparency import HOURS_PER_DAY, REPORTED_STATUSES

	by_state = grain == STATE_GRAIN
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

	def key(programme, state):
		return (programme, state) if by_state else (programme,)

	by_name = {a.name: a for a in activities}
	trainers = {t.name: t for t in frappe.get_all("TA Trainer", fields=["name", "sector", "daily_rate"])}
	delivered: dict[tuple, dict] = {}
	delivered_pairs = set()
	for a in activities:
		delivered_pairs.add((a.programme, a.beneficiary_state))
		d = delivered.setdefault(key(a.programme, a.beneficiary_state), {"activities": 0, "women": 0, "men": 0, "other": 0, "participants": 0, "verified": 0})
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
		h = hours.setdefault(key(a.programme, a.beneficiary_state), {"trainer_hours": 0.0, "outside": 0.0, "fees": 0.0})
		h["trainer_hours"] += row.hours or 0
		h["outside"] += (row.hours or 0) if t.sector in OUTSIDE_EXPERTISE_SECTORS else 0
		h["fees"] += (row.hours or 0) * (t.daily_rate or 0) / HOURS_PER_DAY
	budgets: dict[tuple, float] = {}
	for s in frappe.get_all("TA Programme State", filters={"parenttype": "TA Programme"}, fields=["parent", "beneficiary_state", "share"]):
		if s.parent in programmes and (s.parent, s.beneficiary_state) in delivered_pairs:
			k = key(s.parent, s.beneficiary_state)
			budgets[k] = budgets.get(k, 0.0) + float(programmes[s.parent].budget or 0) * float(s.share or 0) / 100
	overrides: dict[str, int] = {}
	for o in frappe.get_all("TA Objection Override", filters={"docstatus": 1}, fields=["programme"]):
		overrides[o.programme] = overrides.get(o.programme, 0) + 1
	rows = []
	for k in sorted(delivered, key=lambda k: (programmes[k[0]].title, *k[1:])):
		d, h = delivered[k], hours.get(k) or {"trainer_hours": 0.0, "outside": 0.0, "fees": 0.0}
		p = programmes[k[0]]
		th = flt(h["trainer_hours"])
		row = {"programme": k[0], "title": p.title, "lead_agency": p.lead_agency}
		if by_state:
			row.update(beneficiary_state=k[1], regional_group=groups.get(k[1]))
		row.update({
			"activities": d["activities"], "women": d["women"], "men": d["men"],
			"other": d["other"], "participants": d["participants"], "trainer_hours": th,
			"outside_share": round(100 * h["outside"] / th, 1) if th else 0, "currency": p.currency, "budget": flt(budgets.get(k), 2),
			"spent": flt(h["fees"], 2), "oversight_coverage": round(100 * d["verified"] / d["activities"], 1) if d["activities"] else 0,
			"overrides": overrides.get(k[0], 0),
		})
		rows.append(row)
	return rows


def report_grain(rows: list[dict]) -> tuple[tuple[str, ...], list[dict]]:
	"""The report's grain (per programme and state, or per programme: a grouped report) and its
	rows at that grain (a tree report's group rows left out)."""
	if any(r.get("beneficiary_state") for r in rows):
		return STATE_GRAIN, [r for r in rows if r.get("programme") and r.get("beneficiary_state")]
	return PROGRAMME_GRAIN, [r for r in rows if r.get("programme")]


def same_rows(mine: list[dict], naive: list[dict], grain: tuple[str, ...]) -> str:
	"""'' when the two reports agree (numbers to the cent, percentages to 0.1), else the first difference."""
	a = {tuple(r.get(k) for k in grain): r for r in mine}
	b = {tuple(r.get(k) for k in grain): r for r in naive}
	if len(a) != len(mine):
		return f"{len(mine)} rows but {len(a)} distinct {'/'.join(grain)}"
	if a.keys() != b.keys():
		return (f"{len(a)} rows vs {len(b)} rows; only in the report: {sorted(set(a) - set(b))[:3]}, "
				f"only in the straightforward way: {sorted(set(b) - set(a))[:3]}")
	for k in sorted(b, key=str):
		x, y = a[k], b[k]
		for field, v in y.items():
			if field in grain or field not in x:
				continue
			u = x[field]
			if field in TEXT_FIELDS:
				if (u or None) != (v or None):
					return f"{k} {field}: {u!r} vs {v!r}"
				continue
			tolerance = 0.11 if field in PERCENT_FIELDS else 0.011
			try:
				if abs(float(u or 0) - float(v or 0)) > tolerance:
					return f"{k} {field}: {u} vs {v}"
			except (TypeError, ValueError):
				return f"{k} {field}: {u!r} vs {v!r}"
	return ""


def measure_report(run: Run, ctx) -> None:
	key, label = "report", "desk report execute({}), cold, vs get_all + Python"
	with run.section("report", key, label) as go:
		if not go:
			return
		print("== (a) desk report TA Assistance Delivered (cold, then cache hit)")
		resolve(f"{REPORT_MODULE}:execute")
		inv = ctx.invalidate
		inv()
		with captured_sql() as cold_sql:
			result = report_execute()
		rows = report_rows(result)
		message = result[2] if isinstance(result, (list, tuple)) and len(result) > 2 and not rows else None
		if message:
			raise RuntimeError(f"the report answered with a message, no rows: {str(message)[:200]}")
		new_request()
		with captured_sql() as hit_sql:
			report_execute()
		grain, mine = report_grain(rows)
		naive_rows = report_naive(grain)
		diff = same_rows(mine, naive_rows, grain)
		if diff:
			run.error(key, label, f"the report and its straightforward twin disagree: {diff}")
			return
		t_opt = timed(report_execute, ctx.runs["report"], before=inv)
		t_naive = timed(lambda: report_naive(grain), ctx.runs["report_naive"], warmup=0)
		grain_text = "programme and state" if grain == STATE_GRAIN else "programme (grouped report)"
		run.results[key] = {
			"label": label, "opt": t_opt, "naive": t_naive,
			"mem": peak_mb(report_execute, before=inv), "mem_naive": peak_mb(lambda: report_naive(grain)),
			"note": f"{len(rows)} rows ({len(mine)} per {grain_text}), equal figures; {len(cold_sql)} queries cold",
		}
		run.results["report_hit"] = {
			"label": "desk report execute({}), cache hit", "opt": timed(report_execute, ctx.runs["report_hit"], before=new_request),
			"naive": None, "mem": peak_mb(report_execute, before=new_request), "note": f"{len(hit_sql)} queries on a hit (a new request each time)",
		}
		profile("report_execute_cold", report_execute, ctx.profiles, before=inv)
		profile("report_naive", lambda: report_naive(grain), ctx.profiles)
		run.explain_queries("report", cold_sql)


# --------------------------------------------------------------------------------------------
# The public report (/transparency data): unfiltered and random Guest filters, cold; cache hit


def public_cached(values: dict, page: int = 1):
	"""The page's data as the page gets it (through its cache); without that function, the report itself."""
	try:
		fn = resolve("ta_programmes.transparency:public_report_cached")
	except Missing:
		T = resolve("ta_programmes.transparency")
		return resolve("ta_programmes.transparency:public_report")(T.Filters.from_dict(values), page=page)
	return fn(values, page=page)


def public_form_values(form: dict) -> dict:
	"""A Guest's filters as the page checks them."""
	return resolve("ta_programmes.transparency:Filters").public(form)


def filter_options() -> dict:
	from ta_programmes.core import constants as C

	first, last = frappe.db.sql("select year(min(start)), year(max(`end`)) from `tabTA Activity`")[0]
	return {
		"years": (int(first or 2016), int(last or 2026)),
		"donor": frappe.get_all("TA Donor", pluck="name", order_by="name"),
		"beneficiary_state": frappe.get_all("TA Beneficiary State", pluck="name", order_by="name"),
		"thematic_area": frappe.get_all("TA Thematic Area", pluck="name", order_by="name"),
		"regional_group": list(C.REGIONAL_GROUPS),
		"category": list(C.THEME_CATEGORIES),
	}


def random_form(rng: random.Random, options: dict) -> dict:
	"""A Guest's filter combination: a month range (often), a donor, a regional group, a category,
	a state, a theme (each sometimes); never empty."""
	form: dict[str, str] = {}
	while not form:
		if rng.random() < 0.6:
			first, last = options["years"]
			start = rng.randint(first * 12, last * 12 + 11)
			end = min(last * 12 + 11, start + rng.randint(0, 35))
			if rng.random() < 0.85:
				form["from_date"] = f"{start // 12}-{start % 12 + 1:02d}"
			if rng.random() < 0.85:
				form["to_date"] = f"{end // 12}-{end % 12 + 1:02d}"
		for key, p in (("donor", 0.25), ("regional_group", 0.25), ("category", 0.25), ("beneficiary_state", 0.2), ("thematic_area", 0.2)):
			if options[key] and rng.random() < p:
				form[key] = rng.choice(options[key])
	return form


def measure_public(run: Run, ctx) -> None:
	inv = ctx.invalidate
	key, label = "public", "public_report_cached unfiltered, page 1 (Guest), cold"
	with run.section("public", key, label) as go:
		if not go:
			return
		print("== public report: unfiltered cold, cache hit, random Guest filters cold")
		resolve("ta_programmes.transparency:public_report_cached", "ta_programmes.transparency:public_report")
		with as_user("Guest"):
			inv()
			with captured_sql() as cold_sql:
				report = public_cached({})
			new_request()
			with captured_sql() as hit_sql:
				public_cached({})
			t_cold = timed(lambda: public_cached({}), ctx.runs["public"], before=inv)
			mem = peak_mb(lambda: public_cached({}), before=inv)
			t_hit = timed(lambda: public_cached({}), ctx.runs["public_hit"], before=new_request)
			profile("public_report_cold", lambda: public_cached({}), ctx.profiles, before=inv)
		n = len(report.get("programmes") or []) if isinstance(report, dict) else "?"
		run.results[key] = {"label": label, "opt": t_cold, "naive": None, "mem": mem,
							"note": f"{len(cold_sql)} queries cold; {n} programmes on the page"}
		run.results["public_hit"] = {"label": "public_report_cached unfiltered, cache hit", "opt": t_hit, "naive": None,
									 "mem": None, "note": f"{len(hit_sql)} queries on a hit (a new request each time)"}
		try:
			resolve("ta_programmes.transparency:public_report_cached")
		except Missing as e:
			run.na("public_hit", "public_report_cached unfiltered, cache hit", f"{e}; cold rows measured with public_report")
		run.explain_queries("public", cold_sql)

	key, label = "public_filtered", "public_report_cached with random Guest filters, cold"
	with run.section("public", key, label) as go:
		if not go:
			return
		resolve("ta_programmes.transparency:Filters.public")
		rng = random.Random(SEED)
		options = filter_options()
		forms = [random_form(rng, options) for _ in range(ctx.runs["filters"])]
		times, queries = [], []
		with as_user("Guest"):
			public_cached(public_form_values(forms[0]))  # warm the code paths
			for i, form in enumerate(forms):
				inv()
				with captured_sql() as sql:
					started = time.perf_counter()
					public_cached(public_form_values(form))
					times.append(time.perf_counter() - started)
				if i < 5:
					queries += sql
			slowest = forms[max(range(len(forms)), key=times.__getitem__)]
			mem = peak_mb(lambda: public_cached(public_form_values(slowest)), before=inv)
			profile("public_report_filtered_slowest", lambda: public_cached(public_form_values(slowest)), ctx.profiles, before=inv)
		run.results[key] = {
			"label": f"public_report_cached, {len(forms)} random Guest filters (seed {SEED}), cold", "opt": times, "naive": None,
			"mem": mem, "note": f"max {fmt_s(max(times))} for {slowest}",
		}
		run.notes.append("random Guest filters: " + "; ".join(
			f"{fmt_s(t)} {urllib.parse.urlencode(f)}" for f, t in zip(forms, times, strict=True)))
		run.explain_queries("public filtered", queries)


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


def measure_conflict(run: Run, ctx) -> None:
	key, label = "conflict", "check_trainer_conflicts on save (no clash) vs Python scan"
	with run.section("conflict", key, label) as go:
		if not go:
			return
		print("== (b) trainer-conflict check")
		scheduling = resolve("ta_programmes.scheduling")
		resolve("ta_programmes.scheduling:check_trainer_conflicts", "ta_programmes.scheduling:bookings_in_window")
		doc, sessions, clash, n_bookings = conflict_case()
		if conflicts_optimised(doc, sessions) != conflicts_naive(doc, sessions):
			run.error(key, label, "the conflict check and its straightforward twin disagree (no-clash case)")
			return
		hit_opt, hit_naive = conflicts_optimised(doc, clash), conflicts_naive(doc, clash)
		if not hit_opt or hit_opt != hit_naive:
			run.error(key, label, f"the conflict check and its straightforward twin disagree (clash case): {hit_opt} vs {hit_naive}")
			return
		if not check_conflicts_raises(doc, clash):
			run.error(key, label, "check_trainer_conflicts did not refuse a clash")
			return
		frappe.db.rollback()
		with captured_sql() as conflict_sql:
			scheduling.check_trainer_conflicts(doc, sessions)
		frappe.db.rollback()
		rollback = frappe.db.rollback
		run.results[key] = {
			"label": label, "opt": timed(lambda: scheduling.check_trainer_conflicts(doc, sessions), ctx.runs["conflict"], after=rollback),
			"naive": timed(lambda: conflicts_naive(doc, sessions), ctx.runs["conflict_naive"]),
			"mem": peak_mb(lambda: scheduling.check_trainer_conflicts(doc, sessions), after=rollback),
			"mem_naive": peak_mb(lambda: conflicts_naive(doc, sessions)),
			"note": f"{doc.name}: {len(doc.trainers)} trainers with {n_bookings} bookings, {len(sessions)} sessions",
		}
		run.results["conflict_hit"] = {
			"label": "check_trainer_conflicts (clashes found, message) vs Python scan",
			"opt": timed(lambda: check_conflicts_raises(doc, clash), ctx.runs["conflict"], after=rollback),
			"naive": timed(lambda: conflicts_naive(doc, clash), ctx.runs["conflict_naive"]),
			"mem": peak_mb(lambda: check_conflicts_raises(doc, clash), after=rollback), "mem_naive": peak_mb(lambda: conflicts_naive(doc, clash)),
			"note": f"{len(hit_opt)} conflicts found by both",
		}
		profile("conflict_check", lambda: (scheduling.check_trainer_conflicts(doc, sessions), rollback()), ctx.profiles)
		profile("conflict_clash", lambda: (check_conflicts_raises(doc, clash), rollback()), ctx.profiles)
		profile("conflict_naive", lambda: conflicts_naive(doc, sessions), ctx.profiles)
		run.explain_queries("conflict", conflict_sql, keep=lambda q: "TA Trainer" in q)

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


def measure_gate(run: Run, ctx) -> None:
	key, label = "decide", "oversight.decide on approve vs whole documents"
	with run.section("gate", key, label) as go:
		if not go:
			return
		print("== (c) oversight gate")
		oversight = resolve("ta_programmes.oversight")
		resolve("ta_programmes.oversight:decide")
		programme, approver, n_signoffs = gate_case()
		d_opt, d_naive = oversight.decide(programme, approver), decide_naive(programme, approver)
		if (d_opt.approvable, d_opt.failed, d_opt.signoff_states) != (d_naive.approvable, d_naive.failed, d_naive.signoff_states):
			run.error(key, label, "oversight.decide and its straightforward twin disagree")
			return
		if not d_opt.approvable:
			run.notes.append(f"gate of {programme.name} does not hold: {oversight.alert_text(d_opt)}")
		with captured_sql() as gate_sql:
			oversight.decide(programme, approver)
		run.results[key] = {
			"label": label, "opt": timed(lambda: oversight.decide(programme, approver), ctx.runs["decide"]),
			"naive": timed(lambda: decide_naive(programme, approver), ctx.runs["decide_naive"]),
			"mem": peak_mb(lambda: oversight.decide(programme, approver)), "mem_naive": peak_mb(lambda: decide_naive(programme, approver)),
			"note": f"{programme.name}: {n_signoffs} sign-offs, {frappe.db.count('TA Activity', {'programme': programme.name})} activities, approvable={d_opt.approvable}",
		}
		profile("decide", lambda: oversight.decide(programme, approver), ctx.profiles)
		run.explain_queries("gate", gate_sql)

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


def measure_pdf(run: Run, ctx) -> None:
	key, label = "pdf", f"transparency PDF, about {ctx.size['pdf_pages']} pages (build_pdf)"
	with run.section("pdf", key, label) as go:
		if not go:
			return
		print(f"== (d) PDF of about {ctx.size['pdf_pages']} pages")
		build_pdf = resolve("ta_programmes.core.report_pdf:build_pdf")
		resolve("ta_programmes.transparency:report_data")
		data, pages, n_programmes = pdf_data(ctx.size["pdf_pages"])
		run.results[key] = {
			"label": f"transparency PDF, {pages} pages (build_pdf)", "opt": timed(lambda: build_pdf(data, io.BytesIO()), ctx.runs["pdf"], warmup=0),
			"naive": None, "mem": peak_mb(lambda: build_pdf(data, io.BytesIO())),
			"note": f"{len(data.programmes)} programme rows ({n_programmes} real, the rest repeated to reach the size)"
			if len(data.programmes) > n_programmes else f"{len(data.programmes)} programme rows",
		}
		profile("pdf", lambda: build_pdf(data, io.BytesIO()), ctx.profiles)


# --------------------------------------------------------------------------------------------
# (e) the IATI file of every programme


def drain(obj) -> tuple[int, bytes | None]:
	"""Consume what an endpoint produced (bytes, a string, a generator of chunks, a werkzeug
	Response): its size, to the last byte."""
	from werkzeug.wrappers import Response

	if obj is None:
		return 0, b""
	if isinstance(obj, Response):
		try:
			return drain(obj.iter_encoded())
		finally:
			obj.close()
	if isinstance(obj, str):
		obj = obj.encode()
	if isinstance(obj, (bytes, bytearray)):
		return len(obj), bytes(obj)
	n, head = 0, []
	for chunk in obj:
		if isinstance(chunk, str):
			chunk = chunk.encode()
		n += len(chunk)
		if len(head) < 4:
			head.append(chunk)
	return n, b"".join(head)


@contextmanager
def bound_request(path: str, method: str = "GET"):
	"""A request bound to ``frappe.request`` meanwhile, for an endpoint called in process."""
	from werkzeug.test import EnvironBuilder
	from werkzeug.wrappers import Request

	previous = getattr(frappe.local, "request", None)
	frappe.local.request = Request(EnvironBuilder(path=path, method=method, headers={"Host": frappe.local.site}).get_environ())
	try:
		yield
	finally:
		if previous is None:
			try:
				del frappe.local.request
			except AttributeError:
				pass
		else:
			frappe.local.request = previous


def iati_file(keep: bool = False):
	"""The IATI file as a Guest gets it from ``api.iati.activities`` (called in process), consumed
	to the last byte; with ``keep``, the whole content."""
	fn = resolve(IATI_METHOD.rsplit(".", 1)[0] + ":" + IATI_METHOD.rsplit(".", 1)[1])
	new_request()
	frappe.local.response = frappe._dict({"docs": []})
	with bound_request(f"/api/method/{IATI_METHOD}"):
		out = fn()
	if out is None:
		out = frappe.local.response.get("filecontent")
	if keep and not isinstance(out, (bytes, bytearray, str)):
		from werkzeug.wrappers import Response

		chunks = out.iter_encoded() if isinstance(out, Response) else out
		content = b"".join(c.encode() if isinstance(c, str) else c for c in chunks)
		if isinstance(out, Response):
			out.close()
		return len(content), content
	n, content = drain(out)
	return n, content if keep else None


def measure_iati(run: Run, ctx) -> None:
	key, label = "iati", "IATI file of every programme (api.iati.activities in process, to last byte)"
	with run.section("iati", key, label) as go:
		if not go:
			return
		print("== (e) IATI file of every programme")
		with as_user("Guest"):
			with captured_sql() as sql:
				size, content = iati_file(keep=True)
			activities = content.count(b"<iati-activity ") + content.count(b"<iati-activity>")
			del content
			times = timed(lambda: iati_file(), ctx.runs["iati"], warmup=0)
			mem = peak_mb(lambda: iati_file())
			profile("iati", lambda: iati_file(), ctx.profiles)
		run.results[key] = {
			"label": f"IATI file, {activities} activities (api.iati.activities in process, to last byte)", "opt": times,
			"naive": None, "mem": mem, "note": f"{fmt_kb(size)}, {len(sql)} queries (tracemalloc peak of the whole call)",
		}
		run.explain_queries("iati", sql)


# --------------------------------------------------------------------------------------------
# (f) the duplication check of the programme form


def insert_external(n: int, seed: int) -> int:
	"""``n`` synthetic external IATI activities (1-2 of the site's countries, a DAC code of its
	themes or a 3-digit category, a tenth open-ended) in the current transaction: the caller rolls back."""
	if n <= 0:
		return 0
	rng = random.Random(seed)
	iso = [c for c in frappe.get_all("TA Beneficiary State", pluck="iso_code") if c]
	codes = sorted({c for c in frappe.get_all("TA Thematic Area", pluck="dac_code") if c}) or ["15130"]
	if not iso:
		return 0
	first, last = frappe.db.sql("select min(planned_start), max(planned_end) from `tabTA Programme`")[0]
	first = first or frappe.utils.getdate("2016-01-01")
	span = max(1, ((last or first) - first).days)
	now = frappe.utils.now()
	std = ("creation", "modified", "modified_by", "owner", "docstatus", "idx")
	parents, countries, sectors = [], [], []
	for i in range(n):
		name = f"{EXTERNAL_PREFIX}{i:06d}"
		start = first + timedelta(days=rng.randint(0, span))
		end = None if rng.random() < 0.1 else start + timedelta(days=rng.randint(90, 1460))
		parents.append((name, now, now, "Administrator", "Administrator", 0, 0, name, f"External activity {i}",
						f"Publisher {i % 40}", f"XM-BENCH-PUB-{i % 40}", start, end))
		for j, c in enumerate(rng.sample(iso, min(len(iso), rng.choice((1, 1, 1, 2))))):
			countries.append((f"{name}-c{j}", now, now, "Administrator", "Administrator", 0, j + 1, c.upper(), name, "countries", "TA External Activity"))
		code, vocabulary = rng.choice(codes), "1"
		if rng.random() < 0.2:
			code, vocabulary = code[:3], "2"
		sectors.append((f"{name}-s0", now, now, "Administrator", "Administrator", 0, 1, code, vocabulary, name, "sectors", "TA External Activity"))

	def insert(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
		cols = ", ".join(f"`{c}`" for c in columns)
		for k in range(0, len(rows), 2000):
			chunk = rows[k : k + 2000]
			marks = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(chunk))
			frappe.db.sql(f"insert into `tab{table}` ({cols}) values {marks}", [v for r in chunk for v in r])

	insert("TA External Activity", ("name", *std, "iati_identifier", "title", "reporting_org_name", "reporting_org_ref", "start", "end"), parents)
	insert("TA External Country", ("name", *std, "country", "parent", "parentfield", "parenttype"), countries)
	insert("TA External Sector", ("name", *std, "code", "vocabulary", "parent", "parentfield", "parenttype"), sectors)
	return n


def all_sources(lk) -> list:
	"""Every source the check may compare with, loaded whole: what one writes without the index."""
	from collections import defaultdict

	from frappe.utils import getdate
	from ta_programmes.core import deconfliction as D

	X = resolve("ta_programmes.deconfliction")
	programmes = frappe.get_all("TA Programme", filters={"status": ("in", D.COUNTED_STATUSES)},
								fields=["name", "title", "lead_agency", "planned_start", "planned_end"])
	org_ids = dict(frappe.get_all("TA Partner Organisation", fields=["name", "iati_org_id"], as_list=True))
	states, themes, institutions = defaultdict(list), defaultdict(list), defaultdict(set)
	for r in frappe.get_all("TA Programme State", filters={"parenttype": "TA Programme"}, fields=["parent", "beneficiary_state"]):
		states[r.parent].append(r.beneficiary_state)
	for r in frappe.get_all("TA Programme Theme", filters={"parenttype": "TA Programme"}, fields=["parent", "thematic_area"]):
		themes[r.parent].append(r.thematic_area)
	for r in frappe.get_all("TA Activity", fields=["programme", "institution_type"]):
		if r.institution_type:
			institutions[r.programme].add(r.institution_type)
	out = [
		D.Source(kind=D.PROGRAMME, key=p.name, title=p.title, owner=p.lead_agency,
				 states=X._iso_states(states[p.name], lk.iso), codes=X._codes(themes[p.name], lk.dac),
				 start=getdate(p.planned_start), end=getdate(p.planned_end), institution_types=frozenset(institutions[p.name]),
				 themes=frozenset(themes[p.name]), owner_ids=D.owner_ids(p.lead_agency, org_ids.get(p.lead_agency)))
		for p in programmes if p.planned_start and p.planned_end
	]
	countries, codes = defaultdict(set), defaultdict(set)
	for r in frappe.get_all("TA External Country", filters={"parenttype": "TA External Activity"}, fields=["parent", "country"]):
		countries[r.parent].add((r.country or "").upper())
	for r in frappe.get_all("TA External Sector", filters={"parenttype": "TA External Activity"}, fields=["parent", "code", "vocabulary"]):
		if norm := D.norm_code(r.code, r.vocabulary):
			codes[r.parent].add(norm)
	for a in frappe.get_all("TA External Activity", fields=["name", "title", "reporting_org_name", "reporting_org_ref", "start", "end"]):
		if not a.start:
			continue
		out.append(D.Source(kind=D.EXTERNAL, key=a.name, title=a.title or a.name,
							owner=a.reporting_org_name or a.reporting_org_ref or "", states=frozenset(countries[a.name]),
							codes=frozenset(codes[a.name]), start=getdate(a.start), end=getdate(a.end) if a.end else None,
							owner_ids=D.owner_ids(a.reporting_org_ref)))
	return out


def dedup_naive(doc) -> list:
	from ta_programmes.core import deconfliction as D

	X = resolve("ta_programmes.deconfliction")
	lk = X.lookups()
	me = X.programme_source(doc, lk)
	if not (me.states and me.codes and doc.planned_start and doc.planned_end):
		return []
	return D.scan(me, all_sources(lk))


def measure_dedup(run: Run, ctx) -> None:
	key, label = "dedup_site", "duplication check candidates_for(programme) on the site vs every source + scan"
	with run.section("dedup", key, label) as go:
		if not go:
			return
		print("== (f) duplication check of the programme form (deconfliction.candidates_for)")
		candidates_for = resolve("ta_programmes.deconfliction:candidates_for")
		from ta_programmes.core import deconfliction as D

		try:
			started = time.perf_counter()
			inserted = insert_external(ctx.external, SEED)
			insert_seconds = time.perf_counter() - started
			n_external = frappe.db.count("TA External Activity")
			rng = random.Random(SEED)
			names = frappe.get_all("TA Programme", filters={"status": ("in", D.COUNTED_STATUSES)}, pluck="name", order_by="name")
			docs = [frappe.get_doc("TA Programme", n) for n in rng.sample(names, min(len(names), ctx.runs["dedup_site"]))]
			docs = [d for d in docs if d.beneficiary_states and d.thematic_areas and d.planned_start and d.planned_end]
			if not docs:
				raise Missing("no programme with states, themes and dates on this site")
			found = {d.name: candidates_for(d) for d in docs}
			checked = docs[: max(1, ctx.runs["dedup_naive"])]
			for d in checked:
				naive = dedup_naive(d)
				if naive != found[d.name]:
					run.error(key, label, f"candidates_for and the scan disagree for {d.name}: {len(found[d.name])} vs {len(naive)} candidates")
					return
			times = []
			for d in docs:
				started = time.perf_counter()
				candidates_for(d)
				times.append(time.perf_counter() - started)
			busiest = max(docs, key=lambda d: len(found[d.name]))
			with captured_sql() as sql:
				candidates_for(busiest)
			t_naive = timed(lambda: dedup_naive(checked[0]), ctx.runs["dedup_naive"], warmup=0)
			counts = sorted(len(v) for v in found.values())
			run.results[key] = {
				"label": f"duplication check candidates_for(programme), {len(docs)} programmes, vs every source + scan", "opt": times,
				"naive": t_naive, "mem": peak_mb(lambda: candidates_for(busiest)), "mem_naive": peak_mb(lambda: dedup_naive(checked[0])),
				"note": f"{n_external} external activities ({inserted} synthetic, inserted in {insert_seconds:.1f} s and rolled back); "
				f"candidates per programme median {statistics.median(counts):.0f}, max {counts[-1]}; equal to the scan's for {len(checked)}",
			}
			profile("dedup_site", lambda: candidates_for(busiest), ctx.profiles)
			run.explain_queries("duplication", sql)
		finally:
			frappe.db.rollback()  # the synthetic external activities go
			left = frappe.db.count("TA External Activity", {"name": ("like", f"{EXTERNAL_PREFIX}%")})
			if left:  # something committed meanwhile: delete them, and say so
				for table, field in (("TA External Country", "parent"), ("TA External Sector", "parent"), ("TA External Activity", "name")):
					frappe.db.sql(f"delete from `tab{table}` where `{field}` like %s", (f"{EXTERNAL_PREFIX}%",))
				frappe.db.commit()
				run.notes.append(f"{left} synthetic external activities had been committed by a measured path: deleted")

	key, label = "dedup", "find_overlaps with the index vs scan (pure core, synthetic sources)"
	with run.section("dedup", key, label) as go:
		if not go:
			return
		print("== (f) duplication check, pure core (core.deconfliction.find_overlaps vs scan)")
		sys.path.insert(0, str(Path(__file__).resolve().parent))
		import deconfliction as dedup_bench

		run.results[key] = dedup_bench.measure(*DEDUP[ctx.args.size])


# --------------------------------------------------------------------------------------------
# (g) the indicator report


def indicator_execute():
	return resolve(f"{INDICATOR_MODULE}:execute")({})


def measure_indicators(run: Run, ctx) -> None:
	key, label = "indicators", f"indicator report {INDICATOR_REPORT} execute({{}}) as TA Programme Manager, cold"
	with run.section("indicators", key, label) as go:
		if not go:
			return
		print(f"== (g) indicator report {INDICATOR_REPORT}")
		resolve(f"{INDICATOR_MODULE}:execute")
		inv = ctx.invalidate
		with as_user(ctx.manager):
			inv()
			with captured_sql() as sql:
				rows = report_rows(indicator_execute())
			times = timed(indicator_execute, ctx.runs["indicators"], before=inv)
			mem = peak_mb(indicator_execute, before=inv)
			profile("indicator_report", indicator_execute, ctx.profiles, before=inv)
		n_indicators = frappe.db.count("TA Indicator")
		run.results[key] = {
			"label": label, "opt": times, "naive": None, "mem": mem,
			"note": f"{len(rows)} rows, {n_indicators} indicators on the site, {len(sql)} queries"
			+ ("; no results framework on this site: nothing to measure at scale" if not n_indicators else ""),
		}
		run.explain_queries("indicators", sql)


# --------------------------------------------------------------------------------------------
# (h) the bulk generator


def time_bulk(site: str, sites: Path, size: dict) -> dict:
	"""The generator run at this size on another (scratch) site, in its own process: its own account of its time."""
	g = size["generate"]
	cmd = [sys.executable, str(Path(__file__).resolve().parent / "bulk.py"), "--site", site, "--sites-path", str(sites), "--reset",
		   "--activities", str(g["activities"]), "--programmes", str(g["programmes"]), "--states", str(g["states"]),
		   "--trainers", str(g["trainers"])]
	started = time.perf_counter()
	proc = subprocess.run(cmd, cwd=sites, capture_output=True, text=True)
	wall = time.perf_counter() - started
	text = (proc.stdout or "") + (proc.stderr or "")
	match = re.search(r"Generated .*?\((\d+) rows\) in ([\d.]+)s \(database ([\d.]+)s", text)
	if proc.returncode or not match:
		raise RuntimeError(f"the generator on {site} failed (exit {proc.returncode}): {text.strip()[-300:]}")
	return {"seconds": float(match.group(2)), "db_seconds": float(match.group(3)), "total_rows": int(match.group(1)), "wall": wall}


def bulk_row(run: Run, gen: dict | None, activities: int, where: str) -> None:
	key = "bulk"
	label = f"bulk generator, {activities} activities"
	if not gen:
		run.na(key, label, "not run: pass --generate (this site) or --time-bulk SCRATCH_SITE")
		return
	run.results[key] = {
		"label": label, "opt": [gen["seconds"]], "naive": None, "mem": None,
		"note": f"{gen['total_rows']} rows, database {gen.get('db_seconds', '?')} s ({where}; the generator's own timing)",
		"target_applies": activities >= 100_000,
	}


# --------------------------------------------------------------------------------------------
# HTTP through gunicorn


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

	def __init__(self, bench: Path, port: int, workers: int = 2, threads: int = 4):
		self.bench, self.port, self.workers, self.threads = bench, port, workers, threads
		self.proc = None
		self.log = open(bench / "logs" / f"benchmark-gunicorn-{port}.log", "w")

	def start(self, site: str) -> None:
		cmd = [str(self.bench / "env" / "bin" / "gunicorn"), "-b", f"127.0.0.1:{self.port}", "-w", str(self.workers), "-t", "120",
			   *(["--worker-class", "gthread", "--threads", str(self.threads)] if self.threads > 1 else []),
			   "frappe.app:application", "--preload"]
		self.proc = subprocess.Popen(cmd, cwd=self.bench / "sites", stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
		deadline = time.time() + 90
		while time.time() < deadline:
			if self.proc.poll() is not None:
				raise SystemExit(f"gunicorn exited; see {self.log.name}")
			try:
				if request(self.port, site, "GET", "/api/method/ping")["status"] == 200:
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


def request(port: int, site: str, method: str, path: str, headers: dict | None = None, body: str | None = None) -> dict:
	"""One request as a browser sends it (``Accept-Encoding: gzip``): status, decoded body, time to
	the first byte of the response (its headers) and to the last, bytes on the wire and decoded, encoding."""
	conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
	try:
		started = time.perf_counter()
		hdrs = {"Host": site, "Accept": "application/json, text/html", "Accept-Encoding": "gzip", **(headers or {})}
		if body is not None:
			hdrs["Content-Type"] = "application/x-www-form-urlencoded"
		conn.request(method, path, body=body, headers=hdrs)
		response = conn.getresponse()
		first = time.perf_counter() - started
		data = response.read()
		seconds = time.perf_counter() - started
		encoding = (response.getheader("Content-Encoding") or "identity").lower()
		decoded = data
		if encoding == "gzip":
			try:
				decoded = gzip.decompress(data)
			except OSError:
				encoding = "gzip (invalid)"
		return {"status": response.status, "body": decoded, "seconds": seconds, "ttfb": first, "wire": len(data),
				"size": len(decoded), "encoding": encoding}
	finally:
		conn.close()


def rss_sampler(pids: list[int]):
	"""Samples the largest RSS of the given processes every 50 ms until stopped: (stop, peak dict)."""
	import psutil

	peak = {"rss": 0}
	stop = threading.Event()

	def sample():
		procs = [psutil.Process(p) for p in pids if psutil.pid_exists(p)]
		while not stop.is_set():
			for p in procs:
				try:
					peak["rss"] = max(peak["rss"], p.memory_info().rss)
				except psutil.Error:
					pass
			time.sleep(0.05)

	thread = threading.Thread(target=sample, daemon=True)
	thread.start()

	def done() -> float:
		stop.set()
		thread.join()
		return peak["rss"] / 1e6

	return done


def run_clients(port: int, site: str, clients: list[dict], max_seconds: float, pids: list[int]) -> dict:
	"""Client threads, each sending its requests one after the other until its count or the time
	is up. A client: {"group", "next": fn(rng) -> endpoint, "count" (None: until the time is up),
	"before": fn() run before each request (untimed), "seed"}. Statistics per group."""
	groups: dict[str, dict] = {}
	lock = threading.Lock()
	stop = time.time() + max_seconds

	def client(spec: dict) -> None:
		rng = random.Random(spec.get("seed", 0))
		g = groups[spec["group"]]
		sent = 0
		while time.time() < stop and (spec.get("count") is None or sent < spec["count"]):
			sent += 1
			ep = spec["next"](rng)
			try:
				if spec.get("before"):
					spec["before"]()
				r = request(port, site, ep["method"], ep["path"], ep.get("headers"), ep.get("body"))
			except Exception as e:
				with lock:
					g["errors"].append(f"{type(e).__name__}: {e}"[:200])
				continue
			with lock:
				g["latencies"].append(r["seconds"])
				g["wire"].append(r["wire"])
				g["size"].append(r["size"])
				g["encodings"].add(r["encoding"])
				if r["status"] != 200:
					g["errors"].append(f"HTTP {r['status']} {ep['path'][:80]}: {r['body'][:160]!r}")

	for spec in clients:
		groups.setdefault(spec["group"], {"latencies": [], "wire": [], "size": [], "encodings": set(), "errors": []})
	done = rss_sampler(pids)
	started = time.perf_counter()
	threads = [threading.Thread(target=client, args=(spec,)) for spec in clients]
	for t in threads:
		t.start()
	for t in threads:
		t.join()
	wall = time.perf_counter() - started
	rss = done()
	out = {}
	for name, g in groups.items():
		lat = g["latencies"]
		out[name] = {
			"n": len(lat), "p50": percentile(lat, 50), "p95": percentile(lat, 95), "max": max(lat or [0]),
			"rps": len(lat) / wall if wall else 0, "errors": g["errors"], "wire": int(statistics.median(g["wire"])) if lat else 0,
			"size": int(statistics.median(g["size"])) if lat else 0, "encoding": "/".join(sorted(g["encodings"])) or "—",
			"worker_rss_mb": rss, "wall": wall,
		}
	return out


def load(port: int, site: str, endpoint: dict, per_client: int, max_seconds: float, pids: list[int], before=None) -> dict:
	"""``CLIENTS`` threads, each sending ``per_client`` requests to one endpoint (bounded by time)."""
	specs = [{"group": "all", "next": lambda _rng: endpoint, "count": per_client, "before": before} for _ in range(CLIENTS)]
	return run_clients(port, site, specs, max_seconds, pids)["all"]


LIST_FIELDS = [f"`tabTA Activity`.`{f}`" for f in (
	"name", "owner", "creation", "modified", "modified_by", "_user_tags", "_comments", "_assign", "_liked_by", "docstatus",
	"idx", "title", "programme", "status", "beneficiary_state", "start",
)]


def endpoints(auth: dict, report_auth: dict | None = None) -> dict[str, dict]:
	form = urllib.parse.urlencode
	return {
		"page": {"label": "GET /transparency (Guest)", "method": "GET", "path": "/transparency"},
		"list": {"label": "desk list: reportview.get (TA Activity, 20 rows)", "method": "POST",
				 "path": "/api/method/frappe.desk.reportview.get", "headers": auth,
				 "body": form({"doctype": "TA Activity", "fields": json.dumps(LIST_FIELDS), "filters": "[]",
							   "order_by": "`tabTA Activity`.`start` desc", "start": 0, "page_length": 20, "view": "List",
							   "group_by": "", "with_comment_count": 1})},
		"count": {"label": "desk list count: reportview.get_count", "method": "POST",
				  "path": "/api/method/frappe.desk.reportview.get_count", "headers": auth,
				  "body": form({"doctype": "TA Activity", "filters": "[]", "fields": "[]", "distinct": "false", "limit": 1001})},
		"report": {"label": f"desk report: query_report.run ({REPORT}, unfiltered)", "method": "POST",
				   "path": "/api/method/frappe.desk.query_report.run", "headers": report_auth or auth,
				   "body": form({"report_name": REPORT, "filters": "{}", "ignore_prepared_report": "false", "are_default_filters": "false"})},
		"iati": {"label": "GET IATI file (Guest)", "method": "GET", "path": f"/api/method/{IATI_METHOD}"},
	}


USER_ROLES = {API_USER: ("TA Programme Manager",), ADMIN_USER: ("TA Programme Manager", "System Manager")}


def ensure_user(email: str = API_USER) -> str:
	"""The benchmark's TA Programme Manager (desk endpoints, the indicator report), with its role;
	ADMIN_USER also System Manager (the desk report over HTTP when a manager is refused)."""
	roles = USER_ROLES[email]
	if not frappe.db.exists("User", email):
		user = frappe.get_doc({"doctype": "User", "email": email, "first_name": "Benchmark", "last_name": email.split("@")[0],
							   "send_welcome_email": 0, "user_type": "System User", "roles": [{"role": r} for r in roles]})
		user.flags.no_welcome_mail = True
		user.insert(ignore_permissions=True)
		frappe.db.commit()
	elif missing := set(roles) - set(frappe.get_roles(email)):
		frappe.get_doc("User", email).add_roles(*sorted(missing))
		frappe.db.commit()
	return email


def api_auth(email: str = API_USER) -> dict:
	from frappe.core.doctype.user.user import generate_keys

	ensure_user(email)
	secret = generate_keys(email)["api_secret"]
	key = frappe.db.get_value("User", email, "api_key")
	frappe.db.commit()
	return {"Authorization": f"token {key}:{secret}"}


def http_note(r: dict) -> str:
	size = fmt_kb(r["wire"]) + f" on the wire ({r['encoding']})"
	if r["size"] != r["wire"]:
		size += f", {fmt_kb(r['size'])} decoded"
	return (f"{r['n']} requests, {r['rps']:.1f} req/s, max {fmt_s(r['max'])}, {size}"
			+ (f", {len(r['errors'])} errors" if r["errors"] else ""))


def http_row(run: Run, key: str, label: str, r: dict, extra: str = "") -> None:
	run.results[key] = {"label": label, "http": True, "opt": None, "p50": r["p50"], "p95": r["p95"], "naive": None, "mem": None,
						"rss": r["worker_rss_mb"], "note": http_note(r) + extra, "fail": bool(r["errors"])}
	if r["errors"]:
		run.notes.append(f"{label}: {len(r['errors'])} errors, first: {r['errors'][0]}")


def measure_http(run: Run, ctx, bench: Path) -> None:
	args, size, site = ctx.args, ctx.size, ctx.args.site
	inv = ctx.invalidate.for_threads()
	kind = f"{args.workers} gthread workers x {args.threads} threads" if args.threads > 1 else f"{args.workers} sync workers"
	print(f"== (i) HTTP: gunicorn ({kind}) on 127.0.0.1, {CLIENTS} concurrent clients, Accept-Encoding: gzip")
	auth = api_auth()
	port = free_port(args.port)
	server = Server(bench, port, args.workers, args.threads)
	ctx.server = server
	server.start(site)
	eps = endpoints(auth)
	probe = eps["report"]
	r = request(port, site, probe["method"], probe["path"], probe["headers"], probe["body"])
	if r["status"] == 403:
		run.notes.append(
			f"the desk report over HTTP refuses a TA Programme Manager (HTTP 403: {r['body'][:120]!r}): measured as "
			f"{ADMIN_USER} (TA Programme Manager and System Manager)"
		)
		eps = endpoints(auth, api_auth(ADMIN_USER))
	for key in ("page", "list", "count", "report"):  # warm every worker
		for _ in range(2 * args.workers):
			request(port, site, eps[key]["method"], eps[key]["path"], eps[key].get("headers"), eps[key].get("body"))
	per_client, cold_per_client, seconds = size["http_requests_per_client"], size["http_cold_requests_per_client"], size["http_seconds"]

	def warm(ep):
		request(port, site, ep["method"], ep["path"], ep.get("headers"), ep.get("body"))

	plan = [
		("http_transparency", "page", "GET /transparency unfiltered (Guest), cache hit", None, per_client),
		("http_transparency_cold", "page", "GET /transparency unfiltered (Guest), cold: invalidated before each request", inv.from_thread, cold_per_client),
		("http_list", "list", eps["list"]["label"], None, per_client),
		("http_count", "count", eps["count"]["label"], None, per_client),
		("http_report", "report", f"desk report: query_report.run ({REPORT}, unfiltered), cold: invalidated before each request", inv.from_thread, cold_per_client),
		("http_report_hit", "report", f"desk report: query_report.run ({REPORT}, unfiltered), cache hit", None, per_client),
	]
	for key, ep_key, label, before, count in plan:
		with run.section("http", key, label) as go:
			if not go:
				continue
			ep = eps[ep_key]
			if before is None:
				inv()
				warm(ep)
			singles = []
			for _ in range(3):  # one request at a time: the service time, without queueing
				if before:
					inv()
				singles.append(request(port, site, ep["method"], ep["path"], ep.get("headers"), ep.get("body"))["seconds"])
			r = load(port, site, ep, count, seconds, server.pids(), before=before)
			http_row(run, key, label, r, f"; one at a time: {', '.join(fmt_s(s) for s in singles)}")
			if before:
				inv()
			profile_request(key, site, ep, ctx.profiles)

	# The load test: 8 Guests with random filters, a probe on the unfiltered page meanwhile.
	key = "http_load"
	label = f"load: {CLIENTS} Guests random filters {ctx.load_seconds:.0f} s; probe GET /transparency unfiltered"
	with run.section("http", key, label) as go:
		if go:
			print(f"   load test: {CLIENTS} Guests sending random filters for {ctx.load_seconds:.0f} s, a probe on the unfiltered page")
			options = filter_options()
			inv()
			warm(eps["page"])

			def filtered(rng):
				return {"method": "GET", "path": "/transparency?" + urllib.parse.urlencode(random_form(rng, options))}

			specs = [{"group": "filtered", "next": filtered, "count": None, "seed": SEED + i} for i in range(CLIENTS)]
			specs.append({"group": "probe", "next": lambda _rng: eps["page"], "count": None})
			g = run_clients(port, site, specs, ctx.load_seconds, server.pids())
			probe, filt = g["probe"], g["filtered"]
			errors = probe["errors"] + filt["errors"]
			run.results[key] = {
				"label": label, "http": True, "opt": None, "p50": probe["p50"], "p95": probe["p95"], "naive": None, "mem": None,
				"rss": probe["worker_rss_mb"], "fail": bool(errors),
				"note": f"probe: {probe['n']} requests, max {fmt_s(probe['max'])}; filtered: {filt['n']} requests, "
				f"p50 {fmt_s(filt['p50'])}, p95 {fmt_s(filt['p95'])}, max {fmt_s(filt['max'])}; "
				f"{len(errors)} failed of {probe['n'] + filt['n']}",
			}
			if errors:
				run.notes.append(f"load test: {len(errors)} failed requests, first: {errors[0]}")

	# The IATI file, one request at a time: time to first and last byte, worker memory.
	key = "http_iati"
	label = "GET IATI file (Guest), one client, to last byte"
	with run.section("http", key, label) as go:
		if go:
			ep = eps["iati"]
			print("   IATI file over HTTP")
			import psutil

			base = max((psutil.Process(p).memory_info().rss for p in server.pids() if psutil.pid_exists(p)), default=0) / 1e6
			first = request(port, site, ep["method"], ep["path"])
			if first["status"] != 200:
				raise RuntimeError(f"HTTP {first['status']}: {first['body'][:200]!r}")
			done = rss_sampler(server.pids())
			results = [request(port, site, ep["method"], ep["path"]) for _ in range(max(1, ctx.runs["iati"]))]
			peak = done()
			bad = [r for r in results if r["status"] != 200]
			run.results[key] = {
				"label": label, "http": True, "opt": [r["seconds"] for r in results], "naive": None, "mem": None, "rss": peak,
				"note": f"{len(results)} requests; first byte after {fmt_s(statistics.median(r['ttfb'] for r in results))} (median); "
				f"{fmt_kb(first['wire'])} on the wire ({first['encoding']}), {fmt_kb(first['size'])} decoded; "
				f"largest worker RSS {base:.0f} MB before, {peak:.0f} MB during",
				"fail": bool(bad),
			}
			profile_request(key, site, ep, ctx.profiles)


# --------------------------------------------------------------------------------------------
# Profiles (pyinstrument)


def profile(label: str, fn, folder: Path | None, before=None) -> str | None:
	if not folder:
		return None
	try:
		from pyinstrument import Profiler
	except ImportError:
		return None
	folder.mkdir(parents=True, exist_ok=True)
	if before:
		before()
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


class Ctx:
	"""What every measurement needs."""

	def __init__(self, args, size: dict, profiles: Path | None):
		self.args, self.size, self.runs, self.profiles = args, size, size["runs"], profiles
		self.load_seconds = args.load_seconds if args.load_seconds is not None else size["load_seconds"]
		self.external = args.external if args.external is not None else size["external"]
		self.invalidate: Invalidator | None = None
		self.manager = "Administrator"
		self.server: Server | None = None


def main(argv=None) -> int:
	global frappe
	parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
	parser.add_argument("--site", required=True)
	parser.add_argument("--size", choices=tuple(SIZES), default="full")
	parser.add_argument("--generate", action="store_true", help="(re)fill the site at this size first")
	parser.add_argument("--time-bulk", default=None, metavar="SCRATCH_SITE",
						help="time the bulk generator at this size on another site (its bulk data is replaced)")
	parser.add_argument("--sites-path", default=None)
	parser.add_argument("--port", type=int, default=8020)
	parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
	parser.add_argument(
		"--threads", type=int, default=4,
		help="threads per gunicorn worker (gthread, as deploy/resources/ta-entrypoint.sh runs it; default 4); 1: sync workers",
	)
	parser.add_argument("--skip-http", action="store_true")
	parser.add_argument("--load-seconds", type=float, default=None, help="length of the load test (default: 60 s, tiny 5 s)")
	parser.add_argument("--external", type=int, default=None, metavar="N",
						help="synthetic external IATI activities for the duplication check (default 50 000, tiny 1 000; rolled back)")
	parser.add_argument("--only", default="", help=f"comma-separated sections to run: {','.join(SECTIONS)}")
	parser.add_argument("--skip", default="", help="comma-separated sections to leave out")
	parser.add_argument("--profile", default=None, metavar="DIR", help="write pyinstrument profiles of every path there")
	parser.add_argument("--json", default=None, metavar="FILE")
	parser.add_argument("--markdown", action="store_true", help="print the table as Markdown too")
	args = parser.parse_args(argv)
	only = {s.strip() for s in args.only.split(",") if s.strip()}
	skip = {s.strip() for s in args.skip.split(",") if s.strip()} | ({"http"} if args.skip_http else set())
	unknown = (only | skip) - set(SECTIONS)
	if unknown:
		parser.error(f"unknown sections {sorted(unknown)}; choose among {', '.join(SECTIONS)}")
	if args.time_bulk and args.time_bulk == args.site:
		parser.error("--time-bulk replaces the bulk data of its site: give a scratch site (or use --generate for this one)")
	size = SIZES[args.size]
	started_all = time.perf_counter()

	import frappe as _frappe

	frappe = _frappe
	sites = Path(args.sites_path or Path(frappe.__file__).resolve().parents[3] / "sites").resolve()
	bench = sites.parent
	os.chdir(sites)
	profiles = Path(args.profile).resolve() if args.profile else None
	ctx = Ctx(args, size, profiles)
	run = Run(only, skip)
	if profiles:
		try:
			import pyinstrument  # noqa: F401
		except ImportError:
			run.notes.append("--profile: pyinstrument is not installed in this env (pip install pyinstrument): no profile written")
			ctx.profiles = profiles = None
	gen, gen_where = None, ""
	if args.time_bulk:
		print(f"== timing the bulk generator on {args.time_bulk} ({size['generate']['activities']} activities)")
		try:
			gen, gen_where = time_bulk(args.time_bulk, sites, size), f"on {args.time_bulk}"
		except Exception as e:
			run.notes.append(f"--time-bulk: {e}")
	frappe.init(site=args.site, sites_path=str(sites))
	frappe.connect()
	frappe.set_user("Administrator")
	frappe.local.lang = "en"
	info, counts = {}, {}
	try:
		if str(Path(__file__).resolve().parent) not in sys.path:
			sys.path.insert(0, str(Path(__file__).resolve().parent))
		import bulk  # the generator, next to this file (it refuses a site that is not synthetic)

		if args.generate or not bulk.existing_bulk():
			print(f"== generating the {args.size} dataset")
			g = bulk.generate(**size["generate"], reset=True, progress=True)
			if not gen:
				gen, gen_where = g, "this site, --generate"
		bulk_row(run, gen, size["generate"]["activities"], gen_where)
		counts = {dt: frappe.db.count(dt) for dt in ("TA Programme", "TA Activity", "TA Activity Session", "TA Trainer Booking",
													 "TA Trainer", "TA Beneficiary State", "TA External Activity", "TA Indicator")}
		info = machine()
		print("== machine: " + ", ".join(f"{k} {v}" for k, v in info.items()))
		print("== data: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
		ctx.manager = ensure_user()
		ctx.invalidate = Invalidator()
		run.notes.append(f"cold = before each timed run, as an edit of an activity: {ctx.invalidate.describe()}")

		measure_report(run, ctx)
		measure_public(run, ctx)
		measure_conflict(run, ctx)
		measure_gate(run, ctx)
		measure_pdf(run, ctx)
		measure_iati(run, ctx)
		measure_dedup(run, ctx)
		measure_indicators(run, ctx)

		# list queries EXPLAIN: the desk's own endpoints, in process, as the API user
		if run.wanted("http") or run.wanted("report"):
			try:
				from frappe.desk import reportview

				with as_user(ctx.manager), captured_sql() as list_sql:
					for key in ("list", "count"):
						ep = endpoints({})[key]
						frappe.local.form_dict = frappe._dict(urllib.parse.parse_qsl(ep["body"]))
						(reportview.get if key == "list" else reportview.get_count)()
				frappe.local.form_dict = frappe._dict()
				run.explain_queries("list", list_sql, keep=lambda q: "tabTA Activity" in q)
			except Exception as e:
				run.notes.append(f"EXPLAIN of the list queries failed: {type(e).__name__}: {e}")
			frappe.db.rollback()

		if run.wanted("http"):
			try:
				measure_http(run, ctx, bench)
			except SystemExit as e:
				run.error("http", "HTTP (gunicorn)", str(e))
	finally:
		if ctx.server:
			ctx.server.stop()
		frappe.db.rollback()

	table = render(run.results)
	print()
	print(table)
	print()
	for n in run.notes:
		print("note: " + n)
	print()
	print("EXPLAIN of the hot queries, each shape once (table: access type, key used, rows examined):")
	for area, q, plan in run.explains:
		short = " ".join(q.split())
		print(f"[{area}] {short[:400]}{'…' if len(short) > 400 else ''}")
		for p in plan:
			print(f"    {p.get('table')}: type={p.get('type')} key={p.get('key')} rows={p.get('rows')} {p.get('Extra') or ''}")
	if args.markdown:
		print()
		print(render(run.results, markdown=True))
	if profiles:
		print(f"\npyinstrument profiles in {profiles}")
	if run.failed:
		print("\nFAILED (two ways disagree or a path failed):\n  " + "\n  ".join(run.failed))
	if args.json:
		Path(args.json).write_text(json.dumps({"machine": info, "counts": counts, "results": run.results, "notes": run.notes,
											   "failed": run.failed}, indent=1, default=str))
	frappe.destroy()
	try:
		load_end = " ".join(open("/proc/loadavg").read().split()[:3])
	except OSError:
		load_end = "?"
	print(f"\nbenchmark ({args.size}) finished in {time.perf_counter() - started_all:.1f} s (load average at the end: {load_end})"
		  + (f"; {len(run.failed)} FAILED" if run.failed else ""))
	return 1 if run.failed else 0


def render(results: dict, markdown: bool = False) -> str:
	head = ["path", "optimised median", "optimised p95", "straightforward median", "ratio", "target", "met?", "peak memory", "notes"]
	lines = []
	for key, r in results.items():
		target_key = key if key in TARGETS else None
		target, limit, ratio_min, stat = TARGETS.get(target_key, ("—", None, None, "median"))
		if r.get("target_applies") is False:
			target, limit = f"{target} (at 100 000)", None
		if "na" in r or "error" in r:
			word = "n/a" if "na" in r else ("**ERROR**" if markdown else "ERROR")
			lines.append([r["label"], word, "", "", "", target, word, "", r.get("na") or r.get("error")])
			continue
		if r.get("http") and r.get("opt") is None:
			med, p95 = r["p50"], r["p95"]
		else:
			med, p95 = statistics.median(r["opt"]), percentile(r["opt"], 95)
		if r.get("http"):
			mem = f"{r['rss']:.0f} MB RSS/worker"
		elif r.get("mem") is None:
			mem = "—"
		else:
			mem = f"{r['mem']:.1f} MB" + (f" (vs {r['mem_naive']:.1f} MB)" if r.get("mem_naive") is not None else "")
		naive = statistics.median(r["naive"]) if r.get("naive") else None
		ratio = naive / med if naive and med else None
		met = "—"
		if limit is not None:
			ok = (p95 if stat == "p95" else med) <= limit and (ratio_min is None or (ratio or 0) >= ratio_min) and not r.get("fail")
			met = "yes" if ok else "**NO**" if markdown else "NO"
		lines.append([r["label"], fmt_s(med) + (" (p50)" if r.get("http") and r.get("opt") is None else ""), fmt_s(p95), fmt_s(naive),
					  f"{ratio:.0f}×" if ratio else "—", target, met, mem, r.get("note", "")])
	if markdown:
		out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
		out += ["| " + " | ".join(str(c).replace("|", "/") for c in line) + " |" for line in lines]
		return "\n".join(out)
	widths = [max(len(str(x)) for x in col) for col in zip(head, *lines, strict=False)]
	sep = "  "
	out = [sep.join(h.ljust(w) for h, w in zip(head, widths, strict=False)), sep.join("-" * w for w in widths)]
	out += [sep.join(str(c).ljust(w) for c, w in zip(line, widths, strict=False)) for line in lines]
	return "\n".join(out)


if __name__ == "__main__":
	sys.exit(main())
