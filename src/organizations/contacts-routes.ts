import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AsOfQuery, parseAsOf } from '../http/as-of.ts';
import { errors, IdParams } from '../http/schemas.ts';
import * as contacts from './contacts.ts';
import { Contact, ContactParams, MakePrimary, PrimaryPeriod } from './contacts-schemas.ts';

const tags = ['organizations'];

export async function contactRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/organizations/:id/contacts',
    {
      schema: {
        tags,
        summary: 'Contact persons of an organization as of an instant, with who was primary then',
        params: IdParams,
        querystring: Type.Object(AsOfQuery),
        response: { 200: Type.Array(Contact), ...errors(404) },
      },
    },
    (req) => req.withCaller((tx) => contacts.listContacts(tx, req.params.id, parseAsOf(req.query.as_of))),
  );

  r.get(
    '/organizations/:id/contacts/primary-history',
    {
      schema: {
        tags,
        summary: 'Who was the primary contact of an organization, from when until when',
        params: IdParams,
        response: { 200: Type.Array(PrimaryPeriod), ...errors(404) },
      },
    },
    (req) => req.withCaller((tx) => contacts.listPrimaryHistory(tx, req.params.id)),
  );

  r.post(
    '/organizations/:id/contacts/:contactId/make-primary',
    {
      schema: {
        tags,
        summary: 'Make a contact the primary contact from now on (closes the current period, opens the next)',
        params: ContactParams,
        body: Type.Optional(MakePrimary),
        response: { 200: PrimaryPeriod, ...errors(403, 404, 409, 422) },
      },
    },
    (req) => req.withCaller((tx) => contacts.makePrimaryContact(tx, req.caller!, req.params.id, req.params.contactId, req.body?.reason)),
  );
}
