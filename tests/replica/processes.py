"""No state in a process: two web processes (gunicorn masters on two ports) and an RQ worker on one
site, sharing only MariaDB and Redis.

    <bench>/env/bin/python tests/replica/processes.py --site SITE --sites-path <bench>/sites \\
        --web http://127.0.0.1:8031,http://127.0.0.1:8032 [--password admin] [--load-seconds 15]

Run by tests/replica/run, which starts the processes. A client alternates between the ports:

1. it logs in on one and uses the session on the other (and logs out on the first: the session
   is gone on the second);
2. it creates a record through one and reads it through the other, then changes it through the
   other and reads the change through the first;
3. the public page's cache generation bumped by a write on one process is seen by the other: a
   new submitted oversight meeting is on /oversight-meetings served by the other process, whose
   earlier answer was cached under the previous generation;
4. the large desk PDF asked for through one process (``api.transparency.request_pdf``) is
   queued on ``long`` and built by the worker; the file is then read through the other process;
5. a short load (4 clients, each request on the other port than the previous one, Guests with
   random public filters and logged-in users on the desk report and list): no request fails.

Exits non-zero on the first failed check; prints what it measured.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import statistics
import sys
import threading
import time
import urllib.parse
from http.cookies import SimpleCookie

SITE = None


class Web:
	"""One web process, addressed with the site's name as Host (as behind a proxy)."""

	def __init__(self, base: str):
		parsed = urllib.parse.urlsplit(base)
		self.host, self.port = parsed.hostname, parsed.port
		self.name = f":{self.port}"

	def call(self, method: str, path: str, *, sid: str | None = None, form: dict | None = None, body: dict | None = None,
			 headers: dict | None = None, timeout: float = 120) -> tuple[int, dict, bytes]:
		conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
		h = {"Host": SITE, "Accept": "application/json", **(headers or {})}
		data = None
		if form is not None:
			data = urllib.parse.urlencode(form)
			h["Content-Type"] = "application/x-www-form-urlencoded"
		elif body is not None:
			data = json.dumps(body)
			h["Content-Type"] = "application/json"
		if sid:
			h["Cookie"] = f"sid={sid}"
		try:
			conn.request(method, path.replace(" ", "%20"), body=data, headers=h)
			r = conn.getresponse()
			headers = {k.lower(): v for k, v in r.getheaders()}
			headers["set-cookie"] = [v for k, v in r.getheaders() if k.lower() == "set-cookie"]
			return r.status, headers, r.read()
		finally:
			conn.close()


def check(condition: bool, message: str) -> None:
	if not condition:
		print(f"FAILED: {message}")
		raise SystemExit(1)
	print(f"   ok: {message}")


def login(web: Web, user: str, password: str) -> str:
	status, headers, body = web.call("POST", "/api/method/login", form={"usr": user, "pwd": password})
	check(status == 200, f"log in as {user} on {web.name} ({status})")
	cookie = SimpleCookie()
	for value in headers["set-cookie"]:
		cookie.load(value)
	return cookie["sid"].value


def data(body: bytes):
	return json.loads(body or b"{}")


def sessions(a: Web, b: Web, password: str) -> str:
	print("== 1. a session made by one process is used by the other")
	sid = login(a, "Administrator", password)
	status, _h, body = b.call("GET", "/api/method/frappe.auth.get_logged_user", sid=sid)
	check(status == 200 and data(body).get("message") == "Administrator", f"the session from {a.name} is Administrator's on {b.name}")
	other = login(b, "Administrator", password)
	status, _h, _body = a.call("GET", "/api/method/logout", sid=other)
	status, _h, body = b.call("GET", "/api/method/frappe.auth.get_logged_user", sid=other)
	check(status in (401, 403), f"logged out on {a.name}: the session is gone on {b.name} ({status})")
	return sid


def records(a: Web, b: Web, sid: str) -> None:
	print("== 2. a record written through one process is read through the other")
	name = f"Process check donor {random.randrange(10**8)}"
	status, _h, body = a.call(
		"POST", "/api/resource/TA Donor", sid=sid, body={"donor_name": name, "donor_type": "Foundation"}
	)
	check(status == 200, f"created {name!r} through {a.name} ({status} {body[:200]!r})")
	path = "/api/resource/TA Donor/" + urllib.parse.quote(name)
	status, _h, body = b.call("GET", path, sid=sid)
	check(status == 200 and data(body)["data"]["donor_type"] == "Foundation", f"read it through {b.name}")
	status, _h, body = b.call("PUT", path, sid=sid, body={"donor_type": "Private"})
	check(status == 200, f"changed it through {b.name}")
	status, _h, body = a.call("GET", path, sid=sid)
	check(status == 200 and data(body)["data"]["donor_type"] == "Private", f"the change is read through {a.name}")
	status, _h, _body = a.call("DELETE", path, sid=sid)
	check(status in (200, 202), f"deleted it through {a.name}")
	status, _h, _body = b.call("GET", path, sid=sid)
	check(status == 404, f"gone for {b.name} too ({status})")


def generation() -> str:
	import frappe
	from ta_programmes.transparency import cache as TC

	frappe.local.cache = {}
	return str(frappe.cache.get_value(TC.GENERATION_KEY))


def public_cache(a: Web, b: Web, sid: str) -> None:
	print("== 3. the public page's cache generation bumped by a write on one process is seen by the other")
	status, _h, _body = b.call("GET", "/oversight-meetings", headers={"Accept": "text/html"})
	check(status == 200, f"/oversight-meetings on {b.name} (cached for the current generation)")
	before = generation()
	title = f"Process check meeting {random.randrange(10**8)}"
	meeting = {
		"doctype": "TA Oversight Meeting",
		"title": title,
		"meeting_date": time.strftime("%Y-%m-%d", time.gmtime(time.time() - 86400)),
		"mode": "Online",
		"participants": [{"participant_name": "OHCHR officer", "sector": "OHCHR"}],
		"decisions": "The processes agree.",
	}
	status, _h, body = a.call("POST", "/api/resource/TA Oversight Meeting", sid=sid, body=meeting)
	check(status == 200, f"recorded a meeting through {a.name} ({status} {body[:200]!r})")
	name = data(body)["data"]["name"]
	status, _h, body = a.call("POST", "/api/method/frappe.client.submit", sid=sid, body={"doc": data(body)["data"]})
	check(status == 200, f"submitted {name} through {a.name} ({status} {body[:200]!r})")
	after = generation()
	check(after != before, f"the cache generation moved ({before} -> {after})")
	status, _h, body = b.call("GET", "/oversight-meetings", headers={"Accept": "text/html"})
	check(status == 200 and title.encode() in body, f"{b.name} shows the new meeting at once")
	status, _h, body = a.call("POST", "/api/method/frappe.client.cancel", sid=sid, body={"doctype": "TA Oversight Meeting", "name": name})
	status, _h, body = a.call("GET", "/oversight-meetings", headers={"Accept": "text/html"})
	check(status == 200 and title.encode() not in body, f"cancelled through {a.name}: gone from the page on {a.name}")
	status, _h, body = b.call("GET", "/oversight-meetings", headers={"Accept": "text/html"})
	check(status == 200 and title.encode() not in body, f"... and on {b.name}")


def _pdf_files(web: Web, sid: str) -> set[str]:
	query = {"filters": json.dumps([["file_name", "like", "ta-assistance-delivered-%"]]), "fields": '["file_url"]', "limit_page_length": 0}
	status, _h, body = web.call("GET", "/api/resource/File?" + urllib.parse.urlencode(query), sid=sid)
	if status != 200:
		check(False, f"list the desk PDFs through {web.name} ({status})")
	return {r["file_url"] for r in data(body).get("data") or []}


def background_pdf(a: Web, b: Web, sid: str) -> float:
	print("== 4. the large desk PDF is queued by one process and built by the worker")
	before = _pdf_files(b, sid)
	started = time.perf_counter()
	status, _h, body = a.call("POST", "/api/method/ta_programmes.api.transparency.request_pdf", sid=sid, body={"filters": {}})
	check(status == 200 and data(body).get("message", {}).get("queued") is True, f"request_pdf on {a.name} queued the job ({body[:200]!r})")
	new: set[str] = set()
	deadline = time.time() + 300
	while time.time() < deadline and not new:
		new = _pdf_files(b, sid) - before
		if not new:
			time.sleep(0.5)
	check(bool(new), "the worker wrote the PDF file")
	seconds = time.perf_counter() - started
	url = new.pop()
	status, _headers, body = b.call("GET", url, sid=sid)
	check(status == 200 and body[:5] == b"%PDF-", f"{b.name} serves the private PDF the worker made ({len(body)} bytes, {seconds:.1f} s after asking)")
	status, _h, _body = b.call("GET", url)
	check(status in (401, 403, 404), f"... and not to a Guest ({status})")
	return seconds


def load(webs: list[Web], sid: str, seconds: float, clients: int = 4) -> dict:
	print(f"== 5. load: {clients} clients for {seconds:g} s, each request on the other port than the previous")
	import frappe
	from ta_programmes.core.constants import REGIONAL_GROUPS as groups

	donors = frappe.get_all("TA Donor", pluck="name", limit=20)
	report = urllib.parse.urlencode({"report_name": "TA Assistance Delivered", "filters": "{}"})

	def pick(rng: random.Random) -> tuple[str, str, str | None]:
		r = rng.random()
		if r < 0.5:
			q = {rng.choice(["donor", "regional_group", "from_date"]): None}
			key = next(iter(q))
			q[key] = rng.choice(donors) if key == "donor" else rng.choice(groups) if key == "regional_group" else f"{rng.randint(2016, 2025)}-01"
			return "guest page", "/transparency?" + urllib.parse.urlencode(q), None
		if r < 0.75:
			return "desk report", "/api/method/frappe.desk.query_report.run?" + report, sid
		if r < 0.9:
			return "desk list", "/api/method/frappe.desk.reportview.get?" + urllib.parse.urlencode(
				{"doctype": "TA Activity", "fields": '["name","status"]', "page_length": 20}
			), sid
		return "csv", "/api/method/ta_programmes.api.transparency.public_csv?" + urllib.parse.urlencode({"regional_group": rng.choice(groups)}), None

	results: list[tuple[str, int, float]] = []
	lock = threading.Lock()
	stop = time.time() + seconds

	def client(i: int) -> None:
		rng = random.Random(i)
		turn = i
		while time.time() < stop:
			kind, path, session = pick(rng)
			web = webs[turn % len(webs)]
			turn += 1
			t0 = time.perf_counter()
			try:
				status, _h, _body = web.call("GET", path, sid=session, headers={"Accept": "text/html" if kind == "guest page" else "application/json"})
			except OSError:
				status = 0
			with lock:
				results.append((kind, status, time.perf_counter() - t0))

	threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
	for t in threads:
		t.start()
	for t in threads:
		t.join()
	failed = [(k, s) for k, s, _t in results if s != 200]
	times = sorted(t for _k, _s, t in results)
	p95 = times[int(0.95 * (len(times) - 1))] if times else 0
	out = {"requests": len(results), "failed": len(failed), "p50_ms": round(1000 * statistics.median(times)) if times else 0,
		   "p95_ms": round(1000 * p95)}
	for kind in sorted({k for k, _s, _t in results}):
		ts = sorted(t for k, _s, t in results if k == kind)
		out[kind] = f"{len(ts)} requests, p50 {1000 * statistics.median(ts):.0f} ms"
	print("   " + json.dumps(out))
	check(not failed, f"{len(results)} requests over both ports, none failed{'' if not failed else ': ' + str(failed[:10])}")
	return out


def main() -> int:
	global SITE
	parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
	parser.add_argument("--site", required=True)
	parser.add_argument("--sites-path", required=True)
	parser.add_argument("--web", required=True, help="two base URLs, comma-separated")
	parser.add_argument("--password", default="admin")
	parser.add_argument("--load-seconds", type=float, default=15)
	args = parser.parse_args()
	SITE = args.site
	webs = [Web(u) for u in args.web.split(",")]
	if len(webs) != 2:
		raise SystemExit("--web needs two base URLs")
	a, b = webs

	import frappe

	frappe.init(site=args.site, sites_path=args.sites_path)
	frappe.connect()
	try:
		started = time.perf_counter()
		sid = sessions(a, b, args.password)
		records(b, a, sid)
		public_cache(a, b, sid)
		pdf_seconds = background_pdf(a, b, sid)
		stats = load(webs, sid, args.load_seconds)
		print(f"processes test passed in {time.perf_counter() - started:.1f} s (PDF job {pdf_seconds:.1f} s; load {json.dumps(stats)})")
	finally:
		frappe.destroy()
	return 0


if __name__ == "__main__":
	sys.exit(main())
