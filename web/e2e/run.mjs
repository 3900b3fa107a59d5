// Runs the end-to-end suite: builds steward once (unless STEWARD_BIN names a binary), then the
// test files one at a time, which keeps one browser and one server busy on a small machine.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const here = import.meta.dirname;
let dir;
if (!process.env.STEWARD_BIN) {
  dir = mkdtempSync(join(tmpdir(), 'steward-e2e-bin-'));
  process.env.STEWARD_BIN = join(dir, 'steward');
  execFileSync('go', ['build', '-o', process.env.STEWARD_BIN, './cmd/steward'], { cwd: join(here, '..', '..'), stdio: 'inherit' });
}
const files = readdirSync(here).filter((f) => f.endsWith('.test.mjs')).map((f) => join(here, f));
const res = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...process.argv.slice(2), ...files], { stdio: 'inherit' });
if (dir) rmSync(dir, { recursive: true, force: true });
process.exit(res.status ?? 1);
