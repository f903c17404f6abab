import { stripComments } from './split.ts';

/**
 * Predicts the table-level lock a statement takes, from PostgreSQL's documented lock table
 * (the "Table-Level Lock Modes" section of the manual). Used by `migrate plan` so a reviewer sees,
 * before anything runs, which statements block readers (ACCESS EXCLUSIVE) or writers (SHARE).
 */
export type LockMode = 'ACCESS SHARE' | 'ROW EXCLUSIVE' | 'SHARE UPDATE EXCLUSIVE' | 'SHARE' | 'SHARE ROW EXCLUSIVE' | 'ACCESS EXCLUSIVE';

export interface LockPrediction {
  relation: string;
  mode: LockMode;
  /** True when the relation is created by the statement itself, so nobody else can be waiting on it. */
  isNew?: boolean;
}

/** What each mode blocks, in words a reviewer needs. */
export const blocks: Record<LockMode, string> = {
  'ACCESS SHARE': 'only ACCESS EXCLUSIVE',
  'ROW EXCLUSIVE': 'SHARE and stronger (no reads blocked)',
  'SHARE UPDATE EXCLUSIVE': 'other schema changes and VACUUM (reads and writes continue)',
  SHARE: 'writes (reads continue)',
  'SHARE ROW EXCLUSIVE': 'writes and other schema changes (reads continue)',
  'ACCESS EXCLUSIVE': 'everything, reads included',
};

const ident = String.raw`((?:"[^"]+"|[a-zA-Z_][\w$]*)(?:\.(?:"[^"]+"|[a-zA-Z_][\w$]*))?)`;
const re = (s: string, flags = "i") => new RegExp(s.replaceAll("IDENT", ident), flags);

export function predictLocks(statement: string): LockPrediction[] {
  const s = stripComments(statement).replace(/\s+/g, ' ').trim();
  const refs = [...s.matchAll(re(String.raw`\breferences IDENT`, "gi"))].map((m) => m[1] as string);
  const fkLocks = (own?: string) => refs.filter((r) => r !== own).map((relation) => ({ relation, mode: 'SHARE ROW EXCLUSIVE' as const }));
  let m: RegExpExecArray | null;
  if ((m = re(String.raw`^create (?:unlogged )?table (?:if not exists )?IDENT`).exec(s))) {
    return [{ relation: m[1] as string, mode: 'ACCESS EXCLUSIVE', isNew: true }, ...fkLocks(m[1])];
  }
  if ((m = re(String.raw`^create (?:unique )?index concurrently (?:if not exists )?(?:\S+ )?on (?:only )?IDENT`).exec(s))) {
    return [{ relation: m[1] as string, mode: 'SHARE UPDATE EXCLUSIVE' }];
  }
  if ((m = re(String.raw`^create (?:unique )?index (?:if not exists )?(?:\S+ )?on (?:only )?IDENT`).exec(s))) {
    return [{ relation: m[1] as string, mode: 'SHARE' }];
  }
  if ((m = re(String.raw`^drop index concurrently (?:if exists )?IDENT`).exec(s))) {
    return [{ relation: m[1] as string, mode: 'SHARE UPDATE EXCLUSIVE' }];
  }
  if ((m = re(String.raw`^drop index (?:if exists )?IDENT`).exec(s))) {
    return [{ relation: `table of ${m[1]}`, mode: 'ACCESS EXCLUSIVE' }];
  }
  if ((m = re(String.raw`^alter table (?:if exists )?(?:only )?IDENT (.*)$`).exec(s))) {
    const table = m[1] as string;
    const rest = m[2] ?? '';
    if (/^validate constraint/i.test(rest)) return [{ relation: table, mode: 'SHARE UPDATE EXCLUSIVE' }];
    if (/^add (constraint \S+ )?foreign key/i.test(rest) && !/,/.test(rest)) {
      return [{ relation: table, mode: 'SHARE ROW EXCLUSIVE' }, ...fkLocks(table)];
    }
    return [{ relation: table, mode: 'ACCESS EXCLUSIVE' }, ...fkLocks(table)];
  }
  if ((m = re(String.raw`^create (?:or replace )?(?:constraint )?trigger \S+ .*? on IDENT`).exec(s))) {
    return [{ relation: m[1] as string, mode: 'SHARE ROW EXCLUSIVE' }];
  }
  if ((m = re(String.raw`^drop trigger (?:if exists )?\S+ on IDENT`).exec(s))) {
    return [{ relation: m[1] as string, mode: 'ACCESS EXCLUSIVE' }];
  }
  if ((m = re(String.raw`^(?:create|alter|drop) policy (?:if exists )?\S+ on IDENT`).exec(s))) {
    return [{ relation: m[1] as string, mode: 'ACCESS EXCLUSIVE' }];
  }
  if ((m = re(String.raw`^drop table (?:if exists )?(.+?)(?: cascade| restrict)?$`).exec(s))) {
    return (m[1] as string).split(',').map((t) => ({ relation: t.trim(), mode: 'ACCESS EXCLUSIVE' as const }));
  }
  if ((m = re(String.raw`^truncate (?:table )?IDENT`).exec(s))) return [{ relation: m[1] as string, mode: 'ACCESS EXCLUSIVE' }];
  if ((m = re(String.raw`^lock (?:table )?IDENT in (.+?) mode`).exec(s))) {
    return [{ relation: m[1] as string, mode: (m[2] as string).toUpperCase() as LockMode }];
  }
  if ((m = re(String.raw`^(?:with .*? )?insert into IDENT`).exec(s))) return [{ relation: m[1] as string, mode: 'ROW EXCLUSIVE' }];
  if ((m = re(String.raw`^(?:with .*? )?update (?:only )?IDENT`).exec(s))) return [{ relation: m[1] as string, mode: 'ROW EXCLUSIVE' }];
  if ((m = re(String.raw`^(?:with .*? )?delete from (?:only )?IDENT`).exec(s)))
    return [{ relation: m[1] as string, mode: 'ROW EXCLUSIVE' }];
  if ((m = re(String.raw`^refresh materialized view (concurrently )?IDENT`).exec(s))) {
    return [{ relation: m[2] as string, mode: m[1] ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE' }];
  }
  // Functions, views, types, schemas, extensions, comments and SET: catalog changes, no table lock to wait on.
  return [];
}

export function strongest(locks: LockPrediction[]): LockMode | undefined {
  const order: LockMode[] = ['ACCESS SHARE', 'ROW EXCLUSIVE', 'SHARE UPDATE EXCLUSIVE', 'SHARE', 'SHARE ROW EXCLUSIVE', 'ACCESS EXCLUSIVE'];
  return locks
    .filter((l) => !l.isNew)
    .map((l) => l.mode)
    .sort((a, b) => order.indexOf(b) - order.indexOf(a))[0];
}
