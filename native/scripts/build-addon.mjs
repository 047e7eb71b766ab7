#!/usr/bin/env node
// Builds the addon with cmake-js, offline, against the running Node's own headers.
//
//   node scripts/build-addon.mjs [--optional] [--if-missing] [--rebuild] [--debug] [-- <cmake-js args>]
//
// --optional    a failed build (no compiler, no cmake) prints one line and exits 0, so
//               `npm install` never fails because of the addon; RECURRENT_REQUIRE_NATIVE=1 turns
//               this off (CI uses it: there the addon must build).
// --if-missing  do nothing when build/Release/recurrent_native.node exists.
// --rebuild     clean build (cmake-js rebuild) instead of an incremental compile.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const sep = argv.indexOf('--');
const flags = new Set(sep < 0 ? argv : argv.slice(0, sep));
const extra = sep < 0 ? [] : argv.slice(sep + 1);
// Checked here like @recurrent/core's readEnvChoice (same message), which this script cannot
// import: it runs at `npm install`, before @recurrent/core is built.
const requireNative = process.env.RECURRENT_REQUIRE_NATIVE ?? '';
if (!['', '0', '1'].includes(requireNative)) {
  console.error(`@recurrent/native: RECURRENT_REQUIRE_NATIVE='${requireNative}' is not accepted; expected one of 0, 1`);
  process.exit(1);
}
const optional = flags.has('--optional') && requireNative !== '1';
const binary = join(root, 'build', 'Release', 'recurrent_native.node');

if (flags.has('--if-missing') && existsSync(binary)) process.exit(0);

function fail(reason, log) {
  if (log) {
    mkdirSync(join(root, 'build'), { recursive: true });
    writeFileSync(join(root, 'build', 'build-addon.log'), log);
  }
  const where = log ? ` (log: ${join(root, 'build', 'build-addon.log')})` : '';
  if (optional) {
    console.log(`@recurrent/native: addon not built, the TypeScript backend will be used: ${reason}${where}`);
    process.exit(0);
  }
  console.error(`@recurrent/native: addon build failed: ${reason}${where}`);
  process.exit(1);
}

let cmakeJsBin;
try {
  cmakeJsBin = createRequire(join(root, 'package.json')).resolve('cmake-js/bin/cmake-js');
} catch {
  fail('cmake-js is not installed');
}

// cmake-js reads Node's headers from npm_config_nodedir; without it, it would download them.
// Point it at the headers that ship beside this Node (<prefix>/include/node) when present.
const env = { ...process.env };
if (!env.npm_config_nodedir) {
  const prefix = resolve(dirname(process.execPath), '..');
  if (existsSync(join(prefix, 'include', 'node', 'node_api.h'))) env.npm_config_nodedir = prefix;
}

const which = spawnSync('cmake', ['--version'], { encoding: 'utf8' });
if (which.error || which.status !== 0) fail('cmake was not found on PATH (install cmake >= 3.15 and a C++17 compiler)');

const quiet = optional; // under npm install, keep the compiler's output in a log unless asked
function cmakeJs(command) {
  const args = [cmakeJsBin, command, '--directory', root, ...(flags.has('--debug') ? ['--debug'] : []), ...extra];
  return spawnSync(process.execPath, args, { cwd: root, env, encoding: 'utf8', stdio: quiet ? 'pipe' : 'inherit' });
}
let command = flags.has('--rebuild') ? 'rebuild' : 'compile';
let run = cmakeJs(command);
if (!run.error && run.status !== 0 && command === 'compile') {
  // A stale build folder (cmake cache from another checkout path, another compiler) fails an
  // incremental compile; a clean rebuild fixes that.
  command = 'rebuild';
  run = cmakeJs(command);
}
if (run.error) fail(run.error.message);
if (run.status !== 0) fail(`cmake-js ${command} exited with ${run.status}`, quiet ? `${run.stdout}\n${run.stderr}` : undefined);
const customOut = extra.some((a) => a === '--out' || a === '-O' || a.startsWith('--out='));
if (!customOut && !existsSync(binary)) fail(`the build finished but ${binary} is missing`);
if (quiet) console.log(`@recurrent/native: built ${binary}`);
