/**
 * The timeline page's files, kept as strings so the build (tsc) ships them without a copy step.
 * The script uses no framework and writes data only through textContent (never as HTML), so a
 * reason or an id cannot inject markup.
 */

export const TIMELINE_HTML = `<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>eenplan: regie timeline</title>
<link rel="stylesheet" href="/timeline/timeline.css">
<script src="/timeline/timeline.js" defer></script>
</head>
<body>
<header><h1>Regie timeline</h1><p id="who" aria-live="polite"></p></header>

<section id="login">
  <h2>Token</h2>
  <p>Paste an auditor token. It is kept in this browser tab only (sessionStorage).</p>
  <form id="login-form">
    <label for="token">Bearer token</label>
    <textarea id="token" rows="3" autocomplete="off" spellcheck="false" required></textarea>
    <button id="login-button" type="submit">Use token</button>
  </form>
</section>

<main id="app" hidden>
  <p><button id="logout" type="button">Forget token</button></p>
  <p id="error" role="alert" hidden></p>

  <section>
    <h2>One household</h2>
    <form id="household-form">
      <label for="household">Household id</label>
      <input id="household" required pattern="[A-Za-z0-9._:-]{1,100}">
      <button id="show" type="submit">Show regie history</button>
    </form>
    <div id="household-view" hidden>
      <h3 id="household-title"></h3>
      <div id="axis"><span id="axis-start"></span><span id="axis-end"></span></div>
      <div id="timeline" aria-label="regie intervals"></div>
      <h3>Handoffs</h3>
      <ol id="handoffs-of-household"></ol>
      <h3>Intervals</h3>
      <table id="intervals">
        <thead><tr><th>from</th><th>to</th><th>holder</th><th>cause</th><th>requested by</th>
          <th>accepted by</th><th>approved by</th><th>agreed by</th><th>handover</th><th>reason</th>
          <th>safety takeover</th></tr></thead>
        <tbody></tbody>
      </table>
    </div>
  </section>

  <section>
    <h2>Handoffs in a period</h2>
    <form id="period-form">
      <label for="from">from</label><input id="from" type="date">
      <label for="to">to (exclusive)</label><input id="to" type="date">
      <button id="load-handoffs" type="submit">Show handoffs</button>
    </form>
    <table id="handoffs">
      <thead><tr><th>household</th><th>at</th><th>cause</th><th>from holder</th><th>to holder</th>
        <th>requested by</th><th>accepted by</th><th>approved by</th><th>handover</th><th>safety takeover</th></tr></thead>
      <tbody></tbody>
    </table>
    <p id="handoffs-count"></p>
  </section>
</main>
</body>
</html>
`;

export const TIMELINE_CSS = `
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1b1b1b; max-width: 1200px; }
h1 { margin: 0 0 .25rem; } h2 { margin-top: 2rem; }
label { margin-right: .5rem; } input, textarea { margin-right: 1rem; font: inherit; }
textarea { display: block; width: 100%; margin: .25rem 0 .5rem; font-family: monospace; }
#error { background: #fde8e8; border: 1px solid #c81e1e; padding: .5rem; }
#axis { display: flex; justify-content: space-between; font-size: .8rem; color: #555; margin-top: 1rem; }
#timeline { position: relative; height: 4.5rem; background: #f3f4f6; border: 1px solid #d1d5db; }
.interval { position: absolute; top: 0; bottom: 0; overflow: hidden; box-sizing: border-box;
  border-right: 2px solid #fff; padding: .25rem; font-size: .75rem; color: #fff; white-space: nowrap; }
.interval .holder { font-weight: bold; display: block; } .interval .cause { display: block; }
.interval.household { background: #6b7280; } .interval.worker { background: #1d4ed8; }
.interval.cause-safety-takeover { background: #b91c1c; } .interval.open { opacity: .85; }
.interval.cause-safety-takeover.awaiting { background: repeating-linear-gradient(45deg, #b91c1c, #b91c1c 8px, #7f1d1d 8px, #7f1d1d 16px); }
.handoff { margin-bottom: .25rem; }
table { border-collapse: collapse; margin-top: .5rem; font-size: .85rem; }
th, td { border: 1px solid #d1d5db; padding: .2rem .4rem; text-align: left; vertical-align: top; }
th { background: #f3f4f6; }
`;

// Plain browser JavaScript (ES2020). No backticks or dollar-brace inside: this is a template literal.
export const TIMELINE_JS = String.raw`
'use strict';
(function () {
  var KEY = 'eenplan.timeline.token';
  var $ = function (id) { return document.getElementById(id); };

  function token() { return sessionStorage.getItem(KEY); }

  /** The token's claims, for showing who is signed in; the API verifies it, not this page. */
  function claims(t) {
    try {
      var part = t.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(atob(part));
    } catch (e) { return null; }
  }

  function showError(message) {
    var el = $('error');
    el.textContent = message;
    el.hidden = !message;
  }

  async function api(path) {
    var res = await fetch(path, { headers: { Authorization: 'Bearer ' + token(), Accept: 'application/json' } });
    var body = await res.json().catch(function () { return null; });
    if (!res.ok) {
      var detail = body && body.detail ? body.detail : res.statusText;
      var err = new Error(res.status + ' ' + (body && body.title ? body.title : '') + ': ' + detail);
      err.status = res.status;
      throw err;
    }
    return body;
  }

  // Every page of a paged list: the items under key, following next until it is null.
  async function all(path, key) {
    var items = [];
    var cursor = null;
    do {
      var sep = path.indexOf('?') < 0 ? '?' : '&';
      var page = await api(path + sep + 'limit=200' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
      items = items.concat(page[key]);
      cursor = page.next;
    } while (cursor);
    return items;
  }

  function render() {
    var t = token();
    $('login').hidden = !!t;
    $('app').hidden = !t;
    var c = t ? claims(t) : null;
    $('who').textContent = c ? 'Signed in as ' + c.sub + ' (' + (c.roles || []).join(', ') + ')' : '';
    if (c && (c.roles || []).indexOf('auditor') < 0)
      showError('This token has no auditor role: the API will refuse the handoff table.');
  }

  function time(iso) { return iso ? iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC') : 'now'; }
  function holderText(h) { return h.kind === 'household' ? 'household ' + h.id : h.id; }
  function duration(seconds) {
    if (seconds === undefined || seconds === null) return '';
    if (seconds < 3600) return Math.round(seconds / 60) + ' min';
    if (seconds < 172800) return (seconds / 3600).toFixed(1) + ' h';
    return (seconds / 86400).toFixed(1) + ' d';
  }
  /** Where a safety takeover stands (invariant 6): a lead's confirmation exists only once they gave it. */
  function confirmationText(iv) {
    switch (iv.confirmation) {
      case 'awaiting-confirmation':
        return 'awaiting a team lead' + (iv.confirmationOverdue ? ' (overdue)' : '');
      case 'confirmed':
        return 'confirmed by ' + iv.approvedBy + ' at ' + time(iv.confirmedAt);
      case 'rejected':
        return 'rejected by ' + iv.rejectedBy + ' at ' + time(iv.rejectedAt) +
          (iv.rejectionReason ? ': ' + iv.rejectionReason : '');
      case 'named-by-taker':
        return 'before break-glass: the taker named ' + iv.approvedBy + ', who did not confirm in eenplan';
      default:
        return iv.cause === 'safety-takeover-rejected' ? 'regie back after ' + iv.rejectedBy + ' rejected the takeover' : '';
    }
  }
  /** The approver only where a lead confirmed; a name the taker gave is said to be just that. */
  function approverText(iv) {
    if (!iv.approvedBy) return '';
    return iv.confirmation === 'named-by-taker' ? iv.approvedBy + ' (named by the taker)' : iv.approvedBy;
  }
  function cell(row, text) {
    var td = document.createElement('td');
    td.textContent = text === undefined || text === null ? '' : String(text);
    row.appendChild(td);
    return td;
  }

  function drawTimeline(householdId, intervals) {
    $('household-title').textContent = 'Household ' + householdId + ': ' + intervals.length + ' intervals';
    var line = $('timeline');
    line.replaceChildren();
    $('handoffs-of-household').replaceChildren();
    $('intervals').tBodies[0].replaceChildren();
    $('household-view').hidden = false;
    if (intervals.length === 0) return;
    var start = Date.parse(intervals[0].from);
    var last = intervals[intervals.length - 1];
    var lastFrom = Date.parse(last.from);
    // An open interval runs to now; when the records lie ahead of this clock, give it a tenth of the span.
    var end = last.to ? Date.parse(last.to) : Math.max(Date.now(), lastFrom + Math.max(1, (lastFrom - start) / 10));
    var span = Math.max(1, end - start);
    $('axis-start').textContent = time(intervals[0].from);
    $('axis-end').textContent = last.to ? time(last.to) : 'now';
    // Every interval at least 8% wide, so a short one stays visible and readable.
    var min = 8;
    var widths = intervals.map(function (iv) {
      var to = iv.to ? Date.parse(iv.to) : end;
      return Math.max(min, ((to - Date.parse(iv.from)) / span) * 100);
    });
    var total = widths.reduce(function (a, b) { return a + b; }, 0);
    var left = 0;
    intervals.forEach(function (iv, i) {
      var width = (widths[i] / total) * 100;
      var bar = document.createElement('div');
      bar.className = 'interval ' + iv.holder.kind + ' cause-' + iv.cause + (iv.to ? '' : ' open') +
        (iv.confirmation === 'awaiting-confirmation' ? ' awaiting' : '');
      bar.style.left = left + '%';
      bar.style.width = width + '%';
      bar.dataset.holder = iv.holder.id;
      bar.dataset.holderKind = iv.holder.kind;
      bar.dataset.cause = iv.cause;
      bar.dataset.confirmation = iv.confirmation || '';
      bar.dataset.from = iv.from;
      bar.dataset.to = iv.to || '';
      bar.title = holderText(iv.holder) + ', ' + iv.cause + ', ' + time(iv.from) + ' to ' + time(iv.to);
      var h = document.createElement('span');
      h.className = 'holder';
      h.textContent = holderText(iv.holder);
      var c = document.createElement('span');
      c.className = 'cause';
      c.textContent = iv.cause;
      bar.append(h, c);
      line.appendChild(bar);
      left += width;

      var row = $('intervals').tBodies[0].insertRow();
      [time(iv.from), time(iv.to), holderText(iv.holder), iv.cause, iv.requestedBy, iv.acceptedBy,
        approverText(iv), iv.agreedBy, duration(iv.handoverSeconds), iv.reason, confirmationText(iv)]
        .forEach(function (v) { cell(row, v); });

      if (i > 0) {
        // Every interval after the first began with a handoff from the one before it.
        var li = document.createElement('li');
        li.className = 'handoff';
        li.dataset.cause = iv.cause;
        li.dataset.confirmation = iv.confirmation || '';
        li.dataset.from = intervals[i - 1].holder.id;
        li.dataset.to = iv.holder.id;
        var who = [iv.requestedBy && 'requested by ' + iv.requestedBy, iv.acceptedBy && 'accepted by ' + iv.acceptedBy,
          iv.confirmation === 'confirmed' && 'approved by ' + iv.approvedBy, iv.agreedBy && 'agreed by ' + iv.agreedBy,
          confirmationText(iv)]
          .filter(Boolean).join(', ');
        li.textContent = time(iv.from) + ': ' + holderText(intervals[i - 1].holder) + ' \u2192 ' +
          holderText(iv.holder) + ' (' + iv.cause + ')' + (who ? ', ' + who : '') +
          (iv.reason ? '. Reason: ' + iv.reason : '');
        $('handoffs-of-household').appendChild(li);
      }
    });
  }

  async function showHousehold(id) {
    showError('');
    $('household').value = id;
    try {
      drawTimeline(id, await all('/v1/households/' + encodeURIComponent(id) + '/regie/history', 'intervals'));
    } catch (e) {
      $('household-view').hidden = true;
      showError(e.message);
    }
  }

  async function loadHandoffs() {
    showError('');
    var q = new URLSearchParams();
    if ($('from').value) q.set('from', $('from').value);
    if ($('to').value) q.set('to', $('to').value);
    var body = $('handoffs').tBodies[0];
    body.replaceChildren();
    try {
      var rows = await all('/v1/audit/handoffs?' + q.toString(), 'handoffs');
      rows.forEach(function (r) {
        var row = body.insertRow();
        var link = document.createElement('a');
        link.href = '#';
        link.textContent = r.householdId;
        link.addEventListener('click', function (ev) { ev.preventDefault(); showHousehold(r.householdId); });
        cell(row, '').appendChild(link);
        [time(r.from), r.cause, holderText(r.previousHolder), holderText(r.holder), r.requestedBy, r.acceptedBy,
          approverText(r), duration(r.handoverSeconds), confirmationText(r)].forEach(function (v) { cell(row, v); });
      });
      $('handoffs-count').textContent = rows.length + ' handoffs';
    } catch (e) {
      $('handoffs-count').textContent = '';
      showError(e.message);
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    $('login-form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      var t = $('token').value.trim().replace(/^Bearer\s+/i, '');
      if (!t) return;
      sessionStorage.setItem(KEY, t);
      $('token').value = '';
      showError('');
      render();
    });
    $('logout').addEventListener('click', function () {
      sessionStorage.removeItem(KEY);
      $('household-view').hidden = true;
      showError('');
      render();
    });
    $('household-form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      showHousehold($('household').value.trim());
    });
    $('period-form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      loadHandoffs();
    });
    render();
  });
})();
`;
