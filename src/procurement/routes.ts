import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { errors } from '../http/schemas.ts';
import type { Actor } from './access.ts';
import { compareQuotes } from './compare.ts';
import { addQuoteItem, createQuote, getQuote, listQuotes, moveQuote, removeQuoteItem } from './quotes.ts';
import { averageQuotedPriceByProduct, demandByCategory, rfqsForProduct } from './reports.ts';
import { addRfqItem, awardRfq, createRfq, getRfq, listRfqs, moveRfq, removeRfqItem } from './rfqs.ts';
import * as s from './schemas.ts';

/**
 * Procurement routes (T1.3, docs/database/T1.3.md), on the original's paths (origin-facts §6):
 * `/rfq` and `/quotes` with their items and actions, `/rfqs/{rfq_id}/quotes`,
 * `/suppliers/{supplier_id}/quotes`, plus the comparison and the three questions of the review.
 */
const tags = ['procurement'];
const actor = (req: FastifyRequest): Actor => req.caller as Actor;
const Empty = Type.Null();

export async function procurementRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/rfq',
    {
      schema: {
        tags,
        summary: 'RFQs the caller may see, newest first',
        querystring: s.ListRfqsQuery,
        response: { 200: Type.Object({ items: Type.Array(s.Rfq) }), ...errors() },
      },
    },
    async (req) => ({
      items: await req.withCaller((tx) => listRfqs(tx, req.query)),
    }),
  );

  r.post(
    '/rfq',
    {
      schema: {
        tags,
        summary: 'Create a draft RFQ with its lines',
        body: s.CreateRfqBody,
        response: { 201: s.RfqWithItems, ...errors(403, 422) },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const rfq = await req.withCaller((tx) =>
        createRfq(tx, actor(req), { title: b.title, responseDeadline: b.response_deadline, items: b.items }),
      );
      return reply.status(201).send(rfq);
    },
  );

  r.get(
    '/rfq/:id',
    { schema: { tags, summary: 'An RFQ with its lines', params: s.RfqParams, response: { 200: s.RfqWithItems, ...errors(404) } } },
    async (req) => req.withCaller((tx) => getRfq(tx, req.params.id)),
  );

  for (const [action, to] of [
    ['publish', 'published'],
    ['close', 'closed'],
    ['cancel', 'cancelled'],
  ] as const) {
    r.post(
      `/rfq/:id/${action}`,
      {
        schema: {
          tags,
          summary: `${action[0]?.toUpperCase()}${action.slice(1)} an RFQ`,
          params: s.RfqParams,
          response: { 200: s.Rfq, ...errors(403, 404, 409) },
        },
      },
      async (req) => req.withCaller((tx) => moveRfq(tx, actor(req), req.params.id, to)),
    );
  }

  r.post(
    '/rfq/:id/award',
    {
      schema: {
        tags,
        summary: 'Award an RFQ to one quote: it is accepted, the other open quotes rejected',
        params: s.RfqParams,
        body: s.AwardBody,
        response: { 200: s.Rfq, ...errors(403, 404, 409) },
      },
    },
    async (req) => req.withCaller((tx) => awardRfq(tx, actor(req), req.params.id, req.body.quote_id)),
  );

  r.post(
    '/rfq/:id/items',
    {
      schema: {
        tags,
        summary: 'Add a line to a draft RFQ',
        params: s.RfqParams,
        body: s.RfqItemInput,
        response: { 201: s.RfqItem, ...errors(403, 404, 409, 422) },
      },
    },
    async (req, reply) => reply.status(201).send(await req.withCaller((tx) => addRfqItem(tx, actor(req), req.params.id, req.body))),
  );

  r.delete(
    '/rfq/:id/items/:item_id',
    {
      schema: {
        tags,
        summary: 'Remove a line from a draft RFQ',
        params: s.RfqItemParams,
        response: { 204: Empty, ...errors(403, 404, 409) },
      },
    },
    async (req, reply) => {
      await req.withCaller((tx) => removeRfqItem(tx, actor(req), req.params.id, req.params.item_id));
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/rfq/:id/compare',
    {
      schema: {
        tags,
        summary: 'Score the RFQ’s quotes: price 40, quality 30, delivery 20, compliance 10 unless other weights are given',
        params: s.RfqParams,
        body: s.CompareBody,
        response: { 200: s.Comparison, ...errors(404) },
      },
    },
    async (req) =>
      req.withCaller((tx) => compareQuotes(tx, req.params.id, { weights: req.body.weights, reviewer: req.body.reviewer_scores })),
  );

  r.get(
    '/rfqs/:rfq_id/quotes',
    {
      schema: {
        tags,
        summary: 'Quotes on an RFQ',
        params: s.RfqQuotesParams,
        response: { 200: Type.Object({ items: Type.Array(s.Quote) }), ...errors() },
      },
    },
    async (req) => ({ items: await req.withCaller((tx) => listQuotes(tx, { rfqId: req.params.rfq_id, limit: 200 })) }),
  );

  r.get(
    '/suppliers/:supplier_id/quotes',
    {
      schema: {
        tags,
        summary: 'Quotes of a supplier',
        params: s.SupplierParams,
        response: { 200: Type.Object({ items: Type.Array(s.Quote) }), ...errors() },
      },
    },
    async (req) => ({ items: await req.withCaller((tx) => listQuotes(tx, { supplierOrgId: req.params.supplier_id, limit: 200 })) }),
  );

  r.get(
    '/quotes',
    {
      schema: {
        tags,
        summary: 'Quotes the caller may see',
        querystring: s.ListQuotesQuery,
        response: { 200: Type.Object({ items: Type.Array(s.Quote) }), ...errors() },
      },
    },
    async (req) => ({
      items: await req.withCaller((tx) => listQuotes(tx, { rfqId: req.query.rfq_id, status: req.query.status, limit: req.query.limit })),
    }),
  );

  r.post(
    '/quotes',
    {
      schema: {
        tags,
        summary: 'Create a draft quote on a published RFQ',
        body: s.CreateQuoteBody,
        response: { 201: s.QuoteWithItems, ...errors(403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const quote = await req.withCaller((tx) =>
        createQuote(tx, actor(req), { rfqId: b.rfq_id, currency: b.currency, validUntil: b.valid_until, items: b.items }),
      );
      return reply.status(201).send(quote);
    },
  );

  r.get(
    '/quotes/:id',
    { schema: { tags, summary: 'A quote with its lines', params: s.QuoteParams, response: { 200: s.QuoteWithItems, ...errors(404) } } },
    async (req) => req.withCaller((tx) => getQuote(tx, req.params.id)),
  );

  r.post(
    '/quotes/:id/items',
    {
      schema: {
        tags,
        summary: 'Add a line to a draft quote (total computed; a given total must add up)',
        params: s.QuoteParams,
        body: s.QuoteItemInput,
        response: { 201: s.QuoteItem, ...errors(403, 404, 409, 422) },
      },
    },
    async (req, reply) => reply.status(201).send(await req.withCaller((tx) => addQuoteItem(tx, actor(req), req.params.id, req.body))),
  );

  r.delete(
    '/quotes/:id/items/:item_id',
    {
      schema: {
        tags,
        summary: 'Remove a line from a draft quote',
        params: s.QuoteItemParams,
        response: { 204: Empty, ...errors(403, 404, 409) },
      },
    },
    async (req, reply) => {
      await req.withCaller((tx) => removeQuoteItem(tx, actor(req), req.params.id, req.params.item_id));
      return reply.status(204).send(null);
    },
  );

  for (const [action, to] of [
    ['submit', 'submitted'],
    ['under-review', 'under_review'],
    ['accept', 'accepted'],
    ['reject', 'rejected'],
    ['withdraw', 'withdrawn'],
    ['expire', 'expired'],
  ] as const) {
    r.post(
      `/quotes/:id/${action}`,
      { schema: { tags, summary: `Quote step: ${action}`, params: s.QuoteParams, response: { 200: s.Quote, ...errors(403, 404, 409) } } },
      async (req) => req.withCaller((tx) => moveQuote(tx, actor(req), req.params.id, to)),
    );
  }

  r.get(
    '/products/:product_id/rfqs',
    {
      schema: {
        tags,
        summary: 'RFQs asking for a product (directly or through one of its SKUs)',
        params: s.ProductParams,
        response: { 200: s.RfqsForProduct, ...errors() },
      },
    },
    async (req) => ({ items: await req.withCaller((tx) => rfqsForProduct(tx, req.params.product_id)) }),
  );

  r.get(
    '/procurement/average-quoted-prices',
    {
      schema: {
        tags,
        summary: 'Average, lowest and highest quoted unit price per product',
        querystring: s.AveragePriceQuery,
        response: { 200: s.AveragePrices, ...errors() },
      },
    },
    async (req) => ({ items: await req.withCaller((tx) => averageQuotedPriceByProduct(tx, { productId: req.query.product_id })) }),
  );

  r.get(
    '/procurement/demand-by-category',
    {
      schema: {
        tags,
        summary: 'Quantities requested per product category in RFQs that went out',
        querystring: s.DemandQuery,
        response: { 200: s.DemandByCategory, ...errors() },
      },
    },
    async (req) => ({ items: await req.withCaller((tx) => demandByCategory(tx, req.query)) }),
  );
}
