import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';

/** `GET /api/v1/health`: ok, the schema version the runner recorded, and the server's version. */
export async function registerHealth(app: FastifyInstance): Promise<void> {
  app.get(
    '/health',
    {
      config: { public: true },
      schema: {
        tags: ['system'],
        security: [],
        summary: 'Liveness, schema version and database version',
        response: {
          200: {
            type: 'object',
            required: ['ok', 'schemaVersion', 'dirty', 'databaseVersion'],
            properties: {
              ok: { type: 'boolean' },
              schemaVersion: { type: ['integer', 'null'] },
              dirty: { type: 'boolean' },
              databaseVersion: { type: 'string' },
            },
          },
        },
      },
    },
    async () => {
      const db = app.database.db;
      const version = await sql<{ v: string }>`select current_setting('server_version') as v`.execute(db);
      const schema = await sql<{ version: number; dirty: boolean }>`
        select version, dirty from public.schema_migrations
         where to_regclass('public.schema_migrations') is not null`
        .execute(db)
        .catch(() => ({ rows: [] }));
      const row = schema.rows[0];
      return {
        ok: !row?.dirty,
        schemaVersion: row ? Number(row.version) : null,
        dirty: Boolean(row?.dirty),
        databaseVersion: version.rows[0]?.v ?? 'unknown',
      };
    },
  );
}
