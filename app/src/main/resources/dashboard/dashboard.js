// The vectorsync dashboard: polls /api/overview every 2 s and draws it. Plain JS, no libraries, nothing fetched
// from outside, so it works offline. Every figure carries a data-testid, and its raw value in data-value, so the
// browser test can compare what is shown with the API.
'use strict';

const POLL_MS = 2000;
const SVG = 'http://www.w3.org/2000/svg';
const COLORS = { pgvector: '#2f6fdf', neo4j: '#1a9e5a', milvus: '#d9731a' };
// Sinks often share their lag (changes still upstream wait for all of them): dashes keep a line under another visible.
const DASHES = { pgvector: null, neo4j: '8 5', milvus: '2 4' };
const CHART = { width: 900, height: 250, left: 64, right: 16, top: 24, bottom: 30 };

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  children.forEach(c => node.append(c));
  return node;
}

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG, tag);
  setAttrs(node, attrs);
  children.forEach(c => node.append(c));
  return node;
}

function setAttrs(node, attrs) {
  Object.entries(attrs || {}).forEach(([k, v]) => {
    if (v !== null && v !== undefined) {
      node.setAttribute(k, String(v));
    }
  });
}

/** A figure: its raw value in data-value (empty when unknown), its text for people. */
function figure(tag, testid, value, text, attrs) {
  return el(tag, Object.assign({ 'data-testid': testid, 'data-value': value === null || value === undefined ? '' : value }, attrs),
    text);
}

function ms(value) {
  if (value === null || value === undefined || value < 0) {
    return 'unknown';
  }
  return value < 10000 ? value + ' ms' : (value / 1000).toFixed(1) + ' s';
}

function axisMs(value) {
  return value < 1000 ? Math.round(value) + ' ms' : Number((value / 1000).toFixed(1)) + ' s';
}

function count(value, unit) {
  return value === null || value === undefined || value < 0 ? 'unknown' : value + ' ' + unit;
}

function rate(value) {
  return value === null || value === undefined ? 'no sample yet' : value.toFixed(1) + ' /s';
}

function minutes(msValue) {
  return msValue >= 60000 ? Math.round(msValue / 60000) + ' min' : Math.round(msValue / 1000) + ' s';
}

function drawChart(overview) {
  const chart = document.getElementById('lag-chart');
  chart.replaceChildren();
  const x0 = CHART.left;
  const x1 = CHART.width - CHART.right;
  const y0 = CHART.height - CHART.bottom;
  const y1 = CHART.top;
  const now = overview.generated_at_ms;
  const from = now - overview.chart_span_ms;
  const all = overview.sinks.flatMap(s => s.history.map(p => p[1]));
  const [top, divisions] = niceTop(Math.max(1000, ...all));
  const x = t => x0 + (x1 - x0) * (t - from) / (now - from);
  const y = v => y0 - (y0 - y1) * v / top;

  const axes = svg('g', { class: 'axis' });
  axes.append(svg('line', { x1: x0, y1: y0, x2: x1, y2: y0 }), svg('line', { x1: x0, y1: y0, x2: x0, y2: y1 }));
  for (let i = 0; i <= divisions; i++) {
    const v = top * i / divisions;
    axes.append(svg('line', { class: 'grid', x1: x0, y1: y(v), x2: x1, y2: y(v) }));
    axes.append(svg('text', { x: x0 - 6, y: y(v) + 4, 'text-anchor': 'end' }, axisMs(v)));
  }
  const stepMs = overview.chart_span_ms > 120000 ? 60000 : 15000;
  for (let t = now; t >= from; t -= stepMs) {
    const label = t === now ? 'now' : '-' + minutes(now - t);
    axes.append(svg('text', { x: x(t), y: y0 + 18, 'text-anchor': 'middle' }, label));
  }
  chart.append(axes);

  const legend = svg('g', { id: 'lag-legend', 'data-testid': 'lag-legend' });
  overview.sinks.forEach((s, i) => {
    const color = COLORS[s.sink] || '#777';
    const points = s.history.map(p => x(p[0]).toFixed(1) + ',' + y(p[1]).toFixed(1)).join(' ');
    chart.append(svg('polyline', {
      class: 'lag-line', points: points, stroke: color, 'stroke-dasharray': DASHES[s.sink], 'data-sink': s.sink,
      'data-testid': 'lag-line-' + s.sink, 'data-points': s.history.length
    }));
    const lx = x0 + 12 + i * 130;
    legend.append(svg('g', { 'data-testid': 'legend-' + s.sink },
      svg('line', { x1: lx, y1: 8, x2: lx + 26, y2: 8, stroke: color, 'stroke-width': 3,
        'stroke-dasharray': DASHES[s.sink] }),
      svg('text', { x: lx + 32, y: 13 }, s.sink)));
  });
  chart.append(legend);
  markPlotArea(chart, x0, y1, x1, y0);
}

/** Where the plot area is on the page, in CSS pixels (x,y,width,height), so a screenshot can be checked. */
function markPlotArea(chart, x0, y1, x1, y0) {
  const box = chart.getBoundingClientRect();
  const scale = box.width / CHART.width;
  const left = box.left + window.scrollX + x0 * scale;
  const top = box.top + window.scrollY + y1 * scale;
  chart.setAttribute('data-plot', [left, top, (x1 - x0) * scale, (y0 - y1) * scale].map(Math.round).join(','));
}

/** A round upper bound for the y axis, 1, 2 or 5 times a power of ten, and a division count giving round ticks. */
function niceTop(max) {
  const power = Math.pow(10, Math.floor(Math.log10(max)));
  for (const [m, divisions] of [[1, 5], [2, 4], [5, 5], [10, 5]]) {
    if (max <= m * power) {
      return [m * power, divisions];
    }
  }
  return [10 * power, 5];
}

function drawSinks(overview) {
  const body = document.querySelector('#sinks tbody');
  body.replaceChildren();
  overview.sinks.forEach(s => {
    const id = 'sink-' + s.sink;
    const latest = s.latest || {};
    const state = s.latest ? latest.state : 'NO SAMPLE';
    body.append(el('tr', { 'data-testid': id },
      el('td', {}, el('span', { class: 'swatch', style: 'background:' + (COLORS[s.sink] || '#777') }), s.sink),
      figure('td', id + '-state', s.latest ? latest.state : null, state,
        { class: 'state ' + String(state).toLowerCase().replace(' ', '-'), title: latest.problem || '' }),
      figure('td', id + '-e2e-lag-ms', latest.e2e_lag_ms, ms(latest.e2e_lag_ms)),
      figure('td', id + '-p50-ms', s.window.p50_ms, ms(s.window.p50_ms)),
      figure('td', id + '-p99-ms', s.window.p99_ms, ms(s.window.p99_ms)),
      figure('td', id + '-consumer-lag', latest.consumer_lag_records, count(latest.consumer_lag_records, 'records')),
      figure('td', id + '-applied-per-second', s.applied_per_second, rate(s.applied_per_second))));
  });
}

function drawCollections(overview) {
  const box = document.getElementById('collections');
  box.replaceChildren();
  overview.collections.forEach(c => {
    const id = 'collection-' + c.collection;
    const card = el('div', { class: 'collection', 'data-testid': id }, el('h3', {}, c.collection));
    if (!c.migrating) {
      card.append(el('p', {}, 'not migrating; written to ',
        figure('span', id + '-stores', c.sinks.join(','), c.sinks.join(', '))));
      box.append(card);
      return;
    }
    card.append(el('p', {},
      figure('span', id + '-mode', c.mode, c.mode || 'no status yet', { class: 'mode' }), ' epoch ',
      figure('span', id + '-epoch', c.epoch, c.epoch === null ? '—' : String(c.epoch)), ' · ',
      figure('span', id + '-stores', c.legacy + '>' + c.target, c.legacy + ' → ' + c.target)));
    card.append(backfill(id, c.backfill));
    card.append(gate(id, c.gate));
    box.append(card);
  });
}

function backfill(id, b) {
  if (!b) {
    return el('p', {}, 'backfill: ', figure('span', id + '-backfill', null, 'none yet'));
  }
  const pct = b.fraction === null ? null : Math.round(b.fraction * 1000) / 10;
  const total = b.rows_total < 0 ? '?' : b.rows_total;
  return el('div', { class: 'backfill' },
    el('p', {}, 'backfill of ' + b.sink + ': ',
      figure('span', id + '-backfill', b.rows_done + '/' + b.rows_total + '/' + b.state,
        b.rows_done + '/' + total + ' rows, ' + b.state + (pct === null ? '' : ' (' + pct + '%)'))),
    el('div', { class: 'bar' }, el('div', {
      class: 'fill ' + b.state.toLowerCase(), 'data-testid': id + '-backfill-bar', 'data-value': pct === null ? '' : pct,
      style: 'width:' + (pct === null ? 0 : pct) + '%'
    })));
}

function drawSnapshots(snapshots) {
  const list = document.getElementById('snapshot-list');
  list.replaceChildren(...snapshots.map(s => {
    const id = 'snapshot-' + s.table;
    const pct = s.fraction === null ? null : Math.round(s.fraction * 1000) / 10;
    const expected = s.rows_expected < 0 ? '?' : (s.state === 'COMPLETED' ? '' : '~') + s.rows_expected;
    const text = s.state === 'COMPLETED'
      ? s.rows_done + ' rows, COMPLETED'
      : s.rows_done + ' of ' + expected + ' rows' + (pct === null ? '' : ' (' + pct + '%)') + ', '
        + s.rows_per_second.toFixed(1) + ' rows/s, ETA ' + ms(s.eta_ms)
        + (s.age_ms >= 30000 ? ' (figures ' + ms(s.age_ms) + ' old)' : '');
    return el('div', { class: 'backfill', 'data-testid': id },
      el('p', {}, s.table + ': ',
        figure('span', id + '-progress', s.rows_done + '/' + s.rows_expected + '/' + s.state, text)),
      el('div', { class: 'bar' }, el('div', {
        class: 'fill ' + s.state.toLowerCase(), 'data-testid': id + '-bar', 'data-value': pct === null ? '' : pct,
        style: 'width:' + (pct === null ? 0 : pct) + '%'
      })));
  }));
  document.getElementById('snapshots').hidden = snapshots.length === 0;
}

function gate(id, verdict) {
  if (!verdict) {
    return el('p', {}, 'cutover gate: ', figure('span', id + '-gate', null, 'not asked yet'));
  }
  const list = el('ul', { class: 'conditions', 'data-testid': id + '-gate-conditions' });
  verdict.conditions.forEach(c => {
    list.append(el('li', {
      class: c.passed ? 'passed' : 'failed', 'data-testid': id + '-gate-condition', 'data-passed': c.passed,
      'data-name': c.name
    }, (c.passed ? '✓ ' : '✗ ') + c.name + ': ' + c.value + ' (limit ' + c.threshold + ')'));
  });
  return el('div', { class: 'gate' },
    el('p', {}, 'cutover gate: ', figure('span', id + '-gate', verdict.open ? 'open' : 'closed',
      verdict.open ? 'OPEN' : 'CLOSED', { class: verdict.open ? 'open' : 'closed' })),
    list);
}

function drawWarnings(warnings) {
  const list = document.getElementById('warning-list');
  list.replaceChildren(...warnings.map(w => el('li', { class: 'problem' }, w)));
  document.getElementById('warnings').hidden = warnings.length === 0;
}

function draw(overview) {
  document.getElementById('pipeline-name').textContent = overview.pipeline;
  const at = document.getElementById('generated-at');
  at.textContent = new Date(overview.generated_at_ms).toLocaleTimeString();
  at.setAttribute('data-value', overview.generated_at_ms);
  document.getElementById('chart-span').textContent = minutes(overview.chart_span_ms);
  document.getElementById('lag-window').textContent = minutes(overview.lag_window_ms);
  const dlq = document.getElementById('dlq-records');
  dlq.textContent = overview.dlq_records < 0 ? 'unknown' : String(overview.dlq_records);
  dlq.setAttribute('data-value', overview.dlq_records < 0 ? '' : overview.dlq_records);
  dlq.className = overview.dlq_records > 0 ? 'alert' : '';
  document.getElementById('dlq-problem').textContent = overview.dlq_problem || '';
  drawWarnings(overview.warnings || []);
  drawSnapshots(overview.snapshots || []);
  drawChart(overview);
  drawSinks(overview);
  drawCollections(overview);
}

function status(text, ok) {
  const node = document.getElementById('fetch-status');
  node.textContent = text;
  node.className = ok ? 'ok' : 'error';
}

// The API token (http.token), asked for once when a call answers 401 and kept in this tab's sessionStorage, so it
// is gone when the tab closes. A link ending in #token=<token> hands it over; the fragment never reaches a server,
// and is taken out of the address bar at once.
const TOKEN_KEY = 'vectorsync.token';

function takeTokenFromLink() {
  const match = /^#token=(.+)$/.exec(window.location.hash);
  if (match) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
}

function askForToken(message) {
  const form = document.getElementById('token-form');
  document.getElementById('token-message').textContent = message;
  form.hidden = false;
  status('waiting for the API token', false);
  document.getElementById('token-input').focus();
}

document.getElementById('token-form').addEventListener('submit', event => {
  event.preventDefault();
  const input = document.getElementById('token-input');
  if (input.value.trim() !== '') {
    sessionStorage.setItem(TOKEN_KEY, input.value.trim());
    input.value = '';
    document.getElementById('token-form').hidden = true;
    poll();
  }
});

async function poll() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  try {
    const response = await fetch('/api/overview', {
      cache: 'no-store',
      headers: token ? { Authorization: 'Bearer ' + token } : {},
    });
    if (response.status === 401 || response.status === 403) {
      // Polling stops until a token is entered: asking once, not every 2 s.
      sessionStorage.removeItem(TOKEN_KEY);
      askForToken(response.status === 401
          ? 'This service needs its API token (http.token) to show its figures.'
          : 'The service refused that token: enter its API token (http.token).');
      return;
    }
    if (!response.ok) {
      throw new Error('/api/overview answered ' + response.status);
    }
    draw(await response.json());
    status('live', true);
  } catch (e) {
    status('cannot reach the service: ' + e.message, false);
  }
  setTimeout(poll, POLL_MS);
}

takeTokenFromLink();
poll();
