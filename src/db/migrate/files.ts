import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../errors.ts';
import { splitStatements, stripComments } from './split.ts';

/**
 * Migration files in golang-migrate's naming: `NNNN_name.up.sql` and `NNNN_name.down.sql`.
 * The name ends with the step's phase (ARCHITECTURE.md): `_expand`, `_backfill`, `_contract`;
 * the first file is `0001_baseline`. Header lines `--! directive[: value]` configure the runner.
 */
export type Phase = 'baseline' | 'expand' | 'backfill' | 'contract';

export interface Directives {
  /** `--! no-transaction`: run statement by statement, outside a transaction (CONCURRENTLY). */
  noTransaction: boolean;
  /** `--! backfill: <job>`: the backfill engine runs this job when the runner passes the step. */
  backfill?: string;
  /** `--! lock-timeout: 500ms`: this step's lock budget per attempt. (Default: the runner's, 200 ms) */
  lockTimeoutMs?: number;
}

export interface MigrationScript {
  path: string;
  sql: string;
  checksum: string;
  directives: Directives;
}

export interface Migration {
  version: number;
  name: string;
  phase: Phase;
  up: MigrationScript;
  down: MigrationScript;
}

const FILE = /^(\d+)_([a-z0-9][a-z0-9_]*)\.(up|down)\.sql$/;
const PHASES: Phase[] = ['expand', 'backfill', 'contract'];
const KNOWN_DIRECTIVES = ['no-transaction', 'backfill', 'lock-timeout'];

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function phaseOf(version: number, name: string): Phase {
  if (name === 'baseline') return 'baseline';
  const phase = PHASES.find((p) => name.endsWith(`_${p}`));
  if (!phase) {
    throw new AppError(
      'invalid_value',
      `migration ${version}_${name}: the name must end with _expand, _backfill or _contract (or be 0001_baseline)`,
      { version, name },
    );
  }
  return phase;
}

export function parseDirectives(path: string, sql: string): Directives {
  const directives: Directives = { noTransaction: false };
  for (const line of sql.split('\n')) {
    const m = /^--!\s*([a-z-]+)\s*(?::\s*(.+?))?\s*$/.exec(line);
    if (!m) continue;
    const [, key, value] = m;
    if (!key || !KNOWN_DIRECTIVES.includes(key)) {
      throw new AppError('invalid_value', `${path}: unknown directive "--! ${key}" (known: ${KNOWN_DIRECTIVES.join(', ')})`);
    }
    if (key === 'no-transaction') directives.noTransaction = true;
    if (key === 'backfill') {
      if (!value) throw new AppError('invalid_value', `${path}: "--! backfill" needs a job name`);
      directives.backfill = value;
    }
    if (key === 'lock-timeout') {
      const t = /^(\d+)\s*(ms|s)$/.exec(value ?? '');
      if (!t) throw new AppError('invalid_value', `${path}: "--! lock-timeout" takes a duration such as 500ms or 2s`);
      directives.lockTimeoutMs = Number(t[1]) * (t[2] === 's' ? 1000 : 1);
    }
  }
  return directives;
}

/** Statements an expand step must never run: it is additive only, so old code keeps working. */
const DESTRUCTIVE = [
  /\bdrop\s+table\b/i,
  /\bdrop\s+column\b/i,
  /\brename\b/i,
  /\balter\s+column\s+\S+\s+(set\s+data\s+)?type\b/i,
  /\bset\s+not\s+null\b/i,
];

function checkExpandIsAdditive(m: Migration): void {
  if (m.phase !== 'expand') return;
  for (const stmt of splitStatements(m.up.sql)) {
    const text = stripComments(stmt.text);
    const hit = DESTRUCTIVE.find((re) => re.test(text));
    if (hit) {
      throw new AppError(
        'invalid_value',
        `${m.up.path}:${stmt.line}: an expand step must be additive, but this statement matches ${hit}; move it to a contract step`,
        { version: m.version },
      );
    }
  }
}

async function script(dir: string, file: string): Promise<MigrationScript> {
  const path = join(dir, file);
  const sql = await readFile(path, 'utf8');
  return { path: `db/migrations/${file}`, sql, checksum: sha256(sql), directives: parseDirectives(file, sql) };
}

/** Reads and validates the folder; any malformed name, missing half or duplicate version is an error. */
export async function loadMigrations(dir: string): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => !f.startsWith('.')).sort();
  const pairs = new Map<number, { name: string; up?: string; down?: string }>();
  for (const file of files) {
    const m = FILE.exec(file);
    if (!m) {
      throw new AppError(
        'invalid_value',
        `db/migrations/${file}: not a migration file name; expected NNNN_name.up.sql or NNNN_name.down.sql (lower-case name)`,
        { file },
      );
    }
    const version = Number(m[1]);
    const name = m[2] as string;
    const entry = pairs.get(version) ?? { name };
    if (entry.name !== name) {
      throw new AppError('invalid_value', `two migrations share version ${version}: ${entry.name} and ${name}`, { version });
    }
    entry[m[3] as 'up' | 'down'] = file;
    pairs.set(version, entry);
  }
  const out: Migration[] = [];
  for (const [version, entry] of [...pairs].sort((a, b) => a[0] - b[0])) {
    if (!entry.up || !entry.down) {
      const missing = entry.up ? 'down' : 'up';
      throw new AppError('invalid_value', `migration ${label({ version, name: entry.name })} has no .${missing}.sql file: every step must be reversible`, {
        version,
      });
    }
    const migration: Migration = {
      version,
      name: entry.name,
      phase: phaseOf(version, entry.name),
      up: await script(dir, entry.up),
      down: await script(dir, entry.down),
    };
    checkExpandIsAdditive(migration);
    out.push(migration);
  }
  return out;
}

export const label = (m: Pick<Migration, 'version' | 'name'>) => `${String(m.version).padStart(4, '0')}_${m.name}`;
