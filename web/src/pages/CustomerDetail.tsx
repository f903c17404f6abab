import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import { Link } from '../router.tsx';
import type { Customer, CustomerDevice, CustomerTicket, Page } from './customer-types.ts';
import { when } from './format.ts';

/** One customer: its details, its tickets (newest first) and the devices they were raised on. */
export function CustomerDetail({ id }: { id: string }) {
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [tickets, setTickets] = useState<CustomerTicket[]>([]);
  const [devices, setDevices] = useState<CustomerDevice[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const path = `/customers/${encodeURIComponent(id)}`;
    Promise.all([api<Customer>(path), api<Page<CustomerTicket>>(`${path}/tickets`), api<CustomerDevice[]>(`${path}/equipment`)])
      .then(([c, t, d]) => {
        setCustomer(c);
        setTickets(t.items);
        setDevices(d);
      })
      .catch((e: Error) => setError(e.message));
  }, [id]);

  if (error) return <p className="error">{error}</p>;
  if (!customer) return <p className="muted">Loading…</p>;
  return (
    <section data-testid="customer-detail">
      <p>
        <Link to="/customers">← All customers</Link>
      </p>
      <h2>
        {customer.name} <span className="pill">{customer.status}</span>
      </h2>
      {customer.merged_into_id ? (
        <p>
          Merged into <Link to={`/customers/${customer.merged_into_id}`}>the surviving customer</Link>.
        </p>
      ) : null}
      <div className="card grid">
        <div>
          <span className="label">Type</span>
          {customer.customer_type.replace('_', ' ')}
        </div>
        <div>
          <span className="label">Phone</span>
          {customer.primary_phone ?? '—'}
        </div>
        <div>
          <span className="label">WhatsApp</span>
          {customer.whatsapp ?? '—'}
        </div>
        <div>
          <span className="label">Email</span>
          {customer.email ?? '—'}
        </div>
        <div>
          <span className="label">Organization</span>
          {customer.organization_id ? (
            <Link to={`/organizations/${customer.organization_id}/contacts`}>contacts and their history</Link>
          ) : (
            '—'
          )}
        </div>
        <div>
          <span className="label">Since</span>
          {when(customer.created_at)}
        </div>
      </div>
      <h3>Tickets ({tickets.length})</h3>
      <table>
        <thead>
          <tr>
            <th>Number</th>
            <th>Device</th>
            <th>Issue</th>
            <th>Status</th>
            <th>Opened</th>
          </tr>
        </thead>
        <tbody>
          {tickets.map((t) => (
            <tr key={t.id}>
              <td>
                <Link to={`/tickets/${encodeURIComponent(t.id)}`}>{t.ticket_number}</Link>
              </td>
              <td>{t.equipment_name}</td>
              <td>{t.issue_description}</td>
              <td>
                <span className={`pill s-${t.status}`}>{t.status.replace('_', ' ')}</span>
              </td>
              <td>{when(t.created_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Equipment ({devices.length})</h3>
      <table>
        <thead>
          <tr>
            <th>Device</th>
            <th>Serial</th>
            <th>QR</th>
            <th>Last ticket</th>
          </tr>
        </thead>
        <tbody>
          {devices.map((d) => (
            <tr key={d.id}>
              <td>{d.equipment_name ?? '—'}</td>
              <td>{d.serial_number}</td>
              <td>{d.qr_code ? <Link to={`/equipment?qr=${encodeURIComponent(d.qr_code)}`}>{d.qr_code}</Link> : '—'}</td>
              <td>{when(d.last_ticket_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
