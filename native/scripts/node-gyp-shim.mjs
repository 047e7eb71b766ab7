#!/usr/bin/env node
// prebuildify drives node-gyp (`<node-gyp> rebuild --target=… --release`); this stands in for it
// and builds with cmake-js instead. Used by `npm run prebuild` (prebuildify --node-gyp <this>).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const debug = process.argv.includes('--debug');
const run = spawnSync(process.execPath, [join(here, 'build-addon.mjs'), '--rebuild', ...(debug ? ['--debug'] : [])], {
  stdio: 'inherit',
  env: { ...process.env, RECURRENT_REQUIRE_NATIVE: '1' },
});
process.exit(run.status ?? 1);
