import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { errors, IdParams, Page, PageQuery } from '../http/schemas.ts';
import * as customers from './queries.ts';
import * as review from './review.ts';
import {
  Customer,
  CustomerDevice,
  CustomerPatch,
  CustomerQuery,
  CustomerTicket,
  NewCustomer,
  Resolution,
  ReviewCase,
  ReviewQuery,
} from './schemas.ts';

const tags = ['customers'];

export async function customerRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/customers',
    {
      schema: {
        tags,
        summary: 'Customers you can see: by name (typo-tolerant), phone (any Indian format) or legacy id',
        querystring: CustomerQuery,
        response: { 200: Page(Customer), ...errors() },
      },
    },
    (req) => req.withCaller((tx) => customers.searchCustomers(tx, req.query)),
  );

  r.post(
    '/customers',
    { schema: { tags, summary: 'Create a customer', body: NewCustomer, response: { 201: Customer, ...errors(403, 422) } } },
    async (req, reply) => reply.status(201).send(await req.withCaller((tx) => customers.createCustomer(tx, req.caller!, req.body))),
  );

  // Registered before /customers/:id so the static segment wins regardless of router order.
  r.get(
    '/customers/review-cases',
    {
      schema: {
        tags,
        summary: 'The dedup review queue: possible duplicates waiting for a person (system_admin)',
        querystring: ReviewQuery,
        response: { 200: Page(ReviewCase), ...errors() },
      },
    },
    (req) => req.withCaller((tx) => review.listReviewCases(tx, req.query)),
  );

  r.get(
    '/customers/review-cases/:id',
    { schema: { tags, summary: 'One review case', params: IdParams, response: { 200: ReviewCase, ...errors(404) } } },
    (req) => req.withCaller((tx) => review.getReviewCase(tx, req.params.id)),
  );

  r.post(
    '/customers/review-cases/:id/resolve',
    {
      schema: {
        tags,
        summary: 'Resolve a review case: merge into one of the pair, or keep both (applied online, one transaction)',
        params: IdParams,
        body: Resolution,
        response: { 200: ReviewCase, ...errors(404, 409, 422) },
      },
    },
    (req) => req.withCaller((tx) => review.resolveReviewCase(tx, req.caller!, req.params.id, req.body)),
  );

  r.get(
    '/customers/:id',
    { schema: { tags, summary: 'One customer', params: IdParams, response: { 200: Customer, ...errors(404) } } },
    (req) => req.withCaller((tx) => customers.getCustomer(tx, req.params.id)),
  );

  r.patch(
    '/customers/:id',
    {
      schema: {
        tags,
        summary: 'Change a customer (its tickets follow: they point to it)',
        params: IdParams,
        body: CustomerPatch,
        response: { 200: Customer, ...errors(403, 404, 409, 422) },
      },
    },
    (req) => req.withCaller((tx) => customers.updateCustomer(tx, req.params.id, req.body)),
  );

  r.delete(
    '/customers/:id',
    {
      schema: {
        tags,
        summary: 'Deactivate a customer (the row stays: its tickets point to it)',
        params: IdParams,
        response: { 200: Customer, ...errors(403, 404, 409) },
      },
    },
    (req) => req.withCaller((tx) => customers.deactivateCustomer(tx, req.params.id)),
  );

  r.get(
    '/customers/:id/tickets',
    {
      schema: {
        tags,
        summary: "A customer's tickets, newest first",
        params: IdParams,
        querystring: Type.Object(PageQuery),
        response: { 200: Page(CustomerTicket), ...errors(404) },
      },
    },
    (req) => req.withCaller((tx) => customers.listCustomerTickets(tx, req.params.id, req.query)),
  );

  r.get(
    '/customers/:id/equipment',
    {
      schema: {
        tags,
        summary: "A customer's devices (those its tickets were raised on)",
        params: IdParams,
        response: { 200: Type.Array(CustomerDevice), ...errors(404) },
      },
    },
    (req) => req.withCaller((tx) => customers.listCustomerEquipment(tx, req.params.id)),
  );
}
