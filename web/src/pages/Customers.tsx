import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../api.ts';
import { Link } from '../router.tsx';
import type { Customer, Page } from './customer-types.ts';

/** Customer search: a name (typo-tolerant), a phone in any format, or a legacy id. */
export function Customers() {
  const [text, setText] = useState('');
  const [by, setBy] = useState<'q' | 'phone' | 'legacy_id'>('q');
  const [items, setItems] = useState<Customer[]>([]);
  const [error, setError] = useState<string | null>(null);

  const search = async (e?: FormEvent) => {
    e?.preventDefault();
    setError(null);
    try {
      const query = text.trim() ? `?${by}=${encodeURIComponent(text.trim())}` : '';
      setItems((await api<Page<Customer>>(`/customers${query}`)).items);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: the first page once, then on submit
  useEffect(() => {
    search();
  }, []);

  return (
    <section data-testid="customers">
      <h2>Customers</h2>
      <form className="card row" onSubmit={search}>
        <select value={by} onChange={(e) => setBy(e.target.value as typeof by)} aria-label="Search by">
          <option value="q">Name</option>
          <option value="phone">Phone</option>
          <option value="legacy_id">Legacy id</option>
        </select>
        <input value={text} onChange={(e) => setText(e.target.value)} placeholder="Apollo Hospital, 098765 43210, CUST-000042 …" />
        <button type="submit">Search</button>
        <Link to="/customers/review">Review queue</Link>
      </form>
      {error ? <p className="error">{error}</p> : null}
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>Type</th>
            <th>Phone</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {items.map((c) => (
            <tr key={c.id}>
              <td>
                <Link to={`/customers/${c.id}`}>{c.name}</Link>
              </td>
              <td>{c.customer_type.replace('_', ' ')}</td>
              <td>{c.primary_phone ?? '—'}</td>
              <td>{c.status}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {items.length === 0 ? <p className="muted">No customer matches.</p> : null}
    </section>
  );
}
