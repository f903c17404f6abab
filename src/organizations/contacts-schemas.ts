import { Type } from 'typebox';
import { Nullable, Timestamp, Uuid } from '../http/schemas.ts';

const Str = Nullable(Type.String());

export const Contact = Type.Object({
  id: Uuid,
  org_id: Uuid,
  name: Type.String(),
  designation: Str,
  department: Str,
  email: Type.String(),
  primary_phone: Type.String(),
  whatsapp_number: Str,
  preferred_contact_method: Str,
  effective_from: Timestamp,
  effective_to: Nullable(Timestamp),
  is_primary: Type.Boolean({ description: 'Was the primary contact at the as_of instant' }),
});

export const PrimaryPeriod = Type.Object({
  id: Uuid,
  org_id: Type.Optional(Uuid),
  contact_id: Uuid,
  contact_name: Type.Optional(Type.String()),
  effective_from: Timestamp,
  effective_to: Nullable(Timestamp),
  source: Type.String(),
  changed_by: Type.String(),
  change_reason: Str,
});

export const ContactParams = Type.Object({ id: Uuid, contactId: Uuid });
export const MakePrimary = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });
