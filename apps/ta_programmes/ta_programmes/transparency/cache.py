"""The transparency cache: results kept per arguments until what is reported changes (a new generation
starts on every change to a reported document, and again once it is committed)."""

from __future__ import annotations

import frappe

CACHE_KEY = "ta_transparency"
CACHE_SECONDS = 600


GENERATION_KEY = f"{CACHE_KEY}:generation"
# The results frameworks (indicators, their targets and actuals, results) change far less often than
# activities and programmes, and an activity's edit does not change them: what is computed from
# them alone is cached under a generation of its own, moved by a change to one of these doctypes
# (TA Indicator Target is a child of TA Indicator) or by a call without a document.
RESULTS_GENERATION_KEY = f"{CACHE_KEY}:results-generation"
RESULTS_DOCTYPES = frozenset(("TA Result", "TA Indicator", "TA Indicator Actual"))


def cached(kind: str, args: dict, compute, generation_key: str = GENERATION_KEY):
	"""``compute()`` cached per ``args`` until what is reported changes (the doc_events bump the
	generation; ``RESULTS_GENERATION_KEY``: only a change to the results frameworks) or for
	CACHE_SECONDS at most. ``args`` must hold everything the result depends on, including who
	may see what."""
	import hashlib

	generation = frappe.cache.get_value(generation_key) or "0"
	digest = hashlib.sha1(frappe.as_json(args, indent=None).encode()).hexdigest()
	key = f"{CACHE_KEY}:{generation}:{kind}:{digest}"
	# expires=True: read from Redis, not the request's local cache (which would keep a miss
	# while set_value with an expiry does not update it)
	value = frappe.cache.get_value(key, expires=True)
	if value is None:
		value = compute()
		frappe.cache.set_value(key, value, expires_in_sec=CACHE_SECONDS)
	return value


def clear_public_cache(doc=None, method=None) -> None:
	"""doc_events hook: a change to what is published starts a new cache generation (one write,
	no key scan) and drops Frappe's cached HTML of the page; a change to a results framework (or
	a call without a document) starts a new results generation too."""
	results = doc is None or getattr(doc, "doctype", None) in RESULTS_DOCTYPES
	_new_generation(results)
	# Once the change is committed, the primary's position is recorded for the replica reads and
	# the generation moves again: a reader that cached the data as it stood before the commit
	# (between the bump above and the commit, or from a replica still behind) is not kept.
	if _after_commit not in frappe.db.after_commit._functions:
		frappe.db.after_commit.add(_after_commit)
	if results and _after_commit_results not in frappe.db.after_commit._functions:
		frappe.db.after_commit.add(_after_commit_results)


def _new_generation(results: bool = False) -> None:
	from frappe.website.utils import delete_page_cache

	frappe.cache.set_value(GENERATION_KEY, frappe.generate_hash(length=8))
	if results:
		frappe.cache.set_value(RESULTS_GENERATION_KEY, frappe.generate_hash(length=8))
	delete_page_cache("transparency")
	delete_page_cache("my-programmes")


def _after_commit() -> None:
	from ta_programmes import replica

	replica.mark_write()
	_new_generation()


def _after_commit_results() -> None:
	frappe.cache.set_value(RESULTS_GENERATION_KEY, frappe.generate_hash(length=8))
