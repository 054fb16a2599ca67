// Postback Relay admin console: a thin client of the admin API. No build step.
const state = { token: sessionStorage.getItem('relay-token'), pages: {}, partners: [] };
const $ = (selector, root = document) => root.querySelector(selector);

class ApiError extends Error {}

async function api(method, path, body) {
	const response = await fetch(path, {
		method,
		headers: { Authorization: `Bearer ${state.token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
		body: body ? JSON.stringify(body) : undefined,
	});
	const text = await response.text();
	const data = text ? JSON.parse(text) : null;
	if (!response.ok) {
		const fields = data?.errors ? ': ' + data.errors.map((e) => `${e.field} ${e.message}`).join(', ') : '';
		throw new ApiError(`${response.status} ${data?.title ?? ''}: ${data?.detail ?? text}${fields}`);
	}
	return data;
}

function show(kind, message) {
	const banner = $(`#${kind}`);
	banner.textContent = message;
	banner.hidden = !message;
}

async function run(action) {
	show('error', '');
	try {
		await action();
	} catch (error) {
		show('error', error.message);
	}
}

function cell(row, value, className) {
	const td = row.insertCell();
	td.textContent = value ?? '';
	if (className) td.className = className;
	return td;
}

function button(row, label, onClick) {
	const b = document.createElement('button');
	b.textContent = label;
	b.addEventListener('click', (event) => { event.stopPropagation(); run(onClick); });
	row.lastChild.append(b);
	return b;
}

function time(value) {
	return value ? new Date(value).toLocaleString() : '';
}

function filters(list) {
	const params = new URLSearchParams();
	for (const [name, value] of new FormData($(`form.filters[data-list="${list}"]`))) {
		if (value !== '') params.set(name, value);
	}
	params.set('page', state.pages[list] ?? 1);
	params.set('limit', 25);
	return params;
}

function pager(list, page, pages, total) {
	const div = $(`.pager[data-list="${list}"]`);
	div.replaceChildren();
	const prev = document.createElement('button');
	prev.textContent = 'Previous';
	prev.disabled = page <= 1;
	prev.onclick = () => { state.pages[list] = page - 1; run(loaders[list]); };
	const next = document.createElement('button');
	next.textContent = 'Next';
	next.disabled = page >= pages;
	next.onclick = () => { state.pages[list] = page + 1; run(loaders[list]); };
	const label = document.createElement('span');
	label.textContent = `Page ${page} of ${pages} (${total})`;
	div.append(prev, label, next);
}

async function loadReceived() {
	const data = await api('GET', `/api/admin/received-postbacks?${filters('received')}`);
	const rows = $('#received-rows');
	rows.replaceChildren();
	for (const p of data.postbacks) {
		const row = rows.insertRow();
		row.dataset.id = p.id;
		[time(p.receivedAt), p.id, p.sourceName, p.clickId, p.status, p.payout, p.published ? 'yes' : 'no']
			.forEach((v) => cell(row, v));
		row.addEventListener('click', () => run(() => openTimeline(p.id)));
	}
	pager('received', data.page, data.pages, data.total);
}

async function loadForwarded() {
	const data = await api('GET', `/api/admin/partner-distribution-logs?${filters('forwarded')}`);
	const rows = $('#forwarded-rows');
	rows.replaceChildren();
	for (const log of data.logs) {
		const row = rows.insertRow();
		row.dataset.postbackId = log.sourceLogId;
		cell(row, time(log.timestamp));
		cell(row, log.partnerName);
		cell(row, `${log.outcome}${log.origin === 'MANUAL' ? ' (manual)' : ''}`, `outcome-${log.outcome}`);
		cell(row, log.httpStatus);
		cell(row, log.attempt);
		cell(row, log.url, 'url');
		cell(row, log.error, 'err');
		row.addEventListener('click', () => run(() => openTimeline(log.sourceLogId)));
	}
	pager('forwarded', data.page, data.pages, data.total);
}

async function loadDeadLetters() {
	const data = await api('GET', `/api/admin/dead-letters?${filters('dead-letters')}`);
	const rows = $('#dead-letters-rows');
	rows.replaceChildren();
	for (const letter of data.deadLetters) {
		const row = rows.insertRow();
		row.dataset.id = letter.id;
		[time(letter.deadAt), letter.partnerName ?? letter.partnerId, letter.postbackId, letter.lastError,
			letter.attempts].forEach((v) => cell(row, v));
		cell(row, letter.status, 'status');
		cell(row, letter.replayCount);
		cell(row, '');
		if (letter.status === 'OPEN') {
			button(row, 'Replay', async () => {
				const replayed = await api('POST', `/api/admin/dead-letters/${letter.id}/replay`);
				show('notice', `Dead letter replayed (replay ${replayed.replayCount})`);
				await loadDeadLetters();
			}).className = 'replay';
			button(row, 'Discard', async () => {
				await api('POST', `/api/admin/dead-letters/${letter.id}/discard`);
				await loadDeadLetters();
			}).className = 'discard';
		}
	}
	pager('dead-letters', data.page, data.pages, data.total);
}

async function loadPartners() {
	state.partners = await api('GET', '/api/admin/partners');
	const rows = $('#partners-rows');
	rows.replaceChildren();
	for (const p of state.partners) {
		const row = rows.insertRow();
		const rules = Object.entries(p.rules ?? {}).filter(([, v]) => v.length)
			.map(([k, v]) => `${k}: ${v.join(', ')}`).join('; ') || 'all';
		[p.name, p.postbackUrl, p.method, rules, p.active ? 'yes' : 'no'].forEach((v) => cell(row, v));
		cell(row, '');
		button(row, 'Edit', async () => editPartner(p));
		button(row, p.active ? 'Deactivate' : 'Activate', async () => {
			await api('POST', `/api/admin/partners/${p.id}/${p.active ? 'deactivate' : 'activate'}`);
			await loadPartners();
		});
	}
	for (const select of document.querySelectorAll('.partner-select')) {
		const keep = select.value;
		const options = [...select.options].filter((o) => o.value === '');
		select.replaceChildren(...options);
		for (const p of state.partners) select.add(new Option(p.name, p.id));
		select.value = keep;
	}
}

function list(text) {
	return text.split(',').map((s) => s.trim()).filter(Boolean);
}

function editPartner(p) {
	const form = $('#partner-form');
	form.reset();
	$('#partner-form-title').textContent = `Edit ${p.name}`;
	for (const name of ['id', 'name', 'email', 'postbackUrl', 'method', 'timeoutMs']) form.elements[name].value = p[name] ?? '';
	for (const name of ['statuses', 'offerIds', 'sourceIds']) form.elements[name].value = (p.rules?.[name] ?? []).join(', ');
	form.elements.active.checked = p.active;
}

async function savePartner(event) {
	event.preventDefault();
	const form = event.target;
	const f = form.elements;
	const body = {
		name: f.name.value, email: f.email.value, postbackUrl: f.postbackUrl.value, method: f.method.value,
		active: f.active.checked, signingSecret: f.signingSecret.value || null,
		timeoutMs: f.timeoutMs.value ? Number(f.timeoutMs.value) : null,
		rules: { statuses: list(f.statuses.value), offerIds: list(f.offerIds.value), sourceIds: list(f.sourceIds.value) },
	};
	const saved = f.id.value ? await api('PUT', `/api/admin/partners/${f.id.value}`, body)
		: await api('POST', '/api/admin/partners', body);
	show('notice', `Partner ${saved.name} saved`);
	form.reset();
	f.id.value = '';
	await loadPartners();
}

async function preview(event) {
	event.preventDefault();
	const f = event.target.elements;
	let params;
	try {
		params = JSON.parse(f.params.value);
	} catch {
		throw new ApiError('Sample parameters must be a JSON object');
	}
	const request = await api('POST', `/api/admin/partners/${f.partner.value}/preview`, { params });
	$('#preview-output').textContent = JSON.stringify(request, null, 2);
}

async function loadSources() {
	const sources = await api('GET', '/api/admin/sources');
	const rows = $('#sources-rows');
	rows.replaceChildren();
	for (const s of sources) {
		const row = rows.insertRow();
		[s.name, s.id, `${s.keyPrefix}…`, (s.allowedIps ?? []).join(', ') || 'anywhere', s.active ? 'yes' : 'no']
			.forEach((v) => cell(row, v));
		cell(row, '');
		button(row, 'Rotate key', async () => {
			const rotated = await api('POST', `/api/admin/sources/${s.id}/rotate-key`);
			show('notice', `New key for ${s.name} (shown once): ${rotated.key}`);
			await loadSources();
		});
	}
}

async function createSource(event) {
	event.preventDefault();
	const f = event.target.elements;
	const created = await api('POST', '/api/admin/sources', { name: f.name.value, allowedIps: list(f.allowedIps.value) });
	show('notice', `Source ${created.name} created. Its key, shown once: ${created.key}`);
	event.target.reset();
	await loadSources();
}

async function openTimeline(id) {
	const data = await api('GET', `/api/admin/received-postbacks/${id}`);
	$('#timeline-id').textContent = id;
	$('#timeline-postback').textContent = JSON.stringify(data.postback.params, null, 2);
	const container = $('#timeline-deliveries');
	container.replaceChildren();
	for (const d of data.deliveries) {
		const h = document.createElement('h3');
		h.textContent = `${d.partnerName}: ${d.outcome}${d.deadLetter ? ` (dead letter ${d.deadLetter.status})` : ''}`;
		const table = document.createElement('table');
		for (const a of d.attempts) {
			const row = table.insertRow();
			[time(a.timestamp), `attempt ${a.attempt}`, a.origin, a.outcome, a.httpStatus, a.error].forEach((v) => cell(row, v));
		}
		container.append(h, table);
	}
	$('#timeline').hidden = false;
}

const loaders = {
	received: loadReceived, forwarded: loadForwarded, 'dead-letters': loadDeadLetters,
	partners: loadPartners, sources: loadSources,
};

function selectTab(tab) {
	for (const b of document.querySelectorAll('.tab')) b.classList.toggle('active', b.dataset.tab === tab);
	for (const p of document.querySelectorAll('.panel')) p.hidden = p.id !== tab;
	return run(loaders[tab]);
}

async function signIn(token) {
	state.token = token;
	await api('GET', '/api/admin/partners');
	sessionStorage.setItem('relay-token', token);
	$('#sign-in').hidden = true;
	$('#console').hidden = false;
	$('#sign-out').hidden = false;
	await run(loadPartners);
	await selectTab('received');
}

document.addEventListener('DOMContentLoaded', () => {
	$('#sign-in-form').addEventListener('submit', (event) => {
		event.preventDefault();
		run(() => signIn($('#token').value));
	});
	$('#sign-out').addEventListener('click', () => { sessionStorage.removeItem('relay-token'); location.reload(); });
	for (const b of document.querySelectorAll('.tab')) b.addEventListener('click', () => selectTab(b.dataset.tab));
	for (const form of document.querySelectorAll('form.filters')) {
		form.addEventListener('submit', (event) => {
			event.preventDefault();
			state.pages[form.dataset.list] = 1;
			run(loaders[form.dataset.list]);
		});
	}
	$('#bulk-replay').addEventListener('click', () => run(async () => {
		const partner = $('form.filters[data-list="dead-letters"] select[name="partner_id"]').value;
		if (!partner) throw new ApiError('Choose a partner to replay its open dead letters');
		const result = await api('POST', '/api/admin/dead-letters/replay', { partner_id: partner });
		show('notice', `${result.queued} dead letters queued for replay`);
		await loadDeadLetters();
	}));
	$('#partner-form').addEventListener('submit', (event) => run(() => savePartner(event)));
	$('#partner-form-reset').addEventListener('click', () => { $('#partner-form').reset(); $('#partner-form').elements.id.value = ''; $('#partner-form-title').textContent = 'New partner'; });
	$('#preview-form').addEventListener('submit', (event) => run(() => preview(event)));
	$('#source-form').addEventListener('submit', (event) => run(() => createSource(event)));
	$('#timeline-close').addEventListener('click', () => { $('#timeline').hidden = true; });
	if (state.token) run(() => signIn(state.token));
});
