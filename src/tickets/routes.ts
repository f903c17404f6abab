import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { errors, Page } from '../http/schemas.ts';
import * as tickets from './queries.ts';
import { Comment, NewComment, NewTicket, StatusChange, Ticket, TicketIdParams, TicketNumberParams, TicketQuery } from './schemas.ts';

const tags = ['tickets'];

export async function ticketRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/tickets',
    {
      schema: {
        tags,
        summary: 'Tickets in your network, newest first',
        querystring: TicketQuery,
        response: { 200: Page(Ticket), ...errors() },
      },
    },
    (req) => req.withCaller((tx) => tickets.listTickets(tx, req.query)),
  );

  r.post(
    '/tickets',
    {
      schema: { tags, summary: 'Open a ticket on a device', body: NewTicket, response: { 201: Ticket, ...errors(403, 422) } },
    },
    async (req, reply) => reply.status(201).send(await req.withCaller((tx) => tickets.createTicket(tx, req.caller!, req.body))),
  );

  r.get(
    '/tickets/number/:number',
    {
      schema: { tags, summary: 'One ticket by its number', params: TicketNumberParams, response: { 200: Ticket, ...errors(404) } },
    },
    (req) => req.withCaller((tx) => tickets.getTicketByNumber(tx, req.params.number)),
  );

  r.get(
    '/tickets/:id',
    {
      schema: { tags, summary: 'One ticket', params: TicketIdParams, response: { 200: Ticket, ...errors(404) } },
    },
    (req) => req.withCaller((tx) => tickets.getTicket(tx, req.params.id)),
  );

  r.get(
    '/tickets/:id/comments',
    {
      schema: {
        tags,
        summary: 'Comments on a ticket, oldest first',
        params: TicketIdParams,
        response: { 200: Type.Array(Comment), ...errors(404) },
      },
    },
    (req) => req.withCaller((tx) => tickets.listComments(tx, req.params.id)),
  );

  r.post(
    '/tickets/:id/comments',
    {
      schema: {
        tags,
        summary: 'Comment on a ticket',
        params: TicketIdParams,
        body: NewComment,
        response: { 201: Comment, ...errors(403, 404) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await req.withCaller((tx) => tickets.commentOnTicket(tx, req.caller!, req.params.id, req.body))),
  );

  r.get(
    '/tickets/:id/history',
    {
      schema: {
        tags,
        summary: 'Status history of a ticket',
        params: TicketIdParams,
        response: { 200: Type.Array(StatusChange), ...errors(404) },
      },
    },
    (req) => req.withCaller((tx) => tickets.listStatusHistory(tx, req.params.id)),
  );
}
