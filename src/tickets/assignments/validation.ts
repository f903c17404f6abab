import type pg from 'pg';

/**
 * `abymed validate t1.1`: the read-only report before the T1.1/T3.2 backfills (0012, 0013). It runs
 * on the legacy schema as well as after the expand step, changes nothing, and counts:
 *   - tickets with an inline engineer, by the assignment status the backfill will give them;
 *   - inline engineers the backfill must quarantine: a uuid naming no engineer (the seed's
 *     tickets.engineer_missing), or an id that is not a uuid at all;
 *   - inline names that differ from the engineer's current name (tickets.engineer_renamed; kept as
 *     the name at assignment time);
 *   - tickets whose status disagrees with their latest history row (tickets.status_disagrees_with_history)
 *     and tickets with no history (tickets.no_history): each gets one appended reconciling row.
 * Latest history row: `history_seq desc nulls last, changed_at desc, id desc` once 0010 added
 * history_seq, `changed_at desc, id desc` before (the seed manifest's rule).
 */
export interface T11Report {
  tickets: number;
  withInlineEngineer: number;
  toConvert: Record<string, number>;
  alreadyConverted: number;
  classes: { id: string; count: number; action: string }[];
}

const UUID = `'^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$'`;

export async function reportT11(client: pg.ClientBase): Promise<T11Report> {
  const { rows: shape } = await client.query(`
    select exists (select 1 from pg_attribute where attrelid = 'ticket_status_history'::regclass and attname = 'history_seq' and not attisdropped) as seq,
           to_regclass('engineer_assignments') is not null as expanded`);
  const order = shape[0].seq ? 'h.history_seq desc nulls last, h.changed_at desc, h.id desc' : 'h.changed_at desc, h.id desc';
  const converted = shape[0].expanded ? 'exists (select 1 from engineer_assignments a where a.ticket_id = t.id)' : 'false';
  const { rows } = await client.query(`
    with t as (
      select t.id, t.status, t.assigned_engineer_id, t.assigned_engineer_name,
             case when btrim(t.assigned_engineer_id) ~* ${UUID} then btrim(t.assigned_engineer_id)::uuid end as engineer_uuid,
             ${converted} as converted,
             (select h.to_status from ticket_status_history h where h.ticket_id = t.id order by ${order} limit 1) as latest,
             exists (select 1 from ticket_status_history h where h.ticket_id = t.id) as has_history
        from service_tickets t
    )
    select count(*)::int as tickets,
           count(*) filter (where assigned_engineer_id is not null)::int as with_inline,
           count(*) filter (where e.id is not null and converted)::int as already,
           count(*) filter (where assigned_engineer_id is not null and engineer_uuid is not null and e.id is null)::int as missing,
           count(*) filter (where assigned_engineer_id is not null and engineer_uuid is null)::int as not_uuid,
           count(*) filter (where e.id is not null and assigned_engineer_name is distinct from e.full_name)::int as renamed,
           count(*) filter (where has_history and latest is distinct from t.status)::int as disagrees,
           count(*) filter (where not has_history)::int as no_history
      from t
      left join engineers e on e.id = t.engineer_uuid
  `);
  const { rows: mapped } = await client.query(`
    select case t.status when 'in_progress' then 'in_progress' when 'on_hold' then 'in_progress' when 'resolved' then 'completed'
                         when 'closed' then 'completed' when 'cancelled' then 'rejected' else 'assigned' end as status, count(*)::int as n
      from service_tickets t join engineers e
        on btrim(t.assigned_engineer_id) ~* ${UUID} and e.id = btrim(t.assigned_engineer_id)::uuid
     where not ${converted}
     group by 1 order by 1`);
  const r = rows[0];
  return {
    tickets: r.tickets,
    withInlineEngineer: r.with_inline,
    toConvert: Object.fromEntries(mapped.map((m) => [m.status, m.n])),
    alreadyConverted: r.already,
    classes: [
      { id: 'tickets.engineer_missing', count: r.missing, action: 'quarantined (no engineer is invented)' },
      { id: 'tickets.engineer_not_uuid', count: r.not_uuid, action: 'quarantined' },
      { id: 'tickets.engineer_renamed', count: r.renamed, action: 'converted; the inline name is kept as the name at assignment time' },
      { id: 'tickets.status_disagrees_with_history', count: r.disagrees, action: 'one reconciling history row appended' },
      { id: 'tickets.no_history', count: r.no_history, action: 'one reconciling history row appended' },
    ],
  };
}

/** Each T1.1 class of a seed manifest beside the report's count; equal counts mean the report found exactly what was seeded. */
export function compareT11WithManifest(report: T11Report, defects: Record<string, { rows: number }>) {
  return report.classes.filter((c) => defects[c.id]).map((c) => ({ id: c.id, expected: defects[c.id]?.rows ?? 0, reported: c.count }));
}

export function formatT11Report(r: T11Report): string {
  const lines = [
    'T1.1 + T3.2 validation (read-only)',
    `tickets: ${r.tickets}; with an inline engineer: ${r.withInlineEngineer}; already converted: ${r.alreadyConverted}`,
    `to convert, by assignment status: ${
      Object.entries(r.toConvert)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none'
    }`,
    ...r.classes.map((c) => `  ${c.id.padEnd(40)} ${String(c.count).padStart(8)}  → ${c.action}`),
  ];
  return lines.join('\n');
}
