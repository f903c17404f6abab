/**
 * Splits a SQL script into statements at top-level semicolons, respecting quotes, dollar-quoted
 * bodies and comments. Non-transactional steps run statement by statement, so each one must be
 * known on its own (PostgreSQL refuses `CREATE INDEX CONCURRENTLY` inside an implicit block).
 */
export interface SqlStatement {
  /** Statement text without the trailing semicolon, comments kept. */
  text: string;
  /** 1-based line of the statement's first non-blank character in the file. */
  line: number;
}

export function splitStatements(script: string): SqlStatement[] {
  const out: SqlStatement[] = [];
  let start = 0;
  let i = 0;
  const n = script.length;
  const push = (end: number) => {
    const raw = script.slice(start, end);
    if (stripComments(raw).trim() !== '') {
      const lead = raw.length - raw.trimStart().length;
      const line = script.slice(0, start + lead).split('\n').length;
      out.push({ text: raw.trim(), line });
    }
  };
  while (i < n) {
    const c = script[i];
    const next = script[i + 1];
    if (c === '-' && next === '-') {
      const eol = script.indexOf('\n', i);
      i = eol === -1 ? n : eol + 1;
    } else if (c === '/' && next === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (script[i] === '/' && script[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (script[i] === '*' && script[i + 1] === '/') {
          depth--;
          i += 2;
        } else i++;
      }
    } else if (c === "'" || c === '"') {
      i++;
      while (i < n) {
        if (script[i] === c && script[i + 1] === c) i += 2;
        else if (script[i] === c) break;
        else i++;
      }
      i++;
    } else if (c === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(script.slice(i));
      if (tag) {
        const close = script.indexOf(tag[0], i + tag[0].length);
        i = close === -1 ? n : close + tag[0].length;
      } else i++;
    } else if (c === ';') {
      push(i);
      i++;
      start = i;
    } else i++;
  }
  push(n);
  return out;
}

export function stripComments(sql: string): string {
  return sql.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
}
