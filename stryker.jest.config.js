// The unit tests of libs/domain alone, for StrykerJS (stryker.config.mjs): jest.config.js probes
// PostgreSQL and KurrentDB and lists every tier, which each mutant run would repeat.
const { projects } = require('./jest.config.js');

const unit = projects.find((project) => project.displayName === 'unit');
module.exports = { ...unit, testMatch: ['<rootDir>/libs/domain/test/**/*.unit.spec.ts'] };
