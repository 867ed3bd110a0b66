import { version } from '../../../../package.json';

/** The full semver of the API (NL API Design Rules, API-57): package.json's version. */
export const API_VERSION: string = version;
