// Setup for the `e2e-postgres` jest project: the same e2e files, with startTestApp putting the app
// on a fresh database of the PostgreSQL server instead of PGlite.
process.env.EENPLAN_E2E_STORE = 'postgres';
