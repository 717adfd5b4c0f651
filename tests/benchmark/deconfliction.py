"""Benchmark of the duplication check (``core.deconfliction``), pure core, no site needed:

    python3 tests/benchmark/deconfliction.py [--site-sources 100000] [--external 50000] [--queries 200] [--seed 2026]

Synthetic sources at the issue's scale: 100 000 site sources (as if every TA Activity of a
decade were its own source: 190 states, the shipped themes' DAC codes, 3-month to 3-year periods,
institution types) and 50 000 external IATI activities (a fifth with a 3-digit DAC category, a
tenth open-ended). Then, for programmes of 1-3 states and 1-4 themes, ``find_overlaps`` with the
index against ``scan`` (compare every source), checking that both give the same candidates. One
run prints both and their ratio side by side; tests/benchmark/run.py includes it in its table.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "apps" / "ta_programmes"))

from ta_programmes.core import deconfliction as D  # noqa: E402
from ta_programmes.core.constants import INSTITUTION_TYPES  # noqa: E402

CODES = ("15130", "15210", "22040", "15160")
CATEGORIES = ("151", "152", "220")
INSTITUTIONS = INSTITUTION_TYPES
DAY0 = date(2017, 1, 1)


def states(n: int = 190) -> list[str]:
	letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	return [a + b for a in letters for b in letters][:n]


def make_sources(n_site: int, n_external: int, seed: int) -> list[D.Source]:
	rng = random.Random(seed)
	codes_of = states()
	out = []
	for i in range(n_site):
		start = DAY0 + timedelta(days=rng.randint(0, 3650))
		out.append(
			D.Source(
				kind=D.PROGRAMME,
				key=f"TAA-{i:06d}",
				title=f"Activity {i}",
				owner=f"Agency {i % 12}",
				states=frozenset([rng.choice(codes_of)]),
				codes=frozenset([rng.choice(CODES)]),
				start=start,
				end=start + timedelta(days=rng.randint(90, 1095)),
				institution_types=frozenset([rng.choice(INSTITUTIONS)]),
				owner_ids=frozenset([f"agency {i % 12}"]),
			)
		)
	for i in range(n_external):
		start = DAY0 + timedelta(days=rng.randint(0, 3650))
		code = rng.choice(CATEGORIES) if rng.random() < 0.2 else rng.choice(CODES)
		out.append(
			D.Source(
				kind=D.EXTERNAL,
				key=f"XM-BENCH-{i:06d}",
				title=f"External {i}",
				owner=f"Publisher {i % 40}",
				states=frozenset(rng.sample(codes_of, rng.choice((1, 1, 1, 2)))),
				codes=frozenset([code]),
				start=start,
				end=None if rng.random() < 0.1 else start + timedelta(days=rng.randint(90, 1460)),
				owner_ids=frozenset([f"xm-pub-{i % 40}"]),
			)
		)
	return out


def make_programmes(n: int, seed: int) -> list[D.Source]:
	rng = random.Random(seed + 1)
	codes_of = states()
	out = []
	for i in range(n):
		start = DAY0 + timedelta(days=rng.randint(1800, 3650))
		out.append(
			D.Source(
				kind=D.PROGRAMME,
				key=f"TAP-BENCH-{i:04d}",
				title=f"Programme {i}",
				owner="Agency 0",
				states=frozenset(rng.sample(codes_of, rng.randint(1, 3))),
				codes=frozenset(rng.sample(CODES, rng.randint(1, 4))),
				start=start,
				end=start + timedelta(days=rng.choice((365, 540, 730))),
				institution_types=frozenset(rng.sample(INSTITUTIONS, 2)),
				owner_ids=frozenset(["agency 0"]),
			)
		)
	return out


def timed(fn, items) -> list[float]:
	times = []
	for item in items:
		started = time.perf_counter()
		fn(item)
		times.append(time.perf_counter() - started)
	return times


def peak_mb(fn) -> float:
	tracemalloc.start()
	try:
		fn()
		return tracemalloc.get_traced_memory()[1] / 1e6
	finally:
		tracemalloc.stop()


def measure(n_site: int = 100_000, n_external: int = 50_000, n_queries: int = 200, seed: int = 2026) -> dict:
	sources = make_sources(n_site, n_external, seed)
	programmes = make_programmes(n_queries, seed)
	started = time.perf_counter()
	index = D.Index(sources)
	build = time.perf_counter() - started
	found = 0
	for p in programmes[: min(20, n_queries)]:
		a, b = D.find_overlaps(p, index), D.scan(p, sources)
		if a != b:
			raise SystemExit(f"find_overlaps and scan disagree for {p.key}: {len(a)} vs {len(b)} candidates")
		found += len(a)
	t_index = timed(lambda p: D.find_overlaps(p, index), programmes)
	t_scan = timed(lambda p: D.scan(p, sources), programmes[: max(3, n_queries // 20)])
	examined = statistics.mean(len(index.lookup(p)) for p in programmes)
	return {
		"label": f"find_overlaps with the index vs scan ({n_site} site + {n_external} external sources)",
		"opt": t_index,
		"naive": t_scan,
		"build": build,
		"sources": len(sources),
		"candidates": found / min(20, n_queries),
		"examined": examined,
		"mem": peak_mb(lambda: D.find_overlaps(programmes[0], index)),
		"mem_naive": peak_mb(lambda: D.scan(programmes[0], sources)),
		"note": f"index built in {build:.2f} s; {examined:.0f} sources looked up per programme (of {len(sources)}), "
		f"{found / min(20, n_queries):.0f} candidates, equal to the scan's",
	}


def main(argv=None) -> int:
	parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
	parser.add_argument("--site-sources", type=int, default=100_000)
	parser.add_argument("--external", type=int, default=50_000)
	parser.add_argument("--queries", type=int, default=200)
	parser.add_argument("--seed", type=int, default=2026)
	args = parser.parse_args(argv)
	r = measure(args.site_sources, args.external, args.queries, args.seed)
	med, naive = statistics.median(r["opt"]), statistics.median(r["naive"])
	p95 = sorted(r["opt"])[max(0, int(len(r["opt"]) * 0.95) - 1)]
	print(f"sources: {r['sources']}; index built in {r['build']:.2f} s")
	print(f"{'path':<40}{'median':>12}{'p95':>12}{'peak memory':>14}")
	print(f"{'find_overlaps (index)':<40}{med * 1000:>10.2f} ms{p95 * 1000:>10.2f} ms{r['mem']:>11.1f} MB")
	print(f"{'scan (every source)':<40}{naive * 1000:>10.2f} ms{'':>12}{r['mem_naive']:>11.1f} MB")
	print(f"ratio: {naive / med:.0f}×; {r['note']}")
	return 0


if __name__ == "__main__":
	sys.exit(main())
