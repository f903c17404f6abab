import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { ApiError, api } from '../api.ts';
import { when } from './format.ts';

/**
 * The equipment page's parties over time (T1.4): who made, sold, owns, hosts, services or leases
 * the device, period by period (GET /equipment/{id}/history), the parties at any date
 * (/relationships?as_of=), and a transfer (POST /equipment/{id}/transfer: sale, transfer or lease)
 * that names the owner period it saw, so a change made meanwhile is refused (409), not overwritten.
 * The API decides who may transfer; a refusal shows its message.
 */
interface Period {
  id: string;
  relationship_type: string;
  organization_id: string | null;
  organization_name?: string | null;
  facility_id: string | null;
  facility_name?: string | null;
  valid_from: string;
  valid_to: string | null;
  transfer_type: string;
  transfer_reason: string | null;
  transfer_document_url: string | null;
  amount: string | null;
  currency: string;
}

interface Organization {
  id: string;
  name: string;
}

const ROLE: Record<string, string> = {
  manufactured_by: 'Manufacturer',
  sold_by: 'Sold by',
  owned_by: 'Owner',
  leased_to: 'Leased to',
  installed_at: 'Installed at',
  serviced_by: 'Service provider',
};

const party = (p: Period) =>
  p.relationship_type === 'installed_at'
    ? `${p.facility_name ?? 'a facility outside your network'}${p.organization_name ? ` (${p.organization_name})` : ''}`
    : (p.organization_name ?? 'an organization outside your network');

const money = (p: Period) => (p.amount ? ` · ${p.currency} ${Number(p.amount).toLocaleString('en-IN')}` : '');

export function EquipmentParties({ equipmentId }: { equipmentId: string }) {
  const base = `/equipment/${encodeURIComponent(equipmentId)}`;
  const [history, setHistory] = useState<Period[] | null>(null);
  const [asOf, setAsOf] = useState('');
  const [parties, setParties] = useState<Period[]>([]);
  const [orgs, setOrgs] = useState<Organization[]>([]);
  const [kind, setKind] = useState<'sale' | 'transfer' | 'lease'>('sale');
  const [to, setTo] = useState('');
  const [amount, setAmount] = useState('');
  const [leaseEnds, setLeaseEnds] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const query = asOf ? `?as_of=${encodeURIComponent(asOf)}` : '';
      const [h, p] = await Promise.all([
        api<{ items: Period[] }>(`${base}/history`),
        api<{ items: Period[] }>(`${base}/relationships${query}`),
      ]);
      setHistory(h.items);
      setParties(p.items);
    } catch (e) {
      // A sale or transfer away can take the device out of the caller's network: say so plainly.
      setError(e instanceof ApiError && e.status === 404 ? 'This device is not (or no longer) in your network.' : (e as Error).message);
    }
  }, [base, asOf]);

  useEffect(() => {
    load();
  }, [load]);

  useEffect(() => {
    api<{ items: Organization[] }>('/organizations?limit=200').then(
      (page) => setOrgs(page.items),
      () => setOrgs([]),
    );
  }, []);

  const open = (type: string) => history?.find((p) => p.relationship_type === type && p.valid_to === null) ?? null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      // The period this change closes, as this page saw it (null: the role was vacant).
      const seen = open(kind === 'lease' ? 'leased_to' : 'owned_by');
      const body = {
        kind,
        to_organization_id: to,
        amount: amount || undefined,
        lease_ends_at: kind === 'lease' && leaseEnds ? new Date(`${leaseEnds}T00:00:00Z`).toISOString() : undefined,
        reason: reason || undefined,
        expected_current_id: seen?.id ?? null,
      };
      await api(`${base}/transfer`, { method: 'POST', body });
      setDone(`${kind === 'lease' ? 'Leased' : 'Transferred'} to ${orgs.find((o) => o.id === to)?.name ?? to}.`);
      setTo('');
      setAmount('');
      setReason('');
      setLeaseEnds('');
      await load();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (!history) return error ? <p className="error">{error}</p> : <p className="muted">Loading the device's parties…</p>;
  return (
    <div className="card device" data-testid="equipment-parties">
      <h3>Ownership and location</h3>
      <form className="inline" onSubmit={(e) => e.preventDefault()}>
        <label>
          As of <input type="date" aria-label="As of" value={asOf} onChange={(e) => setAsOf(e.target.value)} />
        </label>
        {asOf && (
          <button type="button" className="link" onClick={() => setAsOf('')}>
            now
          </button>
        )}
      </form>
      <dl data-testid="parties-as-of">
        {parties.map((p) => (
          <div key={p.id} style={{ display: 'contents' }}>
            <dt>{ROLE[p.relationship_type] ?? p.relationship_type}</dt>
            <dd>
              {party(p)} <span className="muted small">since {when(p.valid_from)}</span>
            </dd>
          </div>
        ))}
        {parties.length === 0 && <dd className="muted">Nobody held a role in this device then.</dd>}
      </dl>

      <table className="list" data-testid="party-timeline">
        <thead>
          <tr>
            <th>Role</th>
            <th>Party</th>
            <th>From</th>
            <th>Until</th>
            <th>How</th>
            <th>Why</th>
          </tr>
        </thead>
        <tbody>
          {history.map((p) => (
            <tr key={p.id}>
              <td>{ROLE[p.relationship_type] ?? p.relationship_type}</td>
              <td>{party(p)}</td>
              <td>{when(p.valid_from)}</td>
              <td>{p.valid_to ? when(p.valid_to) : <span className="pill s-new">current</span>}</td>
              <td>
                {p.transfer_type}
                {money(p)}
              </td>
              <td>
                {p.transfer_reason ?? '—'}
                {p.transfer_document_url && (
                  <>
                    {' '}
                    <a href={p.transfer_document_url} target="_blank" rel="noreferrer">
                      document
                    </a>
                  </>
                )}
              </td>
            </tr>
          ))}
          {history.length === 0 && (
            <tr>
              <td colSpan={6} className="muted">
                No party is recorded for this device yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>

      <form onSubmit={submit} className="inline" data-testid="transfer-form">
        <select aria-label="Kind of transfer" value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
          <option value="sale">Sale</option>
          <option value="transfer">Transfer (no sale)</option>
          <option value="lease">Lease</option>
        </select>
        <select aria-label="To organization" value={to} onChange={(e) => setTo(e.target.value)} required>
          <option value="">{kind === 'lease' ? 'Lessee' : 'New owner'}</option>
          {orgs.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
        {kind !== 'transfer' && (
          <input aria-label="Amount (INR)" placeholder="Amount (INR)" value={amount} onChange={(e) => setAmount(e.target.value)} />
        )}
        {kind === 'lease' && (
          <input type="date" aria-label="Lease ends" value={leaseEnds} onChange={(e) => setLeaseEnds(e.target.value)} required />
        )}
        <input aria-label="Reason" placeholder="Reason (invoice, agreement…)" value={reason} onChange={(e) => setReason(e.target.value)} />
        <button type="submit" disabled={busy}>
          {kind === 'lease' ? 'Lease' : 'Transfer'}
        </button>
      </form>
      {done && <p className="success">{done}</p>}
      {error && <p className="error">{error}</p>}
    </div>
  );
}
