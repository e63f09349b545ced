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
      refreshCurves(mine, answer.data.latch ? answer.data.latch.version : null);
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
    clearCurves();
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
    renderOutboxLag(s.outbox);
    renderMigration(s.migration);
    renderShards(s.migration);
    renderShadow(s.shadow);
    renderTenants(s.tenants);
    renderProgression(s.progression);
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

  // The recent calls of each side (rollback.window), then what the guard's verdict rests on: the evidence of each side
  // since when, the bounds the test gives, how sure it is.
  function renderBackends(s) {
    const g = s.guard || {};
    const w = g.window || {};
    const e = g.evidence || {};
    const t = (s.policy && s.policy.rollback) || {};
    const seconds = (w.windowMs || 0) / 1000;
    $('window').textContent = seconds > 0 ? 'over the last ' + duration(w.windowMs) : '';
    $('evidence-span').textContent = e.windowMs > 0 ? 'evidence of the last ' + duration(e.windowMs)
      + ' (since ' + new Date(Date.now() - e.windowMs).toLocaleTimeString() + ')' : '';
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
      const x = e[b] || { requests: 0, failures: 0 };
      set(b + '-evidence', x.requests > 0 ? count(x.requests) + ' (' + count(x.failures) + ')' : 'no data');
      set(b + '-bounds', x.requests > 0 && x.errorRateHigh != null
        ? percent(x.errorRateLow) + ' to ' + percent(x.errorRateHigh) : '–');
      set(b + '-short', x.shortCircuits != null ? count(x.shortCircuits) : '–');
    });
    set('min-requests', t.minRequests != null ? 'healthy from ' + t.minRequests + ' V2 requests' : '');
    set('threshold-errors', t.errorRate != null ? 'over ' + percent(t.errorRate) : '');
    set('threshold-confidence', t.confidence != null ? 'latch at ' + confidence(t.confidence) + ' confidence' : '');
    set('threshold-p99', t.p99LatencyMs != null ? 'over ' + t.p99LatencyMs + ' ms' : '');
    const verdict = g.lastVerdict || '–';
    set('verdict', verdict, verdict === 'healthy' ? 'ok' : verdict === 'error-rate' || verdict === 'p99-latency' ? 'bad'
      : verdict === 'degraded' ? 'warn' : null);
    $('verdict-reason').textContent = g.reason ? '(' + g.reason + ')' : '';
    $('verdict-confidence').textContent = e.test
      ? 'Test: ' + e.test + '. V2 worse: ' + confidence(e.worseConfidence) + ' sure (latch at ' + confidence(e.confidence)
        + '); V2 under its error threshold: ' + confidence(e.healthyConfidence) + ' sure (healthy at '
        + confidence(e.promoteConfidence) + ').'
      : '';
  }

  function confidence(c) {
    if (c == null) {
      return '–';
    }
    if (c >= 0.999999) {
      return '> 99.9999 %';
    }
    return (Math.floor(c * 1e6) / 1e4) + ' %';
  }

  // Low traffic is visible, not silent: how long the guard could not judge V2, and whether it had any V2 data at all.
  function renderGuardBlind(g) {
    const n = g ? g.inconclusiveWindows : 0;
    const el = $('guard-blind');
    const noData = g && g.noDataSeconds > 0;
    el.hidden = !(n > 0 || noData);
    el.textContent = noData
      ? 'No V2 data for ' + duration(g.noDataSeconds * 1000) + ': no request reached V2, nothing can be judged (never a latch, never a promotion).'
      : n > 0 ? 'V2 could not be judged yet for ' + count(n) + ' window' + (n === 1 ? '' : 's')
        + ': not enough evidence (' + duration(g.blindSeconds * 1000) + ').' : '';
  }

  function figuresText(f) {
    if (!f || !f.v2) {
      return '';
    }
    const side = (name, x) => name + ' ' + x.requests + ' requests, ' + percent(x.errorRate) + ' errors, p99 '
      + Math.round(x.p99Ms) + ' ms';
    return 'When it changed, over ' + duration(f.windowMs) + ': ' + side('V2', f.v2) + '; ' + side('V1', f.v1) + '.'
      + (f.test ? ' ' + confidence(f.worseConfidence) + ' sure V2 was worse (' + f.test + ').' : '');
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

  // The dual-write lag per target and the entities blocked by a failing row (docs/dual-write.md).
  function renderOutboxLag(o) {
    if (!o || !o.available) {
      return;
    }
    fill($('outbox-lag-targets'), Object.entries(o.targets || {}).flatMap(([target, x]) => {
      const dt = document.createElement('dt');
      dt.textContent = 'to ' + target.toUpperCase();
      const dd = document.createElement('dd');
      const lag = x.lagSeconds || 0;
      dd.textContent = duration(lag * 1000) + (x.blockedEntities > 0 ? ', ' + x.blockedEntities + ' blocked' : '');
      dd.className = lag >= 30 || x.blockedEntities > 0 ? 'bad' : lag >= 1 ? 'warn' : 'ok';
      dd.id = 'outbox-lag-' + target;
      return [dt, dd];
    }));
    const blocked = o.blocked || [];
    $('outbox-blocked').hidden = blocked.length === 0;
    $('outbox-blocked-none').hidden = blocked.length > 0;
    fill($('outbox-blocked').tBodies[0], blocked.map(b => row([
      b.entity, b.target.toUpperCase(), when(b.since), num(b.attempts), num(b.waiting), b.reason || ''])));
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
    } else if (run.exitCode === 3) {
      outcome = what === 'verify' ? 'only rows the backfill rejected differ (' + count(s.rejected) + ')'
        : 'done, ' + count(s.rejected) + ' rows rejected by V2';
      kind = 'warn';
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

  // Each shard's live progress (GET /admin/status migration.shards), one row per job and shard.
  function renderShards(m) {
    const shards = (m && m.shards) || [];
    $('shards-none').hidden = shards.length > 0;
    $('shards').hidden = shards.length === 0;
    fill($('shards-rows'), shards.map((sh) => {
      const kind = sh.state === 'failed' ? 'bad' : sh.state === 'paused' || sh.state === 'waiting' ? 'warn'
        : sh.state === 'done' ? 'ok' : null;
      const tr = row([
        sh.job,
        sh.shard + '/' + sh.shards,
        node('td', sh.state + (sh.note ? ': ' + sh.note : ''), kind),
        sh.table || '–',
        count(sh.rowsDone) + ' / ' + count(sh.rowsTotal),
        count(Math.round(sh.rowsPerSecond || 0)) + ' rows/s',
        sh.etaSeconds == null ? '–' : duration(sh.etaSeconds * 1000),
        node('td', count(sh.rejected), sh.rejected > 0 ? 'bad' : null),
        when(sh.updatedAt)
      ]);
      tr.dataset.shard = sh.job + ' ' + sh.shard + '/' + sh.shards;
      return tr;
    }));
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

  // ---- curves (GET /admin/history) ---------------------------------------------------------
  // The ring this replica keeps, drawn as hand-written SVG: one stepped path per series (broken where an
  // interval had no requests), a transparent slot per interval whose tooltip gives its figures, and a dashed line
  // across every chart per change of the latch. Redrawn only when the ring changed.

  const HISTORY_URL = '../history';
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const CHART = { width: 720, height: 96, left: 56, right: 8, top: 6, bottom: 16 };
  const TICK_MINUTES = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440];
  let curvesKey = null;
  let curvesBusy = false;
  let curvesDue = 0;              // Date.now() when the open interval closes: no new point before
  let curvesLatch = null;         // the latch's version at the last read: a change brings its mark at once

  // Reads the ring when a new point is due or the latch changed, not on every poll of the status.
  async function refreshCurves(mine, latchVersion) {
    if (curvesBusy || Date.now() < curvesDue && latchVersion === curvesLatch) {
      return;
    }
    curvesBusy = true;
    try {
      const answer = await call('GET', HISTORY_URL);
      if (mine !== generation) {
        return;
      }
      if (answer.status === 200 && answer.data) {
        curvesLatch = latchVersion;
        curvesDue = Date.now() + (answer.data.open ? answer.data.open.closesInMs : 0);
        renderCurves(answer.data);
      } else if (answer.status !== 0 && answer.status !== 401) {
        $('curves-none').hidden = false;
        $('curves-none').textContent = 'The curves could not be read: ' + errorOf(answer);
      }
    } finally {
      curvesBusy = false;
    }
  }

  function clearCurves() {
    curvesKey = null;
    curvesDue = 0;
    curvesLatch = null;
    $('curves-replica').textContent = '';
    $('curves-none').textContent = '';
    document.querySelectorAll('#curves-charts figure div').forEach((n) => n.replaceChildren());
  }

  function renderCurves(h) {
    const points = h.points || [];
    const marks = h.marks || [];
    const open = Date.parse(h.open.start);
    $('curves-span').textContent = 'one point per ' + duration(h.intervalMs) + ', the last ' + duration(h.spanMs);
    $('curves-replica').textContent = 'Replica ' + h.replica + ': the traffic this router saw (each replica keeps its'
      + ' own), kept since ' + when(h.startedAt) + '.';
    $('curves-none').hidden = points.length > 0;
    $('curves-none').textContent = points.length > 0 ? '' : 'No interval has closed yet: the first point comes at '
      + clock(new Date(open + h.intervalMs)) + '.';
    const last = marks.length ? marks[marks.length - 1].at : '';
    const key = [h.replica, h.open.start, points.length, marks.length, last].join('|');
    if (key === curvesKey) {
      return;
    }
    curvesKey = key;
    // the axis ends with the open interval, so that a mark set within it shows at once
    const axis = { from: open - h.spanMs, end: open + h.intervalMs, interval: h.intervalMs, marks: marks };
    const errors = (x) => x.requests ? percent(x.errorRate) + ' (' + x.failures + ' of ' + x.requests + ')' : 'no requests';
    const p99 = (x) => x.p99Ms == null ? '–' : duration(x.p99Ms);
    chart('curve-rate', axis, points, [['v1', (p) => p.v1.ratePerSecond], ['v2', (p) => p.v2.ratePerSecond]],
      { min: 1, label: num, text: (p) => 'V1 ' + rate(p.v1.ratePerSecond) + ' · V2 ' + rate(p.v2.ratePerSecond) });
    chart('curve-errors', axis, points, [['v1', (p) => p.v1.errorRate], ['v2', (p) => p.v2.errorRate]],
      { min: 0.01, label: percent, text: (p) => 'V1 ' + errors(p.v1) + ' · V2 ' + errors(p.v2) });
    chart('curve-p99', axis, points, [['v1', (p) => p.v1.p99Ms], ['v2', (p) => p.v2.p99Ms]],
      { min: 10, label: duration, text: (p) => 'V1 ' + p99(p.v1) + ' · V2 ' + p99(p.v2) });
    chart('curve-weight', axis, points, [['weight', (p) => p.v2Weight]],
      { min: 100, label: (v) => num(v) + ' %', text: (p) => 'V2 weight ' + num(p.v2Weight) + ' %' });
    const targets = [...new Set(points.flatMap((p) => Object.keys(p.outboxLagSeconds || {})))].sort();
    chart('curve-lag', axis, points, targets.map((t) => ['lag-' + t, (p) => (p.outboxLagSeconds || {})[t]]),
      { min: 1, label: (v) => duration(v * 1000), text: (p) => targets.length === 0 ? 'no outbox'
        : targets.map((t) => 'to ' + t.toUpperCase() + ' ' + duration(((p.outboxLagSeconds || {})[t] || 0) * 1000)).join(' · ') });
  }

  function svg(tag, attributes, text) {
    const n = document.createElementNS(SVG_NS, tag);
    Object.entries(attributes).forEach(([k, v]) => n.setAttribute(k, String(v)));
    if (text != null) {
      n.textContent = String(text);
    }
    return n;
  }

  // A round top for the y axis: 1, 2 or 5 times a power of ten, at least options.min.
  function ceiling(max, min) {
    const v = Math.max(max, min);
    const power = Math.pow(10, Math.floor(Math.log10(v)));
    return [1, 2, 5, 10].map((m) => m * power).find((c) => c >= v - 1e-12);
  }

  function chart(id, axis, points, series, options) {
    const c = CHART;
    const plotWidth = c.width - c.left - c.right;
    const bottom = c.height - c.bottom;
    const x = (t) => c.left + (t - axis.from) / (axis.end - axis.from) * plotWidth;
    const values = points.flatMap((p) => series.map(([, f]) => f(p))).filter((v) => v != null && isFinite(v));
    const top = ceiling(values.length ? Math.max.apply(null, values) : 0, options.min);
    const y = (v) => c.top + (1 - v / top) * (bottom - c.top);
    const root = svg('svg', { viewBox: '0 0 ' + c.width + ' ' + c.height, role: 'img', 'data-top': top });
    root.appendChild(svg('line', { class: 'axis', x1: c.left, x2: c.width - c.right, y1: bottom, y2: bottom }));
    root.appendChild(svg('line', { class: 'axis', x1: c.left, x2: c.width - c.right, y1: c.top, y2: c.top }));
    root.appendChild(svg('text', { class: 'tick', x: c.left - 4, y: bottom, 'text-anchor': 'end' }, options.label(0)));
    root.appendChild(svg('text', { class: 'tick', x: c.left - 4, y: c.top + 8, 'text-anchor': 'end' }, options.label(top)));
    const step = TICK_MINUTES.find((m) => (axis.end - axis.from) / (m * 60000) <= 6) * 60000 || axis.end - axis.from;
    for (let t = Math.ceil(axis.from / step) * step; t <= axis.end; t += step) {
      root.appendChild(svg('text', { class: 'tick', x: x(t), y: c.height - 2, 'text-anchor': 'middle' },
        clock(new Date(t)).slice(0, 5)));
    }
    points.forEach((p) => {
      const start = Date.parse(p.start);
      const slot = svg('rect', { class: 'slot', x: x(start), y: c.top, width: x(start + axis.interval) - x(start),
        height: bottom - c.top, 'data-start': p.start });
      slot.appendChild(svg('title', {}, clock(new Date(start)) + '–' + clock(new Date(start + axis.interval)) + ' · '
        + options.text(p)));
      root.appendChild(slot);
    });
    series.forEach(([name, f]) => {
      let d = '';
      let drawing = false;
      points.forEach((p) => {
        const v = f(p);
        if (v == null || !isFinite(v)) {
          drawing = false;
          return;
        }
        // a step per interval (its figure holds over all of it): its start, middle and end at the same height
        const start = Date.parse(p.start);
        const py = ' ' + y(v).toFixed(1);
        d += (drawing ? ' L' : ' M') + x(start).toFixed(1) + py
          + ' L' + x(start + axis.interval / 2).toFixed(1) + py + ' L' + x(start + axis.interval).toFixed(1) + py;
        drawing = true;
      });
      if (d) {
        root.appendChild(svg('path', { class: 'series ' + name, d: d.trim() }));
      }
    });
    axis.marks.forEach((m) => {
      const at = Date.parse(m.at);
      if (at < axis.from || at > axis.end) {
        return;
      }
      const line = svg('line', { class: 'mark ' + m.event, x1: x(at), x2: x(at), y1: c.top, y2: bottom, 'data-at': m.at });
      line.appendChild(svg('title', {}, m.event + ' at ' + clock(new Date(at)) + ' by ' + m.by + ' (' + m.cause + ')'
        + (m.reason ? ': ' + m.reason : '') + (m.here ? '' : ', on another replica')));
      root.appendChild(line);
    });
    $(id).replaceChildren(root);
  }

  // The progression's steps as a timeline: done, current (with the time left of its interval, or why it holds), next,
  // later; a manual gate is marked on its step.
  function renderProgression(p) {
    $('progression').hidden = !p || !p.enabled;
    if (!p || !p.enabled) {
      return;
    }
    const phaseKind = p.phase === 'aborted' ? 'bad' : p.phase === 'done' || p.phase === 'progressing' ? 'ok' : 'warn';
    set('progression-phase', p.phase, phaseKind);
    fill($('progression-steps'), (p.steps || []).map((st) => {
      const li = node('li', num(st.weight) + '%' + (st.gate ? ' (manual gate)' : ''), 'step ' + st.status);
      li.title = st.status;
      return li;
    }));
    let current = '';
    if (p.phase === 'progressing' && p.due && p.now) {
      const left = Date.parse(p.due) - Date.parse(p.now);
      current = 'at ' + num(p.weight) + '% since ' + when(p.stepSince) + '; next step in '
        + (left > 0 ? duration(left) : 'at the next healthy window') + ' if every window stays healthy';
    } else if (p.phase === 'waiting-gate') {
      current = 'at ' + num(p.weight) + '%, waiting for an operator since ' + when(p.changedAt)
        + ' (POST /admin/progression/promote)';
    } else if (p.phase === 'aborted') {
      current = 'aborted: V2 weight 0. Release the latch, then POST /admin/progression/restart';
    } else {
      current = p.phase + ' at ' + num(p.weight) + '%' + (p.by ? ' (by ' + p.by + (p.reason ? ': ' + p.reason : '') + ')' : '');
    }
    set('progression-current', current);
    set('progression-hold', p.hold ? 'last hold: ' + p.hold + (p.overdue ? ' (held longer than the interval)' : '') : 'no hold');
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
