/**
 * The page's HTML: every section is there from the start, hidden until the script has what it
 * shows, so the headings' order and the landmarks never depend on the data. B1 Dutch.
 */
export const MIJN_PLAN_HTML = `<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mijn plan</title>
<link rel="icon" href="/mijn-plan/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/mijn-plan/mijn-plan.css">
<script src="/mijn-plan/mijn-plan.js" defer></script>
</head>
<body>
<a id="skip" class="skip" href="#inhoud">Direct naar de inhoud</a>
<header class="kop">
  <div class="smal">
    <h1>Mijn plan</h1>
    <p id="wie" hidden></p>
  </div>
</header>

<main id="inhoud" tabindex="-1" class="smal">
  <div id="resultaat" class="resultaat" role="status" aria-live="polite"></div>
  <div id="fout" class="fout" role="alert" hidden></div>

  <p id="laden">Even geduld. Uw plan wordt geladen.</p>

  <section id="inloggen" aria-labelledby="inloggen-kop" hidden>
    <h2 id="inloggen-kop">Log in via de gemeente</h2>
    <p id="verlopen" class="let-op" hidden>Uw sessie is verlopen, log opnieuw in.</p>
    <p>Op deze pagina ziet u uw plan. Het plan heeft u samen met het wijkteam gemaakt.</p>
    <p>Om uw plan te zien, logt u eerst in op de website van de gemeente. Dat doet u met DigiD.
      Daarna komt u vanzelf weer op deze pagina.</p>
    <p>Lukt het niet? Bel dan het wijkteam. U vindt het nummer op de website van de gemeente.</p>
  </section>

  <section id="niet-gevonden" aria-labelledby="niet-gevonden-kop" hidden>
    <h2 id="niet-gevonden-kop">We vinden dit plan niet</h2>
    <p>Misschien klopt de link niet. Of u hoort niet bij dit gezin.</p>
    <p>Log opnieuw in via de website van de gemeente. Lukt het dan nog niet? Bel het wijkteam.</p>
  </section>

  <div id="plan" hidden>
    <nav aria-label="Op deze pagina">
      <ul class="inhoud-lijst">
        <li><a href="#doelen-kop">Doelen en wie wat doet</a></li>
        <li><a href="#regie-kop">Wie heeft de regie</a></li>
        <li><a href="#akkoord-kop">Akkoord met het plan</a></li>
        <li><a href="#voorstel-kop">Een doel voorstellen</a></li>
        <li><a href="#bekeken-kop">Wie heeft mijn dossier bekeken</a></li>
        <li><a href="#gegevens-kop">Mijn gegevens downloaden</a></li>
      </ul>
    </nav>

    <section aria-labelledby="doelen-kop">
      <h2 id="doelen-kop" tabindex="-1">Doelen en wie wat doet</h2>
      <p id="plan-uitleg"></p>
      <div id="doelen"></div>
    </section>

    <section aria-labelledby="regie-kop">
      <h2 id="regie-kop" tabindex="-1">Wie heeft de regie</h2>
      <p class="uitleg">Wie de regie heeft, houdt het overzicht over uw plan. Met vragen kunt u bij deze persoon terecht.</p>
      <div id="regie"></div>
    </section>

    <section aria-labelledby="akkoord-kop">
      <h2 id="akkoord-kop" tabindex="-1">Akkoord met het plan</h2>
      <div id="akkoord"></div>
      <p id="akkoord-uitleg" hidden></p>
      <button id="akkoord-knop" type="button" class="knop" hidden>Ik ga akkoord met het plan</button>
    </section>

    <section aria-labelledby="voorstel-kop">
      <h2 id="voorstel-kop" tabindex="-1">Een doel voorstellen</h2>
      <p class="uitleg">Wilt u iets anders bereiken? Schrijf het hier op. Het wijkteam bespreekt het met u.</p>
      <form id="voorstel-form" novalidate>
        <div class="veld">
          <label for="voorstel-tekst">Wat wilt u bereiken?</label>
          <p id="voorstel-hint" class="hint">Bijvoorbeeld: ik wil een baan vinden.</p>
          <p id="voorstel-fout" class="veld-fout" hidden></p>
          <textarea id="voorstel-tekst" name="text" rows="4" maxlength="2000"
            aria-describedby="voorstel-hint"></textarea>
        </div>
        <div class="veld">
          <label for="voorstel-onderwerp">Over welk onderwerp gaat het? (niet verplicht)</label>
          <select id="voorstel-onderwerp" name="lifeDomain">
            <option value="">Weet ik niet</option>
          </select>
        </div>
        <button id="voorstel-knop" type="submit" class="knop">Doel voorstellen</button>
      </form>
      <h3>Uw voorstellen</h3>
      <ul id="voorstellen" class="lijst"></ul>
      <p id="geen-voorstellen" hidden>U heeft nog geen doel voorgesteld.</p>
    </section>

    <section aria-labelledby="bekeken-kop">
      <h2 id="bekeken-kop" tabindex="-1">Wie heeft mijn dossier bekeken</h2>
      <p class="uitleg">Hier ziet u wie uw dossier heeft bekeken of veranderd, wanneer en waarom. De tijden zijn Nederlandse tijd.</p>
      <ul id="bekeken" class="lijst"></ul>
      <p id="bekeken-leeg" hidden>Nog niemand heeft uw dossier bekeken.</p>
      <button id="bekeken-meer" type="button" class="knop knop-licht" hidden>Meer laten zien</button>
    </section>

    <section aria-labelledby="gegevens-kop">
      <h2 id="gegevens-kop" tabindex="-1">Mijn gegevens downloaden</h2>
      <p class="uitleg">U mag alle gegevens hebben die wij over u bewaren. U krijgt een bestand dat u kunt bewaren of aan iemand kunt laten zien.</p>
      <button id="download-knop" type="button" class="knop">Download mijn gegevens</button>
    </section>
  </div>
</main>

<footer class="voet">
  <div class="smal">
    <button id="uitloggen" type="button" class="knop knop-licht" hidden>Uitloggen</button>
  </div>
</footer>
</body>
</html>
`;

/** A small icon, so the browser's request for one gets an answer from this origin. */
export const MIJN_PLAN_ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0b5cad"/><path d="M9 17l5 5 9-11" fill="none" stroke="#fff" stroke-width="3"/></svg>`;
