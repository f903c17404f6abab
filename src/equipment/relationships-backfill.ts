import pg from 'pg';
import type { BackfillJob, Batch, Key } from '../db/backfill/job.ts';

/**
 * T1.4 backfill (migration 0045): one `initial` period per known party of every device, from the
 * static columns and the customer copy, valid from the installation date, else the purchase date
 * (midnight in India), else the registration (`equipment_relationships_initial_from`, 0040).
 *
 * - manufacturer_org_id → manufactured_by, sold_by_dealer_id → sold_by, owned_by_org_id →
 *   owned_by (else the organization the customer copy names by uuid), installed_facility_id →
 *   installed_at (with the facility's organization).
 * - Idempotent: a type that already has history (written by the sync trigger since 0040, or by an
 *   earlier run) is skipped, and ids are derived from (device, type), so a replayed batch writes
 *   nothing and a re-run after the down writes identical rows.
 * - Devices whose sources disagree (owner vs customer copy, installed before purchased) are
 *   quarantined with the reason (`equipment_relationships_backfill_conflict`), not guessed.
 * - Each batch first takes FOR SHARE locks on its devices: a legacy write to one of them waits for
 *   the batch to commit and then sees its periods, so the trigger and the backfill never both
 *   write a device's first period.
 */
const CONFLICT = `equipment_relationships_backfill_conflict(s.owned_by_org_id, s.customer_id::text, s.installed_facility_id,
  s.installation_date, s.purchase_date)`;

/**
 * The quarantine rule, evaluated for every device twice (the engine quarantines, then converts the
 * rest). The rule itself is CONFLICT (0040's function), but that SECURITY DEFINER function is never
 * inlined, and for a customer copy holding a legacy code it looks the code up in a scan of
 * organizations (external_ref has no index): milliseconds a device at 1M devices, hours in all.
 * So it only runs for the devices that might conflict. The others are those installed after they
 * were purchased (or with a date unknown) whose customer copy names their owner, which exists:
 * by uuid (customer_org's first branch finds the owner) or, when the copy is not uuid-shaped, by
 * the owner's own legacy code (the second branch finds the owner, or nothing when the code is not
 * unique). The function answers NULL for all of those, so the rule is exactly CONFLICT.
 * CASE, not AND, so the cheap tests certainly run first and the uuid cast only after the shape test.
 */
const MIGHT_CONFLICT = `case
  when s.installation_date < s.purchase_date then true
  when s.owned_by_org_id is null or s.customer_id is null then false
  else not exists (select 1 from organizations o where o.id = s.owned_by_org_id
                     and case when s.customer_id::text ~* '^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$'
                              then o.id = s.customer_id::text::uuid
                              else o.external_ref = s.customer_id::text end)
end`;
const QUARANTINE_WHERE = `case when ${MIGHT_CONFLICT} then ${CONFLICT} is not null else false end`;

/**
 * One batch: the periods of its devices (the `{batch}` predicate over `s`) that have no history
 * yet, then the history -> legacy mirror of what was written. `{history}` bounds the existence check
 * to the batch's key range: the planner cannot carry `s.id`'s range over to `r.equipment_id`, and
 * without it (stale statistics of a table that grows from nothing) it anti-joins every batch against
 * the whole table, which grows quadratically over a run.
 *
 * The mirror: the deferred trigger 0041 installs would, at commit, write each new open period's
 * party into its legacy column, one dynamic UPDATE per period (~0.15 ms each: 4 per device). Here
 * the sync flag is on for the batch's transaction (the trigger skips; see `convert`) and the one
 * column a backfilled period can change, owned_by_org_id when the owner came from the customer
 * copy, is written in the same statement, exactly as the trigger would have written it: the
 * periods of the other three types (and of owned_by from owned_by_org_id) name the column's own
 * value, so the trigger's UPDATE changes nothing for them.
 */
export const BACKFILL_SQL = `
with inserted as (
  insert into equipment_relationships (id, equipment_id, relationship_type, organization_id, facility_id, valid_from, transfer_type,
    transfer_reason, created_by, created_at)
  select equipment_relationships_backfill_id(s.id, p.relationship_type), s.id, p.relationship_type, p.organization_id, p.facility_id,
         equipment_relationships_initial_from(s.installation_date, s.purchase_date, s.created_at), 'initial',
         'backfilled from ' || p.source, 'migration:T1.4', s.created_at
    from equipment s
    left join organization_facilities f on f.id = s.installed_facility_id
   cross join lateral (values
     ('manufactured_by', s.manufacturer_org_id, null::uuid, 'equipment.manufacturer_org_id'),
     ('sold_by', s.sold_by_dealer_id, null::uuid, 'equipment.sold_by_dealer_id'),
     ('owned_by', coalesce(s.owned_by_org_id, equipment_relationships_customer_org(s.customer_id::text)), null::uuid,
       case when s.owned_by_org_id is null then 'equipment.customer_id' else 'equipment.owned_by_org_id' end),
     ('installed_at', f.org_id, s.installed_facility_id, 'equipment.installed_facility_id')
   ) p(relationship_type, organization_id, facility_id, source)
   where {batch}
     and coalesce(p.facility_id, p.organization_id) is not null
     and not exists (select 1 from equipment_relationships r
                      where r.equipment_id = s.id and r.relationship_type = p.relationship_type and {history})
  on conflict do nothing
  returning equipment_id, relationship_type, organization_id, valid_to
), mirrored as (
  update equipment e set owned_by_org_id = i.organization_id
    from inserted i
   where e.id = i.equipment_id and i.relationship_type = 'owned_by' and i.valid_to is null
     and e.owned_by_org_id is distinct from i.organization_id
  returning e.id
)
select (select count(*) from inserted)::int as inserted, (select count(*) from mirrored)::int as mirrored`;

/** `r.equipment_id` within the batch's key range (redundant with `r.equipment_id = s.id`; a plan hint). */
export function historyRange(batch: Pick<Batch, 'after' | 'upTo'>): string {
  const bound = (key: Key) => `${pg.escapeLiteral(key[0] as string)}::varchar`;
  const upper = `r.equipment_id <= ${bound(batch.upTo)}`;
  return batch.after ? `(r.equipment_id > ${bound(batch.after)} and ${upper})` : `(${upper})`;
}

export const equipmentRelationshipsJob: BackfillJob = {
  name: 'equipment_relationships_initial',
  description: 'T1.4: one initial period per known party of each device, from the static columns and the customer copy',
  source: 'equipment',
  key: ['id'],
  quarantine: { where: QUARANTINE_WHERE, reason: CONFLICT },
  convert: async (tx, batch) => {
    await tx.query(`select s.id from equipment s where (${batch.predicate}) order by s.id for share of s`);
    // Transaction-local and left on until the batch commits: the deferred history -> legacy
    // trigger runs at commit and must see it (BACKFILL_SQL mirrors the owner itself). The batch
    // writes nothing else to equipment or equipment_relationships.
    await tx.query(`select set_config('abymed.equipment_relationships_syncing', 'on', true)`);
    // Replacer functions: a key is text and may hold `$&` or `{batch}`, which a plain string replacement would expand.
    const sql = BACKFILL_SQL.replace('{history}', () => historyRange(batch)).replace('{batch}', () => `(${batch.predicate})`);
    const { rows } = await tx.query(sql);
    return Number(rows[0]?.inserted ?? 0);
  },
};

export const equipmentJobs: readonly BackfillJob[] = [equipmentRelationshipsJob];
