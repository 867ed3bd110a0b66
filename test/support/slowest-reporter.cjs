// Prints the slowest test files after a run (and writes every file's duration to
// test-output/durations.json), so the time `.ci/run` spends can be read off its log instead of guessed.
const { mkdirSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');

class SlowestReporter {
  constructor(globalConfig, options = {}) {
    this.rootDir = globalConfig.rootDir;
    this.top = options.top ?? 15;
  }

  onRunComplete(_contexts, results) {
    const files = results.testResults
      .map((r) => ({
        file: relative(this.rootDir, r.testFilePath),
        project: r.displayName?.name ?? '',
        seconds: Math.round((r.perfStats.end - r.perfStats.start) / 100) / 10,
        tests: r.numPassingTests + r.numFailingTests + r.numPendingTests,
      }))
      .sort((a, b) => b.seconds - a.seconds);
    if (files.length < 2) return;
    const dir = join(this.rootDir, 'test-output');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'durations.json'), JSON.stringify(files, null, 2) + '\n');
    const total = files.reduce((s, f) => s + f.seconds, 0);
    const lines = files
      .slice(0, this.top)
      .map(
        (f) =>
          `  ${f.seconds.toFixed(1).padStart(7)} s  ${f.project.padEnd(13)} ${f.file} (${f.tests} tests)`,
      );
    process.stdout.write(
      `\nThe ${Math.min(this.top, files.length)} slowest of ${files.length} test files ` +
        `(${Math.round(total)} s of file time in all; test-output/durations.json has every file):\n${lines.join('\n')}\n`,
    );
  }
}

module.exports = SlowestReporter;
