import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { errors, IdParams, Page } from '../http/schemas.ts';
import * as engineers from './queries.ts';
import { Engineer, EngineerQuery, NewEngineer } from './schemas.ts';

const tags = ['engineers'];

export async function engineerRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/engineers',
    {
      schema: { tags, summary: 'Engineers in your network', querystring: EngineerQuery, response: { 200: Page(Engineer), ...errors() } },
    },
    (req) => req.withCaller((tx) => engineers.listEngineers(tx, req.query)),
  );

  r.post(
    '/engineers',
    {
      schema: {
        tags,
        summary: 'Add an engineer to your organization',
        body: NewEngineer,
        response: { 201: Engineer, ...errors(403, 404, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await req.withCaller((tx) => engineers.createEngineer(tx, req.body))),
  );

  r.get(
    '/engineers/:id',
    {
      schema: { tags, summary: 'One engineer', params: IdParams, response: { 200: Engineer, ...errors(404) } },
    },
    (req) => req.withCaller((tx) => engineers.getEngineer(tx, req.params.id)),
  );
}
