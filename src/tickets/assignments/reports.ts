import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';

/**
 * The questions the architecture review said the inline columns could not answer (flaw #1), over
 * engineer_assignments. Periods are half-open on the assignment time: [from, to).
 */
export interface Period {
  from?: string;
  to?: string;
}

const inPeriod = (p: Period) => sql`(${p.from ?? null}::timestamptz is null or a.assigned_at >= ${p.from ?? null}::timestamptz)
  and (${p.to ?? null}::timestamptz is null or a.assigned_at < ${p.to ?? null}::timestamptz)`;

export interface EscalationRate {
  category: string;
  tickets: number;
  escalated_tickets: number;
  escalation_rate: string;
}

/** Share of tickets, per equipment category, that were escalated at least once. */
export async function escalationRateByCategory(tx: Tx, p: Period = {}): Promise<EscalationRate[]> {
  const { rows } = await sql<EscalationRate>`
    select coalesce(e.category, 'unknown') as category, count(distinct a.ticket_id)::int as tickets,
           count(distinct a.ticket_id) filter (where a.status = 'escalated')::int as escalated_tickets,
           round(count(distinct a.ticket_id) filter (where a.status = 'escalated')::numeric / count(distinct a.ticket_id), 4)::text
             as escalation_rate
      from engineer_assignments a
      join service_tickets t on t.id = a.ticket_id
      left join equipment e on e.id = t.equipment_id
     where ${inPeriod(p)}
     group by 1 order by escalation_rate desc, category`.execute(tx);
  return rows;
}

export interface HighTierTicket {
  ticket_id: string;
  ticket_number: string;
  max_tier: number;
  assignments: number;
  status: string;
}

/** Tickets that needed tier 3 or more (distributor, in-house team, beyond). */
export async function ticketsNeedingTier(tx: Tx, minTier = 3, p: Period = {}): Promise<HighTierTicket[]> {
  const { rows } = await sql<HighTierTicket>`
    select t.id as ticket_id, t.ticket_number, max(a.assignment_tier)::int as max_tier, count(*)::int as assignments, t.status
      from engineer_assignments a join service_tickets t on t.id = a.ticket_id
     where ${inPeriod(p)}
     group by t.id, t.ticket_number, t.status
    having max(a.assignment_tier) >= ${minTier}
     order by max_tier desc, t.ticket_number`.execute(tx);
  return rows;
}

export interface Reassignments {
  ticket_id: string;
  ticket_number: string;
  assignments: number;
  reassignments: number;
  escalations: number;
}

/** Reassignments per ticket: every assignment after the first, of which escalations. */
export async function reassignmentsPerTicket(tx: Tx, p: Period & { minReassignments?: number } = {}): Promise<Reassignments[]> {
  const { rows } = await sql<Reassignments>`
    select t.id as ticket_id, t.ticket_number, count(*)::int as assignments, (count(*) - 1)::int as reassignments,
           count(*) filter (where a.status = 'escalated')::int as escalations
      from engineer_assignments a join service_tickets t on t.id = a.ticket_id
     where ${inPeriod(p)}
     group by t.id, t.ticket_number
    having count(*) - 1 >= ${p.minReassignments ?? 1}
     order by reassignments desc, t.ticket_number`.execute(tx);
  return rows;
}
