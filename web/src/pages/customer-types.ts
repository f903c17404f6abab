/** Shapes of the customers and contacts API (src/customers/schemas.ts, src/organizations/contacts-schemas.ts). */
export interface Customer {
  id: string;
  customer_type: string;
  name: string;
  primary_phone: string | null;
  whatsapp: string | null;
  email: string | null;
  organization_id: string | null;
  status: string;
  merged_into_id: string | null;
  created_at: string;
}

export interface CustomerTicket {
  id: string;
  ticket_number: string;
  equipment_name: string;
  issue_description: string;
  priority: string | null;
  status: string;
  created_at: string;
}

export interface CustomerDevice {
  id: string;
  serial_number: string;
  equipment_name: string | null;
  qr_code: string | null;
  status: string | null;
  last_ticket_at: string | null;
}

export interface ReviewCase {
  id: string;
  kind: string;
  customer: Customer;
  candidate: Customer;
  similarity: number | null;
  reason: string;
  status: string;
  created_at: string;
}

export interface Contact {
  id: string;
  name: string;
  designation: string | null;
  email: string;
  primary_phone: string;
  effective_from: string;
  effective_to: string | null;
  is_primary: boolean;
}

export interface PrimaryPeriod {
  id: string;
  contact_id: string;
  contact_name: string;
  effective_from: string;
  effective_to: string | null;
  source: string;
  changed_by: string;
  change_reason: string | null;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}
