"""Concern reports: anyone may tell a programme's overseers that assistance was misused.

The rules of the public report (what a reporter must and may give, which evidence files are
taken), of its triage (acknowledge, then assess, each within a deadline; an outcome with its
reasons), of the secret follow link (derived from the form's one-time key, so a report posted
twice is stored once and both answers carry the same link), of what a founded concern does to
the oversight gate and to new activities, and of the counts the public outputs carry (counts
only, never content). Plain values in, a :class:`RuleViolation` or a value out.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .errors import InvalidValue, MissingValue, RuleViolation
from .i18n import _

SUBJECTS = ("Programme", "Beneficiary state", "Trained unit")
RECEIVED, ACKNOWLEDGED, ASSESSED = "Received", "Acknowledged", "Assessed"
STATUSES = (RECEIVED, ACKNOWLEDGED, ASSESSED)
UNFOUNDED, FOUNDED, INCONCLUSIVE = "Unfounded", "Founded", "Inconclusive"
OUTCOMES = (UNFOUNDED, FOUNDED, INCONCLUSIVE)
TRIAGE_ROLES = ("TA OHCHR Reviewer", "TA Civil Society Reviewer")

MIN_ACCOUNT = 20  # characters of "what happened"
MAX_ACCOUNT = 10_000
MAX_SHORT = 200
MIN_REASONS = 30  # characters of an outcome's reasons
MAX_DAYS = 365  # a deadline setting

# Evidence files: what a phone takes or a reporter keeps (photos, screenshots, recordings,
# documents). Each extension with the bytes its files begin with; nothing else is taken.
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES = 5
MAX_TOTAL_BYTES = 25 * 1024 * 1024
_ZIP = (b"PK\x03\x04",)
SIGNATURES: dict[str, tuple[bytes, ...]] = {
	"pdf": (b"%PDF-",),
	"png": (b"\x89PNG\r\n\x1a\n",),
	"jpg": (b"\xff\xd8\xff",),
	"jpeg": (b"\xff\xd8\xff",),
	"gif": (b"GIF87a", b"GIF89a"),
	"webp": (b"RIFF",),  # and "WEBP" at byte 8, checked below
	"mp3": (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"),
	"mp4": (),  # "ftyp" at byte 4, checked below
	"m4a": (),
	"docx": _ZIP,
	"odt": _ZIP,
	"txt": (),  # UTF-8 text without control bytes, checked below
}
# The major brands of the MP4 family (ISO base media files) a phone or a recorder writes.
MP4_BRANDS = {
	b"isom",
	b"iso2",
	b"iso4",
	b"iso5",
	b"iso6",
	b"mp41",
	b"mp42",
	b"avc1",
	b"M4A ",
	b"M4V ",
	b"M4B ",
	b"3gp4",
	b"3gp5",
	b"3gp6",
	b"3g2a",
	b"qt  ",
	b"dash",
	b"MSNV",
	b"f4v ",
}
# Inside a document (a zip): names that are programs or scripts, refused wherever they sit.
EXECUTABLE_NAMES = re.compile(
	r"\.(exe|dll|com|scr|bat|cmd|ps1|vbs|js|jse|wsf|jar|msi|sh|app|elf|so|dylib)$", re.IGNORECASE
)
# Beginnings of programs and scripts, refused whatever the file is called.
EXECUTABLE = (
	b"MZ",
	b"\x7fELF",
	b"#!",
	b"\xca\xfe\xba\xbe",
	b"\xcf\xfa\xed\xfe",
	b"\xce\xfa\xed\xfe",
	b"\xfe\xed\xfa",
)
_NONCE = re.compile(r"^[A-Za-z0-9_-]{22,64}$")
_EMAIL = re.compile(r"^[^@\s<>\"']{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


class EvidenceRefused(RuleViolation):
	title = _("File Not Accepted")


class TriageRefused(RuleViolation):
	title = _("Not Allowed")


class ActivityBlocked(RuleViolation):
	title = _("Founded Concern")


# --- the report ----------------------------------------------------------------------------------


def check_report(
	subject: str | None,
	programme: str | None,
	state: str | None,
	unit: str | None,
	account: str | None,
	happened_on: date | None,
	contact_email: str | None,
	today: date,
) -> None:
	"""What a reporter must give: what the concern is about (a programme, a state, or a trained
	unit and its state) and what happened; the date, the contact and the evidence are optional."""
	if subject not in SUBJECTS:
		raise MissingValue(_("Please say what the concern is about: {0}."), ", ".join(SUBJECTS))
	if subject == "Programme" and not programme:
		raise MissingValue(_("Please choose the programme the concern is about."))
	if subject == "Beneficiary state" and not state:
		raise MissingValue(_("Please choose the state the concern is about."))
	if subject == "Trained unit" and not (unit or "").strip():
		raise MissingValue(_("Please name the unit or institution the concern is about."))
	for label, value in ((_("Unit or institution"), unit), (_("Contact e-mail"), contact_email)):
		if value and len(value) > MAX_SHORT:
			raise InvalidValue(_("{0}: at most {1} characters, please."), label, MAX_SHORT)
	text = (account or "").strip()
	if len(text) < MIN_ACCOUNT:
		raise MissingValue(_("Please tell what happened (at least {0} characters)."), MIN_ACCOUNT)
	check_length(_("What happened"), text)
	if happened_on and happened_on > today:
		raise InvalidValue(_("The date of what happened cannot be in the future."))
	if happened_on and happened_on.year < 1990:
		raise InvalidValue(_("Please check the date of what happened."))
	if contact_email and not _EMAIL.match(contact_email.strip()):
		raise InvalidValue(
			_("The contact e-mail address does not look right; leave it empty to stay anonymous.")
		)


def check_length(label: str, text: str | None) -> None:
	if text and len(text) > MAX_ACCOUNT:
		raise InvalidValue(_("{0}: at most {1} characters, please."), label, MAX_ACCOUNT)


def check_information(text: str | None, files: int) -> None:
	"""More information from the reporter: some text or at least one file."""
	if not (text or "").strip() and not files:
		raise MissingValue(_("Please add some text or a file."))
	check_length(_("Information"), text)


def extension(filename: str | None) -> str:
	name = (filename or "").strip().rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
	return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_evidence(filename: str | None, content: bytes, total_so_far: int = 0, count_so_far: int = 0) -> str:
	"""Refuse a file that is too large, a program, or one whose content is not what its name
	says; return its extension."""
	name = (filename or "").strip() or _("(no name)")
	if count_so_far >= MAX_FILES:
		raise EvidenceRefused(_("At most {0} files can be attached to one report."), MAX_FILES)
	if not content:
		raise EvidenceRefused(_("{0} is empty."), name)
	if len(content) > MAX_FILE_BYTES:
		raise EvidenceRefused(
			_("{0} is larger than {1} MB; please send a smaller file."), name, MAX_FILE_BYTES // (1024 * 1024)
		)
	if total_so_far + len(content) > MAX_TOTAL_BYTES:
		raise EvidenceRefused(
			_("The files together are larger than {0} MB."), MAX_TOTAL_BYTES // (1024 * 1024)
		)
	if content.startswith(EXECUTABLE):
		raise EvidenceRefused(_("{0} is a program or a script; such files are not accepted."), name)
	ext = extension(filename)
	if ext not in SIGNATURES:
		raise EvidenceRefused(
			_("{0}: this kind of file is not accepted. Accepted: {1}."), name, ", ".join(sorted(SIGNATURES))
		)
	if not _content_matches(ext, content):
		raise EvidenceRefused(_("{0} is not a {1} file, whatever its name says."), name, ext.upper())
	return ext


def _content_matches(ext: str, content: bytes) -> bool:
	if ext == "txt":
		try:
			text = content.decode("utf-8")
		except UnicodeDecodeError:
			return False
		return not any(ord(c) < 32 and c not in "\t\n\r\f" for c in text)
	if ext in ("mp4", "m4a"):
		return content[4:8] == b"ftyp" and content[8:12] in MP4_BRANDS
	if ext in ("docx", "odt"):
		return _document_matches(ext, content)
	if ext == "webp":
		return content.startswith(b"RIFF") and content[8:12] == b"WEBP"
	return content.startswith(SIGNATURES[ext])


def _document_matches(ext: str, content: bytes) -> bool:
	"""A .docx is an Office Open XML word-processing package, an .odt an OpenDocument text: a zip
	with their own manifest, holding no program and no macro project."""
	import io
	import zipfile

	try:
		with zipfile.ZipFile(io.BytesIO(content)) as z:
			names = z.namelist()
			if len(names) > 5000 or any(
				EXECUTABLE_NAMES.search(n) or n.lower().endswith("vbaproject.bin") for n in names
			):
				return False
			if ext == "docx":
				return "[Content_Types].xml" in names and any(n.startswith("word/") for n in names)
			return (
				"mimetype" in names
				and z.read("mimetype")[:64].strip() == b"application/vnd.oasis.opendocument.text"
			)
	except (zipfile.BadZipFile, KeyError, ValueError, NotImplementedError, RuntimeError, OSError):
		return False


# --- the follow link and the one-time form key ---------------------------------------------------


def check_nonce(nonce: str | None) -> str:
	"""The key a form carries from the moment the page was opened: a retried or double-clicked
	post carries the same one."""
	if not nonce or not _NONCE.match(nonce):
		raise InvalidValue(_("This form has expired; please reload the page (what you typed is kept)."))
	return nonce


def token_for(secret: str, nonce: str) -> str:
	"""The reporter's secret link key, derived from the form key: the same post always gets the
	same link, and only the site (which holds ``secret``) can make it."""
	return hmac.new(secret.encode(), b"concern:" + nonce.encode(), hashlib.sha256).hexdigest()[:40]


def digest(value: str) -> str:
	return hashlib.sha256(value.encode()).hexdigest()


# --- triage --------------------------------------------------------------------------------------


def check_deadline_settings(acknowledge_days: int | None, assess_days: int | None) -> None:
	if not acknowledge_days or not 1 <= acknowledge_days <= MAX_DAYS:
		raise InvalidValue(_("Acknowledge within: from 1 to {0} days."), MAX_DAYS)
	if not assess_days or not acknowledge_days <= assess_days <= MAX_DAYS:
		raise InvalidValue(_("Assess within: at least the days to acknowledge, at most {0} days."), MAX_DAYS)


def deadlines(received: date, acknowledge_days: int, assess_days: int) -> tuple[date, date]:
	return received + timedelta(days=acknowledge_days), received + timedelta(days=assess_days)


def overdue(status: str, acknowledge_by: date | None, assess_by: date | None, today: date) -> str:
	"""Which deadline has passed unmet: "" when none."""
	if status == RECEIVED and acknowledge_by and today > acknowledge_by:
		return "Acknowledgement overdue"
	if status != ASSESSED and assess_by and today > assess_by:
		return "Assessment overdue"
	return ""


def check_triage(
	old: str | None, new: str | None, outcome: str | None, reasons: str | None, scope_state: str | None
) -> None:
	"""Received, then Acknowledged, then Assessed (acknowledging on the way is allowed); an
	assessment carries an outcome and its reasons and is final; a founded concern names the
	beneficiary state it concerns, which its effects on the gate follow."""
	old = old or RECEIVED
	if new not in STATUSES:
		raise TriageRefused(_("Unknown status {0}."), new)
	if STATUSES.index(new) < STATUSES.index(old):
		raise TriageRefused(_("A concern that is {0} cannot go back to {1}."), old, new)
	if old == ASSESSED:
		raise TriageRefused(
			_("This concern has been assessed; its outcome stands. Record new information as a new concern.")
		)
	if new != ASSESSED:
		if outcome:
			raise TriageRefused(_("An outcome is given with the assessment: set the status to Assessed."))
		return
	if outcome not in OUTCOMES:
		raise MissingValue(_("Please choose the outcome: {0}."), ", ".join(OUTCOMES))
	if len((reasons or "").strip()) < MIN_REASONS:
		raise MissingValue(
			_("Please give the reasons for the outcome (at least {0} characters)."), MIN_REASONS
		)
	check_length(_("Reasons"), reasons)
	if outcome == FOUNDED and not scope_state:
		raise MissingValue(_("A founded concern names the beneficiary state it concerns."))


# --- effects of a founded concern ----------------------------------------------------------------


@dataclass(frozen=True)
class Founded:
	name: str
	found_on: datetime
	state: str | None
	theme: str | None
	programme: str | None


def affects_programme(c: Founded, programme: str, states: Iterable[str], themes: Iterable[str]) -> bool:
	"""A concern about a programme bears on that programme's gate; one about a state (or a unit
	in it), on every programme in that state and, when it names a theme, in that theme."""
	if c.programme:
		return c.programme == programme
	return bool(c.state) and c.state in set(states) and (not c.theme or c.theme in set(themes))


def blocks_activity(c: Founded, state: str | None, theme: str | None) -> bool:
	"""New activities in the concern's state (and theme, when it names one) wait."""
	return bool(c.state) and c.state == state and (not c.theme or c.theme == theme)


def check_new_activity(pending: list[Founded], state: str | None, theme: str | None) -> None:
	"""``pending``: founded concerns not yet answered by a new review and new sign-offs."""
	hits = [c for c in pending if blocks_activity(c, state, theme)]
	if hits:
		raise ActivityBlocked(
			_(
				"A concern about assistance in {0} was found founded ({1}): no new activity there{2} until a new "
				"human-rights review and new sign-offs post-date it."
			),
			state,
			", ".join(sorted(c.name for c in hits)),
			f" ({theme})" if theme and any(c.theme for c in hits) else "",
		)


# --- public counts -------------------------------------------------------------------------------


def counts_by_year(rows: Iterable[tuple[date | datetime, str, str | None]]) -> list[dict]:
	"""(received on, status, outcome) -> per year: received, assessed, founded. Counts only."""
	years: dict[int, dict] = {}
	for received, status, outcome in rows:
		y = years.setdefault(
			received.year, {"year": received.year, "received": 0, "assessed": 0, "founded": 0}
		)
		y["received"] += 1
		if status == ASSESSED:
			y["assessed"] += 1
			if outcome == FOUNDED:
				y["founded"] += 1
	return [years[y] for y in sorted(years)]


IATI_OTHER_RESULT = "9"  # ResultType 9: other
COUNTED = (
	("received", _("Concerns about misuse reported")),
	("assessed", _("Concerns assessed")),
	("founded", _("Concerns found founded")),
)


def iati_result(counts: list[dict], k: int):
	"""A programme's concern counts per year as an IATI ``result`` (counts only), as Guests may
	have them: a year's count from 1 to k - 1 is left out (one programme is often one state: a
	small count could point at a reporter), the others rounded to base k (``privacy.rounded``);
	an indicator with no year left is left out, and the result with no indicator left."""
	from .iati import (  # core.iati needs core.oversight, which needs this
		IatiActual,
		IatiIndicator,
		IatiPeriod,
		IatiResult,
	)
	from .privacy import rounded

	indicators = []
	for key, title in COUNTED:
		periods = [
			IatiPeriod(date(y["year"], 1, 1), date(y["year"], 12, 31), None, [IatiActual(float(rounded(y[key], k)))])
			for y in counts
			if not 0 < y[key] < k
		]
		if periods:
			indicators.append(
				IatiIndicator(
					title=title,
					measure="1",
					ascending=False,
					baseline_year=None,
					baseline_date=None,
					baseline_value=None,
					periods=periods,
				)
			)
	if not indicators:
		return None
	return IatiResult(IATI_OTHER_RESULT, _("Human-rights concerns about the assistance (counts)"), indicators)
