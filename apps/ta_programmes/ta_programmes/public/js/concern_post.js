// The public concern pages (/report-concern, /concern-status) post their forms with this:
// multipart, with Frappe's CSRF token when the visitor is logged in. Resolves to the method's
// message, or rejects with the server's message as plain text (or `fallback`), so that the page
// can show it and keep what was typed.
window.taConcernPost = async function (method, data, fallback) {
	const headers = { Accept: "application/json" };
	if (window.frappe && frappe.csrf_token) headers["X-Frappe-CSRF-Token"] = frappe.csrf_token;
	const response = await fetch(`/api/method/ta_programmes.api.concerns.${method}`, { method: "POST", body: data, headers });
	const body = await response.json().catch(() => ({}));
	if (response.ok) return body.message;
	let text = fallback;
	try {
		text = JSON.parse(JSON.parse(body._server_messages)[0]).message;
	} catch (e) {
		/* keep the fallback */
	}
	throw new Error(new DOMParser().parseFromString(text, "text/html").body.textContent);
};
