// The tenantwatch operator dashboard: plain JavaScript, no build step, nothing loaded from elsewhere.
// It reads the admin API relative to its own URL (/admin/), so it works behind a path-preserving proxy.
'use strict';

(() => {
  const PAGE_SIZE = 100;
  const TOKEN_KEY = 'tenantwatch.adminToken';
  const MAX_EVENTS = 30;
  const LIST_REFRESH_MS = 60000;
  const WORKERS_REFRESH_MS = 15000;
  const CLOCK_TICK_MS = 5000;
  // SuperOffice's states, as io.tenantwatch.domain.TenantState names them.
  const STATES = ['Unknown', 'Provisioning', 'Running', 'Deleted', 'Suspended', 'OnlineMaintenance',
    'OfflineMaintenance', 'ProvisioningFailed', 'Deleting', 'DeleteFailed', 'MigrationPending'];

  const $ = (id) => document.getElementById(id);
  const view = {
    tenants: [],          // the list as last loaded, sorted by tenant number
    byId: new Map(),      // tenant id -> its entry in tenants
    shown: [],            // tenants after the search box
    page: 0,
    selected: null,       // the tenant whose detail is open
    cluster: null,        // GET /admin/cluster as last loaded; null on a single engine
    token: sessionStorage.getItem(TOKEN_KEY),
    stream: null,
    refetching: new Set(),
    timers: [],
  };

  class Unauthorized extends Error {}

  // ---- the admin API ----

  async function api(method, path) {
    const headers = { Accept: 'application/json' };
    if (view.token) {
      headers.Authorization = 'Bearer ' + view.token;
    }
    const response = await fetch(path, { method, headers, cache: 'no-store' });
    if (response.status === 401) {
      throw new Unauthorized();
    }
    const body = response.status === 204 ? null : await response.json().catch(() => null);
    if (!response.ok) {
      const error = new Error(body && body.message ? body.message : 'HTTP ' + response.status);
      error.status = response.status;
      throw error;
    }
    return body;
  }

  function tenantPath(id) {
    return 'tenants/' + encodeURIComponent(id);
  }

  // ---- the token ----

  function askForToken(refused) {
    stopLive();
    $('app').hidden = true;
    $('forget-token').hidden = true;
    $('login').hidden = false;
    const error = $('login-error');
    error.hidden = !refused;
    error.textContent = refused ? 'The admin token was refused (401 Unauthorized). Enter it again.' : '';
    $('token-input').value = '';
    $('token-input').focus();
  }

  function onTokenSubmitted(event) {
    event.preventDefault();
    view.token = $('token-input').value.trim();
    sessionStorage.setItem(TOKEN_KEY, view.token);
    start();
  }

  function forgetToken() {
    sessionStorage.removeItem(TOKEN_KEY);
    view.token = null;
    askForToken(false);
  }

  // Every API failure goes through here: a 401 asks for the token again, anything else is shown.
  function failed(error, what) {
    if (error instanceof Unauthorized) {
      const hadToken = view.token !== null && view.token !== '';
      sessionStorage.removeItem(TOKEN_KEY);
      view.token = null;
      askForToken(hadToken);
    } else {
      say((what ? what + ': ' : '') + error.message, true);
    }
  }

  function say(text, isError) {
    const message = $('message');
    message.textContent = text;
    message.className = isError ? 'error' : '';
  }

  // ---- start ----

  async function start() {
    let cluster;
    try {
      // The nodes first, so that a cluster node's page never shows without its Owner column. A refused
      // token stops the start here; any other failure only leaves the nodes out until the next refresh.
      cluster = await fetchCluster().catch((error) => {
        if (error instanceof Unauthorized) throw error;
        return error;
      });
      if (!(cluster instanceof Error)) showCluster(cluster);
      await loadTenants();
    } catch (error) {
      failed(error, 'Could not load the tenants');
      return;
    }
    if (cluster instanceof Error) failed(cluster, 'Could not load the nodes');
    $('login').hidden = true;
    $('app').hidden = false;
    $('forget-token').hidden = !view.token;
    startLive();
    loadWorkers();
    if (view.timers.length === 0) {
      view.timers.push(setInterval(tickClock, CLOCK_TICK_MS));
      view.timers.push(setInterval(() => {
        if (!$('app').hidden) {
          loadCluster();
          loadWorkers();
        }
      }, WORKERS_REFRESH_MS));
      view.timers.push(setInterval(() => {
        if (!$('app').hidden && document.visibilityState === 'visible') {
          loadTenants().catch((error) => failed(error, 'Could not refresh the tenants'));
        }
      }, LIST_REFRESH_MS));
    }
  }

  // ---- the list ----

  async function loadTenants() {
    const query = new URLSearchParams();
    if ($('state-filter').value) query.set('state', $('state-filter').value);
    if ($('gate-filter').value) query.set('running', $('gate-filter').value);
    const text = query.toString();
    const body = await api('GET', 'tenants' + (text ? '?' + text : ''));
    view.tenants = body.tenants.sort(byTenantNumber);
    view.byId = new Map(view.tenants.map((t) => [t.tenant, t]));
    applySearch(true);
  }

  function byTenantNumber(a, b) {
    return a.tenant.length - b.tenant.length || (a.tenant < b.tenant ? -1 : a.tenant > b.tenant ? 1 : 0);
  }

  function applySearch(keepPage) {
    const needle = $('search').value.trim().toLowerCase();
    view.shown = needle === '' ? view.tenants : view.tenants.filter((t) =>
      t.tenant.toLowerCase().includes(needle)
      || (t.endpoint || '').toLowerCase().includes(needle)
      || (t.api || '').toLowerCase().includes(needle));
    const last = Math.max(0, Math.ceil(view.shown.length / PAGE_SIZE) - 1);
    view.page = keepPage ? Math.min(view.page, last) : 0;
    renderPage();
  }

  function renderPage() {
    const from = view.page * PAGE_SIZE;
    const rows = view.shown.slice(from, from + PAGE_SIZE).map(tenantRow);
    $('tenant-rows').replaceChildren(...rows);
    const total = view.shown.length;
    $('page-info').textContent = total === 0 ? 'no tenants'
      : `${from + 1}–${from + rows.length} of ${total.toLocaleString('en')}`;
    $('prev-page').disabled = view.page === 0;
    $('next-page').disabled = from + PAGE_SIZE >= total;
    renderSummary();
  }

  function renderSummary() {
    const open = view.tenants.filter((t) => t.running).length;
    const stale = view.tenants.filter((t) => t.stale).length;
    $('summary').textContent = `${view.tenants.length.toLocaleString('en')} tenants · ${open} open · `
      + `${view.tenants.length - open} closed · ${stale} stale`;
  }

  function tenantRow(t) {
    const row = document.createElement('tr');
    row.dataset.tenant = t.tenant;
    row.dataset.state = t.state;
    row.dataset.running = String(t.running);
    row.dataset.lastPolledAt = t.lastPolledAt || '';
    row.className = t.stale ? 'stale' : '';
    if (t.tenant === view.selected) row.classList.add('selected');

    const name = document.createElement('button');
    name.type = 'button';
    name.className = 'link open-detail';
    name.textContent = t.tenant;
    name.addEventListener('click', () => showDetail(t.tenant));

    const repoll = document.createElement('button');
    repoll.type = 'button';
    repoll.className = 'repoll';
    repoll.textContent = 'Re-poll';
    repoll.addEventListener('click', () => repollTenant(t.tenant, repoll));

    row.append(
      cell('tenant', name),
      cell('state', badge(t.state)),
      cell('gate', gate(t.running)),
      cell('endpoint', t.endpoint || '—', t.api ? 'api: ' + t.api : ''),
      timeCell('next-poll', t.nextPollAt, t.nextPollAt ? '' : 'none scheduled (polling now, or Deleted)'),
      cell('freshness', freshness(t), t.lastError ? 'last error: ' + t.lastError : ''),
      cell('owner cluster-only', t.owner || '—', t.owner ? 'epoch ' + t.epoch : ''),
      cell('actions', repoll));
    return row;
  }

  function cell(className, content, title) {
    const td = document.createElement('td');
    td.className = className;
    if (typeof content === 'string') td.textContent = content; else td.append(content);
    if (title) td.title = title;
    return td;
  }

  function timeCell(className, iso, emptyTitle) {
    const td = cell(className, relative(iso), iso || emptyTitle);
    if (iso) td.dataset.at = iso;
    return td;
  }

  function badge(state) {
    const span = document.createElement('span');
    span.className = 'badge state-' + (STATES.includes(state) ? state : 'other');
    span.textContent = state;
    return span;
  }

  function gate(running) {
    const span = document.createElement('span');
    span.className = running ? 'gate open' : 'gate closed';
    span.textContent = running ? 'open' : 'closed';
    return span;
  }

  function freshness(t) {
    const span = document.createElement('span');
    if (t.stale) {
      span.className = 'flag stale';
      span.textContent = 'STALE';
    } else if (t.consecutiveFailures > 0) {
      span.className = 'flag failing';
      span.textContent = t.consecutiveFailures + (t.consecutiveFailures === 1 ? ' failure' : ' failures');
    } else {
      span.className = 'flag fresh';
      span.textContent = 'fresh';
    }
    const polled = document.createElement('span');
    polled.className = 'polled';
    if (t.lastPolledAt) {
      polled.dataset.at = t.lastPolledAt;
      polled.title = 'last successful poll ' + t.lastPolledAt;
    }
    polled.textContent = t.lastPolledAt ? ' polled ' + relative(t.lastPolledAt) : ' never polled';
    const wrap = document.createElement('span');
    wrap.append(span, polled);
    return wrap;
  }

  function relative(iso) {
    if (!iso) return '—';
    const seconds = Math.round((Date.parse(iso) - Date.now()) / 1000);
    const size = Math.abs(seconds);
    // The engine's clock and the browser's differ by a little; a second either way is "now".
    if (size < 2) return 'now';
    const text = size < 60 ? size + ' s' : size < 3600 ? Math.round(size / 60) + ' min'
      : size < 172800 ? Math.round(size / 3600) + ' h' : Math.round(size / 86400) + ' d';
    return seconds >= 0 ? 'in ' + text : text + ' ago';
  }

  // 2026-11-26T19:36:28.894358816Z -> 11-26 19:36:28 (UTC): the full instant stays in the title.
  function shortTime(iso) {
    return iso ? iso.slice(5, 10) + ' ' + iso.slice(11, 19) : '—';
  }

  function tickClock() {
    document.querySelectorAll('#tenant-rows [data-at], #detail [data-at], #member-rows [data-at]').forEach((el) => {
      const text = relative(el.dataset.at);
      el.textContent = el.classList.contains('polled') ? ' polled ' + text : text;
    });
  }

  // Puts a fresh view in the list and redraws its row if it is on the page, in place.
  function replaceTenant(fresh) {
    const known = view.byId.get(fresh.tenant);
    const listed = Object.assign({}, fresh);
    delete listed.history;
    if (known) {
      Object.assign(known, listed);
    } else {
      view.tenants.push(listed);
      view.tenants.sort(byTenantNumber);
      view.byId.set(listed.tenant, listed);
    }
    const row = rowOf(fresh.tenant);
    if (row) {
      row.replaceWith(tenantRow(view.byId.get(fresh.tenant)));
    } else if (!known) {
      applySearch(true);
    }
    renderSummary();
  }

  function rowOf(id) {
    return document.querySelector(`#tenant-rows tr[data-tenant="${CSS.escape(id)}"]`);
  }

  // ---- one tenant ----

  async function showDetail(id) {
    view.selected = id;
    document.querySelectorAll('#tenant-rows tr.selected').forEach((r) => r.classList.remove('selected'));
    const row = rowOf(id);
    if (row) row.classList.add('selected');
    try {
      renderDetail(await api('GET', tenantPath(id)));
    } catch (error) {
      failed(error, 'Could not load ' + id);
    }
  }

  function renderDetail(t) {
    if (t.tenant !== view.selected) return;
    $('detail').hidden = false;
    $('layout').classList.add('detail-open');
    $('detail').dataset.tenant = t.tenant;
    $('detail-title').replaceChildren(document.createTextNode(t.tenant + ' '), badge(t.state), gate(t.running));
    const fields = [
      ['State', `${t.state} (code ${t.stateCode})`], ['Endpoint', t.endpoint], ['Api', t.api],
      ['Version', t.version], ['Valid until', t.validUntil, true], ['Last polled', t.lastPolledAt, true],
      ['Next poll', t.nextPollAt, true], ['Failures in a row', String(t.consecutiveFailures)],
      ['Last error', t.lastError], ['Stale', t.stale ? 'yes' : 'no'], ['Hold until', t.holdUntil, true],
      ['Last command seq', String(t.seq)], ['Endpoint suspect', t.endpointSuspect ? 'yes (a worker saw 421)' : 'no'],
      ['Calls', '…']];
    if (t.owner) {
      fields.push(['Owner', t.owner], ['Epoch', String(t.epoch)]);
    }
    const items = [];
    for (const [label, value, isTime] of fields) {
      const dt = document.createElement('dt');
      dt.textContent = label;
      const dd = document.createElement('dd');
      dd.className = 'field-' + label.toLowerCase().replace(/ /g, '-');
      if (isTime && value) {
        const at = document.createElement('span');
        at.dataset.at = value;
        at.textContent = relative(value);
        const exact = document.createElement('small');
        exact.textContent = ' ' + value;
        dd.append(at, exact);
      } else {
        dd.textContent = value === null || value === undefined || value === '' ? '—' : value;
      }
      items.push(dt, dd);
    }
    $('detail-fields').replaceChildren(...items);
    loadTenantCalls(t.tenant);
    const history = (t.history || []).slice().reverse().map((h) => {
      const tr = document.createElement('tr');
      const commands = (h.commands || []).map((c) => `${c.type} seq ${c.seq}`).join(', ');
      tr.append(cell('at', shortTime(h.at), h.at), cell('from', h.from), cell('to', h.to), cell('cause', h.cause),
        cell('commands', commands || '—'));
      return tr;
    });
    if (history.length === 0) {
      const tr = document.createElement('tr');
      const td = cell('empty', 'no steps recorded yet');
      td.colSpan = 5;
      tr.append(td);
      history.push(tr);
    }
    $('history-rows').replaceChildren(...history);
  }

  function closeDetail() {
    view.selected = null;
    $('detail').hidden = true;
    $('layout').classList.remove('detail-open');
    document.querySelectorAll('#tenant-rows tr.selected').forEach((r) => r.classList.remove('selected'));
  }

  async function repollTenant(id, button) {
    button.disabled = true;
    button.textContent = 'Polling…';
    say('Polling ' + id + '…', false);
    try {
      const fresh = await api('POST', tenantPath(id) + '/poll');
      replaceTenant(fresh);
      if (view.selected === id) renderDetail(fresh);
      say(`${id} polled: ${fresh.state}, ${fresh.running ? 'open' : 'closed'} (at ${fresh.lastPolledAt})`, false);
    } catch (error) {
      failed(error, 'Re-poll of ' + id + ' failed');
    } finally {
      if (button.isConnected) {
        button.disabled = false;
        button.textContent = 'Re-poll';
      }
    }
  }

  // ---- live updates ----

  function startLive() {
    stopLive();
    const url = 'events' + (view.token ? '?token=' + encodeURIComponent(view.token) : '');
    const stream = new EventSource(url);
    view.stream = stream;
    stream.addEventListener('open', () => live('live', 'on'));
    stream.addEventListener('transition', (event) => onTransition(JSON.parse(event.data)));
    stream.addEventListener('dropped', () => {
      // Events were lost to a slow connection: the list as a whole may be behind.
      loadTenants().catch((error) => failed(error, 'Could not refresh the tenants'));
    });
    stream.addEventListener('error', () => {
      if (stream.readyState === EventSource.CLOSED) {
        // The server refused the stream (a token gone bad, the engine stopping): ask the API why.
        live('offline', 'off');
        setTimeout(() => {
          if (view.stream === stream) {
            api('GET', 'workers').then(startLive, (error) => failed(error, 'Live updates stopped'));
          }
        }, 5000);
      } else {
        live('reconnecting', 'off');
      }
    });
  }

  function stopLive() {
    if (view.stream) {
      view.stream.close();
      view.stream = null;
    }
    live('offline', 'off');
  }

  function live(text, mode) {
    $('live').textContent = text;
    $('live').className = 'live ' + mode;
  }

  function onTransition(event) {
    addEvent(event);
    const id = event.tenant;
    const serverFiltered = $('state-filter').value !== '' || $('gate-filter').value !== '';
    if (rowOf(id) || view.selected === id || (!view.byId.has(id) && !serverFiltered)) {
      refetch(id);
    } else if (view.byId.has(id)) {
      // Off the page: follow the event itself rather than asking the engine about every tenant.
      const known = view.byId.get(id);
      known.state = event.to;
      for (const command of event.commands || []) {
        if (command.type === 'pause' || command.type === 'retire') known.running = false;
        if (command.type === 'resume') known.running = true;
        if (command.endpoint) known.endpoint = command.endpoint;
      }
      renderSummary();
    }
  }

  // One view request per tenant at a time, however many transitions arrive meanwhile.
  async function refetch(id) {
    if (view.refetching.has(id)) return;
    view.refetching.add(id);
    try {
      const fresh = await api('GET', tenantPath(id));
      replaceTenant(fresh);
      if (view.selected === id) renderDetail(fresh);
    } catch (error) {
      if (error.status === 404) {
        view.byId.delete(id);
        view.tenants = view.tenants.filter((t) => t.tenant !== id);
        applySearch(true);
      } else {
        failed(error, 'Could not refresh ' + id);
      }
    } finally {
      view.refetching.delete(id);
    }
  }

  function addEvent(event) {
    const li = document.createElement('li');
    li.dataset.tenant = event.tenant;
    const commands = (event.commands || []).map((c) => c.type).join(', ');
    li.textContent = `${event.at} ${event.tenant}: ${event.from} → ${event.to} (${event.cause})`
      + (commands ? ': ' + commands : '');
    const list = $('events');
    list.prepend(li);
    while (list.children.length > MAX_EVENTS) list.lastElementChild.remove();
  }

  // ---- the cluster's nodes ----

  // GET /admin/cluster: the cluster as this node sees it, or null on a single engine (404 not-a-cluster).
  async function fetchCluster() {
    try {
      return await api('GET', 'cluster');
    } catch (error) {
      if (error.status === 404) return null;
      throw error;
    }
  }

  async function loadCluster() {
    try {
      showCluster(await fetchCluster());
    } catch (error) {
      failed(error, 'Could not load the nodes');
    }
  }

  function showCluster(cluster) {
    const before = view.cluster;
    view.cluster = cluster;
    renderNodes();
    if (before && cluster && placement(before) !== placement(cluster)) {
      // Shards moved: some tenants have another owner now.
      loadTenants().catch((error) => failed(error, 'Could not refresh the tenants'));
    }
  }

  function placement(cluster) {
    return cluster.members.map((m) => m.node + ':' + m.shards.join(',')).join(' ');
  }

  function renderNodes() {
    const cluster = view.cluster;
    document.body.classList.toggle('clustered', cluster !== null);
    $('nodes').hidden = cluster === null;
    if (cluster === null) {
      $('member-rows').replaceChildren();
      return;
    }
    const rows = cluster.members.map((m) => {
      const tr = document.createElement('tr');
      tr.dataset.node = m.node;
      const node = cell('node', m.node);
      if (m.node === cluster.self) {
        tr.className = 'self';
        const tag = document.createElement('span');
        tag.className = 'tag';
        tag.textContent = 'this node';
        node.append(' ', tag);
      }
      tr.append(node, cell('address', m.address || '—', 'where its event bus listens'),
        timeCell('since', m.since, 'not seen joining'),
        cell('shards', String(m.shards.length), m.shards.join(', ')),
        cell('tenants', m.tenants === null || m.tenants === undefined ? '—' : String(m.tenants),
          m.tenants === null ? 'it did not answer' : ''));
      return tr;
    });
    $('member-rows').replaceChildren(...rows);
    const run = cluster.members.reduce((sum, m) => sum + m.shards.length, 0);
    const moving = cluster.shards.length - run;
    $('nodes-summary').textContent = `${cluster.members.length} ${cluster.members.length === 1 ? 'member' : 'members'}`
      + ` · ${cluster.shards.length} shards` + (moving > 0 ? ` · ${moving} moving` : '');
  }

  // ---- workers ----

  async function loadWorkers() {
    try {
      const body = await api('GET', 'workers');
      const rows = body.workers.map((w) => {
        const tr = document.createElement('tr');
        tr.dataset.address = w.address;
        const ack = w.lastAck ? `${w.lastAck.tenant} seq ${w.lastAck.seq}` : '—';
        tr.append(cell('name', w.name, w.address),
          cell('node cluster-only', w.node || '—', w.node ? 'registered on ' + w.node : ''),
          cell('tenants', w.tenants ? w.tenants.length + ' listed' : 'all', w.tenants ? w.tenants.join(', ') : ''),
          cell('status', w.status), cell('delivered', String(w.delivered)), cell('retried', String(w.retried)),
          cell('failed', String(w.failed)), cell('pending', String(w.pending)),
          cell('ack', ack, w.lastAck ? w.lastAck.at : ''), callsCell(w.calls));
        if (w.status !== 'ok') tr.className = 'failing';
        return tr;
      });
      if (rows.length === 0) {
        const tr = document.createElement('tr');
        const td = cell('empty', 'no worker registered');
        td.colSpan = 10;
        tr.append(td);
        rows.push(tr);
      }
      $('worker-rows').replaceChildren(...rows);
    } catch (error) {
      failed(error, 'Could not load the workers');
    }
  }

  /** A gate's call counts: made, refused (tenant closed, never sent), failed at the tenant with their statuses. */
  function callsText(calls) {
    if (!calls) return '—';
    const failures = Object.entries(calls.failed || {}).filter(([, n]) => n > 0).map(([kind, n]) => `${kind}: ${n}`);
    const failed = Object.values(calls.failed || {}).reduce((a, n) => a + n, 0);
    return `${calls.made} made, ${calls.refused} refused, ${failed} failed` +
      (failures.length ? ` (${failures.join(', ')})` : '');
  }

  function callsCell(calls) {
    return cell('calls', callsText(calls), 'calls made / refused because the tenant was closed / failed at the tenant');
  }

  /** The selected tenant's calls, per worker that counts them. */
  async function loadTenantCalls(id) {
    try {
      const body = await api('GET', 'workers?tenant=' + encodeURIComponent(id));
      if (view.selected !== id) return;
      const lines = body.workers.filter((w) => w.tenantCalls).map((w) => `${w.name}: ${callsText(w.tenantCalls)}`);
      const dd = document.querySelector('#detail-fields dd.field-calls');
      if (dd) dd.textContent = lines.length ? lines.join('; ') : '—';
    } catch (error) {
      failed(error, 'Could not load the calls to ' + id);
    }
  }

  // ---- wiring ----

  function wire() {
    const select = $('state-filter');
    for (const state of STATES) {
      const option = document.createElement('option');
      option.value = state;
      option.textContent = state;
      select.append(option);
    }
    const reload = () => loadTenants().catch((error) => failed(error, 'Could not load the tenants'));
    select.addEventListener('change', () => { view.page = 0; reload(); });
    $('gate-filter').addEventListener('change', () => { view.page = 0; reload(); });
    $('search').addEventListener('input', () => applySearch(false));
    $('refresh').addEventListener('click', () => { reload(); loadCluster(); loadWorkers(); });
    $('prev-page').addEventListener('click', () => { view.page -= 1; renderPage(); });
    $('next-page').addEventListener('click', () => { view.page += 1; renderPage(); });
    $('detail-close').addEventListener('click', closeDetail);
    $('detail-repoll').addEventListener('click', (event) => {
      if (view.selected) repollTenant(view.selected, event.currentTarget);
    });
    $('token-form').addEventListener('submit', onTokenSubmitted);
    $('forget-token').addEventListener('click', forgetToken);
  }

  wire();
  start();
})();
