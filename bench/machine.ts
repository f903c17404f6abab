import { cpus, loadavg, totalmem } from 'node:os';
import { withClient } from './dataset.ts';

/** What the figures were measured on: they mean little without it. */
export interface Machine {
  nproc: number;
  cpuModel: string;
  memoryGiB: number;
  loadAverage1m: number;
  node: string;
  postgres: string;
  postgresSettings: Record<string, string>;
  server: 'embedded' | 'DATABASE_URL';
}

export async function describeMachine(serverUrl: string, server: Machine['server']): Promise<Machine> {
  return withClient(serverUrl, async (c) => {
    const version = (await c.query(`select current_setting('server_version') as v`)).rows[0].v as string;
    const { rows } = await c.query(
      `select name, setting, unit from pg_settings
        where name in ('shared_buffers', 'work_mem', 'effective_cache_size', 'max_connections', 'jit', 'synchronous_commit', 'fsync')`,
    );
    const settings = Object.fromEntries(rows.map((r) => [r.name as string, `${r.setting}${r.unit ? ` ${r.unit}` : ''}`]));
    return {
      nproc: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
      loadAverage1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
      node: process.version,
      postgres: version,
      postgresSettings: settings,
      server,
    };
  });
}
