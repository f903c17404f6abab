import { useCallback, useEffect, useState } from 'react';
import { api, type Ticket } from '../api.ts';
import { Link } from '../router.tsx';
import { when } from './format.ts';

const STATUSES = ['', 'new', 'assigned', 'in_progress', 'on_hold', 'resolved', 'closed', 'cancelled'];
const PRIORITIES = ['', 'critical', 'high', 'medium', 'low'];

export function Tickets() {
  const [status, setStatus] = useState('');
  const [priority, setPriority] = useState('');
  const [q, setQ] = useState('');
  const [items, setItems] = useState<Ticket[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(
    async (cursor?: string) => {
      setLoading(true);
      setError(null);
      const params = new URLSearchParams({ limit: '25' });
      if (status) params.set('status', status);
      if (priority) params.set('priority', priority);
      if (q) params.set('q', q);
      if (cursor) params.set('cursor', cursor);
      try {
        const page = await api<{ items: Ticket[]; next_cursor: string | null }>(`/tickets?${params}`);
        setItems((prev) => (cursor ? [...prev, ...page.items] : page.items));
        setNext(page.next_cursor);
      } catch (e) {
        setError((e as Error).message);
      } finally {
        setLoading(false);
      }
    },
    [status, priority, q],
  );

  useEffect(() => {
    load();
  }, [load]);

  return (
    <section>
      <h2>Service tickets</h2>
      <div className="filters">
        <select aria-label="status" value={status} onChange={(e) => setStatus(e.target.value)}>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s ? s.replace('_', ' ') : 'any status'}
            </option>
          ))}
        </select>
        <select aria-label="priority" value={priority} onChange={(e) => setPriority(e.target.value)}>
          {PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {p || 'any priority'}
            </option>
          ))}
        </select>
        <input placeholder="Ticket number, customer or device" value={q} onChange={(e) => setQ(e.target.value)} />
      </div>
      {error && <p className="error">{error}</p>}
      <table className="list" data-testid="ticket-list">
        <thead>
          <tr>
            <th>Ticket</th>
            <th>Device</th>
            <th>Customer</th>
            <th>Priority</th>
            <th>Status</th>
            <th>Opened</th>
          </tr>
        </thead>
        <tbody>
          {items.map((t) => (
            <tr key={t.id}>
              <td>
                <Link to={`/tickets/${encodeURIComponent(t.id)}`}>{t.ticket_number}</Link>
              </td>
              <td>{t.equipment_name}</td>
              <td>{t.customer_name}</td>
              <td>
                <span className={`pill p-${t.priority}`}>{t.priority ?? '—'}</span>
              </td>
              <td>
                <span className={`pill s-${t.status}`}>{t.status.replace('_', ' ')}</span>
              </td>
              <td>{when(t.created_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {!loading && items.length === 0 && <p className="muted">No tickets in your network match.</p>}
      {next && (
        <button type="button" onClick={() => load(next)} disabled={loading}>
          {loading ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}
