"""Reading other publishers' IATI activity files (``core.iati_import``): generated files of every
supported version read back as written; malformed or hostile files are refused naming the line."""

from datetime import date, timedelta
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ta_programmes.core import iati_import as P

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'


def activity_xml(a: dict) -> str:
	parts = [f'<iati-activity default-currency="{a.get("currency", "USD")}">']
	parts.append(f"<iati-identifier>{escape(a['id'])}</iati-identifier>")
	parts.append(
		f'<reporting-org ref={quoteattr(a.get("org_ref", "XM-DAC-1"))} type="10"><narrative>{escape(a.get("org", "Other"))}</narrative></reporting-org>'
	)
	parts.append(f"<title><narrative>{escape(a.get('title', 'T'))}</narrative></title>")
	for kind, d in a.get("dates", {}).items():
		parts.append(f'<activity-date type="{kind}" iso-date="{d.isoformat()}"/>')
	for c in a.get("countries", ()):
		parts.append(f'<recipient-country code="{c}" percentage="100"/>')
	for code, vocabulary in a.get("sectors", ()):
		v = "" if vocabulary is None else f' vocabulary="{vocabulary}"'
		parts.append(f'<sector code="{code}"{v}/>')
	for value, kind in a.get("budgets", ()):
		parts.append(
			f'<budget type="{kind}" status="1"><period-start iso-date="2026-01-01"/><period-end iso-date="2026-12-31"/>'
			f'<value value-date="2026-01-01">{value}</value></budget>'
		)
	parts.append("</iati-activity>")
	return "\n".join(parts)


def file_xml(activities, version="2.03") -> bytes:
	body = "\n".join(activity_xml(a) for a in activities)
	return (
		HEAD
		+ f'<iati-activities version="{version}" generated-datetime="2026-11-30T00:00:00Z">\n{body}\n</iati-activities>\n'
	).encode()


text = st.text(
	alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30
).filter(lambda s: s.strip() and " ".join(s.split()) == s)


@st.composite
def activities(draw):
	n = draw(st.integers(0, 6))
	out = []
	for i in range(n):
		start = date(2024, 1, 1) + timedelta(days=draw(st.integers(0, 900)))
		dates = {}
		if draw(st.booleans()):
			dates["1"] = start
		if draw(st.booleans()):
			dates["2"] = start + timedelta(days=3)
		if draw(st.booleans()):
			dates["3"] = start + timedelta(days=400)
		if draw(st.booleans()):
			dates["4"] = start + timedelta(days=380)
		out.append(
			{
				"id": f"XM-DAC-1-{i}-{draw(st.integers(0, 999))}",
				"title": draw(text),
				"org": draw(text),
				"countries": draw(
					st.lists(st.sampled_from(("KE", "GH", "VN", "BR")), unique=True, max_size=3)
				),
				"sectors": draw(
					st.lists(
						st.tuples(
							st.sampled_from(("15210", "15130", "152")), st.sampled_from(("1", "2", None))
						),
						unique_by=lambda t: t[0],
						max_size=3,
					)
				),
				"dates": dates,
				"budgets": [(v, "1") for v in draw(st.lists(st.integers(0, 10**7), max_size=1))],
			}
		)
	return out


@settings(max_examples=80, deadline=None)
@given(activities(), st.sampled_from(P.SUPPORTED_VERSIONS))
def test_a_generated_file_reads_back_as_written(acts, version):
	got = P.parse(file_xml(acts, version))
	assert [g.identifier for g in got] == [a["id"] for a in acts]
	for g, a in zip(got, acts, strict=True):
		assert (
			g.title == a["title"] and g.reporting_org_name == a["org"] and g.reporting_org_ref == "XM-DAC-1"
		)
		assert g.countries == tuple(a["countries"])
		assert g.sectors == tuple((c, v or "1") for c, v in a["sectors"])
		assert g.start == (a["dates"].get("2") or a["dates"].get("1"))
		assert g.end == (a["dates"].get("4") or a["dates"].get("3"))
		assert g.budget == (Decimal(a["budgets"][0][0]) if a["budgets"] else None)
		assert g.currency == "USD"


@given(activities())
def test_the_same_file_gives_the_same_fingerprints(acts):
	content = file_xml(acts)
	assert [a.fingerprint() for a in P.parse(content)] == [a.fingerprint() for a in P.parse(content)]


def test_a_revised_budget_replaces_its_original_and_mixed_currencies_leave_the_total_empty():
	[a] = P.parse(file_xml([{"id": "A-1", "budgets": [(100, "1"), (150, "2")]}]))
	assert a.budget == Decimal(150)
	mixed = file_xml([{"id": "A-2"}]).replace(
		b"</iati-activity>",
		b'<budget type="1"><period-start iso-date="2026-01-01"/><value currency="EUR">5</value></budget>'
		b'<budget type="1"><period-start iso-date="2027-01-01"/><value>5</value></budget></iati-activity>',
	)
	[b] = P.parse(mixed)
	assert b.budget is None and b.currency == P.MIXED


@pytest.mark.parametrize(
	"content, line, words",
	[
		(b"not xml at all", 1, "not well-formed"),
		(
			HEAD.encode()
			+ b'<iati-activities version="2.03">\n<iati-activity>\n<iati-identifier>A</iati-identifier>\n</iati-activitie>\n',
			5,
			"not well-formed",
		),
		(HEAD.encode() + b'<activities version="2.03"/>', 2, "not an IATI activity file"),
		(HEAD.encode() + b'<iati-activities version="1.05"/>', 2, "not supported"),
		(
			HEAD.encode()
			+ b'<iati-activities version="2.03">\n\n<iati-activity><title/></iati-activity></iati-activities>',
			4,
			"no iati-identifier",
		),
		(
			HEAD.encode()
			+ b'<iati-activities version="2.02">\n<iati-activity><iati-identifier>A</iati-identifier></iati-activity>\n'
			b"<iati-activity><iati-identifier>A</iati-identifier></iati-activity></iati-activities>",
			4,
			"appears twice",
		),
		(
			HEAD.encode()
			+ b'<iati-activities version="2.01">\n<iati-activity><iati-identifier>A</iati-identifier>\n'
			b'<activity-date type="1" iso-date="01/02/2026"/></iati-activity></iati-activities>',
			4,
			"YYYY-MM-DD",
		),
		(
			HEAD.encode()
			+ b'<iati-activities version="2.03">\n<iati-activity><iati-identifier>A</iati-identifier>\n'
			b'<recipient-country code="KEN"/></iati-activity></iati-activities>',
			4,
			"two letters",
		),
		(
			HEAD.encode()
			+ b'<iati-activities version="2.03">\n<iati-activity><iati-identifier>A</iati-identifier>\n'
			b"<budget><value>lots</value></budget></iati-activity></iati-activities>",
			4,
			"not a number",
		),
	],
)
def test_a_bad_file_is_refused_naming_the_line(content, line, words):
	with pytest.raises(P.ImportRefused) as caught:
		P.parse(content)
	message = str(caught.value)
	assert message.startswith(f"Line {line}:"), message
	assert words in message


def test_entities_are_never_expanded_and_a_doctype_is_refused():
	laughs = (
		b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
		b'<iati-activities version="2.03"><iati-activity><iati-identifier>&lol2;</iati-identifier></iati-activity></iati-activities>'
	)
	with pytest.raises(P.ImportRefused, match="DOCTYPE"):
		P.parse(laughs)
	external = (
		b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
		b'<iati-activities version="2.03"><iati-activity><iati-identifier>&xxe;</iati-identifier></iati-activity></iati-activities>'
	)
	with pytest.raises(P.ImportRefused):
		P.parse(external)


def test_size_and_emptiness_are_checked_before_parsing():
	with pytest.raises(P.ImportRefused, match="larger"):
		P.parse(b" " * (P.MAX_BYTES + 1))
	with pytest.raises(P.ImportRefused, match="empty"):
		P.parse(b"   ")
