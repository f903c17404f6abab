import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.ts';
import { useFreshDatabase } from '../support/database.ts';
import { API_SCHEMA, buildNetwork, client, type Network } from '../support/network.ts';

/**
 * The T1.1 routes through the HTTP layer with real callers and row-level security: the engineer's
 * own steps, a dispatcher's assign and escalate, 409 with the current state, 404 outside the network.
 */
// biome-ignore lint/correctness/useHookAtTopLevel: a vitest fixture named like a hook, not a React hook
const fresh = useFreshDatabase(API_SCHEMA);
let app: FastifyInstance;
let net: Network;

beforeAll(async () => {
  net = await buildNetwork(fresh.db);
  app = await buildApp({ database: fresh.db, logRequests: false, serveConsole: false });
});
afterAll(async () => app?.close());

describe('assignment routes', () => {
  it('an engineer accepts, starts and completes its own assignment; the ticket is resolved', async () => {
    const mfr = client(app, net.user.mfr.token);
    const eng = client(app, net.user.eng.token);
    const current = await mfr.get(`/api/v1/tickets/${net.ticket.T1}/current-assignment`);
    expect(current.statusCode).toBe(200);
    const a = current.json();
    expect(a).toMatchObject({ engineer_id: net.engineer.G_K1, assignment_sequence: 1, status: 'assigned' });
    expect((await eng.post(`/api/v1/assignments/${a.id}/accept`, {})).statusCode).toBe(200);
    const refused = await eng.post(`/api/v1/assignments/${a.id}/complete`, { completion_status: 'success' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'invalid_transition', details: { current: { assignment_status: 'accepted' } } });
    expect((await eng.post(`/api/v1/assignments/${a.id}/start`, {})).statusCode).toBe(200);
    const done = await eng.post(`/api/v1/assignments/${a.id}/complete`, {
      completion_status: 'success',
      actions_taken: 'replaced probe',
      time_spent_hours: 1.5,
      parts_used: [{ part_number: 'P-1', part_name: 'probe', quantity: 1, cost: 1200 }],
    });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ status: 'completed', time_spent_hours: '1.50' });
    const ticket = await mfr.get(`/api/v1/tickets/${net.ticket.T1}`);
    expect(ticket.json()).toMatchObject({ status: 'resolved' });
    const history = (await mfr.get(`/api/v1/tickets/${net.ticket.T1}/history`)).json();
    expect(history.map((h: { to_status: string }) => h.to_status)).toContain('resolved');
    expect((await mfr.post(`/api/v1/assignments/${a.id}/feedback`, { rating: 5, feedback: 'quick' })).statusCode).toBe(200);
    expect((await mfr.get(`/api/v1/engineers/${net.engineer.G_K1}/workload`)).json()).toMatchObject({ completed_count: 1 });
  });

  it('a dispatcher assigns, gets 409 naming the active assignment on a second assign, and escalates', async () => {
    const sys = client(app, net.user.sys.token);
    const t3 = net.ticket.T3;
    const first = await sys.post(`/api/v1/tickets/${t3}/assign`, {
      engineer_id: net.engineer.G_M1,
      tier: 1,
      tier_name: 'Warranty Coverage',
    });
    expect(first.statusCode).toBe(201);
    const again = await sys.post(`/api/v1/tickets/${t3}/assign`, { engineer_id: net.engineer.G_K1 });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.details).toMatchObject({ active_assignment_id: first.json().id, current: { ticket_status: 'assigned' } });
    expect((await sys.post(`/api/v1/assignments/${first.json().id}/accept`, {})).statusCode).toBe(200);
    const up = await sys.post(`/api/v1/tickets/${t3}/escalate`, { reason: 'needs dealer stock', next_engineer_id: net.engineer.G_K1 });
    expect(up.statusCode).toBe(201);
    expect(up.json()).toMatchObject({ assignment_sequence: 2, assignment_tier: 2, assignment_type: 'escalation' });
    const timeline = (await sys.get(`/api/v1/tickets/${t3}/assignments`)).json();
    expect(timeline.map((a: { status: string; moved_on_because: string | null }) => [a.status, a.moved_on_because])).toEqual([
      ['escalated', 'needs dealer stock'],
      ['assigned', null],
    ]);
    expect((await sys.post(`/api/v1/tickets/${t3}/cancel`, { reason: 'duplicate' })).json()).toMatchObject({ status: 'cancelled' });
    const closed = await sys.post(`/api/v1/tickets/${t3}/escalate`, { reason: 'x', next_engineer_id: net.engineer.G_M1 });
    expect(closed.statusCode).toBe(409);
    expect(closed.json().error.details.current).toMatchObject({ ticket_status: 'cancelled' });
  });

  it('another network answers 404', async () => {
    const mfr2 = client(app, net.user.mfr2.token);
    expect((await mfr2.get(`/api/v1/tickets/${net.ticket.T1}/assignments`)).statusCode).toBe(404);
    expect((await mfr2.post(`/api/v1/tickets/${net.ticket.T1}/assign`, { engineer_id: net.engineer.G_M2 })).statusCode).toBe(404);
  });
});
