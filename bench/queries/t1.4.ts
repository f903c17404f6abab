import type { BenchQuery } from './types.ts';

/**
 * T1.4 reads at scale (1M devices with the seed's history): "who owned device X at T" and the
 * reverse "what did organization Y own at T". The legacy schema can only answer "now" (static
 * columns), so its side answers the current owner / current devices, the question the old
 * application could ask; the fixed side answers as of an instant in the past, through
 * idx_equipment_relationships_equipment_from and the index-only idx_equipment_relationships_org_from.
 */
const sampleDevices = `select id from equipment order by md5(id || $1) limit $2`;
const sampleOwners = `select owned_by_org_id as org from equipment where owned_by_org_id is not null
  group by owned_by_org_id order by md5(owned_by_org_id::text || $1) limit $2`;
// A fixed instant inside the seeded history, so every run asks the same question.
const AS_OF = '2022-06-30T12:00:00+05:30';

export default [
  {
    ticket: 'T1.4',
    name: 'owner of a device as of T',
    targetMs: 100,
    legacySql: 'select owned_by_org_id from equipment where id = $1',
    fixedSql: `select r.organization_id from equipment_relationships r
                where r.equipment_id = $1 and r.relationship_type = 'owned_by'
                  and r.valid_from <= $2::timestamptz and (r.valid_to is null or r.valid_to > $2::timestamptz)`,
    params: async (ctx) =>
      (await ctx.rows('legacy', sampleDevices, [ctx.seed, ctx.count])).map((r) => ({ legacy: [r.id], fixed: [r.id, AS_OF] })),
  },
  {
    ticket: 'T1.4',
    name: 'devices an organization owned as of T',
    targetMs: 100,
    legacySql: 'select id from equipment where owned_by_org_id = $1',
    fixedSql: `select r.equipment_id from equipment_relationships r
                where r.organization_id = $1 and r.relationship_type = 'owned_by'
                  and r.valid_from <= $2::timestamptz and (r.valid_to is null or r.valid_to > $2::timestamptz)`,
    params: async (ctx) =>
      (await ctx.rows('legacy', sampleOwners, [ctx.seed, ctx.count])).map((r) => ({ legacy: [r.org], fixed: [r.org, AS_OF] })),
  },
  {
    ticket: 'T1.4',
    name: 'full party history of a device',
    targetMs: 100,
    legacySql: null,
    fixedSql: `select relationship_type, organization_id, facility_id, valid_from, valid_to from equipment_relationships
                where equipment_id = $1 order by relationship_type, valid_from`,
    params: async (ctx) => (await ctx.rows('legacy', sampleDevices, [ctx.seed, ctx.count])).map((r) => ({ legacy: [], fixed: [r.id] })),
  },
] satisfies BenchQuery[];
