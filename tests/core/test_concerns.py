"""Concern reports: the report, the evidence, the follow link, triage, the gate, public counts."""

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ta_programmes.core import concerns as C
from ta_programmes.core import oversight as O
from ta_programmes.core.errors import RuleViolation

from .test_oversight import TODAY, approvable, signoff

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 20
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 20
WEBP = b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 10
SAMPLES = {
	"pdf": PDF,
	"png": PNG,
	"jpg": JPG,
	"jpeg": JPG,
	"mp4": MP4,
	"m4a": MP4,
	"webp": WEBP,
	"txt": "Témoin\n".encode(),
}


def report(**kw):
	args = dict(
		subject="Programme",
		programme="TAP-1",
		state=None,
		unit=None,
		account="Trained officers used the tools against journalists.",
		happened_on=None,
		contact_email=None,
		today=TODAY,
	)
	args.update(kw)
	C.check_report(**args)


# --- the report -----------------------------------------------------------------------------------
def test_an_anonymous_report_about_a_programme_is_enough():
	report()


@pytest.mark.parametrize(
	"kw, words",
	[
		({"subject": None}, "what the concern is about"),
		({"subject": "Programme", "programme": None}, "choose the programme"),
		({"subject": "Beneficiary state", "programme": None}, "choose the state"),
		({"subject": "Trained unit", "unit": "  "}, "name the unit"),
		({"account": "short"}, "what happened"),
		({"account": "x" * (C.MAX_ACCOUNT + 1)}, "at most"),
		({"happened_on": TODAY + timedelta(days=1)}, "future"),
		({"happened_on": date(1900, 1, 1)}, "check the date"),
		({"contact_email": "not an address"}, "e-mail"),
		({"unit": "u" * 201, "subject": "Trained unit"}, "at most"),
	],
)
def test_what_a_report_needs_is_said_clearly(kw, words):
	with pytest.raises(RuleViolation) as e:
		report(**kw)
	assert words in str(e.value)


@given(st.text(max_size=300))
def test_any_text_is_accepted_or_refused_with_a_rule_violation(text):
	for field in ("account", "unit", "contact_email"):
		try:
			report(**{"subject": "Trained unit", "unit": "Cyber unit", field: text})
		except RuleViolation:
			pass


# --- evidence -------------------------------------------------------------------------------------
@pytest.mark.parametrize("ext", sorted(SAMPLES))
def test_each_accepted_kind_is_taken_when_its_content_matches(ext):
	assert C.check_evidence(f"evidence.{ext.upper()}", SAMPLES[ext]) == ext


@pytest.mark.parametrize(
	"name, content, words",
	[
		("photo.jpg", PDF, "is not a JPG file"),
		("doc.pdf", PNG, "is not a PDF file"),
		("setup.exe", b"MZ\x90\x00", "program or a script"),
		("photo.jpg", b"MZ\x90\x00" + JPG, "program or a script"),
		("notes.txt", b"#!/bin/sh\nrm -rf /", "program or a script"),
		("app", b"\x7fELF\x02", "program or a script"),
		("script.js", b"alert(1)", "not accepted"),
		("page.html", b"<html>", "not accepted"),
		("noext", b"hello", "not accepted"),
		("empty.pdf", b"", "empty"),
		("notes.txt", b"abc\x00def", "is not a TXT file"),
		("notes.txt", b"\xff\xfe\x00", "is not a TXT file"),
		("clip.mp4", b"\x00" * 12, "is not a MP4 file"),
		("img.webp", b"RIFF\x00\x00\x00\x00WAVE", "is not a WEBP file"),
	],
)
def test_programs_and_files_whose_content_does_not_match_their_name_are_refused(name, content, words):
	with pytest.raises(C.EvidenceRefused) as e:
		C.check_evidence(name, content)
	assert words in str(e.value)


def test_size_and_count_limits():
	big = PDF + b"0" * C.MAX_FILE_BYTES
	with pytest.raises(C.EvidenceRefused, match="larger than 10 MB"):
		C.check_evidence("big.pdf", big)
	with pytest.raises(C.EvidenceRefused, match="together"):
		C.check_evidence("a.pdf", PDF, total_so_far=C.MAX_TOTAL_BYTES - 5)
	with pytest.raises(C.EvidenceRefused, match="At most 5 files"):
		C.check_evidence("a.pdf", PDF, count_so_far=C.MAX_FILES)


@given(st.text(max_size=40), st.binary(max_size=64))
def test_any_file_is_taken_only_if_its_kind_is_accepted_and_its_content_matches(name, content):
	try:
		ext = C.check_evidence(name, content)
	except C.EvidenceRefused:
		return
	assert ext in C.SIGNATURES and ext == C.extension(name)
	assert not content.startswith(C.EXECUTABLE)


# --- follow link ----------------------------------------------------------------------------------
def test_the_same_form_key_gives_the_same_link_and_another_key_another():
	nonce = "a" * 32
	assert C.token_for("s1", nonce) == C.token_for("s1", nonce)
	assert C.token_for("s1", nonce) != C.token_for("s1", "b" * 32)
	assert C.token_for("s1", nonce) != C.token_for("s2", nonce)  # only the site can make it
	assert len(C.token_for("s1", nonce)) == 40


@pytest.mark.parametrize("nonce", [None, "", "short", "a" * 65, "a" * 30 + " x", "a" * 30 + "/"])
def test_a_missing_or_malformed_form_key_asks_to_reload(nonce):
	with pytest.raises(RuleViolation, match="reload"):
		C.check_nonce(nonce)


# --- triage ---------------------------------------------------------------------------------------
REASONS = "Two independent sources and the unit's own records confirm it."


def test_triage_moves_forward_to_a_final_outcome_with_reasons():
	C.check_triage(None, "Acknowledged", None, None, None)
	C.check_triage("Received", "Assessed", "Unfounded", REASONS, None)  # acknowledging on the way
	C.check_triage("Acknowledged", "Assessed", "Founded", REASONS, "Kenya")
	with pytest.raises(C.TriageRefused, match="cannot go back"):
		C.check_triage("Acknowledged", "Received", None, None, None)
	with pytest.raises(C.TriageRefused, match="outcome stands"):
		C.check_triage("Assessed", "Assessed", "Unfounded", REASONS, "Kenya")
	with pytest.raises(C.TriageRefused, match="with the assessment"):
		C.check_triage("Received", "Acknowledged", "Founded", REASONS, "Kenya")
	with pytest.raises(RuleViolation, match="choose the outcome"):
		C.check_triage("Acknowledged", "Assessed", None, REASONS, "Kenya")
	with pytest.raises(RuleViolation, match="reasons"):
		C.check_triage("Acknowledged", "Assessed", "Inconclusive", "too short", "Kenya")
	with pytest.raises(RuleViolation, match="names the beneficiary state"):
		C.check_triage("Acknowledged", "Assessed", "Founded", REASONS, None)


@given(st.sampled_from(C.STATUSES), st.sampled_from(C.STATUSES))
def test_a_status_never_goes_back(old, new):
	try:
		C.check_triage(old, new, "Founded" if new == "Assessed" else None, REASONS, "Kenya")
	except RuleViolation:
		assert C.STATUSES.index(new) < C.STATUSES.index(old) or old == "Assessed"
	else:
		assert C.STATUSES.index(new) >= C.STATUSES.index(old) and old != "Assessed"


def test_deadlines_and_overdue():
	ack, ass = C.deadlines(date(2026, 3, 1), 7, 30)
	assert (ack, ass) == (date(2026, 3, 8), date(2026, 3, 31))
	assert C.overdue("Received", ack, ass, date(2026, 3, 8)) == ""
	assert C.overdue("Received", ack, ass, date(2026, 3, 9)) == "Acknowledgement overdue"
	assert C.overdue("Acknowledged", ack, ass, date(2026, 3, 9)) == ""
	assert C.overdue("Acknowledged", ack, ass, date(2026, 4, 1)) == "Assessment overdue"
	assert C.overdue("Assessed", ack, ass, date(2027, 1, 1)) == ""
	with pytest.raises(RuleViolation):
		C.check_deadline_settings(0, 30)
	with pytest.raises(RuleViolation):
		C.check_deadline_settings(10, 5)
	C.check_deadline_settings(7, 30)


# --- the gate -------------------------------------------------------------------------------------
def founded(name="CR-1", on=TODAY - timedelta(days=1), state="Kenya", theme=None, programme="TAP-1"):
	return C.Founded(name, datetime.combine(on, datetime.min.time()), state, theme, programme)


def test_a_founded_concern_after_the_review_fails_the_gate_until_a_new_review_and_new_sign_offs():
	inp = replace(approvable(), concerns=(founded(),))
	decision = O.evaluate(inp)
	assert {"review", "ohchr", "concerns"} <= set(decision.failed)
	assert "CR-1" in " ".join(decision.check("concerns").messages())
	# A new review and new sign-offs after the concern answer it.
	later = TODAY
	inp2 = replace(
		inp,
		review=replace(
			inp.review, submitted_on=datetime.combine(later, datetime.min.time()) + timedelta(hours=1)
		),
		signoffs=tuple(
			replace(s, signed_on=datetime.combine(later, datetime.min.time()) + timedelta(hours=2))
			for s in inp.signoffs
		),
	)
	assert O.evaluate(inp2).approvable
	# A new review alone is not enough.
	inp3 = replace(inp2, signoffs=inp.signoffs)
	assert "concerns" in O.evaluate(inp3).failed


def test_a_concern_founded_before_the_review_and_sign_offs_is_already_answered():
	inp = replace(approvable(), concerns=(founded(on=TODAY - timedelta(days=30)),))
	decision = O.evaluate(inp)
	assert decision.approvable
	assert decision.check("concerns").ok


def test_an_objection_survives_a_founded_concern():
	objection = signoff("SO-9", O.CIVIL_SOCIETY, "cs9@x", "Org Z", "African", decision=O.OBJECT)
	inp = replace(approvable(), signoffs=approvable().signoffs + (objection,), concerns=(founded(),))
	assert "objection" in O.evaluate(inp).failed


def test_which_programmes_and_new_activities_a_concern_bears_on():
	about_programme = founded(programme="TAP-1")
	assert C.affects_programme(about_programme, "TAP-1", [], [])
	assert not C.affects_programme(about_programme, "TAP-2", ["Kenya"], ["Forensics"])
	about_state = founded(programme=None, theme="Forensics")
	assert C.affects_programme(about_state, "TAP-2", ["Kenya", "Ghana"], ["Forensics"])
	assert not C.affects_programme(about_state, "TAP-2", ["Kenya"], ["Legislation"])
	assert not C.affects_programme(founded(programme=None, state=None), "TAP-2", ["Kenya"], [])
	assert C.blocks_activity(about_programme, "Kenya", "Anything")
	assert C.blocks_activity(about_state, "Kenya", "Forensics")
	assert not C.blocks_activity(about_state, "Kenya", "Legislation")
	assert not C.blocks_activity(about_state, "Ghana", "Forensics")
	with pytest.raises(C.ActivityBlocked, match="CR-1"):
		C.check_new_activity([about_programme], "Kenya", "Forensics")
	C.check_new_activity([about_programme], "Ghana", "Forensics")


# --- public counts --------------------------------------------------------------------------------
@given(
	st.lists(
		st.tuples(
			st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
			st.sampled_from(C.STATUSES),
			st.sampled_from((None, *C.OUTCOMES)),
		),
		max_size=50,
	)
)
def test_counts_by_year_add_up(rows):
	out = C.counts_by_year(rows)
	assert sum(y["received"] for y in out) == len(rows)
	assert [y["year"] for y in out] == sorted({r[0].year for r in rows})
	for y in out:
		assert set(y) == {"year", "received", "assessed", "founded"}
		assert y["received"] >= y["assessed"] >= y["founded"] >= 0


def test_the_iati_result_carries_counts_per_year_only():
	from ta_programmes.core import iati as I

	assert C.iati_result([], 5) is None
	r = C.iati_result([{"year": 2026, "received": 13, "assessed": 7, "founded": 0}], 5)
	assert r.type_code == "9"
	assert [(i.title, i.periods[0].actuals[0].value) for i in r.indicators] == [
		("Concerns about misuse reported", 15.0),
		("Concerns assessed", 5.0),
		("Concerns found founded", 0.0),
	]
	xml = I.ET.tostring(I._result(r), encoding="unicode")
	assert 'type="9"' in xml and "2026-12-31" in xml


@given(
	st.lists(
		st.tuples(st.integers(2015, 2030), st.integers(0, 40), st.integers(0, 40), st.integers(0, 40)),
		max_size=6,
		unique_by=lambda t: t[0],
	),
	st.integers(2, 10),
)
def test_the_iati_result_publishes_no_small_count(years, k):
	"""Per programme (often one state), a count from 1 to k - 1 could point at a reporter: no such
	figure is written, the others are multiples of k (or 0), and nothing else is invented."""
	counts = [{"year": y, "received": a, "assessed": b, "founded": c} for y, a, b, c in years]
	r = C.iati_result(counts, k)
	written = [(i.title, p.start.year, p.actuals[0].value) for i in (r.indicators if r else []) for p in i.periods]
	for _title, _year, value in written:
		assert value == 0 or (value >= k and value % k == 0)
	expected = sum(1 for c in counts for key in ("received", "assessed", "founded") if not 0 < c[key] < k)
	assert len(written) == expected


def _zip(files: dict) -> bytes:
	import io
	import zipfile

	out = io.BytesIO()
	with zipfile.ZipFile(out, "w") as z:
		for name, content in files.items():
			z.writestr(name, content)
	return out.getvalue()


DOCX = {
	"[Content_Types].xml": "<Types/>",
	"word/document.xml": "<w:document/>",
	"word/printerSettings/p1.bin": "x",
}
ODT = {"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<office:document-content/>"}


def test_documents_are_opened_and_must_be_what_they_say_with_no_program_or_macro_inside():
	assert C.check_evidence("statement.docx", _zip(DOCX)) == "docx"
	assert C.check_evidence("statement.odt", _zip(ODT)) == "odt"
	for name, files in (
		("report.docx", {"payload.exe": "MZ", "run.bat": "x"}),  # a zip of programs, named as a document
		("report.docx", {**DOCX, "word/vbaProject.bin": "macros"}),
		("report.docx", {**DOCX, "word/embeddings/tool.js": "x"}),
		("report.odt", {"mimetype": "application/zip"}),
		("report.odt", _zip(DOCX) and DOCX),
	):
		with pytest.raises(C.EvidenceRefused, match="whatever its name says"):
			C.check_evidence(name, _zip(files))
	with pytest.raises(C.EvidenceRefused):
		C.check_evidence("report.docx", b"PK\x03\x04 broken zip")


def test_a_video_needs_a_known_brand():
	with pytest.raises(C.EvidenceRefused):
		C.check_evidence("v.mp4", b"\x00\x00\x00\x18ftyp<html><script>")
	assert C.check_evidence("v.m4a", b"\x00\x00\x00\x18ftypM4A " + b"\x00" * 8) == "m4a"
