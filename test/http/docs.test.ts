import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorCatalogue } from '../../src/errors.ts';
import { repoRoot } from '../../src/paths.ts';
import { DEMO_USERS } from '../../src/seed/demo-users.ts';

/** The docs list what the code has: error codes (docs/api.md) and demo users (docs/demo-users.md). */
describe('docs in step with the code', () => {
  it('docs/api.md lists every error code with its status and summary, and no other', () => {
    const text = readFileSync(resolve(repoRoot, 'docs/api.md'), 'utf8');
    const rows = [...text.matchAll(/^\s*\| `([a-z_]+)` \| (\d{3}) \| (.+?) \|$/gm)].map((m) => [m[1], Number(m[2]), m[3]]);
    expect(rows).toEqual(Object.entries(errorCatalogue).map(([code, v]) => [code, v.status, v.summary]));
  });

  it('docs/demo-users.md lists every demo user with its role and password', () => {
    const text = readFileSync(resolve(repoRoot, 'docs/demo-users.md'), 'utf8');
    for (const u of DEMO_USERS) expect(text).toContain(`| ${u.role} | \`${u.email}\` | \`${u.password}\` |`);
  });
});
