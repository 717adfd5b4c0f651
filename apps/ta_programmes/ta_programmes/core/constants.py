"""Vocabularies shared by the doctypes, the rules, the demo data and the reports.

The doctype JSON files list the same values as Select options; ``tests/static`` checks that the
two agree, so a value is added in one place here and in the doctype, never silently in one.
"""

REGIONAL_GROUPS = (
	"African",
	"Asia-Pacific",
	"Eastern European",
	"Latin American & Caribbean",
	"Western European & Others",
)

RISK_LEVELS = ("Low", "Medium", "High", "Critical")

STATE_STATUSES = ("Active", "Suspended")

DONOR_TYPES = ("Government", "Multilateral", "Foundation", "Private")

SECTORS = (
	"Government",
	"UN entity",
	"Academia",
	"Civil Society",
	"Private Sector",
	"Regional Organisation",
)

# Sectors whose experts count as "outside expertise" (the source text asks that academia,
# researchers and civil society deliver part of the capacity building).
OUTSIDE_EXPERTISE_SECTORS = ("Academia", "Civil Society", "Private Sector")

# Sectors whose organisations may be accredited for civil-society oversight.
OVERSIGHT_SECTORS = ("Civil Society", "Academia")

# Regional balance and open oversight (core/balance.py): who takes part in an oversight meeting,
# how it is held, and where an accreditation application stands.
MEETING_SECTORS = ("OHCHR", "Civil Society", "Academia", "Private Sector", "Beneficiary State")
MEETING_MODES = ("In person", "Online")
ACCREDITATION_STATUSES = ("Pending", "Accredited", "Refused")

# IATI OrganisationType codelist (2.03), code -> name.
IATI_ORGANISATION_TYPES = {
	"10": "Government",
	"11": "Local Government",
	"15": "Other Public Sector",
	"21": "International NGO",
	"22": "National NGO",
	"23": "Regional NGO",
	"24": "Partner Country based NGO",
	"30": "Public Private Partnership",
	"40": "Multilateral",
	"60": "Foundation",
	"70": "Private Sector",
	"71": "Private Sector in Provider Country",
	"72": "Private Sector in Aid Recipient Country",
	"73": "Private Sector in Third Country",
	"80": "Academic, Training and Research",
	"90": "Other",
}

DEFAULT_IATI_TYPE_BY_SECTOR = {
	"Government": "10",
	"UN entity": "40",
	"Academia": "80",
	"Civil Society": "21",
	"Private Sector": "70",
	"Regional Organisation": "40",
}

DEFAULT_IATI_TYPE_BY_DONOR_TYPE = {
	"Government": "10",
	"Multilateral": "40",
	"Foundation": "60",
	"Private": "70",
}

THEME_CATEGORIES = ("Enforcement", "Prevention", "Safeguards")

VETTING_STATUSES = ("Pending", "Cleared", "Rejected")

PROGRAMME_STATUSES = (
	"Draft",
	"Under Review",
	"Approved",
	"Active",
	"Suspended",
	"Completed",
	"Cancelled",
)

ACTIVITY_TYPES = (
	"Training",
	"Workshop",
	"Legislative Advisory",
	"Study Visit",
	"Mentoring",
	"Awareness Campaign",
	"Equipment/Tools",
)

INSTITUTION_TYPES = (
	"Police",
	"Prosecution",
	"Judiciary",
	"CERT",
	"Ministry",
	"Parliament",
	"Civil Society",
	"Private Sector",
	"Academia",
)

DELIVERY_MODES = ("In person", "Online", "Hybrid")

ACTIVITY_STATUSES = ("Planned", "Approved", "Scheduled", "Delivered", "Postponed", "Cancelled")

TRAINER_ROLES = ("Lead", "Co-trainer", "Guest")

PARTNER_ROLES = ("Implementing", "Co-implementing", "Technical Adviser", "Host")

# Thematic areas shipped with the app: (name, category, OECD-DAC purpose code, description).
THEMATIC_AREAS = (
	("Legislative Drafting", "Enforcement", "15130", "Drafting and reviewing cybercrime legislation in line with human-rights standards."),
	("Electronic Evidence & Mutual Legal Assistance", "Enforcement", "15130", "Handling electronic evidence and international cooperation requests."),
	("Digital Forensics", "Enforcement", "15210", "Forensic acquisition and analysis of digital devices under due process."),
	("Judicial Training", "Enforcement", "15130", "Training judges and prosecutors to adjudicate cybercrime cases fairly."),
	("Law-Enforcement Investigation", "Enforcement", "15210", "Investigation techniques with legal safeguards and oversight."),
	("CERT / Incident Response", "Prevention", "22040", "National CERT capacity, incident handling and coordination."),
	("Prevention & Awareness", "Prevention", "22040", "Whole-of-society prevention and public awareness of online harms."),
	("Victim Support", "Prevention", "15160", "Support services and referral for victims of cybercrime."),
	("Human-Rights & Data-Protection Safeguards", "Safeguards", "15160", "Human-rights safeguards, privacy and data protection in cybercrime work."),
)

# Standard indicators shipped with the app (a library officers pick from and adapt):
# (code, name, category, unit, direction, disaggregation, definition, means of verification).
STANDARD_INDICATORS = (
	(
		"SI-EVID-01", "Trained prosecutors who used electronic evidence in a case within 12 months", "Enforcement",
		"Percentage", "Increase", "Sex",
		"Share of prosecutors trained by the programme who, within 12 months of the training, relied on electronic evidence "
		"obtained under judicial authorisation in at least one case.",
		"Follow-up answers (12 months), checked against case-management records of the prosecution service.",
	),
	(
		"SI-LAW-01", "Laws amended with human-rights safeguards", "Safeguards", "Number", "Increase", "None",
		"Cybercrime or procedural laws adopted or amended during the programme that include safeguards required by "
		"international human-rights law (legality, necessity, proportionality, judicial oversight, data protection).",
		"Official gazette; OHCHR legal review of the adopted text.",
	),
	(
		"SI-PART-01", "Women's share of participants", "Prevention", "Percentage", "Increase", "None",
		"Women among all participants of activities delivered in the period.",
		"Attendance sheets aggregated by the programme office.",
	),
	(
		"SI-KNOW-01", "Knowledge gain of trained officials", "Enforcement", "Percentage", "Increase", "Institution type",
		"Mean normalised gain between pre- and post-test of participants with both tests.",
		"Learning tests recorded in the app under pseudonymous codes.",
	),
	(
		"SI-APPL-01", "Trainees who applied the skill safely", "Safeguards", "Percentage", "Increase", "None",
		"Share of follow-up respondents who applied what they learned and reported no human-rights concern.",
		"Follow-up answers at 3, 6 and 12 months.",
	),
	(
		"SI-CERT-01", "Incidents handled by the national CERT within its service level", "Prevention", "Percentage",
		"Increase", "None",
		"Share of reported incidents triaged and handled within the CERT's published service level.",
		"CERT annual report; incident-tracking statistics.",
	),
	(
		"SI-MLA-01", "Days to answer a mutual legal assistance request for electronic evidence", "Enforcement", "Number",
		"Decrease", "None",
		"Median number of days between receipt and answer of incoming MLA requests concerning electronic evidence.",
		"Central authority's request register.",
	),
	(
		"SI-VICT-01", "Victims of cybercrime referred to support services", "Prevention", "Number", "Increase", "Sex",
		"People reporting cybercrime who were referred to a victim-support service.",
		"Referral records of the police unit and the support services.",
	),
)
