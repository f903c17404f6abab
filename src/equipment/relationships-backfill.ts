import type { BackfillJob } from '../db/backfill/job.ts';

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

export const BACKFILL_SQL = `
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
   and not exists (select 1 from equipment_relationships r where r.equipment_id = s.id and r.relationship_type = p.relationship_type)
on conflict do nothing`;

export const equipmentRelationshipsJob: BackfillJob = {
  name: 'equipment_relationships_initial',
  description: 'T1.4: one initial period per known party of each device, from the static columns and the customer copy',
  source: 'equipment',
  key: ['id'],
  quarantine: { where: `${CONFLICT} is not null`, reason: CONFLICT },
  convert: async (tx, batch) => {
    await tx.query(`select s.id from equipment s where (${batch.predicate}) order by s.id for share of s`);
    const result = await tx.query(BACKFILL_SQL.replace('{batch}', `(${batch.predicate})`));
    return result.rowCount ?? 0;
  },
};

export const equipmentJobs: readonly BackfillJob[] = [equipmentRelationshipsJob];
