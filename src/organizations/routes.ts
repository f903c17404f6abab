import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AsOfQuery, parseAsOf } from '../http/as-of.ts';
import { errors, IdParams, Page } from '../http/schemas.ts';
import * as orgs from './queries.ts';
import { Facility, NewFacility, NewOrganization, Organization, OrganizationQuery, Relationship } from './schemas.ts';

const tags = ['organizations'];

export async function organizationRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/organizations',
    {
      schema: {
        tags,
        summary: 'Organizations in your network',
        querystring: OrganizationQuery,
        response: { 200: Page(Organization), ...errors() },
      },
    },
    (req) => req.withCaller((tx) => orgs.listOrganizations(tx, req.query)),
  );

  r.post(
    '/organizations',
    {
      schema: {
        tags,
        summary: 'Create an organization (system_admin)',
        body: NewOrganization,
        response: { 201: Organization, ...errors(403, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await req.withCaller((tx) => orgs.createOrganization(tx, req.body))),
  );

  r.get(
    '/organizations/:id',
    {
      schema: { tags, summary: 'One organization', params: IdParams, response: { 200: Organization, ...errors(404) } },
    },
    (req) => req.withCaller((tx) => orgs.getOrganization(tx, req.params.id)),
  );

  r.get(
    '/organizations/:id/facilities',
    {
      schema: { tags, summary: 'Facilities of an organization', params: IdParams, response: { 200: Type.Array(Facility), ...errors(404) } },
    },
    (req) => req.withCaller((tx) => orgs.listFacilities(tx, req.params.id)),
  );

  r.post(
    '/organizations/:id/facilities',
    {
      schema: {
        tags,
        summary: 'Add a facility to your organization',
        params: IdParams,
        body: NewFacility,
        response: { 201: Facility, ...errors(403, 404, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await req.withCaller((tx) => orgs.createFacility(tx, req.params.id, req.body))),
  );

  r.get(
    '/organizations/:id/relationships',
    {
      schema: {
        tags,
        summary: 'Channel relationships of an organization in force as of a date',
        params: IdParams,
        querystring: Type.Object(AsOfQuery),
        response: { 200: Type.Array(Relationship), ...errors(404) },
      },
    },
    (req) => req.withCaller((tx) => orgs.listRelationships(tx, req.params.id, parseAsOf(req.query.as_of))),
  );
}
