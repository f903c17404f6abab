import QRCode from 'qrcode';

/**
 * The QR label of a device (origin-facts §1): a JSON payload `{url, id, serial, qr}` whose url
 * opens the public service-request page for that device, rendered as a PNG.
 */
export function qrPayload(equipment: { id: string; serial_number: string; qr_code: string }, baseUrl: string): string {
  const url = `${baseUrl.replace(/\/$/, '')}/service-request?qr=${encodeURIComponent(equipment.qr_code)}`;
  return JSON.stringify({ url, id: equipment.id, serial: equipment.serial_number, qr: equipment.qr_code });
}

export function qrPng(payload: string): Promise<Buffer> {
  return QRCode.toBuffer(payload, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 320 });
}
