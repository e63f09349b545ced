// Cutover status page: polls GET /admin/status every 2 s with the admin token as a bearer header and
// renders it. No framework, no build: DOM nodes and textContent only (never innerHTML), so nothing the
// router reports (a reason, a tenant name, a difference) can become markup.
'use strict';

(function () {
  const TOKEN_KEY = 'cutover.adminToken';
  const POLL_MS = 2000;
  const TIMEOUT_MS = 5000;
  const MAX_ROUTES = 8;           // route and tenant pairs listed under shadow reads
  // Relative to /admin/ui/: still right behind a proxy that mounts the router under a prefix.
  const STATUS_URL = '../status';
  const ROLLBACK_URL = '../rollback';
  const TENANT_STATES = ['dual-write', 'backfilled', 'verified', 'reads-on-v2', 'writes-on-v2'];

  let memoryToken = null;      // when session storage is not available
  let timer = null;
  let generation = 0;          // +1 on sign-in and sign-out: answers to older requests are dropped
  let lastOk = null;
  let latched = null;

  const $ = (id) => document.getElementById(id);

  // ---- token -------------------------------------------------------------------------------

  function token() {
    try {
      return window.sessionStorage.getItem(TOKEN_KEY);
    } catch (e) {
      return memoryToken;
    }
  }

  function setToken(value) {
    memoryToken = value;
    try {
      if (value == null) {
        window.sessionStorage.removeItem(TOKEN_KEY);
      } else {
        window.sessionStorage.setItem(TOKEN_KEY, value);
      }
    } catch (e) {
      // memoryToken holds it for this page
    }
  }

  // ---- HTTP --------------------------------------------------------------------------------

  // {status, data} for an answer (data: parsed JSON or null), {status: 0, error} when none came.
  async function call(method, url, body) {
    const abort = new AbortController();
    const timeout = setTimeout(() => abort.abort(), TIMEOUT_MS);
    const headers = { 'Authorization': 'Bearer ' + token(), 'Accept': 'application/json' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    try {
      const response = await fetch(url, {
        method: method,
        headers: headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        credentials: 'omit',
        redirect: 'error',
        signal: abort.signal
      });
      let data = null;
      if ((response.headers.get('Content-Type') || '').indexOf('json') >= 0) {
        try {
          data = await response.json();
        } catch (e) {
          data = null;
        }
      }
      return { status: response.status, data: data };
    } catch (e) {
      const why = e && e.name === 'AbortError' ? 'no answer within ' + TIMEOUT_MS / 1000 + ' s' : String(e && e.message || e);
      return { status: 0, error: why };
    } finally {
      clearTimeout(timeout);
    }
  }

  function errorOf(answer) {
    if (answer.status === 0) {
      return answer.error;
    }
    const message = answer.data && answer.data.error ? answer.data.error : 'no details';
    return 'HTTP ' + answer.status + ': ' + message;
  }

  // ---- polling -----------------------------------------------------------------------------

  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(poll, delay);
  }

  async function poll() {
    const mine = generation;
    const answer = await call('GET', STATUS_URL);
    if (mine !== generation) {
      return;
    }
    if (answer.status === 200 && answer.data) {
      lastOk = new Date();
      showDashboard();
      hideBanner();
      try {
        render(answer.data);
        $('dashboard').classList.remove('stale');
      } catch (e) {
        banner('The status could not be shown: ' + e.message);
      }
      live('live, updated ' + clock(lastOk), 'ok');
      schedule(POLL_MS);
      return;
    }
    if (answer.status === 401 || answer.status === 503 && !lastOk && answer.data && answer.data.error) {
      // wrong or missing token, or the admin API is disabled: ask again, with the router's words
      signOut(answer.data && answer.data.error ? answer.data.error : errorOf(answer));
      return;
    }
    const since = lastOk ? ' The figures below are from ' + clock(lastOk) + '.' : '';
    if (answer.status === 0) {
      banner('Cannot reach the router (' + answer.error + '). Retrying every ' + POLL_MS / 1000 + ' s.' + since);
    } else {
      banner('The router could not give its status (' + errorOf(answer) + '). Retrying every ' + POLL_MS / 1000 + ' s.' + since);
    }
    $('dashboard').classList.add('stale');
    live(lastOk ? 'stale since ' + clock(lastOk) : 'not connected', 'bad');
    schedule(POLL_MS);
  }

  function signIn(value) {
    generation++;
    setToken(value);
    $('token-error').hidden = true;
    live('connecting…', '');
    schedule(0);
  }

  function signOut(error) {
    generation++;
    clearTimeout(timer);
    setToken(null);
    lastOk = null;
    latched = null;
    hideBanner();
    $('dashboard').hidden = true;
    clearDashboard();
    $('sign-out').hidden = true;
    $('sign-in').hidden = false;
    $('token-input').value = '';
    $('token-error').textContent = error || '';
    $('token-error').hidden = !error;
    live('not connected', '');
    $('token-input').focus();
  }

  function showDashboard() {
    $('sign-in').hidden = true;
    $('dashboard').hidden = false;
    $('sign-out').hidden = false;
  }

  // Nothing of a previous session stays on the page after signing out.
  function clearDashboard() {
    document.querySelectorAll('#dashboard dd, #dashboard td[id], #dashboard span[id]').forEach((n) => {
      n.textContent = '';
    });
    document.querySelectorAll('#dashboard tbody, #dashboard ul, #dashboard ol').forEach((n) => {
      if (n.closest('table') && n.closest('table').classList.contains('versus')) {
        return;
      }
      n.replaceChildren();
    });
    $('action-result').textContent = '';
  }

  function banner(message) {
    $('banner').textContent = message;
    $('banner').hidden = false;
  }

  function hideBanner() {
    $('banner').hidden = true;
    $('banner').textContent = '';
  }

  function live(message, kind) {
    const n = $('live');
    n.textContent = message;
    n.className = 'live' + (kind ? ' ' + kind : '');
  }

  // ---- formatting --------------------------------------------------------------------------

  function num(x) {
    if (x == null || isNaN(x)) {
      return '–';
    }
    return Number.isInteger(x) ? String(x) : String(Math.round(x * 100) / 100);
  }

  // A count with thousands grouped: 2,000,400
  function count(n) {
    return n == null ? '–' : String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  }

  function percent(ratio) {
    return ratio == null ? '–' : (ratio * 100).toFixed(ratio > 0 && ratio < 0.001 ? 3 : 1) + ' %';
  }

  function rate(perSecond) {
    const digits = perSecond >= 100 ? 0 : perSecond >= 10 ? 1 : 2;
    return perSecond.toFixed(digits) + ' req/s';
  }

  function duration(ms) {
    if (ms == null) {
      return '–';
    }
    if (ms < 1000) {
      return Math.round(ms) + ' ms';
    }
    if (ms < 60000) {
      return (ms / 1000).toFixed(1) + ' s';
    }
    if (ms < 3600000) {
      return Math.round(ms / 60000) + ' min';
    }
    if (ms < 172800000) {
      return (ms / 3600000).toFixed(1) + ' h';
    }
    return Math.round(ms / 86400000) + ' d';
  }

  function two(n) {
    return n < 10 ? '0' + n : String(n);
  }

  // Local time of day, 24 h: 08:01:02
  function clock(date) {
    return two(date.getHours()) + ':' + two(date.getMinutes()) + ':' + two(date.getSeconds());
  }

  // An ISO instant as local date and time (2026-11-22 08:01:02), with how long ago.
  function when(iso) {
    if (!iso) {
      return '–';
    }
    const d = new Date(iso);
    if (isNaN(d.getTime())) {
      return String(iso);
    }
    const day = d.getFullYear() + '-' + two(d.getMonth() + 1) + '-' + two(d.getDate());
    const ago = Date.now() - d.getTime();
    return day + ' ' + clock(d) + (ago < 0 ? '' : ago < 1000 ? ' (just now)' : ' (' + duration(ago) + ' ago)');
  }

  // ---- DOM helpers -------------------------------------------------------------------------

  function set(id, value, kind) {
    const n = $(id);
    n.textContent = value == null ? '–' : String(value);
    n.classList.remove('ok', 'bad', 'warn');
    if (kind) {
      n.classList.add(kind);
    }
  }

  function node(tag, content, kind) {
    const n = document.createElement(tag);
    if (content != null) {
      n.textContent = String(content);
    }
    if (kind) {
      n.className = kind;
    }
    return n;
  }

  function row(cells) {
    const tr = document.createElement('tr');
    cells.forEach((c) => tr.appendChild(c instanceof Node ? c : node('td', c)));
    return tr;
  }

  function fill(container, children) {
    container.replaceChildren.apply(container, children);
  }

  // ---- rendering ---------------------------------------------------------------------------

  function render(s) {
    renderTraffic(s);
    renderBackends(s);
    renderLatch(s.latch || {});
    renderGuardBlind(s.guard);
    renderOutbox(s.outbox);
    renderMigration(s.migration);
    renderShadow(s.shadow);
    renderTenants(s.tenants);
  }

  function renderTraffic(s) {
    const p = s.policy || {};
    set('weight', num(s.effectiveV2Weight));
    const isLatched = s.latch && s.latch.latched;
    $('weight-note').textContent = isLatched
      ? 'Everything goes to V1 while the rollback latch holds (the policy says ' + num(p.v2Weight) + ' %).'
      : '';
    set('policy-weight', num(p.v2Weight) + ' %');
    set('policy-sticky', p.stickyBy);
    set('policy-dual-write', p.dualWrite ? 'on' : 'off');
    set('policy-shadow', p.shadowReads > 0 ? percent(p.shadowReads) + ' of reads' : 'off');
    set('policy-version', 'v' + p.version + ' from ' + (p.source || '–') + ', loaded ' + when(p.loadedAt));
    const pins = Object.entries(p.pins || {});
    $('pins-empty').hidden = pins.length > 0;
    $('pins').hidden = pins.length === 0;
    fill($('pins').tBodies[0], pins.map(([tenant, backend]) => row([tenant, backend.toUpperCase()])));
  }

  function renderBackends(s) {
    const w = (s.guard && s.guard.window) || {};
    const t = (s.policy && s.policy.rollback) || {};
    const seconds = (w.windowMs || 0) / 1000;
    $('window').textContent = seconds > 0 ? 'over the last ' + duration(w.windowMs) : '';
    ['v1', 'v2'].forEach((b) => {
      const f = w[b] || { requests: 0, failures: 0, errorRate: 0, p99Ms: 0 };
      set(b + '-rate', seconds > 0 ? rate(f.requests / seconds) : '–');
      set(b + '-requests', f.requests);
      // Only V2 is judged against the thresholds; V1 is shown for comparison.
      const errorsBad = b === 'v2' && f.requests > 0 && t.errorRate != null && f.errorRate > t.errorRate;
      set(b + '-errors', percent(f.errorRate) + ' (' + f.failures + ' failed)', errorsBad ? 'bad' : null);
      const p99Bad = b === 'v2' && f.requests > 0 && t.p99LatencyMs != null && f.p99Ms > t.p99LatencyMs;
      set(b + '-p99', f.requests > 0 ? Math.round(f.p99Ms) + ' ms' : '–', p99Bad ? 'bad' : null);
      const breaker = (s.breakers || {})[b] || 'unknown';
      set(b + '-breaker', breaker, breaker === 'closed' ? 'ok' : breaker === 'open' ? 'bad' : 'warn');
    });
    set('min-requests', t.minRequests != null ? 'judged from ' + t.minRequests + ' V2 requests' : '');
    set('threshold-errors', t.errorRate != null ? 'over ' + percent(t.errorRate) : '');
    set('threshold-p99', t.p99LatencyMs != null ? 'over ' + t.p99LatencyMs + ' ms' : '');
    set('verdict', s.guard ? s.guard.lastVerdict : '–');
  }

  // Low traffic is visible, not silent: the windows in a row in which the guard could not judge V2.
  function renderGuardBlind(g) {
    const n = g ? g.inconclusiveWindows : 0;
    const el = $('guard-blind');
    el.hidden = !(n > 0);
    el.textContent = n > 0 ? 'V2 could not be judged for ' + count(n) + ' window' + (n === 1 ? '' : 's')
      + ': too few requests (' + duration(g.blindSeconds * 1000) + ').' : '';
  }

  function figuresText(f) {
    if (!f || !f.v2) {
      return '';
    }
    const side = (name, x) => name + ' ' + x.requests + ' requests, ' + percent(x.errorRate) + ' errors, p99 '
      + Math.round(x.p99Ms) + ' ms';
    return 'When it changed, over ' + duration(f.windowMs) + ': ' + side('V2', f.v2) + '; ' + side('V1', f.v1) + '.';
  }

  function renderLatch(l) {
    set('latch-state', l.state || '–', l.latched ? 'bad' : 'ok');
    $('latch-state').classList.add('badge');
    set('latch-reason', l.reason || '–');
    set('latch-cause', l.cause);
    set('latch-by', l.by);
    set('latch-since', when(l.since));
    $('latch-figures').textContent = figuresText(l.figures);
    if (latched !== l.latched) {
      latched = !!l.latched;
      $('release-form').hidden = !latched;
      $('latch-form').hidden = latched;
    }
  }

  function renderOutbox(o) {
    const none = !o || !o.available;
    $('outbox-none').hidden = !none;
    $('outbox-figures').hidden = none;
    if (none) {
      return;
    }
    set('outbox-pending', o.pending);
    set('outbox-age', duration(o.oldestAgeMs));
    set('outbox-failed', o.failed > 0 ? o.failed + ': refused by the target (4xx), need an operator' : '0',
      o.failed > 0 ? 'bad' : 'ok');
    set('outbox-database', o.database, o.database === 'up' ? 'ok' : 'bad');
    set('outbox-mode', o.mode === 'strict' ? 'strict: writes are refused' : o.mode === 'buffer' ? 'buffer: intents held in memory' : o.mode);
    set('outbox-held', o.heldInMemory, o.heldInMemory > 0 ? 'warn' : null);
    fill($('outbox-targets').tBodies[0], Object.entries(o.targets || {}).map(([target, x]) => row([
      target.toUpperCase(), num(x.pending), duration(x.oldestAgeMs), num(x.failed)])));
    const g = o.lastGap;
    const gap = $('outbox-gap');
    gap.classList.remove('bad');
    if (g) {
      gap.textContent = 'Last span without the database: ' + when(g.from) + ' to ' + when(g.to) + ', ' + g.held
        + ' held, ' + g.flushed + ' flushed, ' + g.lost + ' lost'
        + (g.lost > 0 ? ': re-run the backfill for this span.' : '.');
      if (g.lost > 0) {
        gap.classList.add('bad');
      }
    } else {
      gap.textContent = '';
    }
  }

  function runText(run, what) {
    if (!run) {
      return ['no ' + what + ' recorded (the jobs record their runs with --record-url)', null];
    }
    const took = run.startedAt && run.finishedAt ? ', took ' + duration(new Date(run.finishedAt) - new Date(run.startedAt)) : '';
    const s = run.summary || {};
    let outcome;
    let kind;
    if (run.exitCode === 0) {
      outcome = what === 'verify' ? 'equal' : s.complete === false ? 'done (incomplete)' : 'done';
      kind = 'ok';
    } else if (run.exitCode === 1 && what === 'verify') {
      outcome = (s.differences != null ? count(s.differences) : 'some') + ' differences' + (s.truncated ? ' (at least)' : '');
      kind = 'bad';
    } else {
      outcome = 'failed (exit ' + run.exitCode + ')' + (s.error ? ': ' + s.error : '');
      kind = 'bad';
    }
    const rows = what === 'backfill' && s.rows != null ? ', ' + count(s.rows) + ' rows' : '';
    return [outcome + rows + ', finished ' + when(run.finishedAt) + took, kind];
  }

  function renderMigration(m) {
    const none = $('migration-none');
    if (!m || m.error) {
      none.hidden = false;
      none.textContent = !m ? 'The router has no database: runs are not recorded.' : 'Runs could not be read: ' + m.error;
    } else {
      none.hidden = true;
    }
    const b = runText(m && m.backfill, 'backfill');
    set('backfill', b[0], b[1]);
    const backfillTables = (m && m.backfill && m.backfill.summary && m.backfill.summary.tables) || [];
    fill($('backfill-tables'), backfillTables.map((t) => node('li', t.table + ': ' + count(t.rows) + ' rows'
      + (t.inserted != null ? ' (' + count(t.inserted) + ' inserted, ' + count(t.updated) + ' updated, '
        + count(t.unchanged) + ' unchanged)' : ''))));
    const v = runText(m && m.verify, 'verify');
    set('verify', v[0], v[1]);
    const first = (m && m.verify && m.verify.summary && m.verify.summary.firstDifferences) || [];
    fill($('verify-differences'), first.map((d) => node('li', d.kind + ' ' + d.table + ' ' + d.key)));
  }

  function renderShadow(sh) {
    const none = !sh || !sh.compared;
    $('shadow-none').hidden = !none;
    $('shadow-figures').hidden = none;
    if (none) {
      $('shadow-none').textContent = sh ? 'no shadow reads yet (sampling ' + percent(sh.sampleRate) + ' of reads)' : 'no shadow reads yet';
      return;
    }
    set('shadow-rate', percent(sh.mismatchRate), sh.mismatched > 0 ? 'bad' : 'ok');
    set('shadow-mismatched', sh.mismatched);
    set('shadow-compared', sh.compared);
    set('shadow-sample', percent(sh.sampleRate));
    // the pairs that differ most first; the rest are counted (all of them are in /admin/shadow and the metrics)
    const routes = (sh.routes || []).slice().sort((a, b) => (b.mismatched - a.mismatched) || (b.compared - a.compared));
    fill($('shadow-routes').tBodies[0], routes.slice(0, MAX_ROUTES).map((r) => row([r.route, r.tenant, num(r.compared),
      num(r.mismatched), node('td', percent(r.mismatchRate), r.mismatched > 0 ? 'bad' : null)])));
    const more = routes.length - MAX_ROUTES;
    $('shadow-routes-more').hidden = more <= 0;
    $('shadow-routes-more').textContent = more > 0 ? 'and ' + more + ' more route and tenant pairs (GET /admin/shadow)' : '';
    const recent = (sh.recent || []).slice(0, 5);
    $('shadow-recent-none').hidden = recent.length > 0;
    fill($('shadow-recent'), recent.map((d) => {
      const li = node('li');
      li.appendChild(node('div', when(d.at) + ' · ' + d.method + ' ' + d.path + ' · tenant ' + d.tenant + ' · '
        + String(d.primary).toUpperCase() + ' answered ' + d.primaryStatus + ', the other side '
        + d.secondaryStatus, 'what'));
      const ul = node('ul');
      (d.differences || []).forEach((x) => {
        const item = node('li');
        item.appendChild(node('code', x.path));
        item.appendChild(document.createTextNode(' '));
        item.appendChild(node('span', x.primary, 'primary'));
        item.appendChild(document.createTextNode(' → '));
        item.appendChild(node('span', x.secondary, 'secondary'));
        ul.appendChild(item);
      });
      li.appendChild(ul);
      return li;
    }));
  }

  function renderTenants(list) {
    $('tenants').hidden = !Array.isArray(list);
    if (!Array.isArray(list)) {
      return;
    }
    if (list.length === 0) {
      const empty = node('td', 'no tenant has a migration state yet', 'note');
      empty.colSpan = 6;
      fill($('tenant-states').tBodies[0], [row([empty])]);
      return;
    }
    fill($('tenant-states').tBodies[0], list.map((t) => {
      const step = TENANT_STATES.indexOf(t.state);
      const state = node('td', t.state + (step >= 0 ? ' (' + (step + 1) + ' of ' + TENANT_STATES.length + ')' : ''), 'state');
      const v = t.lastVerify;
      const verify = !v ? node('td', '–')
        : node('td', (v.equal ? 'equal' : v.differences + ' differences') + ', ' + when(v.at), v.equal ? 'ok' : 'bad');
      return row([t.tenant, state, when(t.since), t.by || '–', t.reason || '–', verify]);
    }));
  }

  // ---- actions -----------------------------------------------------------------------------

  async function act(method, body, done) {
    const result = $('action-result');
    result.classList.remove('bad');
    result.textContent = 'sending…';
    const answer = await call(method, ROLLBACK_URL, body);
    if (answer.status === 401) {
      signOut(answer.data && answer.data.error);
      return;
    }
    if (answer.status === 200 && answer.data) {
      result.textContent = done(answer.data);
      schedule(0);
    } else {
      result.textContent = 'Refused: ' + errorOf(answer);
      result.classList.add('bad');
    }
  }

  function release(event) {
    event.preventDefault();
    const reason = $('release-reason').value.trim();
    act('DELETE', reason ? { reason: reason } : { reason: 'released from the status page' }, (r) => {
      $('release-reason').value = '';
      return r.changed ? 'Released: routing follows the policy again.' : 'It was not latched.';
    });
  }

  function latchNow(event) {
    event.preventDefault();
    const reason = $('latch-reason-input').value.trim();
    if (!reason) {
      $('action-result').textContent = 'A reason is required.';
      return;
    }
    if (!window.confirm('Send all traffic to V1, on every replica, until someone releases the latch?')) {
      return;
    }
    act('POST', { reason: reason }, (r) => {
      $('latch-reason-input').value = '';
      return r.changed ? 'Latched: all traffic goes to V1.' : 'It was already latched.';
    });
  }

  // ---- start -------------------------------------------------------------------------------

  document.addEventListener('DOMContentLoaded', () => {
    $('token-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const value = $('token-input').value.trim();
      if (value) {
        signIn(value);
      }
    });
    $('sign-out').addEventListener('click', () => signOut(null));
    $('release-form').addEventListener('submit', release);
    $('latch-form').addEventListener('submit', latchNow);
    if (token()) {
      signIn(token());
    } else {
      signOut(null);
    }
  });
}());
