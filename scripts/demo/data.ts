/**
 * The demo data of `npm run demo`: three neighbourhood teams of the fictional town of Weidestad,
 * their workers, six households with plans, regie handovers (accepted, declined, one pending),
 * volunteers with assignments, a closed plan and a reopened one. Every person is fictional: the
 * surnames say so (Voorbeeld, Proefstra, Testerink: "example", "trial", "test"), and every id
 * starts with `demo-`, so the data never collides with real records.
 *
 * Each step is one request as a client would send it; ids are fixed, so a step is the same request
 * on every run and its Idempotency-Key (derived from it) makes a repeat write nothing.
 */
import type { Role } from '@eenplan/security/principal';

export interface DemoActor {
  readonly id: string;
  readonly roles: readonly Role[];
  readonly teams: readonly string[];
}

export interface DemoStep {
  /** Who sends it (a key of DEMO_ACTORS). */
  readonly as: DemoActorName;
  readonly path: string;
  readonly body?: Record<string, unknown>;
  /** What it adds, in the summary ("teams", "households", ...). */
  readonly counts: string;
  /** POST unless named (PUT for the authority over a child). */
  readonly method?: 'PUT';
}

const admin = { id: 'demo-admin', roles: ['admin'], teams: [] } as const;
const worker = (id: string, team: string) => ({ id, roles: ['worker'], teams: [team] }) as const;
const lead = (id: string, team: string) => ({ id, roles: ['worker', 'team-lead'], teams: [team] }) as const;

export const DEMO_ACTORS = {
  admin,
  // Wijkteam Noord
  ineke: lead('demo-w-ineke', 'demo-team-noord'),
  youssef: worker('demo-w-youssef', 'demo-team-noord'),
  lotte: worker('demo-w-lotte', 'demo-team-noord'),
  priya: worker('demo-w-priya', 'demo-team-noord'),
  // Wijkteam Oost
  marco: lead('demo-w-marco', 'demo-team-oost'),
  sanne: worker('demo-w-sanne', 'demo-team-oost'),
  daan: worker('demo-w-daan', 'demo-team-oost'),
  // Wijkteam Zuid
  anouk: lead('demo-w-anouk', 'demo-team-zuid'),
  bram: worker('demo-w-bram', 'demo-team-zuid'),
  esra: worker('demo-w-esra', 'demo-team-zuid'),
} satisfies Record<string, DemoActor>;
export type DemoActorName = keyof typeof DEMO_ACTORS;

const team = (teamId: string, name: string, district: string): DemoStep => ({
  as: 'admin',
  path: '/v1/teams',
  body: { teamId, name, districts: [district] },
  counts: 'teams',
});

const joins = (
  actor: DemoActorName,
  name: string,
  role: 'team-lead' | 'generalist' | 'family-worker' | 'specialist',
  hoursPerWeek: number,
): DemoStep => ({
  as: 'admin',
  path: `/v1/teams/${DEMO_ACTORS[actor].teams[0]}/workers`,
  body: { workerId: DEMO_ACTORS[actor].id, name, role, hoursPerWeek },
  counts: 'workers',
});

const volunteer = (
  as: DemoActorName,
  volunteerId: string,
  name: string,
  skills: string[],
  hoursPerWeek: number,
): DemoStep => ({
  as,
  path: '/v1/volunteers',
  // A fixed date, not one computed from today: the request must be the same on every run.
  body: { volunteerId, name, skills, hoursPerWeek, vogValidUntil: '2031-06-30' },
  counts: 'volunteers',
});

interface Member {
  readonly memberId: string;
  readonly role: 'parent' | 'child' | 'adult';
  readonly birthYear: number;
  readonly name: string;
}

const household = (
  as: DemoActorName,
  householdId: string,
  district: string,
  members: Member[],
  regieWorker?: DemoActorName,
): DemoStep => ({
  as,
  path: '/v1/households',
  body: {
    householdId,
    teamId: DEMO_ACTORS[as].teams[0],
    district,
    members,
    ...(regieWorker ? { regie: { workerId: DEMO_ACTORS[regieWorker].id } } : {}),
  },
  counts: 'households',
});

const on = (householdId: string, rest: string) => `/v1/households/${householdId}${rest}`;

const goal = (
  as: DemoActorName,
  hh: string,
  goalId: string,
  lifeDomain: string,
  description: string,
): DemoStep => ({
  as,
  path: on(hh, '/goals'),
  body: { goalId, lifeDomain, description },
  counts: 'goals',
});

const action = (
  as: DemoActorName,
  hh: string,
  actionId: string,
  goalId: string,
  description: string,
  owner: { kind: string; id?: string },
): DemoStep => ({
  as,
  path: on(hh, '/actions'),
  body: { actionId, goalId, description, owner },
  counts: 'actions',
});

const step = (as: DemoActorName, path: string, counts: string, body?: Record<string, unknown>): DemoStep => ({
  as,
  path,
  counts,
  ...(body ? { body } : {}),
});

/**
 * Who holds parental authority over a child (issue 18): without it nobody has capacity to agree to
 * the plan for a child under 16 (docs/PERSONS.md).
 */
const authority = (as: DemoActorName, hh: string, childId: string, holderIds: string[]): DemoStep => ({
  as,
  method: 'PUT',
  path: on(hh, `/members/${childId}/authority`),
  body: { holders: holderIds.map((memberId) => ({ memberId })) },
  counts: 'authority recorded',
});

const HH = {
  voorbeeld: 'demo-hh-voorbeeld',
  proefstra: 'demo-hh-proefstra',
  testerink: 'demo-hh-testerink',
  demooij: 'demo-hh-demooij',
  oefenaar: 'demo-hh-oefenaar',
  nepveu: 'demo-hh-nepveu',
} as const;

/** The households the demo registers, by name: the test and the summary read them. */
export const DEMO_HOUSEHOLDS = HH;

export const DEMO_STEPS: readonly DemoStep[] = [
  // --- teams and their workers
  team('demo-team-noord', 'Wijkteam Weidestad-Noord', 'weidestad-noord'),
  team('demo-team-oost', 'Wijkteam Weidestad-Oost', 'weidestad-oost'),
  team('demo-team-zuid', 'Wijkteam Weidestad-Zuid', 'weidestad-zuid'),
  joins('ineke', 'Ineke Voorbeeldt', 'team-lead', 32),
  joins('youssef', 'Youssef El Proefi', 'generalist', 36),
  joins('lotte', 'Lotte de Testere', 'generalist', 28),
  joins('priya', 'Priya Oefenram', 'family-worker', 24),
  joins('marco', 'Marco van Demodijk', 'team-lead', 36),
  joins('sanne', 'Sanne Fictiema', 'generalist', 32),
  joins('daan', 'Daan Verzinga', 'specialist', 24),
  joins('anouk', 'Anouk Schetsema', 'team-lead', 32),
  joins('bram', 'Bram Proeftuin', 'generalist', 36),
  joins('esra', 'Esra Oefenoglu', 'generalist', 32),

  // --- volunteers (a team lead records the VOG date)
  volunteer('ineke', 'demo-vol-henk', 'Henk Probeerman', ['administratie', 'taalmaatje'], 6),
  volunteer('marco', 'demo-vol-truus', 'Truus Nepmans', ['boodschappen', 'gezelschap'], 4),
  volunteer('anouk', 'demo-vol-ahmed', 'Ahmed Testouri', ['huiswerkbegeleiding'], 5),

  // --- Voorbeeld (Noord): a parent and two children; the household held regie, then asked for a
  // worker (Lotte requests it on their behalf, Youssef accepts); a neighbour and a volunteer help.
  household('lotte', HH.voorbeeld, 'weidestad-noord', [
    { memberId: 'demo-m-sanne', role: 'parent', birthYear: 1986, name: 'Sanne Voorbeeld' },
    { memberId: 'demo-m-noah', role: 'child', birthYear: 2014, name: 'Noah Voorbeeld' },
    { memberId: 'demo-m-mila', role: 'child', birthYear: 2017, name: 'Mila Voorbeeld' },
  ]),
  step('lotte', on(HH.voorbeeld, '/network'), 'network members', {
    networkMemberId: 'demo-n-els',
    role: 'neighbour',
    name: 'Els van de Overkant',
  }),
  goal(
    'lotte',
    HH.voorbeeld,
    'demo-g-vb-geld',
    'finances',
    'De schulden in beeld en een betalingsregeling die past',
  ),
  goal(
    'lotte',
    HH.voorbeeld,
    'demo-g-vb-school',
    'work-and-education',
    'Noah gaat weer elke dag naar school',
  ),
  action('lotte', HH.voorbeeld, 'demo-a-vb-post', 'demo-g-vb-geld', 'Alle post en rekeningen in één map', {
    kind: 'household',
  }),
  action('lotte', HH.voorbeeld, 'demo-a-vb-buur', 'demo-g-vb-geld', 'Op dinsdag samen de post openen', {
    kind: 'network',
    id: 'demo-n-els',
  }),
  action('lotte', HH.voorbeeld, 'demo-a-vb-shv', 'demo-g-vb-geld', 'Aanmelden bij de schuldhulpverlening', {
    kind: 'worker',
    id: 'demo-w-lotte',
  }),
  action(
    'lotte',
    HH.voorbeeld,
    'demo-a-vb-mentor',
    'demo-g-vb-school',
    'Gesprek met de mentor over verzuim',
    {
      kind: 'household',
    },
  ),
  authority('lotte', HH.voorbeeld, 'demo-m-noah', ['demo-m-sanne']),
  authority('lotte', HH.voorbeeld, 'demo-m-mila', ['demo-m-sanne']),
  step('lotte', on(HH.voorbeeld, '/plan/agreements'), 'plan agreements', { memberId: 'demo-m-sanne' }),
  step('lotte', on(HH.voorbeeld, '/regie/transfers'), 'regie transfers requested', {
    transferId: 'demo-tr-vb-1',
    to: { kind: 'worker', id: 'demo-w-youssef' },
    reason: 'Sanne vraagt om een vaste regisseur nu de schulden oplopen',
    handoverNotes: 'Post ligt op tafel; buurvrouw Els helpt graag mee',
    agreedBy: 'demo-m-sanne',
  }),
  step('youssef', on(HH.voorbeeld, '/regie/transfers/demo-tr-vb-1/accept'), 'regie transfers accepted'),
  step('youssef', on(HH.voorbeeld, '/volunteer-assignments'), 'volunteer assignments', {
    assignmentId: 'demo-as-vb-henk',
    volunteerId: 'demo-vol-henk',
    actionId: 'demo-a-vb-post',
    hoursPerWeek: 2,
  }),
  step('youssef', on(HH.voorbeeld, '/actions/demo-a-vb-post/complete'), 'actions completed'),

  // --- Proefstra (Noord): two adults, Lotte holds regie; her request to hand it to Priya is
  // declined, and Youssef accepts the next one.
  household(
    'lotte',
    HH.proefstra,
    'weidestad-noord',
    [
      { memberId: 'demo-m-karin', role: 'adult', birthYear: 1961, name: 'Karin Proefstra' },
      { memberId: 'demo-m-jan', role: 'adult', birthYear: 1958, name: 'Jan Proefstra' },
    ],
    'lotte',
  ),
  goal(
    'lotte',
    HH.proefstra,
    'demo-g-pf-net',
    'social-network',
    'Jan komt weer buiten en ziet wekelijks mensen',
  ),
  goal(
    'lotte',
    HH.proefstra,
    'demo-g-pf-psy',
    'mental-health',
    'Karin heeft een vaste plek voor haar zorgen',
  ),
  action(
    'lotte',
    HH.proefstra,
    'demo-a-pf-soos',
    'demo-g-pf-net',
    'Kennismaken bij de buurtsoos op donderdag',
    {
      kind: 'household',
    },
  ),
  action('lotte', HH.proefstra, 'demo-a-pf-poh', 'demo-g-pf-psy', 'Afspraak bij de praktijkondersteuner', {
    kind: 'worker',
    id: 'demo-w-lotte',
  }),
  step('lotte', on(HH.proefstra, '/plan/agreements'), 'plan agreements', { memberId: 'demo-m-karin' }),
  step('lotte', on(HH.proefstra, '/plan/agreements'), 'plan agreements', { memberId: 'demo-m-jan' }),
  step('lotte', on(HH.proefstra, '/regie/transfers'), 'regie transfers requested', {
    transferId: 'demo-tr-pf-1',
    to: { kind: 'worker', id: 'demo-w-priya' },
    reason: 'Lotte gaat met verlof',
  }),
  step('priya', on(HH.proefstra, '/regie/transfers/demo-tr-pf-1/decline'), 'regie transfers declined', {
    reason: 'Geen ruimte in mijn caseload tot na de zomer',
  }),
  step('lotte', on(HH.proefstra, '/regie/transfers'), 'regie transfers requested', {
    transferId: 'demo-tr-pf-2',
    to: { kind: 'worker', id: 'demo-w-youssef' },
    reason: 'Lotte gaat met verlof',
    handoverNotes: 'Jan is terughoudend; eerst bellen, dan langsgaan',
  }),
  step('youssef', on(HH.proefstra, '/regie/transfers/demo-tr-pf-2/accept'), 'regie transfers accepted'),

  // --- Testerink (Oost): housing sorted out, the plan closed.
  household(
    'sanne',
    HH.testerink,
    'weidestad-oost',
    [
      { memberId: 'demo-m-fatima', role: 'parent', birthYear: 1990, name: 'Fatima Testerink' },
      { memberId: 'demo-m-sem', role: 'child', birthYear: 2019, name: 'Sem Testerink' },
    ],
    'sanne',
  ),
  goal('sanne', HH.testerink, 'demo-g-te-huis', 'housing', 'Een betaalbare woning zonder huurachterstand'),
  action('sanne', HH.testerink, 'demo-a-te-urgentie', 'demo-g-te-huis', 'Urgentieaanvraag indienen', {
    kind: 'worker',
    id: 'demo-w-sanne',
  }),
  action(
    'sanne',
    HH.testerink,
    'demo-a-te-regeling',
    'demo-g-te-huis',
    'Betalingsregeling met de verhuurder',
    {
      kind: 'household',
    },
  ),
  authority('sanne', HH.testerink, 'demo-m-sem', ['demo-m-fatima']),
  step('sanne', on(HH.testerink, '/plan/agreements'), 'plan agreements', { memberId: 'demo-m-fatima' }),
  step('sanne', on(HH.testerink, '/actions/demo-a-te-urgentie/complete'), 'actions completed'),
  step('sanne', on(HH.testerink, '/actions/demo-a-te-regeling/complete'), 'actions completed'),
  step('sanne', on(HH.testerink, '/close'), 'plans closed', {
    outcome: 'Woning gevonden en huurachterstand afgelost; het gezin redt zich weer',
    reason: 'goals-achieved',
    goals: [{ goalId: 'demo-g-te-huis', realisation: 'achieved' }],
  }),

  // --- Demooij (Oost): closed once, reopened after a setback, regie back with Daan.
  household(
    'daan',
    HH.demooij,
    'weidestad-oost',
    [{ memberId: 'demo-m-willem', role: 'adult', birthYear: 1975, name: 'Willem Demooij' }],
    'daan',
  ),
  goal('daan', HH.demooij, 'demo-g-dm-werk', 'work-and-education', 'Willem vindt werk dat bij hem past'),
  action('daan', HH.demooij, 'demo-a-dm-cv', 'demo-g-dm-werk', 'Cv bijwerken met het werkcentrum', {
    kind: 'household',
  }),
  step('daan', on(HH.demooij, '/plan/agreements'), 'plan agreements', { memberId: 'demo-m-willem' }),
  step('daan', on(HH.demooij, '/actions/demo-a-dm-cv/complete'), 'actions completed'),
  step('daan', on(HH.demooij, '/close'), 'plans closed', {
    outcome: 'Vaste baan bij de groenvoorziening',
    reason: 'continues-without-help',
    goals: [{ goalId: 'demo-g-dm-werk', realisation: 'achieved' }],
  }),
  step('daan', on(HH.demooij, '/reopen'), 'plans reopened', {
    reason: 'Baan verloren na een reorganisatie; Willem vraagt opnieuw om hulp',
  }),
  goal('daan', HH.demooij, 'demo-g-dm-geld', 'finances', 'Inkomen op orde tijdens het zoeken naar werk'),
  action('daan', HH.demooij, 'demo-a-dm-uitkering', 'demo-g-dm-geld', 'Uitkering aanvragen', {
    kind: 'household',
  }),
  step('daan', on(HH.demooij, '/regie/transfers'), 'regie transfers requested', {
    transferId: 'demo-tr-dm-1',
    to: { kind: 'worker', id: 'demo-w-daan' },
    reason: 'Willem wil dezelfde regisseur als de vorige keer',
    agreedBy: 'demo-m-willem',
  }),
  step('marco', on(HH.demooij, '/regie/transfers/demo-tr-dm-1/accept'), 'regie transfers accepted'),

  // --- Oefenaar (Zuid): a family of four, Bram holds regie, a handover to Esra still pending;
  // a volunteer helps with homework.
  household(
    'bram',
    HH.oefenaar,
    'weidestad-zuid',
    [
      { memberId: 'demo-m-mohammed', role: 'parent', birthYear: 1982, name: 'Mohammed Oefenaar' },
      { memberId: 'demo-m-yasmina', role: 'parent', birthYear: 1984, name: 'Yasmina Oefenaar' },
      { memberId: 'demo-m-ilias', role: 'child', birthYear: 2010, name: 'Ilias Oefenaar' },
      { memberId: 'demo-m-nora', role: 'child', birthYear: 2012, name: 'Nora Oefenaar' },
    ],
    'bram',
  ),
  goal('bram', HH.oefenaar, 'demo-g-oe-school', 'work-and-education', 'Ilias haalt zijn diploma'),
  goal('bram', HH.oefenaar, 'demo-g-oe-thuis', 'domestic-relations', 'Minder ruzie over geld en schermtijd'),
  step('bram', on(HH.oefenaar, '/volunteer-assignments'), 'volunteer assignments', {
    assignmentId: 'demo-as-oe-ahmed',
    volunteerId: 'demo-vol-ahmed',
    hoursPerWeek: 2,
  }),
  action('bram', HH.oefenaar, 'demo-a-oe-huiswerk', 'demo-g-oe-school', 'Twee middagen huiswerkbegeleiding', {
    kind: 'volunteer',
    id: 'demo-as-oe-ahmed',
  }),
  action(
    'bram',
    HH.oefenaar,
    'demo-a-oe-gesprek',
    'demo-g-oe-thuis',
    'Gezinsgesprek met afspraken op papier',
    {
      kind: 'worker',
      id: 'demo-w-bram',
    },
  ),
  authority('bram', HH.oefenaar, 'demo-m-ilias', ['demo-m-mohammed', 'demo-m-yasmina']),
  authority('bram', HH.oefenaar, 'demo-m-nora', ['demo-m-mohammed', 'demo-m-yasmina']),
  // Ilias and Nora are 12 to 15: they agree themselves, with a parent (docs/PERSONS.md).
  step('bram', on(HH.oefenaar, '/plan/agreements'), 'plan agreements', { memberId: 'demo-m-yasmina' }),
  step('bram', on(HH.oefenaar, '/plan/agreements'), 'plan agreements', { memberId: 'demo-m-mohammed' }),
  step('bram', on(HH.oefenaar, '/plan/agreements'), 'plan agreements', { memberId: 'demo-m-ilias' }),
  step('bram', on(HH.oefenaar, '/plan/agreements'), 'plan agreements', { memberId: 'demo-m-nora' }),
  step('bram', on(HH.oefenaar, '/regie/transfers'), 'regie transfers requested', {
    transferId: 'demo-tr-oe-1',
    to: { kind: 'worker', id: 'demo-w-esra' },
    reason: 'Esra spreekt ook Arabisch en kent de school van Nora',
    handoverNotes: 'Vader werkt in ploegendienst: afspraken na 16 uur',
  }),

  // --- Nepveu (Zuid): eigen regie, a plan the household made with Esra, a volunteer for company.
  household('esra', HH.nepveu, 'weidestad-zuid', [
    { memberId: 'demo-m-gerda', role: 'adult', birthYear: 1948, name: 'Gerda Nepveu' },
  ]),
  step('esra', on(HH.nepveu, '/network'), 'network members', {
    networkMemberId: 'demo-n-kees',
    role: 'family',
    name: 'Kees Nepveu',
  }),
  goal('esra', HH.nepveu, 'demo-g-ne-adl', 'instrumental-adl', 'Gerda doet haar boodschappen weer zelf'),
  action(
    'esra',
    HH.nepveu,
    'demo-a-ne-zoon',
    'demo-g-ne-adl',
    'Zoon Kees rijdt op zaterdag mee naar de markt',
    {
      kind: 'network',
      id: 'demo-n-kees',
    },
  ),
  step('esra', on(HH.nepveu, '/volunteer-assignments'), 'volunteer assignments', {
    assignmentId: 'demo-as-ne-truus',
    volunteerId: 'demo-vol-truus',
    hoursPerWeek: 2,
  }),
  step('esra', on(HH.nepveu, '/plan/agreements'), 'plan agreements', { memberId: 'demo-m-gerda' }),
];
