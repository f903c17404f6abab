import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { api, session } from '../api.ts';
import { when } from './format.ts';

/**
 * The ticket page's assignments (T1.1): the escalation timeline — who, tier, when, how long and why
 * each assignment moved on — from GET /tickets/{id}/assignments, and a dispatcher's two actions:
 * assign (from /suggested-engineers) when nobody is active, escalate when the active engineer has
 * accepted or started. The API decides what is allowed; a refused step shows its message.
 */
interface TimelineEntry {
  id: string;
  engineer_id: string | null;
  engineer_name: string;
  assignment_sequence: number;
  assignment_tier: number;
  assignment_tier_name: string | null;
  assignment_type: string;
  assignment_reason: string | null;
  assigned_at: string;
  status: string;
  ended_at: string | null;
  duration_minutes: number | null;
  moved_on_because: string | null;
}

interface Suggestion {
  engineer_id: string;
  full_name: string;
  org_name: string;
  tier: number;
  tier_name: string;
  engineer_level: number;
  active_assignments: number;
}

const ACTIVE = ['assigned', 'accepted', 'in_progress'];
const CLOSED_TICKET = ['resolved', 'closed', 'cancelled'];

/** "45 min", "3 h 10 min", "2 d 4 h": how long an assignment lasted (or has lasted so far). */
export function duration(minutes: number | null): string {
  if (minutes === null) return '—';
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  if (h < 24) return `${h} h ${minutes % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

export function Assignments({ ticketId, ticketStatus, onChange }: { ticketId: string; ticketStatus: string; onChange: () => void }) {
  const base = `/tickets/${encodeURIComponent(ticketId)}`;
  const [timeline, setTimeline] = useState<TimelineEntry[] | null>(null);
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);
  const [engineerId, setEngineerId] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Engineers act on their own assignments; everyone else in the network may dispatch.
  const dispatcher = session.get()?.user.role !== 'engineer';

  const load = useCallback(async () => {
    try {
      const [t, s] = await Promise.all([
        api<TimelineEntry[]>(`${base}/assignments`),
        dispatcher ? api<Suggestion[]>(`${base}/suggested-engineers`) : Promise.resolve([]),
      ]);
      setTimeline(t);
      setSuggestions(s);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [base, dispatcher]);

  useEffect(() => {
    load();
  }, [load]);

  const active = timeline?.find((a) => ACTIVE.includes(a.status));
  const canAssign = dispatcher && !active && !CLOSED_TICKET.includes(ticketStatus);
  const canEscalate = dispatcher && (active?.status === 'accepted' || active?.status === 'in_progress');
  // Escalation moves the ticket up one tier to someone else; without a choice the API takes the
  // best suggestion at the next tier or beyond.
  const choices = canEscalate ? suggestions.filter((s) => s.engineer_id !== active?.engineer_id) : suggestions;

  const submit = (kind: 'assign' | 'escalate') => async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const picked = suggestions.find((s) => s.engineer_id === engineerId);
      const body =
        kind === 'assign'
          ? { engineer_id: engineerId, tier: picked?.tier, tier_name: picked?.tier_name, reason: reason || undefined }
          : { reason, next_engineer_id: engineerId || undefined, next_tier_name: picked?.tier_name };
      await api(`${base}/${kind}`, { method: 'POST', body });
      setEngineerId('');
      setReason('');
      await load();
      onChange();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (!timeline) return error ? <p className="error">{error}</p> : <p className="muted">Loading assignments…</p>;
  return (
    <div data-testid="assignments">
      <h3>Assignments</h3>
      <table className="list" data-testid="assignment-timeline">
        <thead>
          <tr>
            <th>#</th>
            <th>Engineer</th>
            <th>Tier</th>
            <th>Assigned</th>
            <th>How long</th>
            <th>Status</th>
            <th>Why it moved on</th>
          </tr>
        </thead>
        <tbody>
          {timeline.map((a) => (
            <tr key={a.id}>
              <td>{a.assignment_sequence}</td>
              <td>
                {a.engineer_name}
                {a.assignment_reason && <div className="muted small">{a.assignment_reason}</div>}
              </td>
              <td>
                {a.assignment_tier}
                {a.assignment_tier_name && <span className="muted"> · {a.assignment_tier_name}</span>}
              </td>
              <td>{when(a.assigned_at)}</td>
              <td>
                {duration(a.duration_minutes)}
                {!a.ended_at && <span className="muted"> so far</span>}
              </td>
              <td>
                <span className={`pill s-${a.status}`}>{a.status.replace('_', ' ')}</span>
              </td>
              <td>{a.moved_on_because ?? '—'}</td>
            </tr>
          ))}
          {timeline.length === 0 && (
            <tr>
              <td colSpan={7} className="muted">
                Nobody has been assigned yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {(canAssign || canEscalate) && (
        <form
          onSubmit={submit(canAssign ? 'assign' : 'escalate')}
          className="inline"
          data-testid={canAssign ? 'assign-form' : 'escalate-form'}
        >
          <select aria-label="Engineer" value={engineerId} onChange={(e) => setEngineerId(e.target.value)} required={canAssign}>
            <option value="">{canAssign ? 'Choose an engineer' : 'Best suggestion at the next tier'}</option>
            {choices.map((s) => (
              <option key={s.engineer_id} value={s.engineer_id}>
                {s.full_name} ({s.org_name}) · tier {s.tier} {s.tier_name} · L{s.engineer_level} · {s.active_assignments} active
              </option>
            ))}
          </select>
          <input
            aria-label={canAssign ? 'Reason (optional)' : 'Why escalate?'}
            placeholder={canAssign ? 'Reason (optional)' : 'Why escalate?'}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            required={canEscalate}
          />
          <button type="submit" disabled={busy}>
            {canAssign ? 'Assign' : 'Escalate'}
          </button>
        </form>
      )}
      {canAssign && suggestions.length === 0 && <p className="muted small">No eligible engineer in your network for this device.</p>}
      {error && <p className="error">{error}</p>}
    </div>
  );
}
