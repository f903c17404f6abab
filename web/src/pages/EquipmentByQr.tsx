import { type FormEvent, useEffect, useState } from 'react';
import { api, type Equipment } from '../api.ts';
import { navigate } from '../router.tsx';
import { EquipmentParties } from './EquipmentParties.tsx';

export function EquipmentByQr({ initialQr }: { initialQr: string }) {
  const [qr, setQr] = useState(initialQr);
  const [device, setDevice] = useState<Equipment | null>(null);
  const [error, setError] = useState<string | null>(null);

  // The QR code lives in the URL (?qr=), so a lookup is a navigation and can be bookmarked.
  useEffect(() => {
    if (!initialQr) return;
    setError(null);
    setDevice(null);
    api<Equipment>(`/equipment/qr/${encodeURIComponent(initialQr)}`).then(setDevice, (e) => setError((e as Error).message));
  }, [initialQr]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (qr.trim()) navigate(`/equipment?qr=${encodeURIComponent(qr.trim())}`);
  };

  return (
    <section>
      <h2>Equipment by QR code</h2>
      <form onSubmit={submit} className="inline">
        <input placeholder="QR-20250101-000001" value={qr} onChange={(e) => setQr(e.target.value)} />
        <button type="submit">Look up</button>
      </form>
      {error && <p className="error">{error}</p>}
      {device && (
        <div className="card device" data-testid="device">
          <h3>{device.equipment_name}</h3>
          <dl>
            <dt>QR code</dt>
            <dd>{device.qr_code}</dd>
            <dt>Serial</dt>
            <dd>{device.serial_number}</dd>
            <dt>Maker / model</dt>
            <dd>
              {device.manufacturer_name ?? '—'} {device.model_number ?? ''}
            </dd>
            <dt>Category</dt>
            <dd>{device.category ?? '—'}</dd>
            <dt>Customer</dt>
            <dd>{device.customer_name ?? '—'}</dd>
            <dt>Location</dt>
            <dd>{device.installation_location ?? '—'}</dd>
            <dt>Status</dt>
            <dd>{device.status ?? '—'}</dd>
            <dt>Warranty until</dt>
            <dd>{device.warranty_expiry ?? '—'}</dd>
          </dl>
          <p>
            <a href={`/service-request?qr=${encodeURIComponent(device.qr_code)}`}>Public service-request page for this label</a>
          </p>
        </div>
      )}
      {device && <EquipmentParties key={device.id} equipmentId={device.id} />}
    </section>
  );
}
