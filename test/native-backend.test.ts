/**
 * The native addon must build and load in CI (CI=true); on a user's machine without a
 * compiler it may be absent, and everything runs on the TypeScript backend instead.
 */
import { describe, expect, it } from 'vitest';

describe('native backend', () => {
  it('loads in CI, or says why not elsewhere', async () => {
    const specifier = '@recurrent/native';
    const native = (await import(/* @vite-ignore */ specifier)) as { loadNativeBackend(): { backend: unknown; reason: string | null; isa?: string } };
    const loaded = native.loadNativeBackend();
    console.log(loaded.backend ? `native backend loaded (${loaded.isa})` : `native backend unavailable: ${loaded.reason}`);
    if (process.env.CI) expect(loaded.reason, 'the addon must build in CI').toBeNull();
    if (!loaded.backend) expect(loaded.reason).toMatch(/\w/);
  });
});
