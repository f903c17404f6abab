import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import { Link } from '../router.tsx';
import { when } from './format.ts';
import type { Rfq } from './procurement-types.ts';

/** The RFQs the caller may see (its network's drafts, every published one), newest first. */
export function Rfqs() {
  const [rfqs, setRfqs] = useState<Rfq[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<{ items: Rfq[] }>('/rfq?limit=100')
      .then((r) => setRfqs(r.items))
      .catch((e: Error) => setError(e.message));
  }, []);
  if (error) return <p className="error">{error}</p>;
  if (!rfqs) return <p className="muted">Loading…</p>;
  return (
    <section data-testid="rfqs">
      <h2>Requests for quotation</h2>
      {rfqs.length === 0 ? <p className="muted">No RFQs yet.</p> : null}
      <table>
        <thead>
          <tr>
            <th>Number</th>
            <th>Title</th>
            <th>Status</th>
            <th>Responses due</th>
            <th>Created</th>
          </tr>
        </thead>
        <tbody>
          {rfqs.map((r) => (
            <tr key={r.id}>
              <td>
                <Link to={`/rfq/${encodeURIComponent(r.id)}`}>{r.rfq_number ?? r.id}</Link>
              </td>
              <td>{r.title}</td>
              <td>
                <span className="pill">{r.status}</span>
              </td>
              <td>{when(r.response_deadline)}</td>
              <td>{when(r.created_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
