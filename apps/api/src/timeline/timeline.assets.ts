/**
 * The auditor's timeline page, kept as strings so the build (tsc) ships them without a copy step.
 * Dutch only: every label, message and error the page shows. The script uses no framework and
 * writes data only through textContent (never as HTML), so a reason or an id cannot inject markup.
 */

/**
 * What a household id may be (common/validation.ts ID_PATTERN), as an HTML pattern attribute. Browsers
 * compile it with the `v` flag, where `-` inside a class must be escaped: `[...:-]` does not compile
 * there, logs an error and validates nothing.
 */
export const HOUSEHOLD_ID_INPUT_PATTERN = '[A-Za-z0-9][A-Za-z0-9._:\\-]{0,99}';

export const TIMELINE_HTML = `<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>eenplan: regietijdlijn</title>
<link rel="icon" href="/timeline/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/timeline/timeline.css">
<script src="/timeline/timeline.js" defer></script>
</head>
<body>
<header><h1>Regietijdlijn</h1><p id="who" aria-live="polite"></p></header>

<section id="login" aria-labelledby="login-heading">
  <h2 id="login-heading">Aanmelden</h2>
  <p>Plak het token van een auditor. Het blijft alleen in dit tabblad van de browser (sessionStorage).</p>
  <form id="login-form">
    <label for="token">Bearer-token</label>
    <textarea id="token" rows="3" autocomplete="off" spellcheck="false" required></textarea>
    <button id="login-button" type="submit">Token gebruiken</button>
  </form>
</section>

<main id="app" hidden>
  <p><button id="logout" type="button">Token vergeten</button></p>
  <p id="error" role="alert" hidden></p>

  <section aria-labelledby="household-heading">
    <h2 id="household-heading">Eén huishouden</h2>
    <form id="household-form">
      <label for="household">Huishouden-id</label>
      <input id="household" required maxlength="100" autocomplete="off" spellcheck="false"
        pattern="${HOUSEHOLD_ID_INPUT_PATTERN}" aria-describedby="household-hint household-invalid">
      <button id="show" type="submit">Regiegeschiedenis tonen</button>
      <p id="household-hint" class="hint">1 tot 100 tekens: letters, cijfers en . _ : - (niet als eerste teken).</p>
      <p id="household-invalid" class="invalid" aria-live="polite"></p>
    </form>
    <div id="household-view" hidden>
      <h3 id="household-title"></h3>
      <figure id="timeline-figure">
        <figcaption>Wie had de regie, wanneer stond een overdrachtsverzoek open, en wanneer werd het plan
          afgesloten of heropend. De tijdas is per periode uitgerekt, zodat korte periodes leesbaar blijven.</figcaption>
        <div id="lanes">
          <div class="lane-label" id="lane-regie-label">Regie</div>
          <div id="timeline" class="lane"></div>
          <div class="lane-label" id="lane-pending-label">Overdrachtsverzoeken</div>
          <div id="pending-lane" class="lane"></div>
          <div id="markers"></div>
        </div>
        <div id="axis"><span id="axis-start"></span><span id="axis-end"></span></div>
      </figure>
      <h3 id="legend-heading">Legenda</h3>
      <ul id="legend" aria-labelledby="legend-heading">
        <li><span class="swatch interval worker"></span>Een medewerker heeft de regie</li>
        <li><span class="swatch interval household"></span>Het huishouden heeft de regie zelf</li>
        <li><span class="swatch interval cause-safety-takeover"></span>Overname voor veiligheid</li>
        <li><span class="swatch interval cause-safety-takeover awaiting"></span>Overname voor veiligheid, wacht op een teamleider</li>
        <li><span class="swatch pending outcome-pending"></span>Gearceerd: een overdrachtsverzoek staat open (oranje: nog steeds)</li>
        <li><span class="swatch pending outcome-accepted"></span>Gearceerd blauw: het verzoek werd geaccepteerd</li>
        <li><span class="swatch pending outcome-declined"></span>Gearceerd grijs: het verzoek werd afgewezen of ingetrokken</li>
        <li><span class="swatch marker-swatch closure"></span>Rode lijn: het plan werd afgesloten</li>
        <li><span class="swatch marker-swatch reopening"></span>Groene lijn: het plan werd heropend</li>
        <li>Tijden in Nederlandse tijd (Europe/Amsterdam); wijs een tijd aan voor de UTC-tijd, een naam voor de id.</li>
      </ul>
      <p><button id="household-csv" type="button">Download CSV</button></p>
      <h3>Overdrachten</h3>
      <ol id="handoffs-of-household"></ol>
      <h3>Periodes</h3>
      <div class="scroll" role="region" aria-label="Periodes" tabindex="0">
      <table id="intervals">
        <thead><tr><th scope="col">van</th><th scope="col">tot</th><th scope="col">houder</th><th scope="col">oorzaak</th>
          <th scope="col">aangevraagd door</th><th scope="col">geaccepteerd door</th><th scope="col">goedgekeurd door</th>
          <th scope="col">akkoord van</th><th scope="col">overdrachtsduur</th><th scope="col">reden</th>
          <th scope="col">overname voor veiligheid</th></tr></thead>
        <tbody></tbody>
      </table>
      </div>
      <h3>Overdrachtsverzoeken</h3>
      <div class="scroll" role="region" aria-label="Overdrachtsverzoeken" tabindex="0">
      <table id="transfers">
        <thead><tr><th scope="col">aangevraagd</th><th scope="col">afgehandeld</th><th scope="col">van</th>
          <th scope="col">naar</th><th scope="col">aangevraagd door</th><th scope="col">uitkomst</th>
          <th scope="col">afgehandeld door</th><th scope="col">reden</th></tr></thead>
        <tbody></tbody>
      </table>
      </div>
    </div>
  </section>

  <section aria-labelledby="period-heading">
    <h2 id="period-heading">Overdrachten in een periode</h2>
    <form id="period-form">
      <label for="from">van</label><input id="from" type="date">
      <label for="to">tot (niet inbegrepen)</label><input id="to" type="date">
      <button id="load-handoffs" type="submit">Overdrachten tonen</button>
    </form>
    <div class="scroll" role="region" aria-label="Overdrachten in de periode" tabindex="0">
    <table id="handoffs">
      <thead><tr><th scope="col">huishouden</th><th scope="col">moment</th><th scope="col">oorzaak</th>
        <th scope="col">van houder</th><th scope="col">naar houder</th><th scope="col">aangevraagd door</th>
        <th scope="col">geaccepteerd door</th><th scope="col">goedgekeurd door</th><th scope="col">overdrachtsduur</th>
        <th scope="col">overname voor veiligheid</th></tr></thead>
      <tbody></tbody>
    </table>
    </div>
    <p id="handoffs-count"></p>
    <p><button id="handoffs-csv" type="button" disabled>Download CSV</button></p>
  </section>
</main>
</body>
</html>
`;

export const TIMELINE_FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1d4ed8"/><rect x="3" y="7" width="10" height="2" fill="#fff"/></svg>`;

export const TIMELINE_CSS = `
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1b1b1b; background: #fff; max-width: 1200px; }
h1 { margin: 0 0 .25rem; } h2 { margin-top: 2rem; }
label { margin-right: .5rem; } input, textarea { margin-right: 1rem; font: inherit; }
textarea { display: block; width: 100%; box-sizing: border-box; margin: .25rem 0 .5rem; font-family: monospace; }
button { font: inherit; padding: .2rem .6rem; }
.hint { font-size: .85rem; color: #4b5563; margin: .25rem 0; }
.invalid { color: #b91c1c; font-weight: bold; margin: .25rem 0; }
#error { background: #fde8e8; border: 1px solid #c81e1e; padding: .5rem; }
figure { margin: 1rem 0; } figcaption { font-size: .85rem; color: #374151; margin-bottom: .5rem; }
#lanes { position: relative; }
.lane-label { font-size: .8rem; font-weight: bold; margin-top: .25rem; }
.lane { position: relative; background: #f3f4f6; border: 1px solid #9ca3af; }
#timeline { height: 4.5rem; } #pending-lane { height: 2.5rem; }
#markers { position: absolute; inset: 0; pointer-events: none; }
#axis { display: flex; justify-content: space-between; gap: 1rem; font-size: .8rem; color: #374151; margin-top: .25rem; }
.interval { position: absolute; top: 0; bottom: 0; overflow: hidden; box-sizing: border-box;
  border-right: 2px solid #fff; padding: .25rem; font-size: .75rem; color: #fff; white-space: nowrap; }
.interval .holder { font-weight: bold; display: block; } .interval .cause { display: block; }
.interval.household { background: #4b5563; } .interval.worker { background: #1d4ed8; }
.interval.cause-safety-takeover { background: #b91c1c; } .interval.open { border-right: 2px dashed #1b1b1b; }
.interval.cause-safety-takeover.awaiting { background: repeating-linear-gradient(45deg, #b91c1c, #b91c1c 8px, #7f1d1d 8px, #7f1d1d 16px); }
.pending { position: absolute; top: .3rem; bottom: .3rem; min-width: 10px; box-sizing: border-box; overflow: hidden;
  border: 1px solid #1b1b1b; font-size: .7rem; white-space: nowrap; }
.pending .label { background: #fff; color: #1b1b1b; padding: 0 .2rem; }
.outcome-pending { background: repeating-linear-gradient(45deg, #b45309, #b45309 4px, #fde68a 4px, #fde68a 8px); }
.outcome-accepted { background: repeating-linear-gradient(45deg, #1d4ed8, #1d4ed8 4px, #bfdbfe 4px, #bfdbfe 8px); }
.outcome-declined, .outcome-cancelled { background: repeating-linear-gradient(45deg, #4b5563, #4b5563 4px, #e5e7eb 4px, #e5e7eb 8px); }
.marker { position: absolute; top: 1rem; bottom: 0; width: 0; border-left: 3px solid; }
.marker.closure { border-color: #b91c1c; } .marker.reopening { border-color: #15803d; }
.marker .label { position: absolute; left: 3px; font-size: .7rem; background: #fff; color: #1b1b1b;
  padding: 0 .2rem; white-space: nowrap; border: 1px solid currentColor; }
.marker.closure .label { top: -1rem; } .marker.reopening .label { bottom: 0; }
#legend { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(22rem, 1fr)); gap: .25rem 1rem; font-size: .85rem; }
.swatch { display: inline-block; position: static; width: 1.5rem; height: 1rem; vertical-align: middle; margin-right: .4rem; border: 1px solid #1b1b1b; padding: 0; }
.marker-swatch { width: 0; border: 0; border-left: 3px solid; height: 1rem; }
.marker-swatch.closure { border-color: #b91c1c; } .marker-swatch.reopening { border-color: #15803d; }
.worker-name { text-decoration: underline dotted; }
.handoff { margin-bottom: .25rem; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; margin-top: .5rem; font-size: .85rem; }
th, td { border: 1px solid #9ca3af; padding: .2rem .4rem; text-align: left; vertical-align: top; }
th { background: #f3f4f6; }
@media (max-width: 600px) { body { margin: .75rem; } #legend { grid-template-columns: 1fr; } }
`;

// Plain browser JavaScript (ES2020). No backticks or dollar-brace inside: this is a template literal.
export const TIMELINE_JS = String.raw`
'use strict';
(function () {
  var KEY = 'eenplan.timeline.token';
  var $ = function (id) { return document.getElementById(id); };
  var ID_MESSAGE = 'Een huishouden-id heeft 1 tot 100 tekens: letters, cijfers en . _ : - (niet als eerste teken).';
  var ID_MISSING = 'Vul een huishouden-id in.';

  var CAUSES = {
    'registration': 'registratie',
    'transfer': 'overdracht',
    'reverse-request': 'overdracht op eigen verzoek',
    'safety-takeover': 'overname voor veiligheid',
    'safety-takeover-rejected': 'terug na afgewezen overname',
    'return-to-household': 'terug naar het huishouden',
    'closure': 'afsluiting'
  };
  var OUTCOMES = { accepted: 'geaccepteerd', declined: 'afgewezen', cancelled: 'ingetrokken', pending: 'staat open' };
  var VARIANTS = { handover: 'overdracht', reverse: 'op eigen verzoek', 'on-behalf': 'namens het huishouden' };

  /** Names the last answer gave (worker id to name); an id without one is shown as it is. */
  var names = {};
  /** What the last answers held, for the CSV buttons. */
  var lastHousehold = null;
  var lastHandoffs = null;

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
    var res;
    try {
      res = await fetch(path, { headers: { Authorization: 'Bearer ' + token(), Accept: 'application/json' } });
    } catch (e) {
      throw new Error('De server is niet bereikbaar. Probeer het later opnieuw.');
    }
    var body = await res.json().catch(function () { return null; });
    if (!res.ok) {
      var what = res.status === 401 ? 'Het token is niet (meer) geldig' :
        res.status === 403 ? 'Dit token mag deze gegevens niet zien' :
        res.status === 404 ? 'Niet gevonden' :
        res.status === 400 ? 'Ongeldige invoer' : 'De server kon het verzoek niet afhandelen';
      var detail = body && body.detail ? body.detail : '';
      var err = new Error(what + ' (' + res.status + ').' + (detail ? ' Melding van de server: ' + detail : ''));
      err.status = res.status;
      throw err;
    }
    return body;
  }

  // Every page of a paged list: the items under key (and the names beside them), following next until it is null.
  async function all(path, key) {
    var items = [];
    var workers = [];
    var cursor = null;
    do {
      var sep = path.indexOf('?') < 0 ? '?' : '&';
      var page = await api(path + sep + 'limit=200' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
      items = items.concat(page[key]);
      workers = workers.concat(page.workers || []);
      cursor = page.next;
    } while (cursor);
    return { items: items, workers: workers };
  }

  function render() {
    var t = token();
    $('login').hidden = !!t;
    $('app').hidden = !t;
    var c = t ? claims(t) : null;
    $('who').textContent = c ? 'Aangemeld als ' + c.sub + ' (rollen: ' + (c.roles || []).join(', ') + ')' : '';
    if (c && (c.roles || []).indexOf('auditor') < 0)
      showError('Dit token heeft geen auditorrol: de server zal de gegevens weigeren.');
  }

  // ---- time: Amsterdam to the second on screen, UTC on hover; both in the CSV
  var FMT = new Intl.DateTimeFormat('nl-NL', {
    timeZone: 'Europe/Amsterdam', year: 'numeric', month: 'numeric', day: 'numeric',
    hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23'
  });
  function parts(iso) {
    var p = {};
    FMT.formatToParts(new Date(iso)).forEach(function (x) { p[x.type] = x.value; });
    return p;
  }
  /** 5-12-2026 14:03:07 in Europe/Amsterdam. */
  function local(iso) {
    var p = parts(iso);
    return p.day + '-' + p.month + '-' + p.year + ' ' + p.hour + ':' + p.minute + ':' + p.second;
  }
  function utc(iso) { return new Date(iso).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '') + ' UTC'; }
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  /** ISO 8601 in Amsterdam with its offset, for the CSV: 2026-03-30T14:03:07+02:00. */
  function localIso(iso) {
    if (!iso) return '';
    var p = parts(iso);
    var t = Date.parse(iso);
    var asUtc = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
    var offset = Math.round((asUtc - Math.floor(t / 1000) * 1000) / 60000);
    var sign = offset < 0 ? '-' : '+';
    offset = Math.abs(offset);
    return p.year + '-' + pad(+p.month) + '-' + pad(+p.day) + 'T' + p.hour + ':' + p.minute + ':' + p.second +
      sign + pad(Math.floor(offset / 60)) + ':' + pad(offset % 60);
  }
  function utcIso(iso) { return iso ? new Date(iso).toISOString() : ''; }
  /** A time element: Amsterdam time as text, UTC in its title; no time: now. */
  function timeEl(iso) {
    var el = document.createElement('time');
    if (!iso) { el.textContent = 'nu'; return el; }
    el.dateTime = iso;
    el.textContent = local(iso);
    el.title = 'UTC: ' + utc(iso);
    return el;
  }

  // ---- people: a name where the answer gave one, the id on hover
  function whoEl(id) {
    if (!id) return document.createTextNode('');
    var name = names[id];
    if (!name) return document.createTextNode(id);
    var el = document.createElement('span');
    el.className = 'worker-name';
    el.textContent = name;
    el.title = 'id: ' + id;
    el.dataset.id = id;
    return el;
  }
  function whoText(id) { return id ? (names[id] || id) : ''; }
  function holderText(h) { return h.kind === 'household' ? 'het huishouden' : whoText(h.id); }
  function holderEl(h) { return h.kind === 'household' ? document.createTextNode('het huishouden') : whoEl(h.id); }
  function causeText(c) { return CAUSES[c] || c; }

  function duration(seconds) {
    if (seconds === undefined || seconds === null) return '';
    if (seconds < 3600) return Math.round(seconds / 60) + ' min';
    if (seconds < 172800) return (seconds / 3600).toFixed(1).replace('.', ',') + ' uur';
    return (seconds / 86400).toFixed(1).replace('.', ',') + ' dagen';
  }
  /** Where a safety takeover stands (invariant 6): a lead's confirmation exists only once they gave it. */
  function confirmationNodes(iv) {
    switch (iv.confirmation) {
      case 'awaiting-confirmation':
        return ['wacht op een teamleider' + (iv.confirmationOverdue ? ' (te laat)' : '')];
      case 'confirmed':
        return ['bevestigd door ', whoEl(iv.approvedBy), ' op ', timeEl(iv.confirmedAt)];
      case 'rejected':
        return ['afgewezen door ', whoEl(iv.rejectedBy), ' op ', timeEl(iv.rejectedAt)]
          .concat(iv.rejectionReason ? [': ' + iv.rejectionReason] : []);
      case 'named-by-taker':
        return ['van voor de noodprocedure: de overnemer noemde ', whoEl(iv.approvedBy), ', die niet in eenplan bevestigde'];
      default:
        return iv.cause === 'safety-takeover-rejected'
          ? ['regie terug nadat ', whoEl(iv.rejectedBy), ' de overname afwees'] : [];
    }
  }
  function confirmationText(iv) {
    return confirmationNodes(iv).map(function (n) { return typeof n === 'string' ? n : n.textContent; }).join('');
  }
  function approverNodes(iv) {
    if (!iv.approvedBy) return [];
    return iv.confirmation === 'named-by-taker' ? [whoEl(iv.approvedBy), ' (genoemd door de overnemer)'] : [whoEl(iv.approvedBy)];
  }
  /** A table cell of text and nodes (time and name elements). */
  function cell(row, content) {
    var td = document.createElement('td');
    (Array.isArray(content) ? content : [content]).forEach(function (c) {
      if (c === undefined || c === null || c === '') return;
      td.append(typeof c === 'string' || typeof c === 'number' ? String(c) : c);
    });
    row.appendChild(td);
    return td;
  }

  // ---- CSV: RFC 4180, UTF-8 with a BOM (Excel), every field quoted, no cell a spreadsheet runs as a formula
  function csvCell(v) {
    var s = v === undefined || v === null ? '' : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
    return '"' + s.replace(/"/g, '""') + '"';
  }
  function csv(rows) {
    return '\uFEFF' + rows.map(function (r) { return r.map(csvCell).join(','); }).join('\r\n') + '\r\n';
  }
  function download(filename, text) {
    var url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
    var a = document.createElement('a');
    a.href = url;
    a.download = filename;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }
  function householdCsv(h) {
    var rows = [['soort', 'van_utc', 'van_amsterdam', 'tot_utc', 'tot_amsterdam', 'houder_soort', 'houder_id',
      'oorzaak_of_uitkomst', 'transfer_id', 'aangevraagd_door', 'geaccepteerd_door', 'goedgekeurd_door', 'akkoord_van',
      'afgehandeld_door', 'reden']];
    h.intervals.forEach(function (iv) {
      rows.push(['regie', utcIso(iv.from), localIso(iv.from), utcIso(iv.to), localIso(iv.to), iv.holder.kind,
        iv.holder.id, iv.cause, iv.transferId, iv.requestedBy, iv.acceptedBy, iv.approvedBy, iv.agreedBy,
        iv.rejectedBy, iv.reason]);
    });
    h.marks.pendingTransfers.forEach(function (p) {
      rows.push(['overdrachtsverzoek', utcIso(p.from), localIso(p.from), utcIso(p.to), localIso(p.to),
        p.fromHolder.kind, p.fromHolder.id, p.outcome, p.transferId, p.requestedBy, '', '', '', p.settledBy, p.reason]);
    });
    h.marks.closures.forEach(function (m) {
      rows.push(['afsluiting', utcIso(m.at), localIso(m.at), '', '', '', '', '', '', m.by, '', '', '', '', '']);
    });
    h.marks.reopenings.forEach(function (m) {
      rows.push(['heropening', utcIso(m.at), localIso(m.at), '', '', '', '', '', '', m.by, '', '', '', '', '']);
    });
    return csv(rows);
  }
  function handoffsCsv(list) {
    var rows = [['huishouden', 'moment_utc', 'moment_amsterdam', 'oorzaak', 'van_houder_soort', 'van_houder_id',
      'naar_houder_soort', 'naar_houder_id', 'transfer_id', 'aangevraagd_door', 'geaccepteerd_door', 'goedgekeurd_door',
      'akkoord_van', 'overdrachtsduur_seconden', 'bevestiging', 'reden']];
    list.forEach(function (r) {
      rows.push([r.householdId, utcIso(r.from), localIso(r.from), r.cause, r.previousHolder.kind, r.previousHolder.id,
        r.holder.kind, r.holder.id, r.transferId, r.requestedBy, r.acceptedBy, r.approvedBy, r.agreedBy,
        r.handoverSeconds, r.confirmation, r.reason]);
    });
    return csv(rows);
  }

  // ---- the drawing
  /**
   * Every interval at least 8% wide, so a short one stays visible and readable; within an interval
   * time runs linearly, so a moment (a request, a closure) lands where it belongs among the intervals.
   */
  function scale(intervals, end) {
    var min = 8;
    var spans = intervals.map(function (iv) {
      var from = Date.parse(iv.from);
      return { from: from, to: iv.to ? Date.parse(iv.to) : end };
    });
    var span = Math.max(1, end - spans[0].from);
    var widths = spans.map(function (s) { return Math.max(min, ((s.to - s.from) / span) * 100); });
    var total = widths.reduce(function (a, b) { return a + b; }, 0);
    var left = 0;
    spans.forEach(function (s, i) {
      s.left = left;
      s.width = (widths[i] / total) * 100;
      left += s.width;
    });
    return {
      spans: spans,
      x: function (t) {
        if (t <= spans[0].from) return 0;
        for (var i = 0; i < spans.length; i++) {
          var s = spans[i];
          if (t < s.to || i === spans.length - 1) {
            var f = Math.min(1, Math.max(0, (t - s.from) / Math.max(1, s.to - s.from)));
            return s.left + f * s.width;
          }
        }
        return 100;
      }
    };
  }

  function draw(h) {
    var intervals = h.intervals;
    var marks = h.marks;
    $('household-title').textContent = 'Huishouden ' + h.id + ': ' + intervals.length +
      (intervals.length === 1 ? ' periode' : ' periodes');
    ['timeline', 'pending-lane', 'markers', 'handoffs-of-household'].forEach(function (id) { $(id).replaceChildren(); });
    $('intervals').tBodies[0].replaceChildren();
    $('transfers').tBodies[0].replaceChildren();
    $('household-view').hidden = false;
    if (intervals.length === 0) return;
    var start = Date.parse(intervals[0].from);
    var last = intervals[intervals.length - 1];
    var lastFrom = Date.parse(last.from);
    var latest = lastFrom;
    marks.pendingTransfers.forEach(function (p) { latest = Math.max(latest, Date.parse(p.to || p.from)); });
    marks.closures.concat(marks.reopenings).forEach(function (m) { latest = Math.max(latest, Date.parse(m.at)); });
    // An open interval runs to now; when the records lie ahead of this clock, give it a tenth of the span.
    var end = last.to ? Math.max(Date.parse(last.to), latest)
      : Math.max(Date.now(), latest + Math.max(1, (latest - start) / 10));
    var sc = scale(intervals, end);
    $('axis-start').replaceChildren(timeEl(intervals[0].from));
    $('axis-end').replaceChildren(last.to ? timeEl(new Date(end).toISOString()) : timeEl(null));

    intervals.forEach(function (iv, i) {
      var s = sc.spans[i];
      var bar = document.createElement('div');
      bar.className = 'interval ' + iv.holder.kind + ' cause-' + iv.cause + (iv.to ? '' : ' open') +
        (iv.confirmation === 'awaiting-confirmation' ? ' awaiting' : '');
      bar.style.left = s.left + '%';
      bar.style.width = s.width + '%';
      bar.dataset.holder = iv.holder.id;
      bar.dataset.holderKind = iv.holder.kind;
      bar.dataset.cause = iv.cause;
      bar.dataset.confirmation = iv.confirmation || '';
      bar.dataset.from = iv.from;
      bar.dataset.to = iv.to || '';
      bar.title = holderText(iv.holder) + (iv.holder.kind === 'worker' ? ' (id: ' + iv.holder.id + ')' : '') + ', ' +
        causeText(iv.cause) + ', ' + local(iv.from) + ' tot ' + (iv.to ? local(iv.to) : 'nu') +
        ' (UTC: ' + utc(iv.from) + ' tot ' + (iv.to ? utc(iv.to) : 'nu') + ')';
      var hd = document.createElement('span');
      hd.className = 'holder';
      hd.textContent = holderText(iv.holder);
      var c = document.createElement('span');
      c.className = 'cause';
      c.textContent = causeText(iv.cause);
      bar.append(hd, c);
      $('timeline').appendChild(bar);

      var row = $('intervals').tBodies[0].insertRow();
      [timeEl(iv.from), timeEl(iv.to), holderEl(iv.holder), causeText(iv.cause), whoEl(iv.requestedBy),
        whoEl(iv.acceptedBy), approverNodes(iv), whoEl(iv.agreedBy), duration(iv.handoverSeconds), iv.reason,
        confirmationNodes(iv)].forEach(function (v) { cell(row, v); });

      if (i > 0) {
        // Every interval after the first began with a handoff from the one before it.
        var li = document.createElement('li');
        li.className = 'handoff';
        li.dataset.cause = iv.cause;
        li.dataset.confirmation = iv.confirmation || '';
        li.dataset.from = intervals[i - 1].holder.id;
        li.dataset.to = iv.holder.id;
        var nodes = [timeEl(iv.from), ': ', holderEl(intervals[i - 1].holder), ' \u2192 ', holderEl(iv.holder),
          ' (' + causeText(iv.cause) + ')'];
        if (iv.requestedBy) nodes.push(', aangevraagd door ', whoEl(iv.requestedBy));
        if (iv.acceptedBy) nodes.push(', geaccepteerd door ', whoEl(iv.acceptedBy));
        if (iv.confirmation === 'confirmed') nodes.push(', goedgekeurd door ', whoEl(iv.approvedBy));
        if (iv.agreedBy) nodes.push(', akkoord van ', whoEl(iv.agreedBy));
        var conf = confirmationNodes(iv);
        if (conf.length) nodes = nodes.concat([', '], conf);
        if (iv.reason) nodes.push('. Reden: ' + iv.reason);
        li.append.apply(li, nodes);
        $('handoffs-of-household').appendChild(li);
      }
    });

    marks.pendingTransfers.forEach(function (p) {
      var from = Date.parse(p.from);
      var to = p.to ? Date.parse(p.to) : end;
      var left = sc.x(from);
      var bar = document.createElement('div');
      bar.className = 'pending outcome-' + p.outcome;
      bar.style.left = left + '%';
      bar.style.width = Math.max(0.5, sc.x(to) - left) + '%';
      bar.dataset.transferId = p.transferId;
      bar.dataset.outcome = p.outcome;
      bar.dataset.from = p.from;
      bar.dataset.to = p.to || '';
      bar.title = 'Overdrachtsverzoek naar ' + whoText(p.toWorker) + ' (id: ' + p.toWorker + '), ' + OUTCOMES[p.outcome] +
        ': ' + local(p.from) + ' tot ' + (p.to ? local(p.to) : 'nu') +
        ' (UTC: ' + utc(p.from) + ' tot ' + (p.to ? utc(p.to) : 'nu') + ')';
      var label = document.createElement('span');
      label.className = 'label';
      label.textContent = OUTCOMES[p.outcome];
      bar.appendChild(label);
      $('pending-lane').appendChild(bar);

      var row = $('transfers').tBodies[0].insertRow();
      row.dataset.outcome = p.outcome;
      [timeEl(p.from), p.to ? timeEl(p.to) : 'staat nog open', holderEl(p.fromHolder), whoEl(p.toWorker),
        whoEl(p.requestedBy), OUTCOMES[p.outcome] + ' (' + (VARIANTS[p.variant] || p.variant) + ')', whoEl(p.settledBy),
        p.reason].forEach(function (v) { cell(row, v); });
    });

    var marker = function (kind, text, m) {
      var el = document.createElement('div');
      el.className = 'marker ' + kind;
      el.style.left = sc.x(Date.parse(m.at)) + '%';
      el.dataset.at = m.at;
      el.dataset.by = m.by;
      var label = document.createElement('span');
      label.className = 'label';
      label.textContent = text + ' ' + local(m.at);
      el.title = text + ' door ' + whoText(m.by) + ' op ' + local(m.at) + ' (UTC: ' + utc(m.at) + ')';
      el.appendChild(label);
      $('markers').appendChild(el);
    };
    marks.closures.forEach(function (m) { marker('closure', 'afgesloten', m); });
    marks.reopenings.forEach(function (m) { marker('reopening', 'heropend', m); });
  }

  async function showHousehold(id) {
    showError('');
    $('household').value = id;
    checkId();
    try {
      var path = '/v1/households/' + encodeURIComponent(id) + '/regie/history';
      var history = await all(path, 'intervals');
      var marks = await api('/v1/audit/households/' + encodeURIComponent(id) + '/timeline');
      names = {};
      marks.workers.forEach(function (w) { names[w.id] = w.name; });
      lastHousehold = { id: id, intervals: history.items, marks: marks };
      draw(lastHousehold);
    } catch (e) {
      lastHousehold = null;
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
    $('handoffs-csv').disabled = true;
    try {
      var got = await all('/v1/audit/handoffs?' + q.toString(), 'handoffs');
      names = {};
      got.workers.forEach(function (w) { names[w.id] = w.name; });
      lastHandoffs = got.items;
      got.items.forEach(function (r) {
        var row = body.insertRow();
        var link = document.createElement('a');
        link.href = '#';
        link.textContent = r.householdId;
        link.addEventListener('click', function (ev) { ev.preventDefault(); showHousehold(r.householdId); });
        cell(row, link);
        [timeEl(r.from), causeText(r.cause), holderEl(r.previousHolder), holderEl(r.holder), whoEl(r.requestedBy),
          whoEl(r.acceptedBy), approverNodes(r), duration(r.handoverSeconds), confirmationNodes(r)]
          .forEach(function (v) { cell(row, v); });
        row.dataset.cause = r.cause;
      });
      $('handoffs-count').textContent = got.items.length + (got.items.length === 1 ? ' overdracht' : ' overdrachten');
      $('handoffs-csv').disabled = false;
    } catch (e) {
      lastHandoffs = null;
      $('handoffs-count').textContent = '';
      showError(e.message);
    }
  }

  /** The id's validity in Dutch (the browser's own message is in the browser's language). */
  function checkId() {
    var el = $('household');
    el.setCustomValidity('');
    var message = el.validity.valueMissing ? ID_MISSING : el.validity.patternMismatch ? ID_MESSAGE : '';
    el.setCustomValidity(message);
    if (!message) {
      $('household-invalid').textContent = '';
      el.removeAttribute('aria-invalid');
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
    $('token').addEventListener('invalid', function () { $('token').setCustomValidity('Plak eerst een token.'); });
    $('token').addEventListener('input', function () { $('token').setCustomValidity(''); });
    $('logout').addEventListener('click', function () {
      sessionStorage.removeItem(KEY);
      $('household-view').hidden = true;
      showError('');
      render();
    });
    $('household').addEventListener('input', checkId);
    $('household').addEventListener('invalid', function () {
      checkId();
      $('household-invalid').textContent = $('household').validationMessage;
      $('household').setAttribute('aria-invalid', 'true');
    });
    $('household-form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      showHousehold($('household').value.trim());
    });
    $('period-form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      loadHandoffs();
    });
    $('household-csv').addEventListener('click', function () {
      if (lastHousehold) download('regietijdlijn-' + lastHousehold.id + '.csv', householdCsv(lastHousehold));
    });
    $('handoffs-csv').addEventListener('click', function () {
      if (!lastHandoffs) return;
      var span = ($('from').value || 'begin') + '_' + ($('to').value || 'nu');
      download('overdrachten-' + span + '.csv', handoffsCsv(lastHandoffs));
    });
    checkId();
    render();
  });
})();
`;
