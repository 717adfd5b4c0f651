"""Measure what a candidate index would do, before it goes into a doctype definition.

    /root/frappe-bench/env/bin/python tests/benchmark/try_index.py --site perf.localhost \
        [--index "TA Activity Trainer: parent, parenttype, trainer, hours"] ...

Captures the hot queries of the desk report and the public report (the SQL they really send),
times each (best of 3) with its EXPLAIN, adds the candidate indexes with ALTER TABLE, measures
again, times the two reports end to end before and after, and drops the indexes again whatever
happens: the site is left as its doctype definitions make it. Without ``--index`` it tries the
indexes recommended in tests/benchmark/README.md. For a performance site only, never production.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as B  # noqa: E402  (the benchmark's helpers)

RECOMMENDED = [
	"TA Activity: status, programme, beneficiary_state, thematic_area, participants_women, participants_men, "
	"participants_other, actual_participants, oversight_verified, end",
	"TA Activity Trainer: parent, parenttype, trainer, hours",
]


def parse(spec: str) -> tuple[str, list[str]]:
	doctype, _sep, columns = spec.partition(":")
	cols = [c.strip() for c in columns.split(",") if c.strip()]
	if not doctype.strip() or not cols:
		raise SystemExit(f"--index wants 'Doctype: col1, col2', not {spec!r}")
	return doctype.strip(), cols


def hot_queries(frappe) -> list[tuple[str, object]]:
	from ta_programmes import transparency as T

	with B.captured_sql() as queries:
		B.report_execute()
		T.public_report(T.Filters())
	out, seen = [], set()
	for q, v in queries:
		if q.lstrip().lower().startswith("select") and "tabTA Activity" in q and q[:400] not in seen:
			seen.add(q[:400])
			out.append((q, v))
	return out


def measure(frappe, queries, label: str) -> dict:
	from ta_programmes import transparency as T

	print(f"== {label}")
	per_query = []
	for i, (q, v) in enumerate(queries):
		best = min(B.timed(lambda q=q, v=v: frappe.db.sql(q, v) if v else frappe.db.sql(q), 3, warmup=0))
		per_query.append(best)
		plan = B.explain(q, v)
		print(f"q{i:<2} {best * 1000:8.1f} ms  {' '.join(q.split())[:120]}")
		for p in plan:
			print(f"       {p.get('table')}: type={p.get('type')} key={p.get('key')} rows={p.get('rows')} {p.get('Extra') or ''}")
	report = statistics.median(B.timed(B.report_execute, 5))
	public = statistics.median(B.timed(lambda: T.public_report(T.Filters()), 3))
	print(f"desk report execute({{}}): {B.fmt_s(report)}   public_report(): {B.fmt_s(public)}")
	return {"queries": per_query, "report": report, "public": public}


def main(argv=None) -> int:
	parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
	parser.add_argument("--site", required=True)
	parser.add_argument("--sites-path", default=None)
	parser.add_argument("--index", action="append", default=None, metavar="'Doctype: col, col'")
	args = parser.parse_args(argv)
	import frappe

	B.frappe = frappe
	sites = Path(args.sites_path or Path(frappe.__file__).resolve().parents[3] / "sites").resolve()
	os.chdir(sites)
	frappe.init(site=args.site, sites_path=str(sites))
	frappe.connect()
	frappe.set_user("Administrator")
	specs = [parse(s) for s in (args.index or RECOMMENDED)]
	added: list[tuple[str, str]] = []
	try:
		queries = hot_queries(frappe)
		before = measure(frappe, queries, "before")
		for n, (doctype, cols) in enumerate(specs, start=1):
			name = f"try_index_{n}"
			started = time.perf_counter()
			frappe.db.sql_ddl(f"alter table `tab{doctype}` add index `{name}` ({', '.join(f'`{c}`' for c in cols)})")
			added.append((doctype, name))
			print(f"added {name} on {doctype} ({', '.join(cols)}) in {time.perf_counter() - started:.1f} s")
		after = measure(frappe, queries, "after")
	finally:
		for doctype, name in added:
			frappe.db.sql_ddl(f"alter table `tab{doctype}` drop index `{name}`")
		if added:
			print(f"dropped {', '.join(n for _d, n in added)}")
		frappe.destroy()
	print("\nquery  before      after")
	for i, (b, a) in enumerate(zip(before["queries"], after["queries"], strict=False)):
		print(f"q{i:<4} {B.fmt_s(b):>10}  {B.fmt_s(a):>10}")
	print(f"desk report  {B.fmt_s(before['report']):>10}  {B.fmt_s(after['report']):>10}")
	print(f"public_report {B.fmt_s(before['public']):>9}  {B.fmt_s(after['public']):>10}")
	return 0


if __name__ == "__main__":
	sys.exit(main())
