import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { errors, Nullable, StringEnum, Timestamp } from '../http/schemas.ts';
import { PRIORITIES } from '../tickets/schemas.ts';
import { describeDevice, submitServiceRequest } from './submit.ts';

const tags = ['service requests (public)'];

const PublicDevice = Type.Object({
  equipment: Type.Object({
    qr_code: Type.String(),
    equipment_name: Nullable(Type.String()),
    manufacturer_name: Nullable(Type.String()),
    model_number: Nullable(Type.String()),
    category: Nullable(Type.String()),
    installation_location: Nullable(Type.String()),
    status: Nullable(Type.String()),
  }),
  open_ticket: Nullable(Type.Object({ ticket_number: Type.String(), status: Type.String(), created_at: Timestamp })),
});

const ServiceRequest = Type.Object(
  {
    qr_code: Type.String({ minLength: 1, maxLength: 255 }),
    requester_name: Type.String({ minLength: 1, maxLength: 200 }),
    requester_phone: Type.Optional(Type.String({ pattern: '^\\+?[0-9][0-9 -]{6,18}$' })),
    priority: Type.Optional(StringEnum(PRIORITIES)),
    issue_category: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    issue_description: Type.String({ minLength: 3, maxLength: 5000 }),
  },
  { additionalProperties: false },
);

const Outcome = Type.Object({
  created: Type.Boolean({ description: 'false: a ticket was already open for this device; the report was added to it' }),
  ticket_number: Type.String(),
  status: Type.String(),
});

/** The public routes behind the /service-request?qr= page: no login, rate-limited per client address. */
export async function serviceRequestRoutes(
  app: FastifyInstance,
  options: { rateLimit: { max: number; timeWindow: number } },
): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const config = { public: true, rateLimit: options.rateLimit };

  r.get(
    '/service-request',
    {
      config,
      schema: {
        tags,
        security: [],
        summary: 'What a QR label names, and its open ticket if any',
        querystring: Type.Object({ qr: Type.String({ minLength: 1, maxLength: 255 }) }),
        response: { 200: PublicDevice, ...errors(404) },
      },
    },
    (req) => describeDevice(app.database.db, req.query.qr),
  );

  r.post(
    '/service-request',
    {
      config,
      schema: {
        tags,
        security: [],
        summary: 'Report a problem with a device from its QR label (repeated reports join the open ticket)',
        body: ServiceRequest,
        response: { 200: Outcome, 201: Outcome, ...errors(404) },
      },
    },
    async (req, reply) => {
      const outcome = await submitServiceRequest(app.database.db, req.body);
      return reply.status(outcome.created ? 201 : 200).send(outcome);
    },
  );
}
