/** The console's one way to the API: JSON over fetch with the session token, errors as ApiError. */
const TOKEN_KEY = 'abymed.session';

export interface Session {
  token: string;
  user: { id: string; email: string; full_name: string; role: string; org_id: string | null };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const session = {
  get(): Session | null {
    const raw = localStorage.getItem(TOKEN_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  },
  set(s: Session | null) {
    if (s) localStorage.setItem(TOKEN_KEY, JSON.stringify(s));
    else localStorage.removeItem(TOKEN_KEY);
  },
};

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = {};
  const s = session.get();
  if (s) headers.authorization = `Bearer ${s.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (res.status === 204) return undefined as T;
  const data = await res.json().catch(() => ({}));
  if (!res.ok) {
    if (res.status === 401 && s && !path.startsWith('/auth/login')) {
      session.set(null);
      window.dispatchEvent(new Event('abymed:logout'));
    }
    throw new ApiError(res.status, data?.error?.code ?? 'unknown', data?.error?.message ?? res.statusText);
  }
  return data as T;
}

export interface Ticket {
  id: string;
  ticket_number: string;
  equipment_id: string;
  qr_code: string | null;
  serial_number: string;
  equipment_name: string;
  customer_id?: string | null;
  customer_name: string;
  issue_description: string;
  issue_category: string | null;
  priority: string | null;
  source: string | null;
  status: string;
  assigned_engineer_name: string | null;
  created_at: string;
  sla_resolution_due: string | null;
  sla_breached: boolean | null;
}

export interface Comment {
  id: string;
  comment_type: string | null;
  author_name: string | null;
  comment: string;
  created_at: string;
}

export interface Equipment {
  id: string;
  qr_code: string;
  serial_number: string;
  equipment_name: string | null;
  manufacturer_name: string | null;
  model_number: string | null;
  category: string | null;
  customer_name: string | null;
  installation_location: string | null;
  status: string | null;
  warranty_expiry: string | null;
}
