/**
 * The page's script: plain browser JavaScript (ES2020), no framework. Data is written only through
 * textContent and attributes, never as HTML, so a goal's text cannot inject markup.
 * No backticks or dollar-brace inside: this is a template literal.
 */
export const MIJN_PLAN_JS = String.raw`
'use strict';
(function () {
  var TOKEN = 'eenplan.mijnplan.token';
  var HOUSEHOLD = 'eenplan.mijnplan.household';
  var $ = function (id) { return document.getElementById(id); };
  var state = { me: null, householdId: null, plan: null, accessNext: null };

  var DOMAINS = {
    'finances': 'Geld',
    'work-and-education': 'Werk en school',
    'time-use': 'Hoe u uw dag doorbrengt',
    'housing': 'Wonen',
    'domestic-relations': 'Relaties thuis',
    'mental-health': 'Hoe u zich voelt',
    'physical-health': 'Gezondheid',
    'substance-use': 'Alcohol en drugs',
    'basic-adl': 'Voor uzelf zorgen',
    'instrumental-adl': 'Het huishouden',
    'social-network': 'Mensen om u heen',
    'community-participation': 'Meedoen in de buurt',
    'justice': 'Politie en justitie'
  };
  var PURPOSES = {
    care: 'om u te helpen (hulp en begeleiding)',
    audit: 'controle: kijken of iedereen zich aan de regels houdt',
    integration: 'uitwisseling met een andere organisatie',
    administration: 'beheer van het systeem',
    erasure: 'gegevens wissen',
    'own-file': 'uw eigen dossier bekijken'
  };
  function token() { return sessionStorage.getItem(TOKEN); }

  /** The fragment the municipality's sign-in hands over: kept in this tab only, then out of the address bar. */
  function takeFragment() {
    var hash = location.hash ? location.hash.slice(1) : '';
    if (!hash) return false;
    var params = new URLSearchParams(hash);
    var t = params.get('access_token');
    var h = params.get('household');
    if (!t && !h) return false;
    if (t) {
      sessionStorage.setItem(TOKEN, t);
      sessionStorage.removeItem(HOUSEHOLD);
    }
    if (h) sessionStorage.setItem(HOUSEHOLD, h);
    history.replaceState(null, '', location.pathname + location.search);
    return true;
  }

  // "5 december 2026, 14:03" in Dutch time, whatever the device's time zone.
  var dateFmt = new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', day: 'numeric', month: 'long', year: 'numeric' });
  var timeFmt = new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  function when(iso) {
    if (!iso) return '';
    var d = new Date(iso);
    if (isNaN(d.getTime())) return '';
    return dateFmt.format(d) + ', ' + timeFmt.format(d);
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function show(id, on) { $(id).hidden = !on; }

  function say(message) {
    // Cleared first, so the same message said twice is announced twice.
    $('resultaat').textContent = '';
    if (message) setTimeout(function () { $('resultaat').textContent = message; }, 50);
  }
  function fail(message) {
    $('fout').textContent = message || '';
    show('fout', !!message);
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return 'mijnplan-' + crypto.randomUUID();
    return 'mijnplan-' + Date.now() + '-' + Math.random().toString(36).slice(2);
  }

  function Problem(status, body) {
    this.status = status;
    this.code = body && body.code;
    this.detail = body && body.detail;
    this.errors = (body && body.errors) || [];
  }

  async function api(method, path, body) {
    var headers = { Authorization: 'Bearer ' + token(), Accept: 'application/json' };
    var init = { method: method, headers: headers, cache: 'no-store' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      headers['Idempotency-Key'] = newKey();
      init.body = JSON.stringify(body);
    }
    var res;
    try {
      res = await fetch(path, init);
    } catch (e) {
      throw new Problem(0, null);
    }
    var data = await res.json().catch(function () { return null; });
    if (!res.ok) throw new Problem(res.status, data);
    return data;
  }

  function hh(path) { return '/v1/households/' + encodeURIComponent(state.householdId) + path; }

  /** What every caller does with a refusal it has no words of its own for. */
  function handle(p) {
    if (p.status === 401) return expired();
    if (p.status === 404) return notFound();
    if (p.status === 0) return fail('Er is geen verbinding. Controleer uw internet en probeer het opnieuw.');
    fail('Er ging iets mis. Probeer het later opnieuw. Lukt het dan nog niet? Bel het wijkteam.');
  }

  function screen(name) {
    show('laden', name === 'laden');
    show('inloggen', name === 'inloggen');
    show('niet-gevonden', name === 'niet-gevonden');
    show('plan', name === 'plan');
    show('uitloggen', name === 'plan' || name === 'niet-gevonden');
  }

  function loggedOut(isExpired) {
    sessionStorage.removeItem(TOKEN);
    sessionStorage.removeItem(HOUSEHOLD);
    state.me = null;
    state.plan = null;
    show('verlopen', !!isExpired);
    show('wie', false);
    screen('inloggen');
  }
  function expired() {
    fail('');
    loggedOut(true);
    say('Uw sessie is verlopen, log opnieuw in.');
  }
  function notFound() {
    fail('');
    screen('niet-gevonden');
  }

  // ---- the plan ---------------------------------------------------------------------------------

  function memberName(id) {
    var m = (state.plan.members || []).find(function (x) { return x.memberId === id; });
    return m ? m.name : null;
  }

  /** Who does an action: "U" for you, "Uw huishouden" for all of it, else the name and what kind of person (the page says "u" throughout). */
  function owner(o) {
    var you = state.plan.you || {};
    if (o.kind === 'household') {
      if (o.id && o.id === you.memberId) return { name: 'U', kind: '' };
      if (!o.id || o.id === state.plan.householdId) return { name: 'Uw huishouden', kind: '' };
      return { name: o.name || memberName(o.id) || 'Iemand uit uw gezin', kind: 'uit uw gezin' };
    }
    if (o.kind === 'worker') return { name: o.name || 'Uw hulpverlener', kind: 'wijkteam' };
    if (o.kind === 'network') return { name: o.name || 'Iemand uit uw netwerk', kind: 'uw netwerk' };
    if (o.kind === 'volunteer') return { name: o.name || 'Een vrijwilliger', kind: 'vrijwilliger' };
    if (o.kind === 'organisation') return { name: o.name || 'Een organisatie', kind: 'organisatie' };
    return { name: o.name || 'Iemand anders', kind: '' };
  }

  function drawGoals() {
    var plan = state.plan;
    var box = $('doelen');
    box.replaceChildren();
    var goals = plan.goals || [];
    $('plan-uitleg').textContent = plan.status === 'closed'
      ? 'Dit plan is afgesloten. U ziet hier wat er in stond.'
      : goals.length === 0
        ? 'Er staan nog geen doelen in uw plan. U maakt ze samen met het wijkteam.'
        : 'Dit zijn de doelen in uw plan. Bij elk doel staat wat er moet gebeuren en wie dat doet.';
    goals.forEach(function (g) {
      var art = el('article', 'doel');
      art.dataset.goalId = g.goalId;
      art.appendChild(el('h3', null, g.text || 'Doel zonder tekst (de tekst is gewist)'));
      if (DOMAINS[g.lifeDomain]) art.appendChild(el('p', 'onderwerp', 'Onderwerp: ' + DOMAINS[g.lifeDomain]));
      var actions = g.actions || [];
      if (actions.length === 0) {
        art.appendChild(el('p', null, 'Bij dit doel staan nog geen acties.'));
      } else {
        var ul = el('ul', 'acties');
        ul.setAttribute('aria-label', 'Acties bij dit doel');
        actions.forEach(function (a) {
          var li = el('li');
          li.dataset.actionId = a.actionId;
          var who = owner(a.owner || {});
          var w = el('span', 'wie');
          w.appendChild(el('span', 'naam', who.name));
          if (who.kind) w.appendChild(el('span', 'soort', ' (' + who.kind + ')'));
          li.appendChild(w);
          li.appendChild(el('span', 'wat', a.text || 'Actie zonder tekst (de tekst is gewist)'));
          li.appendChild(el('span', null, ' '));
          li.appendChild(el('span', a.completed ? 'klaar' : 'open', a.completed ? '(klaar)' : '(nog te doen)'));
          ul.appendChild(li);
        });
        art.appendChild(ul);
      }
      box.appendChild(art);
    });
  }

  function drawRegie() {
    var box = $('regie');
    box.replaceChildren();
    var r = state.plan.regie || {};
    var h = r.holder || { kind: 'household' };
    if (h.kind === 'worker') {
      var p = el('p', 'regie-houder');
      p.appendChild(el('strong', 'naam', h.name || 'Uw hulpverlener'));
      if (h.team) p.appendChild(el('span', 'team', ' van ' + h.team));
      box.appendChild(p);
      var c = h.contact || {};
      if (c.phone || c.email) {
        box.appendChild(el('p', null, 'Zo bereikt u ' + (h.name || 'uw hulpverlener') + ':'));
        var links = el('div', 'contact');
        if (c.phone) {
          var tel = el('a', 'bel', 'Bel ' + c.phone);
          tel.href = 'tel:' + String(c.phone).replace(/[^0-9+]/g, '');
          links.appendChild(tel);
        }
        if (c.email) {
          var mail = el('a', 'mail', 'Mail ' + c.email);
          mail.href = 'mailto:' + c.email;
          links.appendChild(mail);
        }
        box.appendChild(links);
      } else {
        box.appendChild(el('p', null, 'We hebben geen telefoonnummer of e-mailadres. Bel het algemene nummer van het wijkteam.'));
      }
    } else {
      box.appendChild(el('p', 'regie-houder', 'U heeft zelf de regie over uw plan. Het wijkteam helpt als u dat vraagt.'));
    }
    if (r.since) box.appendChild(el('p', 'sinds', 'Sinds ' + when(r.since) + '.'));
    var before = (state.plan.regieHistory || []).filter(function (s) { return s.to; });
    if (before.length > 0) {
      box.appendChild(el('h3', null, 'Wie had eerder de regie'));
      var ul = el('ul', 'lijst eerder');
      before.reverse().forEach(function (s) {
        var who = s.holder && s.holder.kind === 'worker' ? s.holder.name || 'Een hulpverlener' : 'U zelf (uw gezin)';
        ul.appendChild(el('li', null, who + ': van ' + when(s.from) + ' tot ' + when(s.to)));
      });
      box.appendChild(ul);
    }
  }

  function drawAgreement() {
    var plan = state.plan;
    var a = plan.agreement || {};
    var box = $('akkoord');
    box.replaceChildren();
    if (a.agreed) {
      box.appendChild(el('p', 'akkoord-stand', 'Iedereen is akkoord met dit plan' + (a.agreedAt ? ' (' + when(a.agreedAt) + ').' : '.')));
    } else {
      box.appendChild(el('p', 'akkoord-stand', 'Het plan is pas klaar als iedereen akkoord is.'));
    }
    if (a.youAgreed) {
      var mine = el('p', 'jij-akkoord', 'U bent akkoord met dit plan.');
      mine.id = 'jij-akkoord';
      mine.tabIndex = -1;
      box.appendChild(mine);
    }
    var waiting = a.waitingFor || [];
    if (waiting.length > 0) {
      box.appendChild(el('p', null, 'Nog niet akkoord:'));
      var ul = el('ul', 'lijst wachten');
      waiting.forEach(function (w) {
        var name = w.name || 'Iemand uit uw gezin';
        var li = el('li', null, w.memberId === (plan.you || {}).memberId ? name + ' (u)' : name);
        li.dataset.memberId = w.memberId;
        ul.appendChild(li);
      });
      box.appendChild(ul);
    }
    var mayAgree = !a.youAgreed && a.youMayAgree && plan.status !== 'closed';
    show('akkoord-knop', mayAgree);
    var why = '';
    if (!a.youAgreed && !mayAgree && !a.agreed) {
      if (plan.status === 'closed') why = 'Dit plan is afgesloten. U kunt er niet meer akkoord mee gaan.';
      else if ((plan.goals || []).length === 0) why = 'Er staan nog geen doelen in uw plan. Akkoord geven kan als er doelen zijn.';
      else why = 'U kunt niet zelf akkoord geven voor dit plan. Dat doet iemand die voor u mag beslissen, zoals een ouder of voogd als u jonger bent dan 16 jaar. Heeft u vragen? Neem contact op met wie de regie heeft.';
    }
    $('akkoord-uitleg').textContent = why;
    show('akkoord-uitleg', !!why);
  }

  var CONFLICTS = {
    NoCapacity: 'U kunt niet zelf akkoord geven voor dit plan. Iemand die voor u mag beslissen, moet dat doen.',
    PlanEmpty: 'Er staan nog geen doelen in het plan. Akkoord geven kan pas als er doelen zijn.',
    PlanClosed: 'Dit plan is afgesloten. U kunt er niet meer akkoord mee gaan.',
    PlanAlreadyAgreed: 'Iedereen was al akkoord met dit plan.',
    PlanAgreementAlreadyRecorded: 'Uw akkoord was al opgeslagen.',
    ProcessingRestricted: 'Uw dossier is nu op slot. Er kan even niets veranderen. Vraag het wijkteam waarom.'
  };
  function conflictText(p) {
    return CONFLICTS[p.code] || ('Dat lukte niet. ' + (p.detail ? 'De reden: ' + p.detail : 'Probeer het later opnieuw.'));
  }

  async function agree() {
    var button = $('akkoord-knop');
    button.disabled = true;
    fail('');
    try {
      await api('POST', hh('/plan/agreements'), {});
      await loadPlan();
      say('Dank u. Uw akkoord met het plan is opgeslagen.');
      var mine = $('jij-akkoord');
      if (mine) mine.focus();
    } catch (p) {
      if (p.status === 409 || p.status === 403) {
        fail(conflictText(p));
        // The plan changed under the page (closed, agreed by others): show it as it is now.
        await loadPlan().catch(function () { return undefined; });
      } else handle(p);
    } finally {
      button.disabled = false;
    }
  }

  // ---- proposals ----------------------------------------------------------------------------------

  function drawProposals() {
    var ul = $('voorstellen');
    ul.replaceChildren();
    var list = state.plan.proposals || [];
    list.forEach(function (p) {
      var li = el('li');
      li.dataset.proposalId = p.proposalId;
      li.appendChild(el('span', 'wanneer', when(p.proposedAt)));
      li.appendChild(el('span', 'tekst', p.text || '(de tekst is gewist)'));
      if (p.lifeDomain && DOMAINS[p.lifeDomain]) li.appendChild(el('span', 'soort', ' (' + DOMAINS[p.lifeDomain] + ')'));
      ul.appendChild(li);
    });
    show('geen-voorstellen', list.length === 0);
  }

  function fieldError(message) {
    var field = $('voorstel-tekst');
    $('voorstel-fout').textContent = message || '';
    show('voorstel-fout', !!message);
    if (message) {
      field.setAttribute('aria-invalid', 'true');
      field.setAttribute('aria-describedby', 'voorstel-fout voorstel-hint');
    } else {
      field.removeAttribute('aria-invalid');
      field.setAttribute('aria-describedby', 'voorstel-hint');
    }
  }

  async function propose(ev) {
    ev.preventDefault();
    fail('');
    var field = $('voorstel-tekst');
    var text = field.value.trim();
    if (!text) {
      fieldError('Schrijf eerst op wat u wilt bereiken.');
      field.focus();
      return;
    }
    fieldError('');
    var body = { text: text };
    var domain = $('voorstel-onderwerp').value;
    if (domain) body.lifeDomain = domain;
    var button = $('voorstel-knop');
    button.disabled = true;
    try {
      await api('POST', hh('/goal-proposals'), body);
      field.value = '';
      $('voorstel-onderwerp').value = '';
      await loadPlan();
      say('Dank u. Uw voorstel is verstuurd. Het wijkteam bespreekt het met u.');
    } catch (p) {
      if (p.status === 400) {
        fieldError('Dit voorstel kunnen we niet opslaan. Maak de tekst korter of verander hem.');
        field.focus();
      } else if (p.status === 409 || p.status === 403) fail(conflictText(p));
      else handle(p);
    } finally {
      button.disabled = false;
    }
  }

  // ---- who looked at the file -----------------------------------------------------------------------

  function capital(text) { return text.charAt(0).toUpperCase() + text.slice(1); }
  /** The API's Dutch label of who it was (and a worker's name): residents are always given one. */
  function actorText(e) {
    var label = e.actorLabel || 'onbekend';
    return e.actorName ? e.actorName + ' (' + label + ')' : capital(label);
  }
  function whatText(e) {
    var method = String(e.action || '').split(' ')[0];
    if (e.outcome >= 400) return 'Probeerde uw dossier te openen, maar mocht dat niet.';
    return method === 'GET' ? 'Heeft uw dossier bekeken.' : 'Heeft iets in uw dossier veranderd.';
  }

  async function loadAccess(more) {
    try {
      var q = '?limit=20' + (more && state.accessNext ? '&cursor=' + encodeURIComponent(state.accessNext) : '');
      var page = await api('GET', hh('/access-log' + q));
      var ul = $('bekeken');
      if (!more) ul.replaceChildren();
      (page.entries || []).forEach(function (e) {
        var li = el('li');
        if (e.actorId) li.dataset.actorId = e.actorId;
        li.appendChild(el('span', 'wanneer', when(e.at) + (e.count > 1 && e.lastAt ? ' tot ' + when(e.lastAt) + ' (' + e.count + ' keer)' : '')));
        var who = el('span', 'wie');
        who.appendChild(el('strong', null, 'Wie: '));
        who.appendChild(document.createTextNode(actorText(e)));
        li.appendChild(who);
        li.appendChild(el('br'));
        li.appendChild(el('span', 'wat', whatText(e)));
        li.appendChild(el('br'));
        var why = el('span', 'waarom');
        why.appendChild(el('strong', null, 'Waarom: '));
        why.appendChild(document.createTextNode(PURPOSES[e.purpose] || 'dat is niet bekend'));
        li.appendChild(why);
        ul.appendChild(li);
      });
      state.accessNext = page.next || null;
      show('bekeken-meer', !!state.accessNext);
      show('bekeken-leeg', ul.children.length === 0);
    } catch (p) {
      if (p.status === 401) return expired();
      show('bekeken-meer', false);
      $('bekeken').replaceChildren(el('li', null, 'Deze lijst kunnen we nu niet laten zien. Probeer het later opnieuw.'));
    }
  }

  // ---- download ---------------------------------------------------------------------------------------

  async function download() {
    var button = $('download-knop');
    button.disabled = true;
    fail('');
    try {
      var memberId = (state.plan.you || {}).memberId || (state.me || {}).member;
      var data = await api('GET', hh('/members/' + encodeURIComponent(memberId) + '/export'));
      var blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
      var url = URL.createObjectURL(blob);
      var a = document.createElement('a');
      a.href = url;
      a.download = 'mijn-gegevens.json';
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
      say('Uw gegevens staan in het bestand mijn-gegevens.json. Kijk bij uw downloads.');
    } catch (p) {
      if (p.status === 409 || p.status === 403) fail(conflictText(p));
      else handle(p);
    } finally {
      button.disabled = false;
    }
  }

  // ---- loading -------------------------------------------------------------------------------------------

  async function loadPlan() {
    state.plan = await api('GET', hh('/my-plan'));
    drawGoals();
    drawRegie();
    drawAgreement();
    drawProposals();
  }

  async function start() {
    fail('');
    if (!token()) { loggedOut(false); return; }
    screen('laden');
    try {
      state.me = await api('GET', '/v1/me');
      state.householdId = sessionStorage.getItem(HOUSEHOLD) || state.me.household;
      if (!state.householdId) { notFound(); return; }
      await loadPlan();
      var you = (state.plan.you || {}).name;
      $('wie').textContent = you ? 'Ingelogd als ' + you : '';
      show('wie', !!you);
      screen('plan');
      await loadAccess(false);
    } catch (p) {
      // A token for someone this household does not know (403) gets the same words as a 404.
      if (p instanceof Problem && p.status === 403) notFound();
      else if (p instanceof Problem) handle(p);
      else { fail('Er ging iets mis. Probeer het later opnieuw.'); throw p; }
      show('laden', false);
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    var select = $('voorstel-onderwerp');
    Object.keys(DOMAINS).forEach(function (k) {
      var o = el('option', null, DOMAINS[k]);
      o.value = k;
      select.appendChild(o);
    });
    $('akkoord-knop').addEventListener('click', agree);
    $('voorstel-form').addEventListener('submit', propose);
    $('voorstel-tekst').addEventListener('input', function () {
      if ($('voorstel-tekst').value.trim()) fieldError('');
    });
    $('bekeken-meer').addEventListener('click', function () { loadAccess(true); });
    $('download-knop').addEventListener('click', download);
    $('uitloggen').addEventListener('click', function () {
      loggedOut(false);
      say('U bent uitgelogd.');
    });
    takeFragment();
    start();
  });
  // A new hand-over while the page is open (same document, only the fragment changed).
  window.addEventListener('hashchange', function () {
    if (takeFragment()) start();
  });
})();
`;
