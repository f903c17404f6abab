import { useCallback, useEffect, useState } from 'react';
import { api } from '../api.ts';
import type { Contact, PrimaryPeriod } from './customer-types.ts';
import { when } from './format.ts';

/** An organization's contacts as of a day, and who was its primary contact from when until when. */
export function ContactHistory({ orgId }: { orgId: string }) {
  const [asOf, setAsOf] = useState('');
  const [contacts, setContacts] = useState<Contact[]>([]);
  const [history, setHistory] = useState<PrimaryPeriod[]>([]);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      const base = `/organizations/${encodeURIComponent(orgId)}/contacts`;
      const [c, h] = await Promise.all([
        api<Contact[]>(asOf ? `${base}?as_of=${encodeURIComponent(asOf)}` : base),
        api<PrimaryPeriod[]>(`${base}/primary-history`),
      ]);
      setContacts(c);
      setHistory(h);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [orgId, asOf]);

  useEffect(() => {
    load();
  }, [load]);

  const makePrimary = async (c: Contact) => {
    try {
      await api(`/organizations/${encodeURIComponent(orgId)}/contacts/${c.id}/make-primary`, { method: 'POST', body: {} });
      setAsOf('');
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <section data-testid="contact-history">
      <h2>Contacts</h2>
      <p className="row">
        <label>
          As of <input type="date" value={asOf} onChange={(e) => setAsOf(e.target.value)} />
        </label>
        {asOf ? (
          <button type="button" className="link" onClick={() => setAsOf('')}>
            now
          </button>
        ) : null}
      </p>
      {error ? <p className="error">{error}</p> : null}
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>Designation</th>
            <th>Phone</th>
            <th>Email</th>
            <th>Primary</th>
          </tr>
        </thead>
        <tbody>
          {contacts.map((c) => (
            <tr key={c.id}>
              <td>{c.name}</td>
              <td>{c.designation ?? '—'}</td>
              <td>{c.primary_phone}</td>
              <td>{c.email}</td>
              <td>
                {c.is_primary ? (
                  <span className="pill">primary</span>
                ) : asOf ? null : (
                  <button type="button" className="link" onClick={() => makePrimary(c)}>
                    make primary
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Primary contact over time</h3>
      <table>
        <thead>
          <tr>
            <th>Contact</th>
            <th>From</th>
            <th>Until</th>
            <th>By</th>
            <th>Why</th>
          </tr>
        </thead>
        <tbody>
          {history.map((p) => (
            <tr key={p.id}>
              <td>{p.contact_name}</td>
              <td>{when(p.effective_from)}</td>
              <td>{p.effective_to ? when(p.effective_to) : 'now'}</td>
              <td>
                {p.changed_by} <span className="muted">({p.source})</span>
              </td>
              <td>{p.change_reason ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
