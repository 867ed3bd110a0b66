// Setup for the `e2e-kurrentdb` jest project: the same e2e files, with startTestApp putting the
// events on KurrentDB (KURRENTDB_URL, a namespace per app) and the read models on a fresh database
// of the PostgreSQL server.
process.env.EENPLAN_E2E_STORE = 'kurrentdb';
