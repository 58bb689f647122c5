// Community Pulse dashboard: plain JavaScript over the JSON API (docs/dashboard.md), live via server-sent events.
(function () {
  'use strict';
  const state = { communities: [], unreachable: [], sort: { key: 'communityId', dir: 1 }, current: null, currentSummary: null,
    charts: {}, renders: 0, loading: false, reloadAgain: false, organisations: [], organisationOf: {}, currentOrganisation: null };
  const $ = (sel) => document.querySelector(sel);
  const RANGE_DAYS = 90;

  function fmt(v, digits) {
    if (v === null || v === undefined) return '–';
    if (typeof v === 'number' && digits !== undefined) return v.toFixed(digits);
    return String(v);
  }
  const pct = (v) => (v === null || v === undefined) ? '–' : (100 * v).toFixed(0) + '%';
  const healthText = { thriving: 'Thriving', healthy: 'Healthy', at_risk: 'At risk', stalled: 'Stalled' };
  const ADMIN_ONLY = 'Needs the admin token (per-member data).';
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  const STAGE_NAMES = { 1: 'Hierarchy', 2: 'Emergent Community', 3: 'Community', 4: 'Network' };

  // An element from code-chosen tag and attributes, its data only as text nodes: declared evidence, role
  // consequences and organisation names are user-provided text and never go through innerHTML.
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (v === undefined || v === null || v === false) return;
      if (k === 'data') Object.entries(v).forEach(([dk, dv]) => { node.dataset[dk] = String(dv); });
      else node.setAttribute(k, String(v));
    });
    children.flat(Infinity).forEach((c) => {
      if (c !== undefined && c !== null && c !== false) node.append(c instanceof Node ? c : String(c));
    });
    return node;
  }
  const fill = (parent, ...children) => parent.replaceChildren(...children.flat(Infinity).filter((c) => c));
  const emptyRow = (columns, text) => el('tr', {}, el('td', { colspan: columns, class: 'muted' }, text));

  // A reference to where evidence is documented: a link only for an http(s) URL (never javascript: or data:),
  // anything else (a document id) as text.
  function evidenceLink(ref) {
    let url = null;
    try {
      url = new URL(String(ref));
    } catch (e) {
      url = null; // not a URL: a document id
    }
    return url && (url.protocol === 'http:' || url.protocol === 'https:')
      ? el('a', { href: url.href, class: 'evidence-link', rel: 'noopener noreferrer', target: '_blank' }, String(ref))
      : el('span', { class: 'evidence-ref' }, String(ref));
  }

  // Numbers as measured, without float noise: 0.30000000000000004 reads 0.3.
  const num = (v) => (v === null || v === undefined) ? '–' : String(+Number(v).toFixed(3));
  const signed = (v, f) => (v === null || v === undefined) ? '–' : (v > 0 ? '+' : v < 0 ? '−' : '±') + f(Math.abs(v));
  const stageText = (stage, name) => stage ? stage + ' ' + (name || STAGE_NAMES[stage] || '') : '–';

  async function getJson(url) {
    for (let attempt = 0; attempt < 5; attempt++) {
      const r = await fetch(url, { headers: { Accept: 'application/json' } });
      if (r.status === 503) { // rebalancing: the server says when to retry
        await new Promise((ok) => setTimeout(ok, 1000 * (Number(r.headers.get('Retry-After')) || 1)));
        continue;
      }
      if (r.status === 401) { // no or expired session: the server's login page sets the cookie again
        location.href = '/login';
        throw new Error('not logged in');
      }
      if (r.status === 403) return null; // an admin-scope route asked with the read token
      if (!r.ok) throw new Error(url + ': ' + r.status);
      return r.json();
    }
    throw new Error(url + ': unavailable');
  }

  // ---- list of communities -------------------------------------------------------------------------
  function row(c) {
    const t = c.trailing || {};
    return { communityId: c.communityId, health: c.health, dau: t.dau, wau: t.wau, mau: t.mau,
      stickiness: t.stickiness, openThreads: t.openThreads, activity28d: c.sparkline.reduce((a, b) => a + b, 0),
      latestDay: c.latestDay, sparkline: c.sparkline, reconciliation: c.reconciliation,
      completeUpTo: c.reconciliation ? c.reconciliation.completeUpTo : undefined,
      organisationId: state.organisationOf[c.communityId] || (c.maturity && c.maturity.organisationId) || undefined };
  }

  function svg(tag, attrs) {
    const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
    Object.entries(attrs).forEach(([k, v]) => node.setAttribute(k, String(v)));
    return node;
  }

  function sparkline(values) {
    const w = 120, h = 24, max = Math.max(1, ...values);
    const pts = values.map((v, i) => (i * w / (values.length - 1)).toFixed(1) + ',' + (h - 2 - v * (h - 4) / max).toFixed(1));
    const out = svg('svg', { class: 'spark', width: w, height: h, viewBox: '0 0 ' + w + ' ' + h });
    out.append(svg('polyline', { fill: 'none', stroke: '#3b82f6', 'stroke-width': 1.5, points: pts.join(' ') }));
    return out;
  }

  // The list's reconciliation cell: the day data is complete up to, and the items missing after it, if any.
  function completeness(rec) {
    if (!rec) return el('span', { class: 'muted' }, '–');
    return [rec.completeUpTo ? rec.completeUpTo : el('span', { class: 'muted' }, 'none'),
      rec.gapDays ? [' ', el('span', { class: 'badge ' + (rec.notClosedDays ? 'stalled' : 'at_risk'),
        title: rec.gapDays + ' day(s) with items missing' }, rec.missing + ' missing')] : null];
  }

  function renderList() {
    const text = $('#filter').value.trim().toLowerCase();
    const health = $('#health-filter').value;
    const { key, dir } = state.sort;
    const rows = state.communities.map(row)
      .filter((r) => (!text || r.communityId.toLowerCase().includes(text)) && (!health || r.health === health))
      .sort((a, b) => {
        const x = a[key], y = b[key];
        if (x === y) return a.communityId < b.communityId ? -1 : 1;
        if (x === null || x === undefined) return 1;
        if (y === null || y === undefined) return -1;
        return (x < y ? -1 : 1) * dir;
      });
    fill($('#communities tbody'), rows.map((r) => el('tr', { data: { id: r.communityId, health: r.health } },
      el('td', { class: 'name' }, r.communityId),
      el('td', { class: 'organisation' },
        r.organisationId ? el('a', { href: '#/o/' + encodeURIComponent(r.organisationId) }, r.organisationId) : ''),
      el('td', {}, el('span', { class: 'badge ' + r.health }, healthText[r.health])),
      el('td', { class: 'num' }, fmt(r.dau)), el('td', { class: 'num' }, fmt(r.wau)), el('td', { class: 'num' }, fmt(r.mau)),
      el('td', { class: 'num' }, pct(r.stickiness)), el('td', { class: 'num' }, fmt(r.openThreads)),
      el('td', { class: 'num' }, sparkline(r.sparkline), ' ', el('span', { class: 'activity' }, r.activity28d)),
      el('td', {}, r.latestDay), el('td', { class: 'reconciliation' }, completeness(r.reconciliation)))));
    document.querySelectorAll('#communities th[data-sort]').forEach((th) => {
      th.classList.toggle('sorted-asc', th.dataset.sort === key && dir === 1);
      th.classList.toggle('sorted-desc', th.dataset.sort === key && dir === -1);
    });
    $('#empty').hidden = state.communities.length > 0;
    $('#list-status').textContent = rows.length + ' of ' + state.communities.length + ' communities' +
      (state.unreachable.length ? ' (incomplete: no answer from ' + state.unreachable.join(', ') + ')' : '');
  }

  // ---- organisations (docs/dashboard.md#organisations) ---------------------------------------------
  // An organisation's details are its latest week's roll-ups (OrganisationScorecard, OrganisationHealth), its role
  // coverage (OrganisationCoverage) and its weeks of OrganisationStaffShare, field names as in the Avro schemas.
  const healthOf = (h) => {
    const s = h && h.state ? String(h.state).toLowerCase() : null;
    return s && healthText[s] ? s : null; // UNKNOWN_STATUS: no community with a known state
  };
  const trendText = (v) => signed(v, (x) => (100 * x).toFixed(0) + ' pt');
  const shareText = (share) => share ? pct(share.corporateUserShare) + ' (' + trendText(share.trend) + ')' : '–';
  const communitiesOf = (o) => Array.isArray(o.communities) && o.communities.every((c) => typeof c === 'string') ? o.communities
    : ((o.scorecard && o.scorecard.communities) || []).map((c) => c.communityId);
  const communityLinks = (ids) => ids.map((c, i) => [i ? ', ' : '', el('a', { href: '#/c/' + encodeURIComponent(c), data: { id: c } }, c)]);

  // The list gives each organisation's overall stage and health; its competencies' stages and staff share come
  // with its details, asked for every organisation at once (organisations are few). One load at a time: live
  // updates arriving meanwhile load once more after it.
  async function loadOrganisations() {
    if (state.organisationsLoading) { state.organisationsAgain = true; return; }
    state.organisationsLoading = true;
    try {
      const doc = await getJson('/api/organisations');
      const orgs = (doc && doc.organisations) || [];
      const details = await Promise.all(orgs.map((o) =>
        getJson('/api/organisations/' + encodeURIComponent(o.organisationId)).catch(() => null)));
      orgs.forEach((o, i) => { o.detail = details[i]; });
      state.organisations = orgs;
      state.organisationOf = {};
      orgs.forEach((o) => communitiesOf(o).forEach((c) => { state.organisationOf[c] = o.organisationId; }));
      $('#organisations-status').textContent = orgs.length ? '(' + orgs.length + ')' : '';
      if (!state.current && !state.currentOrganisation) {
        renderOrganisations();
        renderList();
      }
    } catch (e) {
      $('#organisations-status').textContent = '(unavailable: ' + e.message + ')';
    } finally {
      state.organisationsLoading = false;
      if (state.organisationsAgain) { state.organisationsAgain = false; loadOrganisations(); }
    }
  }

  // The landing table: one row per organisation with its rolled-up stage, each competency's stage, health,
  // staff share with its trend, and its communities; the communities of no organisation are named below it.
  function renderOrganisations() {
    const orgs = state.organisations || [];
    fill($('#organisations tbody'), !orgs.length ? emptyRow(6, 'No organisation yet: communities belong to one through ' +
      'maturity.yaml organisations or an organisation declaration.') : orgs.map((o) => {
      const card = (o.detail && o.detail.scorecard) || o.scorecard || {};
      const weeks = (o.detail && o.detail.staffShare) || [];
      const health = healthOf(o.health);
      return el('tr', { data: { organisation: o.organisationId } },
        el('td', { class: 'name' }, el('a', { href: '#/o/' + encodeURIComponent(o.organisationId) }, o.name || o.organisationId)),
        el('td', { class: 'stage' }, stageText(card.overallStage, card.overallStageName)),
        el('td', { class: 'competency-stages' }, (card.competencies || []).map((c) =>
          el('span', { class: 'chip stage-' + c.stage, title: c.name + ': stage ' + stageText(c.stage, c.stageName),
            data: { competency: c.competency } }, c.name + ' ' + c.stage))),
        el('td', { class: 'health' }, health ? el('span', { class: 'badge ' + health }, healthText[health]) : '–'),
        el('td', { class: 'num staff-share' }, shareText(weeks[weeks.length - 1])),
        el('td', { class: 'communities' }, communityLinks(communitiesOf(o))));
    }));
    const unassigned = state.communities.map((c) => c.communityId).filter((c) => !state.organisationOf[c]);
    fill($('#unassigned'), orgs.length && unassigned.length ? ['Communities without an organisation: ', communityLinks(unassigned)] : []);
  }

  async function loadOrganisation(id) {
    try {
      const o = await getJson('/api/organisations/' + encodeURIComponent(id));
      if (state.currentOrganisation !== id) return;
      renderOrganisation(o);
    } catch (e) {
      $('#o-summary').textContent = 'unavailable (' + e.message + ')';
    }
  }

  function renderOrganisation(o) {
    $('#o-name').textContent = o.name || o.organisationId;
    const health = healthOf(o.health);
    const badge = $('#o-health');
    badge.className = 'badge ' + (health || '');
    badge.textContent = health ? healthText[health] + (o.health.score === null || o.health.score === undefined ? ''
      : ' ' + Math.round(o.health.score)) : '';
    const communities = communitiesOf(o);
    fill($('#o-summary'), [communities.length + ' communit' + (communities.length === 1 ? 'y' : 'ies') + ': ',
      communityLinks(communities)]);
    renderOrganisationScorecard(o.scorecard, communities);
    renderOrganisationCoverage(o.coverage || []);
    renderStaffShare(o.staffShare || []);
    const view = document.getElementById('organisation-view');
    view.dataset.renders = String(Number(view.dataset.renders || 0) + 1);
  }

  // Each competency's rolled-up stage and score, then its stage in every community.
  function renderOrganisationScorecard(card, communities) {
    $('#o-overall').textContent = card ? 'Week of ' + card.periodStart + ': stage ' +
      stageText(card.overallStage, card.overallStageName) + ', score ' + Math.floor(card.overallScore) : 'No scorecard yet';
    fill($('#o-scorecard-head'), el('th', {}, 'Competency'), el('th', {}, 'Stage'), el('th', { class: 'num' }, 'Score'),
      communities.map((c) => el('th', { class: 'community' }, c)));
    const byCommunity = Object.fromEntries(((card && card.communities) || []).map((c) => [c.communityId, c]));
    fill($('#o-scorecard tbody'), !card ? emptyRow(3, 'No scorecard yet') : card.competencies.map((comp) =>
      el('tr', { data: { competency: comp.competency } }, el('td', {}, comp.name),
        el('td', { class: 'stage' }, stageText(comp.stage, comp.stageName)), el('td', { class: 'num' }, Math.floor(comp.score)),
        communities.map((c) => {
          const stage = byCommunity[c] && byCommunity[c].stages ? byCommunity[c].stages[comp.competency] : undefined;
          return el('td', { class: 'community', data: { community: c } }, stage === undefined ? '–' : String(stage));
        }))));
  }

  // Where each role is filled and where it is vacant, with what its vacancy means.
  function renderOrganisationCoverage(coverage) {
    const vacantRequired = coverage.filter((r) => r.required && r.vacantCommunities.length).length;
    $('#o-coverage-summary').textContent = coverage.length ? '— ' + vacantRequired + ' required role(s) vacant in a community' : '';
    const sorted = coverage.slice().sort((a, b) => (b.required - a.required) || (a.role < b.role ? -1 : 1));
    fill($('#o-coverage tbody'), !sorted.length ? emptyRow(5, 'No role register in these communities.') : sorted.map((r) => {
      const vacant = r.vacantCommunities || [];
      return el('tr', { data: { role: r.role }, class: vacant.length ? 'vacant' : 'filled' },
        el('td', {}, r.roleName), el('td', {}, r.required ? 'yes' : ''), el('td', {}, (r.filledCommunities || []).join(', ')),
        el('td', {}, vacant.length ? el('span', { class: 'badge ' + (r.required ? 'stalled' : 'at_risk') }, vacant.join(', ')) : ''),
        el('td', { class: 'consequence' }, vacant.length && r.consequence ? r.consequence : ''));
    }));
  }

  // Staff headcount and Corporate User share per week (oldest first), the trend being the change over 4 weeks.
  function renderStaffShare(weeks) {
    const latest = weeks[weeks.length - 1];
    $('#o-staff-trend').textContent = latest ? '— latest week ' + shareText(latest) : '— no week yet';
    fill($('#o-staff tbody'), !weeks.length ? emptyRow(5, 'No week yet') : weeks.slice().reverse().map((w) =>
      el('tr', { data: { week: w.periodStart } }, el('td', {}, w.periodStart), el('td', { class: 'num' }, num(w.staffHeadcount)),
        el('td', { class: 'num' }, num(w.corporateUsers)), el('td', { class: 'num share' }, pct(w.corporateUserShare)),
        el('td', { class: 'num trend' }, trendText(w.trend)))));
    // A line needs two weeks; a single point would stretch the time axis over years.
    if (state.charts['o-staff-chart']) { state.charts['o-staff-chart'].destroy(); delete state.charts['o-staff-chart']; }
    $('#o-staff-chart').replaceChildren();
    if (weeks.length >= 2) {
      chart('o-staff-chart', 'Corporate User share', [{ label: 'Corporate User share', stroke: '#3b82f6' }],
        weeks.map((w) => Date.parse(w.periodStart) / 1000), [weeks.map((w) => w.corporateUserShare)],
        (vals) => vals.map((v) => (100 * v).toFixed(0) + '%'));
    }
  }

  // ---- one community -------------------------------------------------------------------------------
  // Axis labels of durations given in hours, in one unit for the whole axis (not "0 h" under "6 min"): hours
  // when the largest tick is an hour or more, else minutes, else seconds.
  function durations(hours) {
    const max = Math.max(0, ...hours.filter(Number.isFinite).map(Math.abs));
    const [unit, per] = max >= 1 ? ['h', 1] : max >= 1 / 60 ? ['min', 60] : ['s', 3600];
    return hours.map((v) => +(v * per).toFixed(1) + ' ' + unit);
  }

  function days(from, to) {
    const out = [];
    for (let t = Date.parse(from); t <= Date.parse(to); t += 86400000) out.push(new Date(t).toISOString().slice(0, 10));
    return out;
  }

  // A y axis as wide as its widest tick label: uPlot's fixed default (50 px) cut "12 min" to "2 min" at the
  // chart's left edge. uPlot calls this with each layout pass's labels (the ticks can change between passes,
  // as the plot's height settles), so the size always fits the labels drawn.
  function yAxisSize(u, values, axisIdx) {
    const axis = u.axes[axisIdx];
    let size = axis.ticks.size + axis.gap;
    if (values && values.length) {
      u.ctx.font = axis.font[0];
      // The font is scaled by the device pixel ratio, the axis size is in CSS pixels.
      size += Math.max(...values.map((v) => u.ctx.measureText(String(v)).width)) / uPlot.pxRatio;
    }
    return Math.ceil(size) + 2;
  }

  // yFmt formats all ticks of the axis at once (a unit can depend on the largest).
  function chart(id, title, series, xs, ys, yFmt, yRange) {
    const el = document.getElementById(id);
    const width = Math.max(300, el.clientWidth || 500);
    const opts = { width, height: 220, title: undefined, legend: { live: false },
      scales: yRange ? { x: { time: true }, y: { range: yRange } } : { x: { time: true } },
      axes: [{}, { values: (u, vals) => yFmt ? yFmt(vals) : vals, size: yAxisSize }],
      // Lines across days without a value (no thread, no reply); points where a series has too few values
      // for a line (a new community's first day).
      series: [{}].concat(series.map((s, i) => Object.assign({ spanGaps: true,
        points: ys[i].filter((v) => v !== null).length < 3 ? { show: true, size: 5 } : {} }, s))) };
    const data = [xs].concat(ys);
    if (state.charts[id]) state.charts[id].destroy();
    el.innerHTML = '';
    state.charts[id] = new uPlot(opts, data, el);
    el.dataset.points = String(ys.map((s) => s.filter((v) => v !== null).reduce((a, b) => a + b, 0)).join(','));
  }

  async function loadCommunity(id) {
    if (state.loading) { state.reloadAgain = true; return; }
    state.loading = true;
    try {
      const base = '/api/communities/' + encodeURIComponent(id);
      const summary = await getJson(base);
      const to = summary.latestDay;
      const from = new Date(Date.parse(to) - (RANGE_DAYS - 1) * 86400000).toISOString().slice(0, 10);
      const q = '?from=' + from + '&to=' + to;
      const [daily, trailing, members, retention, alerts] = await Promise.all([
        getJson(base + '/daily' + q), getJson(base + '/trailing' + q), getJson(base + '/members?top=10'),
        getJson(base + '/retention'), getJson(base + '/alerts')]);
      // The read scope sees the alerts without summary and evidence (they can name members), but with their
      // acknowledgement and snooze; only the admin scope gets the buttons.
      const alertView = alerts ? Object.assign(alerts, { canAct: true }) : await getJson(base + '/alert-states');
      if (state.current !== id) return;
      renderCommunity(summary, daily, trailing, members, retention, alertView, from, to);
      await loadRoles(base, id);
      await loadReconciliation(base, id);
    } catch (e) {
      $('#c-updated').textContent = 'unavailable (' + e.message + ')';
    } finally {
      state.loading = false;
      if (state.reloadAgain) { state.reloadAgain = false; if (state.current) loadCommunity(state.current); }
    }
  }

  function renderCommunity(s, daily, trailing, members, retention, alerts, from, to) {
    const t = s.trailing;
    $('#c-name').textContent = s.communityId;
    const badge = $('#c-health');
    badge.className = 'badge ' + s.health;
    badge.textContent = healthText[s.health] + (s.firingAlerts.length ? ': ' + s.firingAlerts.join(', ') : '');
    $('#c-day').textContent = s.latestDay;
    $('#c-updated').textContent = new Date(s.updatedAt).toLocaleTimeString();
    $('#kpi-dau').textContent = fmt(t.dau);
    $('#kpi-wau').textContent = fmt(t.wau);
    $('#kpi-mau').textContent = fmt(t.mau);
    $('#kpi-stickiness').textContent = pct(t.stickiness);
    $('#kpi-threads28d').textContent = fmt(t.threads28d);
    $('#kpi-replies28d').textContent = fmt(t.replies28d);
    $('#kpi-open').textContent = fmt(t.openThreads);
    $('#kpi-peer').textContent = pct(t.peerReplyShare28d);

    const ds = days(from, to);
    const xs = ds.map((d) => Date.parse(d) / 1000);
    const byDay = Object.fromEntries(daily.days.map((d) => [d.day, d]));
    const tByDay = Object.fromEntries(trailing.days.map((d) => [d.day, d]));
    const col = (m, f, dflt) => ds.map((d) => (m[d] && m[d][f] !== null && m[d][f] !== undefined) ? m[d][f] : dflt);
    const hours = (v) => v === null ? null : v / 3600;
    chart('chart-activity', 'Activity', [
      { label: 'Threads', stroke: '#3b82f6' }, { label: 'Replies', stroke: '#10b981' },
      { label: 'Reactions', stroke: '#f59e0b' }], xs,
    [col(byDay, 'threads', 0), col(byDay, 'replies', 0), col(byDay, 'reactions', 0)]);
    chart('chart-response', 'First response', [
      { label: 'Median', stroke: '#6366f1' }, { label: '90th percentile', stroke: '#ef4444' }], xs,
    [col(byDay, 'firstResponseP50Seconds', null).map(hours), col(byDay, 'firstResponseP90Seconds', null).map(hours)],
    durations);
    chart('chart-peer', 'Peer support', [
      { label: 'Peer reply share (day)', stroke: '#10b981' }, { label: 'Peer reply share (28 d)', stroke: '#064e3b' },
      { label: 'Peer accepted share (day)', stroke: '#a855f7' }], xs,
    [col(byDay, 'peerReplyShare', null), col(tByDay, 'peerReplyShare28d', null), col(byDay, 'peerAcceptedShare', null)],
    (vals) => vals.map((v) => (100 * v).toFixed(0) + '%'), [0, 1]);
    chart('chart-active', 'Active members', [
      { label: 'DAU', stroke: '#3b82f6' }, { label: 'WAU', stroke: '#10b981' }, { label: 'MAU', stroke: '#6366f1' }], xs,
    [col(tByDay, 'dau', null), col(tByDay, 'wau', null), col(tByDay, 'mau', null)]);

    if (!members) {
      $('#levels').innerHTML = '<p class="muted admin-only">' + ADMIN_ONLY + '</p>';
      $('#top-members tbody').innerHTML = '';
    } else {
      const maxLevel = Math.max(1, ...Object.values(members.levels));
      $('#levels').innerHTML = Object.entries(members.levels).reverse().map(([level, n]) =>
        '<div class="levels-row" data-level="' + level + '"><span class="name">' + level.toLowerCase() + '</span>' +
        '<span class="count">' + n + '</span><span class="bar" style="width:' + (200 * n / maxLevel).toFixed(0) + 'px"></span></div>').join('') +
        '<p class="muted">' + members.members + ' members, ' + members.staff + ' staff</p>';
      $('#top-members tbody').innerHTML = members.top.map((m) => '<tr><td>' + esc(m.memberId) + (m.staff ? ' (staff)' : '') +
        '</td><td>' + m.level.toLowerCase() + '</td><td class="num">' + m.contributions28d + '</td><td class="num">' +
        m.contributionsTotal + '</td></tr>').join('');
    }
    $('#retention tbody').innerHTML = retention.cohorts.slice(-12).reverse().map((c) => '<tr><td>' + c.cohortWeek +
      (c.complete ? '' : ' <span class="muted">(open)</span>') + '</td><td class="num">' + c.cohortSize + '</td><td class="num">' +
      c.retained + '</td><td><span class="bar" style="width:' + (120 * (c.retainedShare || 0)).toFixed(0) + 'px"></span> ' +
      pct(c.retainedShare) + '</td></tr>').join('') || '<tr><td colspan="4" class="muted">No cohort yet</td></tr>';
    $('#alerts').innerHTML = !alerts ? '<li class="muted admin-only">' + ADMIN_ONLY + '</li>' : alerts.alerts.slice().reverse().map((a) => '<li class="' + a.state + '"><strong>' + a.condition +
      '</strong> ' + a.severity.toLowerCase() + ', ' + a.state.toLowerCase() + ' — since ' + a.since +
      (a.state === 'RESOLVED' ? ', resolved on ' + a.day : ', evaluated ' + a.day) +
      (a.summary === undefined ? '' : '<br><span class="muted">' + esc(a.summary) + '</span>') +
      alertActions(s.communityId, a, alerts.canAct === true) + '</li>').join('') || '<li class="muted">No alert has fired.</li>';
    loadMaturity(s.communityId);
    state.renders++;
    document.getElementById('community-view').dataset.renders = String(state.renders);
  }

  // ---- acknowledge and snooze (actions: admin scope; docs/alerts.md#acknowledge-and-snooze) ----------
  function alertActions(community, a, canAct) {
    const notes = [];
    if (a.acknowledgedBy) notes.push('acknowledged by ' + esc(a.acknowledgedBy) + ' at ' + esc(a.acknowledgedAt));
    if (a.snoozedUntil) notes.push('snoozed until ' + esc(a.snoozedUntil));
    let html = notes.length ? '<br><span class="muted alert-state">' + notes.join('; ') + '</span>' : '';
    if (a.state !== 'FIRING' || !canAct) return html;
    const data = ' data-community="' + esc(community) + '" data-condition="' + esc(a.condition) + '" data-alert-id="' + esc(a.alertId) + '"';
    html += '<br><span class="alert-actions">';
    if (!a.acknowledgedBy) html += '<button type="button" data-action="acknowledge"' + data + '>Acknowledge</button> ';
    html += a.snoozedUntil ? '<button type="button" data-action="unsnooze"' + data + '>Unsnooze</button>'
      : '<button type="button" data-action="snooze"' + data + '>Snooze 24 h</button>';
    return html + ' <span class="muted alert-action-result"></span></span>';
  }

  async function postAlertAction(button) {
    const d = button.dataset;
    let url = '/api/communities/' + encodeURIComponent(d.community) + '/alerts/' + encodeURIComponent(d.condition) + '/' + d.action;
    if (d.action === 'acknowledge') url += '?alertId=' + encodeURIComponent(d.alertId);
    if (d.action === 'snooze') url += '?until=PT24H';
    const result = button.parentElement.querySelector('.alert-action-result');
    button.disabled = true;
    try {
      const r = await fetch(url, { method: 'POST', headers: { Accept: 'application/json' } });
      if (r.status === 202) {
        result.textContent = 'recorded';
        // Applied by the instance holding the community within about a second.
        setTimeout(() => { if (state.current) loadCommunity(state.current); }, 1500);
        return;
      }
      const body = await r.json().catch(() => ({}));
      result.textContent = r.status === 403 ? 'needs the admin token' : (body.error || ('failed: ' + r.status));
    } catch (e) {
      result.textContent = 'failed: ' + e.message;
    }
    button.disabled = false;
  }

  // ---- roles: coverage, training and open violations ------------------------------------------------
  async function loadRoles(base, id) {
    const [roles, violations] = await Promise.all([getJson(base + '/roles'), getJson(base + '/violations')]);
    if (state.current !== id) return;
    if (!roles || !violations) {
      $('#roles-summary').textContent = '';
      $('#training-summary').textContent = '';
      $('#violations-count').textContent = '';
      $('#role-coverage tbody').innerHTML = '<tr><td colspan="5" class="muted admin-only">' + ADMIN_ONLY + '</td></tr>';
      $('#open-violations tbody').innerHTML = '<tr><td colspan="4" class="muted admin-only">' + ADMIN_ONLY + '</td></tr>';
      return;
    }
    const since = (t) => t ? t.slice(0, 16).replace('T', ' ') : '–';
    $('#roles-summary').textContent = roles.roles.length ? '— ' + roles.vacantRequired + ' of ' + roles.requiredRoles +
      ' required roles vacant' : '';
    fill($('#role-coverage tbody'), !roles.roles.length ? emptyRow(5, 'No role register for this community.') : roles.roles.map((r) =>
      el('tr', { data: { role: r.role }, class: r.filled ? 'filled' : 'vacant' },
      el('td', {}, r.roleName), el('td', {}, r.required ? 'yes' : ''), el('td', {}, r.holders.join(', ')),
      el('td', {}, r.activeHolders.join(', ')),
      el('td', {}, r.filled ? el('span', { class: 'badge healthy' }, 'filled')
        : [el('span', { class: 'badge ' + (r.required ? 'stalled' : 'at_risk') }, 'vacant'), ' since ' + since(r.vacantSince),
          r.consequence ? el('div', { class: 'consequence' }, r.consequence) : null]))));
    const t = roles.training;
    $('#training-summary').textContent = t ? 'Training: ' + t.trainedCorporateUsers + ' of ' + t.corporateUsers +
      ' Corporate Users trained (' + pct(t.trainedShare) + '), ' + t.expiring + ' expiring, ' + t.expired + ' expired' : '';
    $('#violations-count').textContent = '(' + violations.count + ')';
    $('#open-violations tbody').innerHTML = violations.open.map((v) => '<tr data-rule="' + esc(v.rule) + '"><td>' +
      esc(v.rule) + '</td><td>' + esc(v.subjectType) + ' ' + esc(v.subject) + '</td><td>' + since(v.openedAt) +
      '</td><td class="muted">' + Object.entries(v.evidence).map(([k, x]) => esc(k) + ': ' + esc(x)).join('; ') +
      '</td></tr>').join('') || '<tr><td colspan="4" class="muted">No open violation.</td></tr>';
    const card = document.getElementById('roles-card');
    card.dataset.renders = String(Number(card.dataset.renders || 0) + 1);
  }

  // ---- reconciliation with the platforms' own counts (docs/metrics.md#reconciliation) -----------------
  async function loadReconciliation(base, id) {
    const rec = await getJson(base + '/reconciliation');
    if (state.current !== id) return;
    const at = (t) => t ? t.slice(0, 16).replace('T', ' ') : '–';
    $('#reconciliation-summary').textContent = rec.checkedDays ? '— ' + rec.checkedDays + ' day(s) checked, latest check ' +
      at(rec.latestCheck) : '— no platform counts yet';
    $('#reconciliation-complete').innerHTML = rec.checkedDays ? 'Complete up to <strong>' +
      (rec.completeUpTo ? esc(rec.completeUpTo) : 'no day yet') + '</strong>' + (rec.gapDays ? '; ' + rec.gaps.slice(0, 5)
        .map((g) => 'missing <strong>' + g.missing + '</strong> item(s) on day ' + esc(g.day)).join(', ') +
        (rec.gapDays > 5 ? ' and ' + (rec.gapDays - 5) + ' more day(s)' : '') : '; nothing missing') : '';
    $('#reconciliation-gaps tbody').innerHTML = rec.gaps.map((g) => '<tr data-day="' + esc(g.day) + '" class="' + g.status +
      '"><td>' + esc(g.day) + '</td><td>' + (g.status === 'GAP_NOT_CLOSED' ? '<span class="badge stalled">not closed</span>' :
      '<span class="badge at_risk">open</span>') + '</td><td class="num">' + g.platformItems + '</td><td class="num">' +
      g.pipelineItems + '</td><td class="num missing">' + g.missing + '</td><td>' +
      at(g.gapSince) + '</td><td>' + at(g.checkedAt) + '</td></tr>').join('') ||
      '<tr><td colspan="7" class="muted">No gap.</td></tr>';
    const card = document.getElementById('reconciliation-card');
    card.dataset.renders = String(Number(card.dataset.renders || 0) + 1);
  }

  // ---- maturity scorecard (docs/maturity.md) ------------------------------------------------------
  async function loadMaturity(id) {
    const base = '/api/communities/' + encodeURIComponent(id);
    try {
      const [cards, health] = await Promise.all([getJson(base + '/maturity'), getJson(base + '/health')]);
      if (state.current !== id) return;
      renderMaturity(cards.scorecards[cards.scorecards.length - 1], health.health[health.health.length - 1]);
    } catch (e) {
      fill($('#maturity-table tbody'), emptyRow(5, 'No scorecard yet'));
      $('#radar').innerHTML = '';
    }
  }

  // An eight-axis radar: one axis per competency, 0 at the centre and 100 at the rim; rings at the stage bands.
  function radar(competencies) {
    const size = 300, c = size / 2, r = 110, n = competencies.length;
    const point = (i, v) => {
      const a = -Math.PI / 2 + 2 * Math.PI * i / n;
      return [c + r * v / 100 * Math.cos(a), c + r * v / 100 * Math.sin(a)];
    };
    let svg = '<svg class="radar" width="' + size + '" height="' + size + '" viewBox="0 0 ' + size + ' ' + size + '">';
    for (const ring of [25, 50, 75, 100]) {
      svg += '<polygon class="ring" points="' + competencies.map((_, i) => point(i, ring).join(',')).join(' ') + '"/>';
    }
    competencies.forEach((comp, i) => {
      const [x, y] = point(i, 100);
      const [lx, ly] = point(i, 122);
      svg += '<line class="axis" x1="' + c + '" y1="' + c + '" x2="' + x + '" y2="' + y + '"/>';
      svg += '<text x="' + lx + '" y="' + ly + '" text-anchor="middle" dominant-baseline="middle">' + esc(comp.name) + '</text>';
    });
    svg += '<polygon class="area" points="' + competencies.map((comp, i) => point(i, comp.score).join(',')).join(' ') + '"/>';
    competencies.forEach((comp, i) => {
      const [x, y] = point(i, comp.score);
      svg += '<circle cx="' + x + '" cy="' + y + '" r="3" data-competency="' + esc(comp.competency) + '"/>';
    });
    return svg + '</svg>';
  }

  // Scores shown rounded down: a stage-1 score of 24.9999 must not read as the stage-2 floor of 25.
  function renderMaturity(card, health) {
    // Live updates reload the community often: an unchanged scorecard keeps its table (and a link being clicked).
    const rendered = JSON.stringify([card, health]);
    if (rendered === state.maturityRendered) return;
    state.maturityRendered = rendered;
    $('#radar').innerHTML = radar(card.competencies);
    const orgLink = $('#c-organisation');
    orgLink.hidden = !card.organisationId;
    if (card.organisationId) {
      orgLink.href = '#/o/' + encodeURIComponent(card.organisationId);
      orgLink.textContent = '· organisation ' + (card.organisationName || card.organisationId);
    }
    const change = (v) => v === null || v === undefined ? '' : (v > 0 ? ' ▲' : v < 0 ? ' ▼' : '');
    $('#maturity-overall').textContent = 'Week of ' + card.periodStart + ': stage ' + card.overallStage + ' ' +
      card.overallStageName + ', score ' + Math.floor(card.overallScore) + change(card.scoreChange) +
      (health ? ' — health ' + health.score.toFixed(0) + ' (' + health.state.toLowerCase().replace('_', ' ') + ')' : '');
    fill($('#maturity-table tbody'), card.competencies.map((comp) => el('tr', { data: { competency: comp.competency } },
      el('td', {}, comp.name), el('td', { class: 'stage' }, stageText(comp.stage, comp.stageName)),
      el('td', { class: 'num' }, Math.floor(comp.score) + change(comp.scoreChange)),
      el('td', { class: 'evidence' }, comp.evidence.map(signalEvidence)),
      el('td', { class: 'missing' }, missingForNextStage(comp)))));
  }

  // One signal: its value against the thresholds of stages 2, 3 and 4, what it means, and the declarations
  // its value rests on (kind, subject, who declared it and when, and where it is documented).
  function signalEvidence(e) {
    const cmp = e.higherIsBetter ? ' ≥ ' : ' ≤ ';
    return el('div', { class: 'signal', data: { signal: e.signal, stage: e.stage } },
      el('strong', {}, e.signal), ' ', el('span', { class: 'value' }, num(e.value)),
      el('span', { class: 'muted thresholds' }, ' (stage ' + e.thresholds.map((t, i) => (i + 2) + cmp + num(t)).join(', ') +
        '; at stage ' + e.stage + ')'),
      e.description ? el('div', { class: 'muted description' }, e.description) : null,
      (e.declarations || []).length ? el('ul', { class: 'declarations' }, e.declarations.map((d) =>
        el('li', { class: 'declaration', data: { kind: d.kind } }, d.kind + (d.subject && d.subject !== d.kind ? ' ' + d.subject : ''),
          ', declared by ', el('span', { class: 'declared-by' }, d.declaredBy), ' on ' + d.declaredOn +
          (d.validUntil ? ', valid until ' + d.validUntil : '') + ': ', evidenceLink(d.evidence)))) : null);
  }

  // What holds a competency below its next stage: each signal not yet at that stage's threshold, in words.
  function missingForNextStage(comp) {
    if (comp.nextStage === null || comp.nextStage === undefined) {
      return comp.stage >= 4 ? el('span', { class: 'muted' }, 'Stage 4 reached: nothing missing') : el('span', { class: 'muted' }, '–');
    }
    const missing = comp.missing || [];
    return [el('div', { class: 'next-stage' }, 'For stage ' + stageText(comp.nextStage) + ':'),
      missing.length ? el('ul', {}, missing.map((m) => el('li', { class: 'missing-item', data: { signal: m.signal } },
        m.description, el('span', { class: 'muted' }, ' (' + m.signal + ')')))) : el('span', { class: 'muted' }, ' nothing listed')];
  }

  // ---- routing and live updates --------------------------------------------------------------------
  function route() {
    const c = location.hash.match(/^#\/c\/(.+)$/);
    const o = location.hash.match(/^#\/o\/(.+)$/);
    state.current = c ? decodeURIComponent(c[1]) : null;
    state.currentOrganisation = o ? decodeURIComponent(o[1]) : null;
    $('#list-view').hidden = !!(state.current || state.currentOrganisation);
    $('#community-view').hidden = !state.current;
    $('#organisation-view').hidden = !state.currentOrganisation;
    state.maturityRendered = null;
    if (state.current) {
      state.currentSummary = null;
      loadCommunity(state.current);
    } else if (state.currentOrganisation) {
      loadOrganisation(state.currentOrganisation);
    } else {
      renderOrganisations();
      renderList();
      loadOrganisations();
    }
  }

  function onCommunities(doc) {
    state.communities = doc.communities;
    state.unreachable = doc.unreachable || [];
    // Organisations roll up from the communities: a changed community may change them.
    if (state.currentOrganisation) {
      loadOrganisation(state.currentOrganisation);
      return;
    }
    if (!state.current) {
      renderList();
      loadOrganisations();
      return;
    }
    const s = doc.communities.find((c) => c.communityId === state.current);
    const text = s ? JSON.stringify(s) : null;
    if (text !== state.currentSummary) {
      state.currentSummary = text;
      loadCommunity(state.current);
    }
  }

  function connect() {
    const live = $('#live');
    const events = new EventSource('/api/events');
    events.addEventListener('communities', (e) => {
      live.className = 'live on';
      live.textContent = 'live, updated ' + new Date().toLocaleTimeString();
      onCommunities(JSON.parse(e.data));
    });
    events.onopen = () => { live.className = 'live on'; live.textContent = 'live'; };
    events.onerror = () => {
      live.className = 'live off';
      live.textContent = 'reconnecting…';
      // Refused (too many live clients, or logged out) closes the stream for good: try again later.
      if (events.readyState === EventSource.CLOSED) setTimeout(connect, 30000);
    };
  }

  document.querySelectorAll('#communities th[data-sort]').forEach((th) => th.addEventListener('click', () => {
    state.sort = { key: th.dataset.sort, dir: state.sort.key === th.dataset.sort ? -state.sort.dir : 1 };
    renderList();
  }));
  $('#filter').addEventListener('input', renderList);
  $('#health-filter').addEventListener('change', renderList);
  $('#communities tbody').addEventListener('click', (e) => {
    const tr = e.target.closest('tr[data-id]');
    if (tr && !e.target.closest('a')) location.hash = '#/c/' + encodeURIComponent(tr.dataset.id);
  });
  $('#alerts').addEventListener('click', (e) => {
    const button = e.target.closest('button[data-action]');
    if (button) postAlertAction(button);
  });
  window.addEventListener('hashchange', route);
  getJson('/api/communities').then(onCommunities).catch(() => {});
  route();
  connect();
})();
