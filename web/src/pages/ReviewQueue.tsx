import { useCallback, useEffect, useState } from 'react';
import { api } from '../api.ts';
import { Link } from '../router.tsx';
import type { Customer, Page, ReviewCase } from './customer-types.ts';

/** The dedup review queue: possible duplicates a person merges (into either one) or keeps apart. */
export function ReviewQueue() {
  const [cases, setCases] = useState<ReviewCase[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setCases((await api<Page<ReviewCase>>('/customers/review-cases?limit=100')).items);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);

  useEffect(() => {
    load();
  }, [load]);

  const resolve = async (k: ReviewCase, action: 'merge' | 'keep_separate', survivor?: Customer) => {
    setError(null);
    try {
      await api(`/customers/review-cases/${k.id}/resolve`, { method: 'POST', body: { action, survivor_id: survivor?.id } });
      setDone(action === 'merge' ? `Merged into ${survivor?.name}.` : 'Kept as two customers.');
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const side = (c: Customer) => (
    <div>
      <Link to={`/customers/${c.id}`}>{c.name}</Link>
      <div className="muted">{c.primary_phone ?? 'no phone'}</div>
    </div>
  );

  return (
    <section data-testid="review-queue">
      <p>
        <Link to="/customers">← Customers</Link>
      </p>
      <h2>Possible duplicates ({cases.length})</h2>
      {done ? <p className="muted">{done}</p> : null}
      {error ? <p className="error">{error}</p> : null}
      {cases.length === 0 ? <p className="muted">Nothing waiting for review.</p> : null}
      {cases.map((k) => (
        <div className="card" key={k.id} data-testid="review-case">
          <p>
            <strong>{k.kind.replaceAll('_', ' ')}</strong>
            {k.similarity !== null ? <span className="muted"> · name similarity {k.similarity}</span> : null}
          </p>
          <p>{k.reason}</p>
          <div className="grid">
            {side(k.customer)}
            {side(k.candidate)}
          </div>
          <p className="row">
            <button type="button" onClick={() => resolve(k, 'merge', k.candidate)}>
              Merge into {k.candidate.name}
            </button>
            <button type="button" onClick={() => resolve(k, 'merge', k.customer)}>
              Merge into {k.customer.name}
            </button>
            <button type="button" className="link" onClick={() => resolve(k, 'keep_separate')}>
              Keep separate
            </button>
          </p>
        </div>
      ))}
    </section>
  );
}
