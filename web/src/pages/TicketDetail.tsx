import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { api, type Comment, type Ticket } from '../api.ts';
import { Link } from '../router.tsx';
import { Assignments } from './Assignments.tsx';
import { when } from './format.ts';

export function TicketDetail({ id }: { id: string }) {
  const [ticket, setTicket] = useState<Ticket | null>(null);
  const [comments, setComments] = useState<Comment[]>([]);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const path = `/tickets/${encodeURIComponent(id)}`;
      const [t, c] = await Promise.all([api<Ticket>(path), api<Comment[]>(`${path}/comments`)]);
      setTicket(t);
      setComments(c);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [id]);

  useEffect(() => {
    load();
  }, [load]);

  const addComment = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    try {
      await api(`/tickets/${encodeURIComponent(id)}/comments`, { method: 'POST', body: { comment: text } });
      setText('');
      await load();
    } catch (err) {
      setError((err as Error).message);
    }
  };

  if (error && !ticket) return <p className="error">{error}</p>;
  if (!ticket) return <p className="muted">Loading…</p>;
  return (
    <section data-testid="ticket-detail">
      <p>
        <Link to="/tickets">← All tickets</Link>
      </p>
      <h2>
        {ticket.ticket_number} <span className={`pill s-${ticket.status}`}>{ticket.status.replace('_', ' ')}</span>
      </h2>
      <div className="card grid">
        <div>
          <span className="label">Device</span>
          {ticket.equipment_name} <span className="muted">({ticket.serial_number})</span>
        </div>
        <div>
          <span className="label">QR</span>
          {ticket.qr_code ? <Link to={`/equipment?qr=${encodeURIComponent(ticket.qr_code)}`}>{ticket.qr_code}</Link> : '—'}
        </div>
        <div>
          <span className="label">Customer</span>
          {ticket.customer_id ? <Link to={`/customers/${ticket.customer_id}`}>{ticket.customer_name}</Link> : ticket.customer_name}
        </div>
        <div>
          <span className="label">Priority</span>
          <span className={`pill p-${ticket.priority}`}>{ticket.priority ?? '—'}</span>
        </div>
        <div>
          <span className="label">Engineer</span>
          {ticket.assigned_engineer_name ?? 'not assigned'}
        </div>
        <div>
          <span className="label">Opened</span>
          {when(ticket.created_at)} via {ticket.source ?? '—'}
        </div>
        <div>
          <span className="label">Resolution due</span>
          {when(ticket.sla_resolution_due)} {ticket.sla_breached ? <span className="pill p-critical">SLA breached</span> : null}
        </div>
      </div>
      <h3>Issue</h3>
      <p className="card">{ticket.issue_description}</p>
      <Assignments ticketId={ticket.id} ticketStatus={ticket.status} onChange={load} />
      <h3>Comments</h3>
      <ul className="comments">
        {comments.map((c) => (
          <li key={c.id}>
            <span className="muted">
              {c.author_name ?? 'system'} · {c.comment_type} · {when(c.created_at)}
            </span>
            <p>{c.comment}</p>
          </li>
        ))}
        {comments.length === 0 && <li className="muted">No comments yet.</li>}
      </ul>
      <form onSubmit={addComment} className="inline">
        <input placeholder="Add a comment" value={text} onChange={(e) => setText(e.target.value)} />
        <button type="submit">Comment</button>
      </form>
      {error && <p className="error">{error}</p>}
    </section>
  );
}
