import { describe, expect, it } from 'vitest';
import { formatT14Report, reportT14 } from '../../src/equipment/relationships-validation.ts';
import { freshDatabase } from '../support/database.ts';
import { createOrg, registerLegacyEquipment } from './fixtures.ts';

/** `abymed validate t1.4` forecasts exactly what the 0045 backfill then does. */
describe('validate t1.4', () => {
  it('forecasts periods and quarantine on the legacy shape, and reports the history after', async () => {
    const db = await freshDatabase({ to: 8 });
    try {
      const q = db.pool;
      const a = await createOrg(q, 'Amri Kolkata');
      const b = await createOrg(q, 'Peerless Kolkata');
      await q.query(`update organizations set external_ref = 'CUST-000042' where id = $1`, [b]);
      await registerLegacyEquipment(q, { manufacturer_org_id: a, owned_by_org_id: a });
      await registerLegacyEquipment(q, { customer_id: 'CUST-000042' });
      await registerLegacyEquipment(q, { owned_by_org_id: a, customer_id: b.replaceAll('-', '') });
      const client = await db.client();
      try {
        const before = await reportT14(client);
        expect(before.parties).toMatchObject({ manufactured_by: 1, owned_by: 2, owned_by_from_customer_copy: 1 });
        expect(before.quarantine.map((r) => r.devices)).toEqual([1, 0]);
        expect(before.history).toBeNull();
        expect(formatT14Report(before)).toContain('owner conflict');
        await db.runner().up({ to: 45 });
        const after = await reportT14(client);
        expect(after.history).toMatchObject({
          periods: { manufactured_by: 1, owned_by: 2 },
          drift: 1,
          devicesWithoutOwner: 1,
          quarantined: 1,
        }); // the quarantined device: static owner, no period yet
      } finally {
        await client.end();
      }
    } finally {
      await db.close();
    }
  });
});
