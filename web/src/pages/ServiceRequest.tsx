import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../api.ts';

interface PublicDevice {
  equipment: {
    qr_code: string;
    equipment_name: string | null;
    manufacturer_name: string | null;
    model_number: string | null;
    installation_location: string | null;
    status: string | null;
  };
  open_ticket: { ticket_number: string; status: string } | null;
}

/** The page a QR label opens: no login; a report joins the open ticket of the device if there is one. */
export function ServiceRequest({ qr }: { qr: string }) {
  const [device, setDevice] = useState<PublicDevice | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [priority, setPriority] = useState('medium');
  const [description, setDescription] = useState('');
  const [done, setDone] = useState<{ created: boolean; ticket_number: string } | null>(null);

  useEffect(() => {
    if (!qr) return;
    api<PublicDevice>(`/service-request?qr=${encodeURIComponent(qr)}`).then(setDevice, (e) => setError((e as Error).message));
  }, [qr]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const body = {
        qr_code: qr,
        requester_name: name,
        issue_description: description,
        priority,
        ...(phone ? { requester_phone: phone } : {}),
      };
      setDone(await api<{ created: boolean; ticket_number: string }>('/service-request', { method: 'POST', body }));
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <div className="public">
      <div className="card">
        <h1>Request service</h1>
        {!qr && <p className="error">This page needs a QR code: scan the label on the device.</p>}
        {device && (
          <p data-testid="public-device">
            <strong>{device.equipment.equipment_name}</strong> · {device.equipment.manufacturer_name} {device.equipment.model_number}
            <br />
            <span className="muted">
              {device.equipment.qr_code} · {device.equipment.installation_location ?? 'location not recorded'}
            </span>
          </p>
        )}
        {device?.open_ticket && !done && (
          <p className="notice">
            Ticket {device.open_ticket.ticket_number} is already open for this device ({device.open_ticket.status}); your report will be
            added to it.
          </p>
        )}
        {done ? (
          <p className="success" role="status" data-testid="request-done">
            {done.created ? 'Thank you. Ticket ' : 'Thank you. Your report was added to ticket '}
            <strong>{done.ticket_number}</strong>
            {done.created ? ' has been opened.' : '.'}
          </p>
        ) : (
          device && (
            <form onSubmit={submit}>
              <label>
                Your name
                <input name="requester_name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
              </label>
              <label>
                Phone (optional)
                <input name="requester_phone" value={phone} onChange={(e) => setPhone(e.target.value)} placeholder="+91 98765 43210" />
              </label>
              <label>
                Priority
                <select name="priority" value={priority} onChange={(e) => setPriority(e.target.value)}>
                  <option value="low">Low</option>
                  <option value="medium">Medium</option>
                  <option value="high">High</option>
                  <option value="critical">Critical</option>
                </select>
              </label>
              <label>
                What is wrong?
                <textarea
                  name="issue_description"
                  value={description}
                  onChange={(e) => setDescription(e.target.value)}
                  required
                  minLength={3}
                  rows={4}
                />
              </label>
              <button type="submit">Send request</button>
            </form>
          )
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </div>
    </div>
  );
}
