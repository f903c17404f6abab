import { Type } from 'typebox';
import { Nullable, StringEnum, Timestamp, Uuid } from '../http/schemas.ts';

export const ENGINEER_STATUSES = ['available', 'on_job', 'on_leave', 'inactive'] as const;
export const EMPLOYMENT_TYPES = ['full_time', 'part_time', 'contract', 'freelance'] as const;

export const Engineer = Type.Object({
  id: Uuid,
  employee_id: Nullable(Type.String()),
  full_name: Type.String(),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  org_id: Nullable(Uuid),
  engineer_level: Nullable(Type.Integer()),
  status: Nullable(Type.String()),
  home_region: Nullable(Type.String()),
  skills: Nullable(Type.Array(Type.String())),
  coverage_pincodes: Nullable(Type.Array(Type.String())),
  created_at: Timestamp,
});

export const NewEngineer = Type.Object(
  {
    full_name: Type.String({ minLength: 1, maxLength: 200 }),
    org_id: Uuid,
    employee_id: Type.Optional(Type.String({ maxLength: 50 })),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 200 })),
    phone: Type.Optional(Type.String({ pattern: '^\\+?[0-9 -]{7,20}$' })),
    employment_type: Type.Optional(StringEnum(EMPLOYMENT_TYPES)),
    engineer_level: Type.Optional(Type.Integer({ minimum: 1, maximum: 3 })),
    home_region: Type.Optional(Type.String({ maxLength: 100 })),
    skills: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 50 })),
    coverage_pincodes: Type.Optional(Type.Array(Type.String({ pattern: '^[1-9][0-9]{5}$' }), { maxItems: 500 })),
  },
  { additionalProperties: false },
);

export const EngineerQuery = Type.Object({
  org_id: Type.Optional(Uuid),
  status: Type.Optional(StringEnum(ENGINEER_STATUSES)),
  skill: Type.Optional(Type.String({ maxLength: 100 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});
