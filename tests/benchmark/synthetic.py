"""The bulk generator's guard (pure Python, no Frappe): where ``bulk.py`` may write.

The generator writes with raw SQL that bypasses the controllers, and ``--reset`` deletes by name
pattern. So it runs only on a site that is

1. explicitly marked as holding synthetic data: ``ta_synthetic_data: 1`` in its site config, which
   only the generator's own ``--new-site`` path sets (or an operator, by hand, on a scratch site:
   ``bench --site SITE set-config --parse ta_synthetic_data 1``); and
2. holds no record the generator did not make: every programme, activity, trainer, review, sign-off,
   result, indicator, user (beyond Administrator and Guest), partner, donor and beneficiary state
   carries the generator's marker (:data:`MARKS`), and there is none of the records it never makes
   (:data:`NEVER`: concern reports, meetings, follow-ups ...).

A site that fails either test is refused with a message naming what was found.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

CONFIG_KEY = "ta_synthetic_data"
DOMAIN = "bulk.ta.example"
WEBSITE = f"https://{DOMAIN}"
STATE_SOURCE = "Bulk generator: OHCHR country assessment (synthetic)"
SYSTEM_USERS = ("Administrator", "Guest")

# Names of the generator's documents: each doctype's series with a BULK marker.
PREFIX = {
	"TA Programme": "TAP-BULK-",
	"TA Activity": "TAA-BULK-",
	"TA Trainer": "TAT-BULK-",
	"TA Human Rights Review": "HRR-BULK-",
	"TA Oversight Sign-off": "SO-BULK-",
	"TA Objection Override": "OVR-BULK-",
	"TA Result": "RES-BULK-",
	"TA Indicator": "IND-BULK-",
	"TA Indicator Actual": "ACT-BULK-",
}

# doctype -> (field, SQL LIKE pattern) that every record the generator makes matches.
MARKS: dict[str, tuple[str, str]] = {
	**{doctype: ("name", f"{prefix}%") for doctype, prefix in PREFIX.items()},
	"User": ("name", f"%@{DOMAIN}"),
	"TA Partner Organisation": ("website", f"{WEBSITE}/%"),
	"TA Donor": ("website", f"{WEBSITE}/%"),
	"TA Beneficiary State": ("risk_source", STATE_SOURCE),
}
# Users every site has; they are not data.
EXEMPT: dict[str, tuple[str, ...]] = {"User": SYSTEM_USERS}

# Doctypes the generator never writes: any record of them is someone's real data.
NEVER = (
	"TA Concern Report",
	"TA Oversight Meeting",
	"TA Accreditation Application",
	"TA Needs Assessment",
	"TA Impact Review",
	"TA Follow-up",
	"TA Learning Test",
	"TA Participant Roster",
	"TA IATI Import",
	"TA External Activity",
)


class RefusedSite(Exception):
	"""The site is not one the generator may write to."""


def like(pattern: str, value: str | None) -> bool:
	"""SQL ``LIKE`` as MariaDB's default collations apply it: ``%`` any run, ``_`` one character,
	case-insensitive; NULL matches nothing."""
	if value is None:
		return False
	pattern, value = pattern.casefold(), str(value).casefold()

	def match(p: int, v: int) -> bool:
		while p < len(pattern):
			c = pattern[p]
			if c == "%":
				return any(match(p + 1, k) for k in range(v, len(value) + 1))
			if v >= len(value) or (c != "_" and c != value[v]):
				return False
			p, v = p + 1, v + 1
		return v == len(value)

	return match(0, 0)


def is_generated(doctype: str, record: Mapping) -> bool:
	"""Whether a record of ``doctype`` (a mapping with the marked field and ``name``) is the generator's."""
	if doctype in NEVER:
		return False
	if record.get("name") in EXEMPT.get(doctype, ()):
		return True
	if doctype not in MARKS:
		raise ValueError(f"the guard does not check {doctype}")
	field, pattern = MARKS[doctype]
	return like(pattern, record.get(field))


def refusal(site: str, marked, foreign: Mapping[str, int], examples: Mapping[str, Sequence[str]] | None = None) -> str | None:
	"""Why the generator must not write to ``site`` (None: it may).

	``marked`` is the site config's ``ta_synthetic_data``; ``foreign`` counts, per doctype, the
	records the generator did not make; ``examples`` names a few of them."""
	reasons = []
	if not _truthy(marked):
		reasons.append(
			f"it is not marked as synthetic (site config {CONFIG_KEY}: 1; the generator's --new-site sets it on the "
			f"site it creates)"
		)
	found = {dt: int(n) for dt, n in foreign.items() if int(n or 0) > 0}
	if found:
		parts = []
		for doctype in sorted(found):
			names = list((examples or {}).get(doctype) or ())[:3]
			parts.append(f"{found[doctype]} {doctype}" + (f" ({', '.join(map(str, names))}{', …' if found[doctype] > len(names) else ''})" if names else ""))
		reasons.append("it holds records the generator did not make: " + "; ".join(parts))
	if not reasons:
		return None
	return (
		f"Refusing to write bulk data to {site}: " + " and ".join(reasons) + ". The generator writes raw SQL that "
		"bypasses the controllers and --reset deletes by name: use a scratch site (tests/benchmark/bulk.py --new-site)."
	)


def _truthy(value) -> bool:
	if isinstance(value, str):
		return value.strip().lower() in ("1", "true", "yes", "on")
	return bool(value)
