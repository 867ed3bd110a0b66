/** The 13 life domains of the ZRM 2017 (zelfredzaamheidsmatrix). */
export const LIFE_DOMAINS = [
  'finances',
  'work-and-education',
  'time-use',
  'housing',
  'domestic-relations',
  'mental-health',
  'physical-health',
  'substance-use',
  'basic-adl',
  'instrumental-adl',
  'social-network',
  'community-participation',
  'justice',
] as const;
export type LifeDomain = (typeof LIFE_DOMAINS)[number];

export const WORKER_ROLES = [
  'generalist',
  'specialist',
  'family-worker',
  'personal-supporter',
  'team-lead',
] as const;
export type WorkerRole = (typeof WORKER_ROLES)[number];

export const MEMBER_ROLES = ['parent', 'child', 'adult'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export const ACTION_OWNER_KINDS = ['household', 'network', 'volunteer', 'worker', 'organisation'] as const;
export type ActionOwnerKind = (typeof ACTION_OWNER_KINDS)[number];
