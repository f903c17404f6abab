import { useCallback, useEffect, useState } from 'react';
import { ApiError, api } from '../api.ts';
import { Link } from '../router.tsx';
import { when } from './format.ts';
import { type Quote, type QuoteScore, type Rfq, type RfqItem, rupees } from './procurement-types.ts';

/**
 * One RFQ: its lines down the side and its quotes side by side, each cell the supplier's price for
 * that line, with totals, lead times and the comparison by the original's weights (price 40,
 * quality 30, delivery 20, compliance 10). The requester publishes, closes, cancels and awards here.
 */
export function RfqDetail({ id }: { id: string }) {
  const [rfq, setRfq] = useState<(Rfq & { items: RfqItem[] }) | null>(null);
  const [quotes, setQuotes] = useState<Quote[]>([]);
  const [scores, setScores] = useState<Record<string, QuoteScore>>({});
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    const path = `/rfq/${encodeURIComponent(id)}`;
    const r = await api<Rfq & { items: RfqItem[] }>(path);
    const list = await api<{ items: Quote[] }>(`/rfqs/${encodeURIComponent(id)}/quotes`);
    const full = await Promise.all(list.items.map((q) => api<Quote>(`/quotes/${encodeURIComponent(q.id)}`)));
    const comparison = await api<{ quotes: QuoteScore[] }>(`${path}/compare`, { method: 'POST', body: {} }).catch(() => ({ quotes: [] }));
    setRfq(r);
    setQuotes(full);
    setScores(Object.fromEntries(comparison.quotes.map((s) => [s.quote_id, s])));
  }, [id]);

  useEffect(() => {
    load().catch((e: Error) => setError(e.message));
  }, [load]);

  const act = async (path: string, body?: unknown) => {
    setNotice(null);
    try {
      await api(path, { method: 'POST', body: body ?? {} });
      await load();
    } catch (e) {
      setNotice(e instanceof ApiError ? e.message : String(e));
    }
  };

  if (error) return <p className="error">{error}</p>;
  if (!rfq) return <p className="muted">Loading…</p>;
  const base = `/rfq/${encodeURIComponent(rfq.id)}`;
  const cell = (q: Quote, line: RfqItem) => q.items?.find((i) => i.rfq_item_id === line.id);
  const awardable = (q: Quote) => ['published', 'closed'].includes(rfq.status) && ['submitted', 'under_review'].includes(q.status);
  return (
    <section data-testid="rfq-detail">
      <p>
        <Link to="/rfq">← All RFQs</Link>
      </p>
      <h2>
        {rfq.rfq_number ?? rfq.id} · {rfq.title} <span className="pill">{rfq.status}</span>
      </h2>
      <p className="muted">
        Responses due {when(rfq.response_deadline)} · created {when(rfq.created_at)}
      </p>
      <p>
        {rfq.status === 'draft' ? (
          <button type="button" onClick={() => act(`${base}/publish`)}>
            Publish
          </button>
        ) : null}
        {rfq.status === 'published' ? (
          <button type="button" onClick={() => act(`${base}/close`)}>
            Close for responses
          </button>
        ) : null}
        {['draft', 'published', 'closed'].includes(rfq.status) ? (
          <button type="button" onClick={() => act(`${base}/cancel`)}>
            Cancel RFQ
          </button>
        ) : null}
      </p>
      {notice ? (
        <p className="error" role="alert">
          {notice}
        </p>
      ) : null}
      <div style={{ overflowX: 'auto' }}>
        <table data-testid="rfq-matrix">
          <thead>
            <tr>
              <th>Line</th>
              <th>Item</th>
              <th>Qty</th>
              <th>Needed by</th>
              {quotes.map((q) => (
                <th key={q.id} data-testid="quote-column">
                  {q.quote_number ?? q.id}
                  <br />
                  <span className="pill">{q.status}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rfq.items.map((line) => (
              <tr key={line.id}>
                <td>{line.line_number}</td>
                <td>{line.name}</td>
                <td>
                  {line.quantity} {line.unit ?? ''}
                </td>
                <td>{line.required_by_date ?? '—'}</td>
                {quotes.map((q) => {
                  const item = cell(q, line);
                  return (
                    <td key={q.id}>
                      {item ? (
                        <>
                          {rupees(item.unit_price)} × {item.quantity}
                          <br />
                          <strong>{rupees(item.total_price)}</strong>
                          {item.lead_time_days != null ? <span className="muted"> · {item.lead_time_days} d</span> : null}
                        </>
                      ) : (
                        <span className="muted">not quoted</span>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th colSpan={4}>Total (incl. tax)</th>
              {quotes.map((q) => (
                <th key={q.id}>{rupees(q.total_amount)}</th>
              ))}
            </tr>
            <tr>
              <th colSpan={4}>Score (price 40 · quality 30 · delivery 20 · compliance 10)</th>
              {quotes.map((q) => {
                const s = scores[q.id];
                return (
                  <td key={q.id} data-testid="quote-score">
                    {s ? (
                      <>
                        <strong>{s.weighted.toFixed(1)}</strong> (#{s.rank})
                        <br />
                        <span className="muted">
                          price {s.scores.price.toFixed(0)} · delivery {s.scores.delivery.toFixed(0)} · lines {s.lines_covered}/
                          {s.lines_requested}
                        </span>
                      </>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                );
              })}
            </tr>
            <tr>
              <th colSpan={4} />
              {quotes.map((q) => (
                <td key={q.id}>
                  {awardable(q) ? (
                    <button type="button" onClick={() => act(`${base}/award`, { quote_id: q.id })}>
                      Award
                    </button>
                  ) : null}
                </td>
              ))}
            </tr>
          </tfoot>
        </table>
      </div>
      {quotes.length === 0 ? <p className="muted">No quotes yet.</p> : null}
    </section>
  );
}
