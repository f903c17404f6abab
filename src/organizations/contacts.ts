import { sql } from 'kysely';
import type { Caller } from '../auth/caller.ts';
import type { Tx } from '../db/database.ts';
import { AppError, notFound } from '../errors.ts';
import type { AsOf } from '../http/as-of.ts';
import type { Static } from '../http/schemas.ts';
import type { Contact, PrimaryPeriod } from './contacts-schemas.ts';
import { getOrganization } from './queries.ts';

/**
 * Contact persons with history (T3.3). "Who was a contact / the primary contact on D" reads the
 * validity periods; a change of primary contact goes through set_primary_contact() (0025), which
 * serialises per organization and closes one period where it opens the next, so two concurrent
 * calls both succeed one after the other and the organization never has two primaries at once.
 */
const CONTACT_COLUMNS = sql`c.id, c.org_id, c.name, c.designation, c.department, c.email, c.primary_phone, c.whatsapp_number,
  c.preferred_contact_method, c.effective_from, c.effective_to`;

/** The contacts of an organization as of an instant, each saying whether it was the primary contact then. */
export async function listContacts(tx: Tx, orgId: string, asOf: AsOf) {
  await getOrganization(tx, orgId);
  const { rows } = await sql<Static<typeof Contact>>`
    select ${CONTACT_COLUMNS},
           exists (select 1 from contact_primary_periods p where p.contact_id = c.id and p.effective_from <= ${asOf.at}
                      and (p.effective_to is null or p.effective_to > ${asOf.at})) as is_primary
      from contact_persons c
     where c.org_id = ${orgId} and c.effective_from <= ${asOf.at} and (c.effective_to is null or c.effective_to > ${asOf.at})
     order by is_primary desc, c.name, c.id`.execute(tx);
  return rows;
}

/** Who was the primary contact, from when until when: the organization's whole history, newest first. */
export async function listPrimaryHistory(tx: Tx, orgId: string) {
  await getOrganization(tx, orgId);
  const { rows } = await sql<Static<typeof PrimaryPeriod>>`
    select p.id, p.contact_id, c.name as contact_name, p.effective_from, p.effective_to, p.source, p.changed_by, p.change_reason
      from contact_primary_periods p join contact_persons c on c.id = p.contact_id
     where p.org_id = ${orgId}
     order by p.effective_from desc, p.id`.execute(tx);
  return rows;
}

/** Makes a contact the organization's primary contact from now on; idempotent when it already is. */
export async function makePrimaryContact(tx: Tx, caller: Caller, orgId: string, contactId: string, reason?: string) {
  await getOrganization(tx, orgId);
  const { rows: may } = await sql<{
    ok: boolean;
  }>`select (caller_role() = 'system_admin' or caller_party_org_id() = ${orgId}::uuid) as ok`.execute(tx);
  if (!may[0]?.ok) throw new AppError('forbidden', `only organization ${orgId} itself may change its primary contact`, { org_id: orgId });
  const contact = await tx
    .selectFrom('contact_persons')
    .select(['id', 'org_id', 'effective_to'])
    .where('id', '=', contactId)
    .executeTakeFirst();
  if (!contact || contact.org_id !== orgId) {
    throw new AppError('foreign_key_violation', `contact ${contactId} is not a contact of organization ${orgId}`, {
      field: 'params.contactId',
      key: { id: contactId },
    });
  }
  if (contact.effective_to !== null && new Date(contact.effective_to) <= new Date()) {
    throw new AppError('conflict', `contact ${contactId} is no longer a contact of the organization`, { id: contactId });
  }
  const { rows } = await sql<Static<typeof PrimaryPeriod>>`
    select id, org_id, contact_id, effective_from, effective_to, source, changed_by, change_reason
      from set_primary_contact(${orgId}::uuid, ${contactId}::uuid, null, 'api', ${caller.email.slice(0, 255)}, ${reason ?? null})`.execute(
    tx,
  );
  const period = rows[0];
  if (!period) throw notFound('primary contact period of organization', orgId);
  return period;
}
